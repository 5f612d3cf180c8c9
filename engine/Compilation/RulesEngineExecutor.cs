using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq.Expressions;
using Newtonsoft.Json.Linq;
using RulesEngine.ExpressionBuilders;
using ReSettings = RulesEngine.Models.ReSettings;
using RuleParameter = RulesEngine.Models.RuleParameter;
using RuleResultTree = RulesEngine.Models.RuleResultTree;
using NestedRuleExecutionMode = RulesEngine.Models.NestedRuleExecutionMode;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;
using Model = RulesEngine.Models;

namespace SlaPolicy.Engine.Compilation;

/// <summary>Runs one workflow: the compiled executor (<see cref="WorkflowExecutor{TIn}"/>) or Microsoft RulesEngine.</summary>
internal interface IWorkflowRunner<TIn>
{
    Workflow Workflow { get; }

    WorkflowOutcome Run(in TIn inputs, string? targetId);

    IReadOnlyList<RuleResult> Execute(in TIn inputs, string? targetId);
}

/// <summary>Turns one input into RulesEngine's named parameters, in a fixed order and with fixed types.</summary>
internal delegate RuleParameter[] RuleParameterBuilder<TIn>(in TIn inputs);

/// <summary>
/// The workflows of one compilation as Microsoft RulesEngine runs them (<c>Rules:Executor</c> = <c>rulesengine</c>).
/// Each expression is checked by <see cref="DynamicLinqSandbox"/> for the parameter types it will be compiled with,
/// before RulesEngine sees it. A rule whose own expression or parameters are refused is given to RulesEngine as
/// <c>false</c> (nested rules keep their structure, so every child still has a result), and the top-level rule holding
/// it is reported as an error rule that does not succeed; a refused action is left out and reported as the action's
/// exception. Injected workflows are expanded here (own rules first, each workflow once), so a cycle of injections
/// cannot recurse.
/// </summary>
internal sealed class RulesEngineWorkflows
{
    private readonly ImmutableArray<(Workflow Workflow, ImmutableArray<RuleDefinition> Rules)> _workflows;
    private readonly RulesEngineSettings _settings;
    private readonly ConcurrentDictionary<string, Prepared> _prepared = new(StringComparer.Ordinal);

    public RulesEngineWorkflows(ImmutableArray<(Workflow Workflow, ImmutableArray<RuleDefinition> Rules)> workflows, RulesEngineSettings settings)
    {
        _workflows = workflows;
        _settings = settings;
    }

    /// <summary>
    /// The engine and refusals for one signature of parameter types; checked and built on first use. <c>Refused</c>:
    /// top-level rules with a refused expression (their own or a nested rule's); <c>RefusedRules</c>: each rule whose
    /// own expression or parameters were refused (given to RulesEngine as <c>false</c>, its nested rules kept);
    /// <c>RefusedActions</c>: rules whose action was refused (the rule runs, the action does not). <c>Invalid</c>: why
    /// RulesEngine rejects the workflows as written (its validation), thrown by every evaluation.
    /// </summary>
    internal sealed record Prepared(
        global::RulesEngine.RulesEngine Engine,
        IReadOnlyDictionary<(string Workflow, string Rule), string> Refused,
        IReadOnlyDictionary<(string Workflow, RuleDefinition Rule), string> RefusedRules,
        IReadOnlyDictionary<(string Workflow, RuleDefinition Rule), string> RefusedActions,
        Exception? Invalid = null);

    /// <summary>RulesEngine's <c>EnableExceptionAsErrorMessage</c>: when off, a rule that cannot be compiled throws.</summary>
    public bool ThrowsOnRuleErrors => !_settings.EnableExceptionAsErrorMessage;

    public Prepared For(RuleParameter[] parameters, DiagnosticBag? diagnostics = null)
    {
        // The common case: the same parameter names and types as the last evaluation, compared without allocating.
        if (diagnostics is null && _last is { } last && last.Names.Length == parameters.Length)
        {
            var same = true;
            for (var i = 0; i < parameters.Length && same; i++)
            {
                same = ReferenceEquals(last.Types[i], parameters[i].Type) && string.Equals(last.Names[i], parameters[i].Name, StringComparison.Ordinal);
            }

            if (same)
            {
                return last.Prepared;
            }
        }

        var result = ForSignature(parameters, diagnostics);
        _last = new LastSignature([.. parameters.Select(p => p.Name)], [.. parameters.Select(p => p.Type)], result);
        return result;
    }

    private sealed record LastSignature(string[] Names, Type[] Types, Prepared Prepared);

    private LastSignature? _last;

    private Prepared ForSignature(RuleParameter[] parameters, DiagnosticBag? diagnostics)
    {
        var signature = string.Join("|", parameters.Select(p => p.Name + ":" + p.Type.AssemblyQualifiedName));
        if (_prepared.TryGetValue(signature, out var prepared) && diagnostics is null)
        {
            return prepared;
        }

        var found = diagnostics is null ? null : new DiagnosticBag();
        prepared = Prepare(parameters, found);
        // A rule inherited by several policy versions is checked in each: it is reported once.
        foreach (var diagnostic in (found?.Items ?? []).DistinctBy(d => d.ToString()))
        {
            diagnostics!.Add(diagnostic);
        }

        return _prepared.GetOrAdd(signature, prepared);
    }

    private sealed record Refusals(
        Dictionary<(string, RuleDefinition), string> Rules,
        Dictionary<(string, RuleDefinition), string> Actions,
        RuleExpressionParser Parser,
        HashSet<Type> CustomTypes,
        DiagnosticBag? Diagnostics)
    {
        /// <summary>
        /// Per (workflow, rule): the parameters <c>EvaluateRule</c> actions call it with beyond the inputs
        /// (<c>additionalInputs</c>), typed as their expressions give them.
        /// </summary>
        public Dictionary<(string, string), List<ParameterExpression>> Additional { get; } = [];
    }

    private Prepared Prepare(RuleParameter[] parameters, DiagnosticBag? diagnostics)
    {
        var settings = _settings.ToReSettings();
        if (settings.AutoRegisterInputType)
        {
            // As RulesEngine does when it compiles: the inputs' types (and their generic arguments and elements) become
            // Dynamic LINQ custom types, so that the check parses exactly what RulesEngine will.
            var collected = new HashSet<Type>(settings.CustomTypes);
            foreach (var p in parameters)
            {
                Collect(p.Type, collected);
            }

            settings.CustomTypes = [.. collected];
        }

        RuleCompiler.Mark("rulesengine: prepare");
        var refusals = new Refusals(new(), new(), new RuleExpressionParser(settings), _settings.CustomTypes.ToHashSet(), diagnostics);
        var refused = new Dictionary<(string, string), string>();
        var models = new List<Model.Workflow>();
        var originals = new List<Model.Workflow>();
        foreach (var (workflow, rules) in _workflows)
        {
            var scope = parameters.Select(p => p.ParameterExpression).ToList();
            string? globalRefusal = null;
            foreach (var g in workflow.GlobalParams.IsDefault ? [] : workflow.GlobalParams)
            {
                var (parsed, violation) = DynamicLinqSandbox.Check(g.Expression, [.. scope], null, refusals.Parser, refusals.CustomTypes);
                if (violation is { } v)
                {
                    globalRefusal ??= Report(diagnostics, v, g.ExpressionLocation, $"global parameter `{g.Name}`");
                    break;
                }

                scope.Add(Expression.Parameter(parsed!.Type, g.Name));
            }

            CollectAdditionalInputs(workflow.WorkflowName, rules, scope, refusals);
            var written = workflow with { WorkflowsToInject = [], Rules = rules };
            originals.Add(RulesEngineModel.ToModel(written));
            var model = RulesEngineModel.ToModel(written);
            var modelRules = model.Rules.ToList();
            for (var i = 0; i < rules.Length; i++)
            {
                if (!rules[i].Enabled)
                {
                    continue;
                }

                if (globalRefusal is not null)
                {
                    refused.TryAdd((workflow.WorkflowName, rules[i].RuleName), globalRefusal);
                    modelRules[i] = Refused(rules[i]);
                    continue;
                }

                string? first = null;
                modelRules[i] = CheckRule(workflow.WorkflowName, rules[i], modelRules[i], scope, refusals, ref first);
                if (first is not null)
                {
                    refused.TryAdd((workflow.WorkflowName, rules[i].RuleName), first);
                }
            }

            model.Rules = modelRules;
            models.Add(model);
        }

        RuleCompiler.Mark("rulesengine: checked");

        // RulesEngine validates the workflows as written (duplicate parameter names, rules without a body, …) before it
        // compiles anything: what it rejects is rejected here too, whatever the check above replaced.
        Exception? invalid = null;
        try
        {
            _ = new global::RulesEngine.RulesEngine([.. originals], settings);
        }
        catch (global::RulesEngine.Exceptions.RuleValidationException ex)
        {
            invalid = ex;
        }

        RuleCompiler.Mark("rulesengine: validated");
        return new Prepared(new global::RulesEngine.RulesEngine([.. models], settings), refused, refusals.Rules, refusals.Actions, invalid);
    }

    /// <summary>A rule RulesEngine evaluates to false: what a refused rule is given to it as.</summary>
    private static Model.Rule Refused(RuleDefinition rule) =>
        new() { RuleName = rule.RuleName, Expression = "false", Enabled = true, SuccessEvent = rule.SuccessEvent };

    private static void Collect(Type type, HashSet<Type> collected)
    {
        if (!collected.Add(type))
        {
            return;
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            Collect(argument, collected);
        }

        if (type.GetElementType() is { } element)
        {
            Collect(element, collected);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Collect(underlying, collected);
        }
    }

    /// <summary>
    /// Checks <paramref name="rule"/> (its parameters, expression, actions, nested rules) and returns the rule to give
    /// RulesEngine: <paramref name="model"/>, with each rule whose own parameters or expression are refused replaced by
    /// <c>false</c> and each refused action left out. <paramref name="first"/> receives the first expression refusal.
    /// </summary>
    private static Model.Rule CheckRule(string workflow, RuleDefinition rule, Model.Rule model, List<ParameterExpression> outer, Refusals refusals, ref string? first)
    {
        var scope = new List<ParameterExpression>(outer);
        string? refusal = null;
        foreach (var p in rule.LocalParams.IsDefault ? [] : rule.LocalParams)
        {
            var (parsed, violation) = DynamicLinqSandbox.Check(p.Expression, [.. scope], null, refusals.Parser, refusals.CustomTypes);
            if (violation is { } v)
            {
                refusal = Report(refusals.Diagnostics, v, p.ExpressionLocation, $"parameter `{p.Name}` of rule `{rule.RuleName}`");
                break;
            }

            scope.Add(Expression.Parameter(parsed!.Type, p.Name));
        }

        if (refusal is null && rule.Expression is { } text && !rule.IsNested)
        {
            var (_, violation) = DynamicLinqSandbox.Check(text, [.. scope], typeof(bool), refusals.Parser, refusals.CustomTypes);
            if (violation is { Descriptor.Code: "SLA4001" or "SLA4002" } && refusals.Additional.TryGetValue((workflow, rule.RuleName), out var additional))
            {
                // A rule written for the inputs an EvaluateRule action adds: checked with them in scope. Evaluated
                // without them, RulesEngine cannot parse it and reports the rule as an error itself.
                violation = DynamicLinqSandbox.Check(text, [.. scope, .. additional], typeof(bool), refusals.Parser, refusals.CustomTypes).Violation;
            }

            if (violation is { } v)
            {
                refusal = Report(refusals.Diagnostics, v, rule.ExpressionLocation.IsKnown ? rule.ExpressionLocation : rule.Location, $"rule `{rule.RuleName}`");
            }
        }

        if (refusal is not null)
        {
            refusals.Rules.TryAdd((workflow, rule), refusal);
            first ??= refusal;
            return Refused(rule);
        }

        foreach (var (action, success) in new[] { (rule.OnSuccess, true), (rule.OnFailure, false) })
        {
            foreach (var (key, expression) in ActionExpressions(action))
            {
                var (_, violation) = DynamicLinqSandbox.Check(expression, [.. scope], null, refusals.Parser, refusals.CustomTypes);
                if (violation is { } v)
                {
                    var at = action!.ContextLocations.TryGetValue(key, out var location) ? location : rule.Location;
                    refusals.Actions.TryAdd((workflow, rule), Report(refusals.Diagnostics, v, at, $"action `{action.Name}` of rule `{rule.RuleName}`"));
                    if (success)
                    {
                        model.Actions!.OnSuccess = null;
                    }
                    else
                    {
                        model.Actions!.OnFailure = null;
                    }

                    break;
                }
            }
        }

        if (model.Rules is not null && !rule.Rules.IsDefault)
        {
            var children = model.Rules.ToList();
            for (var j = 0; j < rule.Rules.Length && j < children.Count; j++)
            {
                if (rule.Rules[j].Enabled)
                {
                    children[j] = CheckRule(workflow, rule.Rules[j], children[j], scope, refusals, ref first);
                }
            }

            model.Rules = children;
        }

        return model;
    }

    /// <summary>
    /// Records, for each rule an <c>EvaluateRule</c> action of <paramref name="rules"/> names with <c>additionalInputs</c>,
    /// those inputs as parameters, typed by their expressions in <paramref name="scope"/>. An input whose expression is
    /// refused adds nothing: its action is refused where it is written.
    /// </summary>
    private static void CollectAdditionalInputs(string workflow, IEnumerable<RuleDefinition> rules, List<ParameterExpression> scope, Refusals refusals)
    {
        foreach (var rule in rules)
        {
            foreach (var action in new[] { rule.OnSuccess, rule.OnFailure })
            {
                if (action is null || action.Name != RuleActions.EvaluateRule)
                {
                    continue;
                }

                var inputs = AdditionalInputs(action);
                if (action.ContextValue("ruleName") is not { } target || inputs.Count == 0)
                {
                    continue;
                }

                var added = new List<ParameterExpression>();
                foreach (var (name, expression) in inputs)
                {
                    if (name is not null && DynamicLinqSandbox.Check(expression, [.. scope], null, refusals.Parser, refusals.CustomTypes).Expression is { } parsed)
                    {
                        added.Add(Expression.Parameter(parsed.Type, name));
                    }
                }

                var key = (action.ContextValue("workflowName") ?? workflow, target);
                if (!refusals.Additional.TryGetValue(key, out var known))
                {
                    refusals.Additional[key] = added;
                }
                else
                {
                    known.AddRange(added.Where(a => !known.Any(k => k.Name == a.Name)));
                }
            }

            CollectAdditionalInputs(workflow, rule.Rules.IsDefault ? [] : rule.Rules, scope, refusals);
        }
    }

    /// <summary>The expressions an action evaluates: <c>OutputExpression</c>'s, and those of <c>EvaluateRule</c>'s <c>additionalInputs</c>.</summary>
    private static IEnumerable<(string Key, string Expression)> ActionExpressions(RuleAction? action)
    {
        if (action is null)
        {
            yield break;
        }

        foreach (var (key, value) in action.Context)
        {
            if (string.Equals(key, "Expression", StringComparison.OrdinalIgnoreCase))
            {
                yield return (key, value);
            }
            else if (string.Equals(key, "additionalInputs", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (_, expression) in AdditionalInputs(action))
                {
                    yield return (key, expression);
                }
            }
        }
    }

    /// <summary>
    /// The <c>additionalInputs</c> of an action (JSON <c>[{ "Name", "Expression" }]</c>): each expression, with its name
    /// when it has one. Text that is not such JSON gives none: RulesEngine cannot read it either, and the action fails
    /// when it runs.
    /// </summary>
    private static List<(string? Name, string Expression)> AdditionalInputs(RuleAction action)
    {
        var inputs = new List<(string? Name, string Expression)>();
        JToken? parsed = null;
        try
        {
            parsed = action.ContextValue("additionalInputs") is { } text ? JToken.Parse(text) : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return inputs;
        }

        foreach (var item in (parsed as JArray ?? []).OfType<JObject>())
        {
            if (item.GetValue("Expression", StringComparison.OrdinalIgnoreCase) is { Type: JTokenType.String } expression)
            {
                inputs.Add((item.GetValue("Name", StringComparison.OrdinalIgnoreCase) is { Type: JTokenType.String } name ? (string)name! : null, (string)expression!));
            }
        }

        return inputs;
    }

    private static string Report(DiagnosticBag? diagnostics, ExpressionSandbox.Violation violation, SourceLocation location, string what)
    {
        var message = $"{what}: {violation.Message}";
        diagnostics?.Add(new Diagnostic(violation.Descriptor, location, message, null));
        return $"{location}: {violation.Descriptor.Code} {message}";
    }
}

/// <summary>
/// One workflow run by Microsoft RulesEngine. Results come back in RulesEngine's shape and are mapped to
/// <see cref="RuleResult"/>: the same outcome, events, error messages (placeholders filled as by the compiled executor),
/// exceptions, action outputs and provenance.
/// </summary>
internal sealed class RulesEngineExecutor<TIn>(
    Workflow workflow,
    ImmutableArray<RuleDefinition> rules,
    RulesEngineWorkflows engine,
    RuleParameterBuilder<TIn> parameters,
    ImmutableArray<string> rootNames,
    RootResolver<TIn> roots) : IWorkflowRunner<TIn>
{
    private readonly RulesEngineWorkflows _engine = engine;
    private readonly ImmutableArray<RuleDefinition> _rules = rules;
    private readonly RuleParameterBuilder<TIn> _parameters = parameters;
    private readonly ImmutableArray<string> _rootNames = rootNames;
    private readonly RootResolver<TIn> _roots = roots;
    private readonly ConcurrentDictionary<RuleDefinition, string[]> _paths = new(ReferenceEqualityComparer.Instance);

    public Workflow Workflow { get; } = workflow;

    public WorkflowOutcome Run(in TIn inputs, string? targetId)
    {
        var (results, prepared) = Evaluate(in inputs);
        var refused = prepared.Refused;
        var hasErrors = false;
        var level = 0;
        var targetMet = false;
        var credit = 0m;
        ulong mask = 0;
        foreach (var (i, rule, result, target) in Judged(results, targetId))
        {
            var isRefused = refused.ContainsKey((Workflow.WorkflowName, rule.RuleName));
            hasErrors |= result is null || isRefused || HasException(result);
            if (result is not { IsSuccess: true } || isRefused)
            {
                continue;
            }

            if (i < 64)
            {
                mask |= 1UL << i;
            }

            targetMet |= target is not null;
            level = Math.Max(level, RuleNode<TIn>.ParseEvent(rule.SuccessEvent, "escalate:", out var l) ? (int)l : 0);
            credit = Math.Max(credit, RuleNode<TIn>.ParseEvent(rule.SuccessEvent, "credit:", out var c) ? c : 0m);
        }

        return new WorkflowOutcome(level, targetMet, hasErrors, mask, credit);
    }

    public IReadOnlyList<RuleResult> Execute(in TIn inputs, string? targetId)
    {
        var (results, prepared) = Evaluate(in inputs);
        var mapped = new List<RuleResult>(results.Count);
        foreach (var (_, rule, result, _) in Judged(results, targetId))
        {
            var refusal = prepared.Refused.GetValueOrDefault((Workflow.WorkflowName, rule.RuleName));
            mapped.Add(result is null
                ? Failed(rule, refusal ?? "RulesEngine returned no result for the rule")
                : Map(rule, result, prepared, refusal, in inputs));
        }

        return mapped;
    }

    private (List<RuleResultTree> Results, RulesEngineWorkflows.Prepared Prepared) Evaluate(in TIn inputs)
    {
        var parameters = _parameters(in inputs);
        var prepared = _engine.For(parameters);
        if (prepared.Invalid is { } invalid)
        {
            // RulesEngine rejects these workflows as written: so does this executor, on every call.
            throw invalid;
        }

        if (_engine.ThrowsOnRuleErrors && prepared.Refused.FirstOrDefault(r => r.Key.Workflow == Workflow.WorkflowName) is { Value: { } refusal })
        {
            // RulesEngine throws for a rule it cannot compile when EnableExceptionAsErrorMessage is off; a refused rule
            // is never compiled, so it throws in its place.
            throw new global::RulesEngine.Exceptions.RuleException(refusal);
        }

        var pending = prepared.Engine.ExecuteAllRulesAsync(Workflow.WorkflowName, parameters);
        return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult(), prepared);
    }

    /// <summary>
    /// The enabled top-level rules with RulesEngine's result for each (it returns one per enabled rule, in order) and
    /// their index among all rules; a <c>target:&lt;id&gt;</c> rule only for <paramref name="targetId"/>.
    /// </summary>
    private IEnumerable<(int Index, RuleDefinition Rule, RuleResultTree? Result, string? Target)> Judged(List<RuleResultTree> results, string? targetId)
    {
        var k = 0;
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (!rule.Enabled)
            {
                continue;
            }

            var result = k < results.Count ? results[k++] : null;
            var target = TargetOf(rule);
            if (target is null || string.Equals(target, targetId, StringComparison.Ordinal))
            {
                yield return (i, rule, result, target);
            }
        }
    }

    private static string? TargetOf(RuleDefinition rule) =>
        rule.RuleName.StartsWith(WorkflowGenerator.TargetRulePrefix, StringComparison.Ordinal) ? rule.RuleName[WorkflowGenerator.TargetRulePrefix.Length..] : null;

    private static bool HasException(RuleResultTree result) =>
        !string.IsNullOrEmpty(result.ExceptionMessage) || (result.ChildResults ?? []).Any(HasException);

    /// <summary>A refused action is reported only where it would have run: on success for OnSuccess, on failure for OnFailure.</summary>
    private static bool ActionApplies(RuleDefinition rule, bool success) => (success ? rule.OnSuccess : rule.OnFailure) is not null;

    private static RuleResult Failed(RuleDefinition rule, string exception) =>
        new(rule.RuleName, false, null, null, RuleTrace.Limit(exception), [], [], null, null, rule.Location, rule.DefinedBy);

    /// <summary>
    /// <paramref name="result"/> as a <see cref="RuleResult"/>. A rule with a refused expression (<paramref name="refusal"/>,
    /// its own or a nested rule's) fails with that refusal as its exception; its nested rules are mapped as RulesEngine
    /// returned them, each refused one failing with its own refusal. A refused action is reported as the action's exception.
    /// </summary>
    private RuleResult Map(RuleDefinition rule, RuleResultTree result, RulesEngineWorkflows.Prepared prepared, string? refusal, in TIn inputs)
    {
        var children = ImmutableArray<RuleResult>.Empty;
        if (rule.IsNested && result.ChildResults is { } childResults)
        {
            var enabled = (rule.Rules.IsDefault ? [] : rule.Rules).Where(r => r.Enabled).ToList();
            var builder = ImmutableArray.CreateBuilder<RuleResult>();
            var j = 0;
            foreach (var child in childResults)
            {
                var definition = j < enabled.Count && enabled[j].RuleName == child.Rule?.RuleName ? enabled[j] : enabled.FirstOrDefault(r => r.RuleName == child.Rule?.RuleName);
                j++;
                if (definition is not null)
                {
                    builder.Add(Map(definition, child, prepared, prepared.RefusedRules.GetValueOrDefault((Workflow.WorkflowName, definition)), in inputs));
                }
            }

            children = builder.ToImmutable();
        }

        var reads = ImmutableArray.CreateBuilder<RuleInputRead>();
        if (!rule.IsNested && rule.Expression is { } text)
        {
            var paths = _paths.GetOrAdd(rule, r => RuleTrace.ScanPaths(text, _rootNames, [.. r.LocalParams.Select(p => p.Name)]));
            foreach (var path in paths)
            {
                var root = path.Split('.')[0];
                var value = result.Inputs is { } values && values.TryGetValue(root, out var local) && !_rootNames.Contains(root)
                    ? RuleTrace.Resolve(path, local)
                    : RuleTrace.ResolvePath(path, in inputs, _roots);
                reads.Add(new RuleInputRead(path, value));
            }
        }

        var exception = refusal is not null ? RuleTrace.Limit(refusal) : string.IsNullOrEmpty(result.ExceptionMessage) ? null : RuleTrace.Limit(result.ExceptionMessage);
        var success = result.IsSuccess && refusal is null;
        string? errorMessage = null;
        if (!success && rule.ErrorMessage is not null)
        {
            errorMessage = RuleTrace.Limit(RuleTrace.FillPlaceholders(rule.ErrorMessage, in inputs, _roots));
        }

        var actionException = result.ActionResult?.Exception is { } ex ? RuleTrace.Limit(RuleTrace.Describe(ex))
            : prepared.RefusedActions.TryGetValue((Workflow.WorkflowName, rule), out var refusedAction) && ActionApplies(rule, success) ? RuleTrace.Limit(refusedAction)
            : null;
        return new RuleResult(rule.RuleName, success, success ? rule.SuccessEvent : null, errorMessage, exception, reads.ToImmutable(), children,
            result.ActionResult?.Output, actionException, rule.Location, rule.DefinedBy);
    }
}

/// <summary>
/// Settings of the <c>rulesengine</c> executor: RulesEngine's own <see cref="ReSettings"/>, passed through. One is
/// fixed: error messages are filled in by SlaPolicy (<c>EnableFormattedErrorMessage</c> off), the same way for both
/// executors. Policies are always evaluated with <c>EnableExceptionAsErrorMessage</c> on and <c>IgnoreException</c> off:
/// a rule that throws is an error result (fail closed), never a crashed night.
/// </summary>
public sealed record RulesEngineSettings
{
    /// <summary>Types whose static and instance members expressions may use (<c>Rules:CustomTypes</c>, RulesEngine's <c>CustomTypes</c>).</summary>
    public ImmutableArray<Type> CustomTypes { get; init; } = [];

    /// <summary>Actions beyond <c>OutputExpression</c> and <c>EvaluateRule</c>, by name (RulesEngine's <c>CustomActions</c>).</summary>
    public IReadOnlyDictionary<string, Func<global::RulesEngine.Actions.ActionBase>> CustomActions { get; init; } =
        new Dictionary<string, Func<global::RulesEngine.Actions.ActionBase>>(StringComparer.Ordinal);

    /// <summary>Member and parameter names are matched exactly (RulesEngine's default: ignoring case).</summary>
    public bool IsExpressionCaseSensitive { get; init; }

    /// <summary>RulesEngine's <c>EnableScopedParams</c> (default true): <c>LocalParams</c> and <c>GlobalParams</c> are in scope.</summary>
    public bool EnableScopedParams { get; init; } = true;

    /// <summary>RulesEngine's <c>EnableExceptionAsErrorMessage</c> (default true): a rule that throws gives an error result instead of throwing.</summary>
    public bool EnableExceptionAsErrorMessage { get; init; } = true;

    /// <summary>RulesEngine's <c>IgnoreException</c>: a rule that throws fails without an exception message.</summary>
    public bool IgnoreException { get; init; }

    /// <summary>RulesEngine's <c>NestedRuleExecutionMode</c>: <c>All</c> (default) evaluates every nested rule, <c>Performance</c> stops at the first that decides.</summary>
    public NestedRuleExecutionMode NestedRuleExecutionMode { get; init; } = NestedRuleExecutionMode.All;

    /// <summary>RulesEngine's <c>AutoExecuteActions</c> (default true).</summary>
    public bool AutoExecuteActions { get; init; } = true;

    /// <summary>RulesEngine's <c>AutoRegisterInputType</c> (default true): the inputs' types are Dynamic LINQ custom types.</summary>
    public bool AutoRegisterInputType { get; init; } = true;

    /// <summary>RulesEngine's <c>UseFastExpressionCompiler</c>.</summary>
    public bool UseFastExpressionCompiler { get; init; }

    /// <summary>These settings, failing closed: what policies are evaluated with.</summary>
    internal RulesEngineSettings FailClosed => this with { EnableExceptionAsErrorMessage = true, IgnoreException = false };

    internal ReSettings ToReSettings() => new()
    {
        CustomTypes = [.. CustomTypes],
        CustomActions = CustomActions.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        IsExpressionCaseSensitive = IsExpressionCaseSensitive,
        EnableScopedParams = EnableScopedParams,
        EnableFormattedErrorMessage = false,
        EnableExceptionAsErrorMessage = EnableExceptionAsErrorMessage,
        IgnoreException = IgnoreException,
        NestedRuleExecutionMode = NestedRuleExecutionMode,
        AutoExecuteActions = AutoExecuteActions,
        AutoRegisterInputType = AutoRegisterInputType,
        UseFastExpressionCompiler = UseFastExpressionCompiler,
    };
}

/// <summary>Which executor runs the compiled workflows (<c>Rules:Executor</c>).</summary>
public enum RuleExecutor
{
    /// <summary>The sandboxed Roslyn-compiled executor (default): allocation-free outcomes, metered at run time.</summary>
    Compiled,

    /// <summary>Microsoft RulesEngine itself, for workflows written in its Dynamic LINQ dialect.</summary>
    RulesEngine,
}

/// <summary>JSON values as RulesEngine's users pass them: objects as <see cref="System.Dynamic.ExpandoObject"/>, arrays as lists.</summary>
internal static class RulesEngineInputs
{
    private static readonly Newtonsoft.Json.JsonSerializer Serializer = Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings
    {
        Converters = [new Newtonsoft.Json.Converters.ExpandoObjectConverter()],
        DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
        MaxDepth = 64,
    });

    public static object? FromJson(JToken value) => value.Type switch
    {
        JTokenType.Object => value.ToObject<System.Dynamic.ExpandoObject>(Serializer),
        JTokenType.Array => value.ToObject<List<object?>>(Serializer),
        JTokenType.Null or JTokenType.Undefined => null,
        _ => ((JValue)value).Value,
    };
}
