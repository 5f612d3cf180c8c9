using System.Collections.Immutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RulesEngine.Models;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using ReWorkflow = RulesEngine.Models.Workflow;

namespace SlaPolicy.Tests.Compilation.RulesEnginePeer;

/// <summary>One rule or nested child as either engine returned it: outcome and action.</summary>
internal sealed record PeerNode(string Name, bool IsSuccess, bool HasAction, JToken? Output, bool Raised, string? Error, IReadOnlyList<PeerNode> Children);

/// <summary>
/// What one call gave: refused (by throwing, or for SlaPolicy by a reading/validation error), the rules' results
/// (<c>ExecuteAllRulesAsync</c>), or one rule's action (<c>ExecuteActionWorkflowAsync</c>).
/// </summary>
internal sealed record PeerOutcome(string? Refusal, IReadOnlyList<PeerNode> Rules, (JToken? Output, bool Raised, string? Error)? Action);

/// <summary>One comparison: a rule's or child's IsSuccess, an action's output, or a refused call.</summary>
internal sealed record PeerComparison(string CaseId, int Call, string Key, bool Agrees, string Reference, string Ours)
{
    public override string ToString() => $"{CaseId} c{Call} `{Key}`: RulesEngine {Reference}; SlaPolicy {Ours}";
}

/// <summary>
/// Runs the calls of <c>cases.json</c> (Microsoft RulesEngine's own test workflows) through the RulesEngine package and
/// through SlaPolicy, and compares what they give.
/// </summary>
internal static class PeerRunner
{
    public static readonly string Folder = Path.Combine(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "tests", "SlaPolicy.Tests", "Compilation", "RulesEnginePeer");

    public static readonly JArray Cases = JArray.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));

    /// <summary>Every call of every case, in order.</summary>
    public static IEnumerable<(JObject Case, int Call)> Calls() =>
        Cases.OfType<JObject>().SelectMany(c => ((JArray)c["calls"]!).Select((_, i) => (c, i)));

    /// <summary>All comparisons of every call, SlaPolicy running under <paramref name="executor"/>.</summary>
    public static List<PeerComparison> CompareAll(RuleExecutor executor) =>
        [.. Calls().Zip(References.Value).SelectMany(x => Compare((string)x.First.Case["id"]!, x.First.Call, x.Second, Ours(x.First.Case, x.First.Call, executor)))];

    /// <summary>The reference outcome of every call, in <see cref="Calls"/> order (run once per test run).</summary>
    private static readonly Lazy<List<PeerOutcome>> References = new(() => [.. Calls().Select(x => Reference(x.Case, x.Call))]);

    // ---------------------------------------------------------------- comparing

    public static IEnumerable<PeerComparison> Compare(string id, int call, PeerOutcome reference, PeerOutcome ours)
    {
        if (reference.Refusal is { } refusal)
        {
            yield return new PeerComparison(id, call, "(call)", ours.Refusal is not null, $"refused ({refusal})", ours.Refusal is null ? $"ran ({Describe(ours)})" : $"refused ({ours.Refusal})");
            yield break;
        }

        if (reference.Action is { } action)
        {
            var key = $"{FirstRule(reference)} [action]";
            var mine = ours.Refusal is null ? ours.Action : null;
            yield return new PeerComparison(id, call, key, mine is { } m && ActionAgrees(action.Output, action.Raised, m.Output, m.Raised),
                DescribeAction(action.Output, action.Raised, action.Error), mine is { } n ? DescribeAction(n.Output, n.Raised, n.Error) : $"refused ({ours.Refusal})");
            yield break;
        }

        foreach (var comparison in CompareNodes(id, call, "", reference.Rules, ours.Refusal is null ? ours.Rules : null, ours.Refusal))
        {
            yield return comparison;
        }
    }

    private static string FirstRule(PeerOutcome outcome) => outcome.Rules.Count > 0 ? outcome.Rules[0].Name : "?";

    private static IEnumerable<PeerComparison> CompareNodes(string id, int call, string prefix, IReadOnlyList<PeerNode> reference, IReadOnlyList<PeerNode>? ours, string? oursRefusal)
    {
        foreach (var node in reference)
        {
            var key = prefix + node.Name;
            var mine = ours?.FirstOrDefault(o => o.Name == node.Name);
            var missing = oursRefusal is not null ? $"refused ({oursRefusal})" : "no result for the rule";
            yield return new PeerComparison(id, call, key, mine is not null && mine.IsSuccess == node.IsSuccess,
                DescribeNode(node), mine is null ? missing : DescribeNode(mine));
            if (node.HasAction)
            {
                yield return new PeerComparison(id, call, key + " [action]", mine is not null && ActionAgrees(node.Output, node.Raised, mine.Output, mine.Raised),
                    DescribeAction(node.Output, node.Raised, null), mine is null ? missing : DescribeAction(mine.Output, mine.Raised, mine.Error));
            }

            foreach (var child in CompareNodes(id, call, key + " > ", node.Children, mine?.Children ?? (ours is null ? null : []), oursRefusal))
            {
                yield return child;
            }
        }
    }

    private static bool ActionAgrees(JToken? a, bool aRaised, JToken? b, bool bRaised) => aRaised == bRaised && JToken.DeepEquals(a, b);

    private static string DescribeNode(PeerNode node) => $"{(node.IsSuccess ? "true" : "false")}{(node.Error is { } e ? $" ({Short(e)})" : "")}";

    private static string DescribeAction(JToken? output, bool raised, string? error) =>
        raised ? $"action raised{(error is null ? "" : $" ({Short(error)})")}" : $"output {output?.ToString(Formatting.None) ?? "null"}";

    private static string Describe(PeerOutcome outcome) => outcome.Action is { } a
        ? DescribeAction(a.Output, a.Raised, a.Error)
        : string.Join(", ", outcome.Rules.Select(r => $"{r.Name}={DescribeNode(r)}"));

    private static string Short(string text) => text.Length <= 160 ? text : text[..160] + "…";

    // ---------------------------------------------------------------- the call's data

    private sealed record CallInput(string Name, JToken? Value, string? Type, JToken?[] Samples);

    private static JObject Settings(JObject testCase, JObject call)
    {
        var merged = (JObject?)testCase["settings"]?.DeepClone() ?? [];
        merged.Merge(call["settings"] ?? new JObject());
        return merged;
    }

    private static List<CallInput> InputsOf(JObject call)
    {
        if (call["params"] is JArray parameters)
        {
            return [.. parameters.Select(p => new CallInput((string)p["name"]!, p["value"], (string?)p["type"], p["samples"] is JArray s ? [.. s] : []))];
        }

        var inputs = call["inputs"] as JArray ?? [];
        var types = call["types"] as JArray ?? [];
        var samples = call["samples"] as JArray ?? [];
        return [.. inputs.Select((v, i) => new CallInput($"input{i + 1}", v, i < types.Count ? (string?)types[i] : null, i < samples.Count && samples[i] is JArray s ? [.. s] : []))];
    }

    private static string FileText(string file) => File.ReadAllText(Path.Combine(Folder, file));

    // ---------------------------------------------------------------- the reference: Microsoft RulesEngine

    /// <summary>The call run by the RulesEngine package, its inputs built as RulesEngine's own tests build them.</summary>
    public static PeerOutcome Reference(JObject testCase, int index)
    {
        var call = (JObject)((JArray)testCase["calls"]!)[index];
        var settings = Settings(testCase, call);
        var newtonsoft = (string?)testCase["loader"] == "newtonsoft";
        var workflows = new List<ReWorkflow>();
        foreach (var file in (testCase["files"] as JArray ?? []).Select(f => (string)f!))
        {
            workflows.AddRange(ReadWorkflows(FileText(file), newtonsoft));
        }

        workflows.AddRange(ReadWorkflows((testCase["workflows"] ?? new JArray()).ToString(), newtonsoft));
        var parameters = InputsOf(call).Select(i => ReferenceParameter(i.Name, PeerTypes.Materialize(i.Value, i.Type), i.Type)).ToArray();
        var workflowName = (string)call["wf"]!;
        try
        {
            var engine = new RulesEngine.RulesEngine([.. workflows], ToReSettings(settings));
            if ((string?)call["api"] == "action")
            {
                var ruleName = (string)call["rule"]!;
                var result = engine.ExecuteActionWorkflowAsync(workflowName, ruleName, parameters).AsTask().GetAwaiter().GetResult();
                return new PeerOutcome(null, [new PeerNode(ruleName, true, true, null, false, null, [])], (ToToken(result.Output), result.Exception is not null, result.Exception?.Message));
            }

            var results = engine.ExecuteAllRulesAsync(workflowName, parameters).AsTask().GetAwaiter().GetResult();
            return new PeerOutcome(null, [.. results.Select(ToNode)], null);
        }
        catch (Exception ex)
        {
            return new PeerOutcome($"{ex.GetType().Name}: {ex.Message}", [], null);
        }
    }

    /// <summary>As <c>ExecuteAllRulesAsync(name, params object[])</c> does; a typed null keeps its declared type.</summary>
    private static RuleParameter ReferenceParameter(string name, object? value, string? type)
    {
        if (value is null && type is not null)
        {
            var create = typeof(RuleParameter).GetMethods().Single(m => m.Name == nameof(RuleParameter.Create) && m.IsGenericMethodDefinition);
            return (RuleParameter)create.MakeGenericMethod(PeerTypes.TypeOf(type)).Invoke(null, [name, null])!;
        }

        return new RuleParameter(name, value);
    }

    private static IEnumerable<ReWorkflow> ReadWorkflows(string json, bool newtonsoft)
    {
        var isArray = json.TrimStart().StartsWith('[');
        if (newtonsoft)
        {
            return isArray ? JsonConvert.DeserializeObject<ReWorkflow[]>(json)! : [JsonConvert.DeserializeObject<ReWorkflow>(json)!];
        }

        // RulesEngine's own reader (its RulesEngine(string[] jsonConfig) constructor): System.Text.Json.
        return isArray ? System.Text.Json.JsonSerializer.Deserialize<ReWorkflow[]>(json)! : [System.Text.Json.JsonSerializer.Deserialize<ReWorkflow>(json)!];
    }

    /// <summary>
    /// The case's settings as the RulesEngine package gets them: the same values SlaPolicy's executor gets, with
    /// RulesEngine's own formatting of error messages and its parallel compilation where the case asks for it.
    /// </summary>
    private static ReSettings ToReSettings(JObject s)
    {
        var settings = ToSettings(s).ToReSettings();
        settings.EnableFormattedErrorMessage = true;
        settings.EnableParallelRuleCompilation = (bool?)s["EnableParallelRuleCompilation"] ?? false;
        return settings;
    }

    private static NestedRuleExecutionMode Mode(JObject s) =>
        (string?)s["NestedRuleExecutionMode"] == "Performance" ? NestedRuleExecutionMode.Performance : NestedRuleExecutionMode.All;

    private static PeerNode ToNode(RuleResultTree tree)
    {
        var actions = tree.Rule?.Actions;
        return new PeerNode(tree.Rule?.RuleName ?? "?", tree.IsSuccess, actions?.OnSuccess is not null || actions?.OnFailure is not null,
            ToToken(tree.ActionResult?.Output), tree.ActionResult?.Exception is not null,
            string.IsNullOrEmpty(tree.ExceptionMessage) ? null : tree.ExceptionMessage, [.. (tree.ChildResults ?? []).Select(ToNode)]);
    }

    private static JToken? ToToken(object? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return JToken.FromObject(value);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return new JValue(value.ToString());
        }
    }

    // ---------------------------------------------------------------- SlaPolicy

    /// <summary>
    /// The call run by SlaPolicy: the workflows read by <see cref="WorkflowJson"/>, compiled for <paramref name="executor"/>.
    /// Under <c>rulesengine</c> the inputs are the very objects the reference run gets; under <c>compiled</c> they are
    /// the JSON values, typed by <see cref="InputParameter.Infer"/> from the value and the case's samples.
    /// </summary>
    public static PeerOutcome Ours(JObject testCase, int index, RuleExecutor executor, Action<IReadOnlyList<RuleResult>>? trace = null)
    {
        var call = (JObject)((JArray)testCase["calls"]!)[index];
        var settings = Settings(testCase, call);
        var id = (string)testCase["id"]!;
        var read = new DiagnosticBag();
        var workflows = ImmutableArray.CreateBuilder<Engine.Compilation.Workflow>();
        foreach (var file in (testCase["files"] as JArray ?? []).Select(f => (string)f!))
        {
            workflows.AddRange(WorkflowJson.Parse(FileText(file), file, read));
        }

        if (testCase["workflows"] is JArray { Count: > 0 } inline)
        {
            workflows.AddRange(WorkflowJson.Parse(inline.ToString(), $"cases.json#{id}", read));
        }

        if (read.HasErrors)
        {
            return new PeerOutcome("reading: " + string.Join("; ", read.Items.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Code} {d.Message}")), [], null);
        }

        var inputs = InputsOf(call);
        var parameters = inputs.Select(i => InputParameter.Infer(i.Name, [i.Value, .. i.Samples])).ToImmutableArray();
        var options = new RuleCompilerOptions { UseDiskCache = false, Executor = executor, RulesEngine = ToSettings(settings) };
        try
        {
            var compiled = new DiagnosticBag();
            var set = RuleCompiler.Compile(workflows.ToImmutable(), parameters, compiled, options);
            // What RulesEngine validates when it is built. An unknown action (SLA5006) is not among them: RulesEngine
            // meets it only when the action runs, and so does SlaPolicy (the action fails, the rule's outcome stands).
            if (compiled.Items.Where(d => d.Severity == DiagnosticSeverity.Error && d.Code.StartsWith("SLA5", StringComparison.Ordinal) && d.Code != "SLA5006").ToList() is { Count: > 0 } invalid)
            {
                return new PeerOutcome("validation: " + string.Join("; ", invalid.Select(d => $"{d.Code} {d.Message}")), [], null);
            }

            var bound = executor == RuleExecutor.RulesEngine
                ? inputs.Select(i => PeerTypes.Materialize(i.Value, i.Type)).ToArray()
                : set.Bind([.. inputs.Select(i => i.Value)]);
            var results = set.Get((string)call["wf"]!).Execute(bound);
            trace?.Invoke(results);
            var nodes = results.Select(ToNode).ToList();
            if ((string?)call["api"] == "action")
            {
                var rule = nodes.FirstOrDefault(n => n.Name == (string)call["rule"]!);
                return new PeerOutcome(null, nodes, rule is null ? (null, true, "no such rule") : (rule.Output, rule.Raised, rule.Error));
            }

            return new PeerOutcome(null, nodes, null);
        }
        catch (Exception ex)
        {
            return new PeerOutcome($"{ex.GetType().Name}: {ex.Message}", [], null);
        }
    }

    private static RulesEngineSettings ToSettings(JObject s) => new()
    {
        CustomTypes = s["CustomTypes"] is JArray types ? [.. types.Select(t => PeerTypes.TypeOf((string)t!))] : [],
        CustomActions = s["CustomActions"] is JArray actions ? actions.ToDictionary(a => (string)a!, a => PeerTypes.ActionOf((string)a!)) : new Dictionary<string, Func<RulesEngine.Actions.ActionBase>>(),
        IsExpressionCaseSensitive = (bool?)s["IsExpressionCaseSensitive"] ?? false,
        EnableScopedParams = (bool?)s["EnableScopedParams"] ?? true,
        EnableExceptionAsErrorMessage = (bool?)s["EnableExceptionAsErrorMessage"] ?? true,
        IgnoreException = (bool?)s["IgnoreException"] ?? false,
        NestedRuleExecutionMode = Mode(s),
        AutoExecuteActions = (bool?)s["AutoExecuteActions"] ?? true,
        AutoRegisterInputType = (bool?)s["AutoRegisterInputType"] ?? true,
        UseFastExpressionCompiler = (bool?)s["UseFastExpressionCompiler"] ?? false,
    };

    private static PeerNode ToNode(RuleResult result) => new(result.RuleName, result.IsSuccess, false, ToToken(result.ActionOutput), result.ActionException is not null,
        result.ExceptionMessage ?? result.ActionException, [.. result.ChildResults.Select(ToNode)]);
}
