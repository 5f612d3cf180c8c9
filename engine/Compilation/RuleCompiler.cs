using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using SlaPolicy.Engine.Diagnostics;
using Diagnostic = SlaPolicy.Engine.Diagnostics.Diagnostic;
using DiagnosticDescriptor = SlaPolicy.Engine.Diagnostics.DiagnosticDescriptor;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// Compiles every expression of a policy set (or of a set of RulesEngine workflows) into ONE in-memory,
/// collectible assembly, checked by the sandbox, cached by content hash in memory and on disk.
/// </summary>
/// <remarks>
/// Stages, in order: plan (generate the C# source; no Roslyn), hash, cache lookup (memory, then disk: a hit
/// loads the stored assembly without compiling), shape check (each expression parsed on its own), compile,
/// sandbox (semantic check of every node), emit, bind delegates. A rule whose expression fails any stage is
/// reported in the diagnostics and compiled as an error rule: at run time it yields an error result, never a
/// quiet false. Compiling is expensive; keep the result (it is immutable and thread-safe).
/// </remarks>
public static class RuleCompiler
{
    private const string FormatVersion = "slapolicy-rules 4";
    private static readonly ConcurrentDictionary<string, LoadedRules> MemoryCache = new(StringComparer.Ordinal);
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles the workflows of every policy version in <paramref name="set"/>.</summary>
    public static CompiledPolicySet Compile(PolicySet set, DiagnosticBag diagnostics, RuleCompilerOptions? options = null)
    {
        options ??= new RuleCompilerOptions();
        var policies = set.Policies.IsDefault ? [] : set.Policies;
        ReportUnknownActions(policies.SelectMany(p => p.Rules.IsDefault ? [] : p.Rules), options, diagnostics);
        if (options.Executor == RuleExecutor.RulesEngine)
        {
            return CompileForRulesEngine(policies, diagnostics, options);
        }

        var plan = new SourcePlan(InputSignature.Policy);
        foreach (var policy in policies)
        {
            var workflow = WorkflowGenerator.Generate(policy);
            plan.AddWorkflow(workflow, workflow.Rules);
        }

        var loaded = Load(plan, options, diagnostics);
        var executors = BuildExecutors<RuleInputs>(plan, loaded, options, InputSignature.Policy.RootNames, PolicyRoot);
        Mark("bound");
        var workflows = policies.Select((p, i) => new CompiledWorkflow(p, executors[i])).ToImmutableArray();
        return new CompiledPolicySet(workflows, loaded.Hash, loaded.FromDisk);
    }

    /// <summary>
    /// Compiles RulesEngine workflows whose expressions read the named <paramref name="parameters"/>
    /// (<c>input1</c>, … typed from sample JSON). <c>WorkflowsToInject</c> are resolved within <paramref name="workflows"/>.
    /// </summary>
    public static CompiledWorkflowSet Compile(ImmutableArray<Workflow> workflows, ImmutableArray<InputParameter> parameters, DiagnosticBag diagnostics, RuleCompilerOptions? options = null)
    {
        options ??= new RuleCompilerOptions();
        if (!options.RulesEngine.EnableScopedParams && options.Executor == RuleExecutor.Compiled)
        {
            // RulesEngine's EnableScopedParams=false: parameters are not in scope; an expression that reads one fails.
            workflows = [.. workflows.Select(WithoutParams)];
        }

        var byName = workflows.GroupBy(w => w.WorkflowName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var resolved = workflows.Select(w => (w, Rules: ResolveRules(w, byName, diagnostics))).ToList();
        var signature = InputSignature.ForParameters(parameters, resolved.SelectMany(r => AllTexts(r.w, r.Rules)));
        var plan = new SourcePlan(signature);
        foreach (var (workflow, rules) in resolved)
        {
            plan.AddWorkflow(workflow, rules);
        }

        var names = parameters.Select(p => p.Name).ToImmutableArray();
        ReportUnknownActions(workflows.SelectMany(w => w.Rules.IsDefault ? [] : w.Rules), options, diagnostics);
        if (options.Executor == RuleExecutor.RulesEngine)
        {
            var engine = new RulesEngineWorkflows([.. resolved.Select(r => (r.w, r.Rules))], options.RulesEngine);
            var runners = resolved.Select(r => (IWorkflowRunner<object?[]>)new RulesEngineExecutor<object?[]>(r.w, r.Rules, engine,
                (in object?[] inputs) =>
                {
                    // As RulesEngine's ExecuteAllRulesAsync(name, params object[]) names them: the value's own type.
                    var values = inputs;
                    return [.. names.Select((name, i) => new RulesEngine.Models.RuleParameter(name, i < values.Length ? values[i] : null))];
                },
                names, ParameterRoot(names)));
            return new CompiledWorkflowSet([.. runners.Select(r => new CompiledParameterWorkflow(r))], parameters, [], RulesEngineHash(resolved.Select(r => r.w with { Rules = r.Rules, WorkflowsToInject = [] })), false, RuleExecutor.RulesEngine);
        }

        var (quick, shaped) = options.QuickStart ? TryQuickStart(plan, parameters, names, options) : (null, null);
        if (quick is not null)
        {
            return quick;
        }

        var loaded = Load(plan, options, diagnostics, shaped);
        var executors = BuildExecutors(plan, loaded, options, names, ParameterRoot(names));
        var types = loaded.Assembly?.GetType(ExpressionSandbox.GeneratedInputsNamespace + ".__InputTypes")?.GetField("All")?.GetValue(null) as Type[];
        return new CompiledWorkflowSet(executors.Select(e => new CompiledParameterWorkflow(e, !options.RulesEngine.EnableExceptionAsErrorMessage)).ToImmutableArray(), parameters, types ?? [], loaded.Hash, loaded.FromDisk);
    }

    /// <summary>Forgets assemblies compiled in this process, so that they can be unloaded once unused.</summary>
    public static void ClearMemoryCache()
    {
        foreach (var entry in MemoryCache.Values)
        {
            entry.Context?.Unload();
        }

        MemoryCache.Clear();
    }

    internal static string Sentence(string message)
    {
        message = message.Trim().TrimEnd('.');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }

    private static Workflow WithoutParams(Workflow workflow)
    {
        static RuleDefinition Strip(RuleDefinition rule) =>
            rule with { LocalParams = [], Rules = rule.Rules.IsDefault ? rule.Rules : [.. rule.Rules.Select(Strip)] };

        return workflow with { GlobalParams = [], Rules = workflow.Rules.IsDefault ? workflow.Rules : [.. workflow.Rules.Select(Strip)] };
    }

    /// <summary>
    /// SLA5006 for each action that is neither <c>OutputExpression</c> nor <c>EvaluateRule</c> nor a custom action
    /// registered in the settings (both executors run those). Such an action fails when it runs.
    /// </summary>
    private static void ReportUnknownActions(IEnumerable<RuleDefinition> rules, RuleCompilerOptions options, DiagnosticBag diagnostics)
    {
        var reported = new HashSet<(string, SourceLocation)>();
        void Visit(RuleDefinition rule)
        {
            foreach (var action in new[] { rule.OnSuccess, rule.OnFailure })
            {
                if (action is null || action.Name == RuleActions.OutputExpression || action.Name == RuleActions.EvaluateRule
                    || options.RulesEngine.CustomActions.ContainsKey(action.Name))
                {
                    continue;
                }

                var at = action.Location.IsKnown ? action.Location : rule.Location;
                if (reported.Add((action.Name, at)))
                {
                    diagnostics.Add(DiagnosticCatalog.UnsupportedAction, at, $"action `{action.Name}` of rule `{rule.RuleName}` is not registered (`RulesEngineSettings.CustomActions`)");
                }
            }

            foreach (var child in rule.Rules.IsDefault ? [] : rule.Rules)
            {
                Visit(child);
            }
        }

        foreach (var rule in rules)
        {
            Visit(rule);
        }
    }

    /// <summary>
    /// The policies' workflows run by Microsoft RulesEngine. Nothing is compiled by Roslyn: each expression is checked by
    /// <see cref="DynamicLinqSandbox"/> now, for the fixed types of the policy inputs, so refusals are reported with
    /// their file:line:col like the compiled executor's; RulesEngine compiles each workflow when it first runs.
    /// </summary>
    private static CompiledPolicySet CompileForRulesEngine(ImmutableArray<Policy> policies, DiagnosticBag diagnostics, RuleCompilerOptions options)
    {
        var workflows = policies.Select(WorkflowGenerator.Generate).ToImmutableArray();
        var engine = new RulesEngineWorkflows([.. workflows.Select(w => (w, w.Rules))], options.RulesEngine.FailClosed);
        engine.For(PolicyParameters(default), diagnostics);
        var compiled = policies.Select((p, i) => new CompiledWorkflow(p, new RulesEngineExecutor<RuleInputs>(workflows[i], workflows[i].Rules, engine, PolicyParameters, InputSignature.Policy.RootNames, PolicyRoot)));
        return new CompiledPolicySet([.. compiled], RulesEngineHash(workflows), fromDiskCache: false);
    }

    /// <summary>
    /// The policy inputs as RulesEngine parameters (views where a record holds an array, see <see cref="RulesEngineViews"/>),
    /// always with the same types: a null input keeps the type of its view.
    /// </summary>
    private static RulesEngine.Models.RuleParameter[] PolicyParameters(in RuleInputs inputs) =>
    [
        Parameter("ticket", typeof(Inputs.CaseRecord), RulesEngineViews.View(inputs.Ticket)),
        Parameter("clock", typeof(Clocks.ClockResult), RulesEngineViews.View(inputs.Clock)),
        Parameter("target", typeof(TargetTerm), RulesEngineViews.ViewOfLongLived(inputs.Target)),
        Parameter("policy", typeof(Policy), RulesEngineViews.ViewOfLongLived(inputs.Policy)),
        Parameter("period", typeof(AvailabilityPeriod), RulesEngineViews.View(inputs.Period)),
    ];

    private static RulesEngine.Models.RuleParameter Parameter(string name, Type type, object? value) =>
        value is null ? TypedNull(name, RulesEngineViews.ViewType(type)) : new RulesEngine.Models.RuleParameter(name, value);

    private static readonly ConcurrentDictionary<(string, Type), Func<RulesEngine.Models.RuleParameter>> Nulls = new();

    /// <summary>A null parameter of a given type (RulesEngine's public constructor would type it <c>object</c>).</summary>
    private static RulesEngine.Models.RuleParameter TypedNull(string name, Type type) => Nulls.GetOrAdd((name, type), static key =>
    {
        var create = typeof(RulesEngine.Models.RuleParameter).GetMethod(nameof(RulesEngine.Models.RuleParameter.Create), 1, [typeof(string), Type.MakeGenericMethodParameter(0)])!.MakeGenericMethod(key.Item2);
        return () => (RulesEngine.Models.RuleParameter)create.Invoke(null, [key.Item1, null])!;
    })();

    /// <summary>
    /// The content hash of workflows run by RulesEngine: every field RulesEngine reads, length-prefixed (no serializer
    /// on the way to the first result).
    /// </summary>
    private static string RulesEngineHash(IEnumerable<Workflow> workflows)
    {
        var text = new StringBuilder("rulesengine\n");
        void Add(string? value) => text.Append(value?.Length ?? -1).Append(':').Append(value).Append('\n');
        void AddParams(ImmutableArray<LocalParam> parameters)
        {
            Add((parameters.IsDefault ? 0 : parameters.Length).ToString(CultureInfo.InvariantCulture));
            foreach (var p in parameters.IsDefault ? [] : parameters)
            {
                Add(p.Name);
                Add(p.Expression);
            }
        }

        void AddRule(RuleDefinition rule)
        {
            Add(rule.RuleName);
            Add(rule.Expression);
            Add(rule.SuccessEvent);
            Add(rule.ErrorMessage);
            Add(rule.Enabled ? "1" : "0");
            Add(rule.Operator);
            AddParams(rule.LocalParams);
            foreach (var action in new[] { rule.OnSuccess, rule.OnFailure })
            {
                Add(action?.Name);
                foreach (var (key, value) in (action?.Context ?? ImmutableDictionary<string, string>.Empty).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    Add(key);
                    Add(value);
                }
            }

            Add((rule.Rules.IsDefault ? 0 : rule.Rules.Length).ToString(CultureInfo.InvariantCulture));
            foreach (var child in rule.Rules.IsDefault ? [] : rule.Rules)
            {
                AddRule(child);
            }
        }

        foreach (var workflow in workflows)
        {
            Add(workflow.WorkflowName);
            AddParams(workflow.GlobalParams);
            Add((workflow.Rules.IsDefault ? 0 : workflow.Rules.Length).ToString(CultureInfo.InvariantCulture));
            foreach (var rule in workflow.Rules.IsDefault ? [] : workflow.Rules)
            {
                AddRule(rule);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static RootResolver<object?[]> ParameterRoot(ImmutableArray<string> names) => (string name, in object?[] inputs) =>
    {
        var index = names.IndexOf(name);
        return index >= 0 && index < inputs.Length ? (true, inputs[index]) : (false, null);
    };

    private static (bool Found, object? Value) PolicyRoot(string name, in RuleInputs inputs) => name switch
    {
        "ticket" => (true, inputs.Ticket),
        "clock" => (true, inputs.Clock),
        "target" => (true, inputs.Target),
        "policy" => (true, inputs.Policy),
        "period" => (true, inputs.Period),
        _ => (false, null),
    };

    private static ImmutableArray<RuleDefinition> ResolveRules(Workflow workflow, Dictionary<string, Workflow> byName, DiagnosticBag diagnostics)
    {
        var rules = ImmutableArray.CreateBuilder<RuleDefinition>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(Workflow w)
        {
            if (!seen.Add(w.WorkflowName))
            {
                return;
            }

            rules.AddRange(w.Rules.IsDefault ? [] : w.Rules);
            foreach (var name in w.WorkflowsToInject.IsDefault ? [] : w.WorkflowsToInject)
            {
                if (byName.TryGetValue(name, out var injected))
                {
                    Add(injected);
                }
                else
                {
                    diagnostics.Add(DiagnosticCatalog.MissingWorkflow, w.Location, $"workflow `{name}` named in `WorkflowsToInject` of `{w.WorkflowName}` is not defined");
                }
            }
        }

        Add(workflow);
        return rules.ToImmutable();
    }

    private static IEnumerable<string> AllTexts(Workflow workflow, ImmutableArray<RuleDefinition> rules)
    {
        foreach (var g in workflow.GlobalParams.IsDefault ? [] : workflow.GlobalParams)
        {
            yield return g.Expression;
        }

        foreach (var text in rules.SelectMany(RuleTexts))
        {
            yield return text;
        }
    }

    private static IEnumerable<string> RuleTexts(RuleDefinition rule)
    {
        if (rule.Expression is not null)
        {
            yield return rule.Expression;
        }

        foreach (var p in rule.LocalParams.IsDefault ? [] : rule.LocalParams)
        {
            yield return p.Expression;
        }

        foreach (var action in new[] { rule.OnSuccess, rule.OnFailure })
        {
            foreach (var value in action?.Context.Values ?? Enumerable.Empty<string>())
            {
                yield return value;
            }
        }

        foreach (var text in (rule.Rules.IsDefault ? [] : rule.Rules).SelectMany(RuleTexts))
        {
            yield return text;
        }
    }

    // ---- loading: memory cache, disk cache, compile ----

    /// <summary>The text the cache key is the hash of.</summary>
    private static string SourceKey(SourcePlan plan, RuleCompilerOptions options)
    {
        // What the compiler makes of the text depends on whether names ignore case: part of the key.
        var source = options.RulesEngine.IsExpressionCaseSensitive ? plan.Text + "\n#names-case-sensitive" : plan.Text;
        foreach (var type in options.RulesEngine.CustomTypes)
        {
            source += $"\n#custom {type.AssemblyQualifiedName} {type.Assembly.ManifestModule.ModuleVersionId}";
        }

        return source;
    }

    /// <summary>
    /// The quick start (<see cref="RuleCompilerOptions.QuickStart"/>): on a cache miss, when every expression is in
    /// <see cref="QuickTier"/>'s forms, the workflows start on expression trees and Roslyn compiles the rules on a
    /// background thread; values bound once it is done run on the compiled rules. Otherwise no set, and the shape
    /// stage if it already ran (the compilation goes on from it).
    /// </summary>
    private static (CompiledWorkflowSet? Set, ShapeStage? Shape) TryQuickStart(SourcePlan plan, ImmutableArray<InputParameter> parameters, ImmutableArray<string> names, RuleCompilerOptions options)
    {
        if (options.RulesEngine.CustomTypes.Length > 0 || !options.RulesEngine.EnableExceptionAsErrorMessage || parameters.IsDefaultOrEmpty)
        {
            return (null, null);
        }

        var hash = Hash(SourceKey(plan, options));
        if (options.UseMemoryCache && MemoryCache.ContainsKey(hash)
            || options.UseDiskCache && File.Exists(Path.Combine(options.ResolvedCacheDirectory, hash + ".manifest")))
        {
            return (null, null);
        }

        var shape = Shape(plan, options);
        var built = shape.Stored.Count == 0 ? QuickTier.TryBuild(plan, shape.Expressions, shape.Budgeted, parameters, plan.Signature.UsedMembers) : null;
        Mark(built is null ? "quick start: not in its forms" : "quick start: expression trees built");
        if (built is null)
        {
            return (null, shape);
        }

        var runners = BuildQuickExecutors(plan, built, options, names).Select(e => new TieredWorkflowRunner(e, built.InputTypes)).ToArray();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var set = new CompiledWorkflowSet([.. runners.Select(r => new CompiledParameterWorkflow(r))], parameters, built.InputTypes, hash, fromDiskCache: false, RuleExecutor.Compiled, done.Task);
        if (options.QuickTierOnly)
        {
            done.SetResult();
            return (set, null);
        }

        var thread = new Thread(() =>
        {
            try
            {
                var loaded = Emit(plan, hash, options, shape);
                if (options.UseDiskCache && loaded.Bytes is not null)
                {
                    TryStore(options.ResolvedCacheDirectory, loaded);
                }

                if (options.UseMemoryCache)
                {
                    MemoryCache.TryAdd(hash, loaded);
                }

                // The expression trees stay in use unless Roslyn compiled every rule without a word.
                var types = loaded.Assembly?.GetType(ExpressionSandbox.GeneratedInputsNamespace + ".__InputTypes")?.GetField("All")?.GetValue(null) as Type[];
                if (loaded.Assembly is not null && loaded.Broken.Count == 0 && loaded.Diagnostics.Count == 0 && types is not null && types.Length == parameters.Length)
                {
                    var executors = BuildExecutors(plan, loaded, options, names, ParameterRoot(names));
                    for (var i = 0; i < runners.Length; i++)
                    {
                        runners[i].Promote(executors[i]);
                    }

                    // Runners first: a value bound to the compiled types always finds its runner promoted.
                    set.Promote(types);
                }

                Mark("quick start: compiled rules in use");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The compiled rules are an optimisation here: the expression trees give the same results.
            }
            finally
            {
                done.SetResult();
            }
        })
        { IsBackground = true, Name = "slapolicy rules compile" };
        thread.Start();
        return (set, null);
    }

    /// <summary>The quick start's workflows: the plan's rules with their expression-tree predicates.</summary>
    private static List<WorkflowExecutor<object?[]>> BuildQuickExecutors(SourcePlan plan, QuickTier.Built built, RuleCompilerOptions options, ImmutableArray<string> names)
    {
        var registry = new Dictionary<string, WorkflowExecutor<object?[]>>(StringComparer.Ordinal);
        var executors = new List<WorkflowExecutor<object?[]>>();
        foreach (var workflow in plan.Workflows)
        {
            var nodes = workflow.RulePlans.Where(r => r.Rule.Enabled).Select(r => new RuleNode<object?[]>(r.Rule, isNested: false, [], built.Predicates[r.PredicateSlot!.Id], null, null,
                r.ScopeNames, r.PredicateSlot.Text.Rewritten, null, null, null, null, budgeted: false)).ToArray();
            var executor = new WorkflowExecutor<object?[]>(workflow.Workflow, nodes, names, ParameterRoot(names), registry, new RuleLimits(options.MaxSteps, options.MaxAllocatedBytes));
            registry.TryAdd(workflow.Workflow.WorkflowName, executor);
            executors.Add(executor);
        }

        return executors;
    }

    private static LoadedRules Load(SourcePlan plan, RuleCompilerOptions options, DiagnosticBag diagnostics, ShapeStage? shaped = null)
    {
        Mark("planned");
        var hash = Hash(SourceKey(plan, options));
        Mark("hashed");
        LoadedRules? loaded = null;
        if (options.UseMemoryCache && MemoryCache.TryGetValue(hash, out var cached))
        {
            loaded = cached;
        }

        if (loaded is null && options.UseDiskCache)
        {
            loaded = TryLoadFromDisk(options.ResolvedCacheDirectory, hash, diagnostics);
        }

        if (loaded is null)
        {
            loaded = shaped is null ? CompileAndEmit(plan, hash, options) : Emit(plan, hash, options, shaped);
            if (options.UseDiskCache && loaded.Bytes is not null)
            {
                TryStore(options.ResolvedCacheDirectory, loaded);
            }
        }

        if (options.UseMemoryCache)
        {
            MemoryCache.TryAdd(hash, loaded);
        }

        Mark("loaded");
        var locator = new ExpressionLocator();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in loaded.Diagnostics)
        {
            var diagnostic = ToDiagnostic(stored, plan, locator);
            if (reported.Add(diagnostic.ToString()))
            {
                diagnostics.Add(diagnostic);
            }
        }

        return loaded;
    }

    private static Diagnostic ToDiagnostic(StoredDiagnostic stored, SourcePlan plan, ExpressionLocator locator)
    {
        var slot = stored.Slot >= 0 && stored.Slot < plan.Slots.Count ? plan.Slots[stored.Slot] : null;
        var location = slot is null
            ? SourceLocation.None
            : stored.Offset < 0 ? (slot.Start.IsKnown ? slot.Start : slot.Fallback) : locator.Locate(slot.Start, slot.Text.Original, stored.Offset, slot.Fallback);
        var message = slot is not null && !slot.Start.IsKnown && stored.Offset >= 0
            ? $"{stored.Message} in generated expression `{slot.Text.Original}`"
            : stored.Message;
        return new Diagnostic(Descriptor(stored.Code), location, message, stored.Help);
    }

    private static DiagnosticDescriptor Descriptor(string code) => code switch
    {
        "SLA4001" => DiagnosticCatalog.ExpressionSyntax,
        "SLA4003" => DiagnosticCatalog.ForbiddenApi,
        "SLA4004" => DiagnosticCatalog.ForbiddenConstruct,
        "SLA4005" => DiagnosticCatalog.NotBoolean,
        "SLA4006" => DiagnosticCatalog.NotSingleExpression,
        "SLA4008" => DiagnosticCatalog.ExpressionLimit,
        "SLA4009" => DiagnosticCatalog.CompileBudget,
        _ => DiagnosticCatalog.ExpressionType,
    };

    private static string Hash(string source)
    {
        var engine = typeof(RuleCompiler).Assembly;
        var roslyn = engine.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "Microsoft.CodeAnalysis.CSharp")?.Version?.ToString() ?? "?";
        var identity = $"{FormatVersion}\n{roslyn}\n{engine.ManifestModule.ModuleVersionId}\n{Environment.Version}\n";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(identity + source));
        return Convert.ToHexStringLower(bytes);
    }

    private static readonly bool Timings = Environment.GetEnvironmentVariable("SLAPOLICY_COMPILE_TIMINGS") == "1";
    private static readonly System.Diagnostics.Stopwatch TimingWatch = System.Diagnostics.Stopwatch.StartNew();

    internal static void Mark(string stage)
    {
        if (Timings)
        {
            Console.Error.WriteLine(FormattableString.Invariant($"[compile] {TimingWatch.Elapsed.TotalMilliseconds,8:F0} ms {stage}"));
        }
    }

    private static LoadedRules CompileAndEmit(SourcePlan plan, string hash, RuleCompilerOptions options) => Emit(plan, hash, options, Shape(plan, options));

    /// <summary>The shape stage's result: each slot's parsed and rewritten expression, and what it refused.</summary>
    private sealed record ShapeStage(List<StoredDiagnostic> Stored, HashSet<string> Broken, ExpressionSyntax?[] Expressions, HashSet<int> Budgeted, ILookup<int, MethodPlan> SlotMethods)
    {
        public void BreakSlot(int slot, string code, int offset, string message, string? help = null)
        {
            foreach (var method in SlotMethods[slot])
            {
                Stored.Add(new StoredDiagnostic(method.Key, slot, offset, code, message, help));
                Broken.Add(method.Key);
            }
        }
    }

    private static ShapeStage Shape(SourcePlan plan, RuleCompilerOptions options)
    {
        Mark("compile start");
        var stored = new List<StoredDiagnostic>();
        var broken = new HashSet<string>(StringComparer.Ordinal);
        var slotMethods = plan.Methods.SelectMany(m => m.Slots.Distinct().Select(s => (Slot: s, Method: m))).ToLookup(x => x.Slot, x => x.Method);
        var stage = new ShapeStage(stored, broken, new ExpressionSyntax?[plan.Slots.Count], [], slotMethods);
        void BreakSlot(int slot, string code, int offset, string message, string? help = null) => stage.BreakSlot(slot, code, offset, message, help);

        // Stage: shape. Each expression is parsed alone as exactly one expression; only the parsed node goes on.
        var budgeted = stage.Budgeted;
        var expressions = stage.Expressions;
        foreach (var slot in plan.Slots)
        {
            if (plan.InvalidNames.TryGetValue(slot.Id, out var badName))
            {
                BreakSlot(slot.Id, DiagnosticCatalog.ExpressionSyntax.Code, -1, $"parameter name `{Shorten(badName)}` is not an identifier (letters, digits and `_`, not a C# keyword)");
                continue;
            }

            var (expression, violation) = ExpressionSandbox.Parse(slot.Text.Rewritten);
            if (violation is { } v)
            {
                BreakSlot(slot.Id, v.Descriptor.Code, slot.Text.ToOriginal(v.Position), v.Message);
            }
            else
            {
                // Names of inputs and parameters ignore case as in RulesEngine, unless its IsExpressionCaseSensitive says not;
                // a workflow with one input reads Dynamic LINQ's implicit `it` as that input.
                var inScope = new HashSet<string>(plan.Signature.RootNames, StringComparer.Ordinal);
                inScope.UnionWith(slotMethods[slot.Id].SelectMany(m => m.Scope.Select(p => p.Name)));
                inScope.UnionWith(options.RulesEngine.CustomTypes.Select(t => t.Name));
                var single = plan.Signature.Parameters.Length == 1 ? plan.Signature.RootNames[0] : null;
                expressions[slot.Id] = GeneratedSource.Prepare(expression!, inScope, !options.RulesEngine.IsExpressionCaseSensitive, single);
                if (expressions[slot.Id]!.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax))
                {
                    // A call of its own, or a budget step or charge the compiler put in: evaluations start a budget.
                    budgeted.Add(slot.Id);
                }
            }
        }

        Mark("shape checked");
        return stage;
    }

    private static LoadedRules Emit(SourcePlan plan, string hash, RuleCompilerOptions options, ShapeStage stage)
    {
        var (stored, broken, expressions, budgeted) = (stage.Stored, stage.Broken, stage.Expressions, stage.Budgeted);
        void BreakSlot(int slot, string code, int offset, string message, string? help = null) => stage.BreakSlot(slot, code, offset, message, help);

        // Registered custom types (RulesEngineSettings.CustomTypes): named by their simple names, their assemblies
        // referenced, every member reachable, as under RulesEngine. Registering a type is the operator's decision.
        var custom = options.RulesEngine.CustomTypes.Where(t => !t.IsGenericTypeDefinition && !string.IsNullOrEmpty(t.Assembly.Location)).ToList();
        var source = new GeneratedSource(plan, expressions, [.. custom]);
        var references = References.Value.AddRange(custom.Select(t => t.Assembly.Location).Distinct(StringComparer.Ordinal)
            .Where(l => !References.Value.OfType<PortableExecutableReference>().Any(r => r.FilePath == l)).Select(l => MetadataReference.CreateFromFile(l)));
        using var budget = new CancellationTokenSource(options.CompileBudget);
        var previous = ExpressionSandbox.CustomTypeNames.Value;
        ExpressionSandbox.CustomTypeNames.Value = custom.Count == 0 ? null : custom.Select(ExpressionSandbox.CustomTypeKey).ToFrozenSet(StringComparer.Ordinal);
        try
        {
            return CompileChecked(plan, hash, source, references, stored, broken, BreakSlot, budget.Token) with { BudgetedSlots = budgeted };
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            // One diagnostic per workflow, at its first expression: which expression is slow cannot be known without
            // compiling each alone, and nothing of this compilation runs.
            stored.Clear();
            broken.Clear();
            foreach (var method in plan.Methods)
            {
                broken.Add(method.Key);
            }

            foreach (var first in plan.Methods.GroupBy(m => m.ClassName).Select(g => g.First()))
            {
                stored.Add(new StoredDiagnostic(first.Key, first.PrimarySlot, -1, DiagnosticCatalog.CompileBudget.Code,
                    $"compiling the rules took longer than {options.CompileBudget.TotalSeconds:0.#} s; none of them runs", null));
            }

            return new LoadedRules(hash, null, null, null, broken, stored, FromDisk: false);
        }
        finally
        {
            ExpressionSandbox.CustomTypeNames.Value = previous;
        }
    }

    private static LoadedRules CompileChecked(SourcePlan plan, string hash, GeneratedSource source, ImmutableArray<MetadataReference> references, List<StoredDiagnostic> stored, HashSet<string> broken,
        Action<int, string, int, string, string?> breakSlot, CancellationToken cancellation)
    {
        var (root, insertions) = source.Build(broken);
        var compilation = CreateCompilation(root, hash, references);
        var tree = compilation.SyntaxTrees[0];
        root = (CompilationUnitSyntax)tree.GetRoot(cancellation);
        var insertionNodes = root.GetAnnotatedNodes(GeneratedSource.InsertionKind).ToList();

        // The sandbox reads its own semantic model while the compilation is emitted on another thread: both bind the
        // same methods, and the two cores shorten a cold compile. The first emitted bytes are loaded only if the
        // sandbox and the compiler found nothing.
        var sandbox = Task.Run(() =>
        {
            var model = compilation.GetSemanticModel(tree);
            var found = new List<(Insertion Insertion, int Offset, ExpressionSandbox.Violation Violation)>();
            var checkedSlots = new HashSet<int>();
            foreach (var node in insertionNodes)
            {
                cancellation.ThrowIfCancellationRequested();
                var insertion = insertions[GeneratedSource.InsertionIndex(node)];
                if (checkedSlots.Add(insertion.Slot) && ExpressionSandbox.Check(model, (ExpressionSyntax)node) is { } violation)
                {
                    found.Add((insertion, GeneratedSource.OriginalOffset(node, violation.Position), violation));
                }
            }

            Mark("sandbox checked");
            return found;
        }, cancellation);
        var stream = new MemoryStream();
        var result = compilation.Emit(stream, cancellationToken: cancellation);
        Mark("first emit");
        var violations = sandbox.GetAwaiter().GetResult();
        var failedSlots = new HashSet<int>();
        var brokenBefore = broken.Count;
        foreach (var error in result.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
        {
            var position = error.Location.SourceSpan.Start;
            var message = Sentence(error.GetMessage(CultureInfo.InvariantCulture));
            if (GeneratedSource.FindInsertion(root, position) is var (index, node))
            {
                var insertion = insertions[index];
                var slot = plan.Slots[insertion.Slot];
                var notBoolean = slot.IsPredicate && position == node.SpanStart && error.Id is "CS0029" or "CS0266" or "CS0030";
                var code = notBoolean ? DiagnosticCatalog.NotBoolean.Code : DiagnosticCatalog.ExpressionType.Code;
                if (failedSlots.Add(insertion.Slot))
                {
                    breakSlot(insertion.Slot, code, slot.Text.ToOriginal(GeneratedSource.OriginalOffset(node, position)),
                        notBoolean ? $"expression does not give `true` or `false`: {message}" : message, null);
                }
            }
            else if (MethodAt(plan, root, position) is { } method && broken.Add(method.Key))
            {
                stored.Add(new StoredDiagnostic(method.Key, method.PrimarySlot, -1, DiagnosticCatalog.ExpressionType.Code, message, null));
            }
        }

        Mark("compiled");

        // Stage: sandbox. A slot whose methods failed to compile is already reported; its partial binding is not judged.
        foreach (var (insertion, offset, violation) in violations)
        {
            if (!broken.Contains(insertion.Method.Key))
            {
                breakSlot(insertion.Slot, violation.Descriptor.Code, plan.Slots[insertion.Slot].Text.ToOriginal(offset), violation.Message, null);
            }
        }

        Mark("sandbox");

        // Emit again, without the methods taken out, only if something was taken out; if that still fails, nothing runs.
        if (!result.Success || broken.Count > brokenBefore)
        {
            stream = new MemoryStream();
            result = CreateCompilation(source.Build(broken).Root, hash, references).Emit(stream, cancellationToken: cancellation);
        }

        if (!result.Success)
        {
            var first = result.Diagnostics.FirstOrDefault(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            foreach (var method in plan.Methods.Where(m => !broken.Contains(m.Key)))
            {
                stored.Add(new StoredDiagnostic(method.Key, method.PrimarySlot, -1, DiagnosticCatalog.ExpressionType.Code,
                    Sentence(first?.GetMessage(CultureInfo.InvariantCulture) ?? "the rules could not be compiled"), null));
                broken.Add(method.Key);
            }

            return new LoadedRules(hash, null, null, null, broken, stored, FromDisk: false);
        }

        Mark("emitted");
        var bytes = stream.ToArray();
        var (context, assembly) = LoadAssembly(bytes, hash);
        return new LoadedRules(hash, bytes, context, assembly, broken, stored, FromDisk: false);
    }

    /// <summary>The planned method whose generated declaration holds <paramref name="position"/>.</summary>
    private static MethodPlan? MethodAt(SourcePlan plan, SyntaxNode root, int position)
    {
        var declaration = root.FindToken(position).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        var type = declaration?.Parent as ClassDeclarationSyntax;
        return declaration is null || type is null
            ? null
            : plan.Methods.FirstOrDefault(m => m.Name == declaration.Identifier.ValueText && m.ClassName == type.Identifier.ValueText);
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static CSharpCompilation CreateCompilation(CompilationUnitSyntax root, string hash, ImmutableArray<MetadataReference> references) =>
        CSharpCompilation.Create(
            "SlaPolicyRules_" + hash[..16],
            [CSharpSyntaxTree.Create(root, ExpressionSandbox.ParseOptions)],
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: false,
                nullableContextOptions: NullableContextOptions.Disable,
                deterministic: true,
                concurrentBuild: true,
                warningLevel: 0));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Only what the allowed members live in: a name outside them does not even bind.
        var names = ExpressionSandbox.ReferenceAssemblies;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var path in trusted)
        {
            if (Array.IndexOf(names, Path.GetFileNameWithoutExtension(path)) >= 0)
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        references.Add(MetadataReference.CreateFromFile(typeof(RuleCompiler).Assembly.Location));
        return references.ToImmutable();
    }

    private static (AssemblyLoadContext Context, Assembly Assembly) LoadAssembly(byte[] bytes, string hash)
    {
        var context = new AssemblyLoadContext("slapolicy-rules-" + hash[..16], isCollectible: true);
        using var stream = new MemoryStream(bytes, writable: false);
        return (context, context.LoadFromStream(stream));
    }

    // ---- disk cache: <hash>.dll and <hash>.manifest (broken methods and their diagnostics) ----

    private static LoadedRules? TryLoadFromDisk(string directory, string hash, DiagnosticBag diagnostics)
    {
        var dll = Path.Combine(directory, hash + ".dll");
        var manifest = Path.Combine(directory, hash + ".manifest");
        if (!File.Exists(dll) || !File.Exists(manifest))
        {
            return null;
        }

        try
        {
            var lines = File.ReadAllLines(manifest);
            if (lines.Length == 0 || lines[0] != FormatVersion)
            {
                return null;
            }

            var broken = new HashSet<string>(StringComparer.Ordinal);
            var budgeted = new HashSet<int>();
            var stored = new List<StoredDiagnostic>();
            foreach (var line in lines.Skip(1))
            {
                var parts = line.Split('\t');
                if (parts[0] == "B" && parts.Length == 2)
                {
                    broken.Add(parts[1]);
                }
                else if (parts[0] == "S" && parts.Length == 2)
                {
                    budgeted.Add(int.Parse(parts[1], CultureInfo.InvariantCulture));
                }
                else if (parts[0] == "D" && parts.Length == 7)
                {
                    stored.Add(new StoredDiagnostic(parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture),
                        parts[4], Unescape(parts[5]), parts[6].Length == 0 ? null : Unescape(parts[6])));
                }
            }

            var bytes = File.ReadAllBytes(dll);
            var (context, assembly) = LoadAssembly(bytes, hash);
            return new LoadedRules(hash, bytes, context, assembly, broken, stored, FromDisk: true) { BudgetedSlots = budgeted };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or BadImageFormatException)
        {
            diagnostics.Add(DiagnosticCatalog.CachedAssemblyUnusable, new SourceLocation(dll, 0, 0), $"cached rules `{hash[..16]}` could not be loaded: {Sentence(ex.Message)}");
            return null;
        }
    }

    private static void TryStore(string directory, LoadedRules loaded)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var dll = Path.Combine(directory, loaded.Hash + ".dll");
            var manifest = Path.Combine(directory, loaded.Hash + ".manifest");
            var text = new StringBuilder(FormatVersion).Append('\n');
            foreach (var key in loaded.Broken.Order(StringComparer.Ordinal))
            {
                text.Append("B\t").Append(key).Append('\n');
            }

            foreach (var slot in loaded.BudgetedSlots.Order())
            {
                text.Append("S\t").Append(slot.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            foreach (var d in loaded.Diagnostics)
            {
                text.Append("D\t").Append(d.Method).Append('\t').Append(d.Slot.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(d.Offset.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(d.Code).Append('\t')
                    .Append(Escape(d.Message)).Append('\t').Append(Escape(d.Help ?? string.Empty)).Append('\n');
            }

            // Write to temporary names and rename, so a concurrent reader never sees half a file;
            // the manifest goes last because its presence marks the entry complete.
            var suffix = "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
            File.WriteAllBytes(dll + suffix, loaded.Bytes!);
            File.Move(dll + suffix, dll, overwrite: true);
            File.WriteAllText(manifest + suffix, text.ToString());
            File.Move(manifest + suffix, manifest, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: an unwritable cache directory must not stop evaluation.
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    private static string Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                sb.Append(text[i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => text[i] });
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }

    // ---- binding ----

    private static List<WorkflowExecutor<TIn>> BuildExecutors<TIn>(SourcePlan plan, LoadedRules loaded, RuleCompilerOptions options, ImmutableArray<string> rootNames, RootResolver<TIn> roots)
    {
        var registry = new Dictionary<string, WorkflowExecutor<TIn>>(StringComparer.Ordinal);
        var locator = new ExpressionLocator();
        var errors = loaded.Diagnostics.GroupBy(d => d.Method).ToDictionary(g => g.Key, g => ToDiagnostic(g.First(), plan, locator).ToString(), StringComparer.Ordinal);
        var executors = new List<WorkflowExecutor<TIn>>();
        foreach (var workflow in plan.Workflows)
        {
            var type = loaded.Assembly?.GetType(ExpressionSandbox.GeneratedNamespace + "." + workflow.ClassName);
            var nodes = workflow.RulePlans.Where(r => r.Rule.Enabled).Select(r => BuildNode<TIn>(r, type, loaded, errors)).ToArray();
            var executor = new WorkflowExecutor<TIn>(workflow.Workflow, nodes, rootNames, roots, registry, new RuleLimits(options.MaxSteps, options.MaxAllocatedBytes),
                options.RulesEngine.CustomActions.Count == 0 ? null : options.RulesEngine.CustomActions);
            registry.TryAdd(workflow.Workflow.WorkflowName, executor);
            executors.Add(executor);
        }

        return executors;
    }

    private static RuleNode<TIn> BuildNode<TIn>(RulePlan plan, Type? type, LoadedRules loaded, Dictionary<string, string> errors)
    {
        string? error = null;
        TDelegate? Bind<TDelegate>(MethodPlan? method)
            where TDelegate : Delegate
        {
            if (method is null)
            {
                return null;
            }

            if (loaded.Broken.Contains(method.Key) || type is null)
            {
                error ??= errors.TryGetValue(method.Key, out var message) ? message : "the rule could not be compiled";
                return null;
            }

            return type.GetMethod(method.Name, BindingFlags.Public | BindingFlags.Static)?.CreateDelegate<TDelegate>();
        }

        var predicate = Bind<RuleFunc<TIn, bool>>(plan.Predicate);
        var traced = Bind<TracedRuleFunc<TIn>>(plan.Traced);
        var predicateError = error;
        error = null;
        var onSuccess = Bind<RuleFunc<TIn, object?>>(plan.OnSuccessOutput);
        var onSuccessError = error;
        error = null;
        var onFailure = Bind<RuleFunc<TIn, object?>>(plan.OnFailureOutput);
        var onFailureError = error;
        var nested = plan.Rule.IsNested;
        if (!nested && plan.Rule.Expression is null)
        {
            predicateError = $"{plan.Rule.Location}: rule `{plan.Rule.RuleName}` has no expression";
        }

        var children = plan.Children.Where(c => c.Rule.Enabled).Select(c => BuildNode<TIn>(c, type, loaded, errors)).ToArray();
        // Only a call takes budget steps (the compiler's own steps and charges are calls): a predicate without one, such
        // as a generated escalation, skips starting the budget.
        var budgeted = plan.Predicate is { } p && (p.Scope.Any(s => loaded.BudgetedSlots.Contains(s.Slot.Id)) || loaded.BudgetedSlots.Contains(plan.PredicateSlot!.Id));
        return new RuleNode<TIn>(plan.Rule, nested, children, predicate, traced, predicateError, plan.ScopeNames, plan.PredicateSlot?.Text.Rewritten,
            onSuccess, onSuccessError, onFailure, onFailureError, budgeted);
    }

    private sealed record StoredDiagnostic(string Method, int Slot, int Offset, string Code, string Message, string? Help);

    /// <summary>The compiled rules, and the slots whose expression can take budget steps (a call, or something the compiler charges).</summary>
    private sealed record LoadedRules(
        string Hash,
        byte[]? Bytes,
        AssemblyLoadContext? Context,
        Assembly? Assembly,
        HashSet<string> Broken,
        List<StoredDiagnostic> Diagnostics,
        bool FromDisk)
    {
        public HashSet<int> BudgetedSlots { get; init; } = [];
    }
}
