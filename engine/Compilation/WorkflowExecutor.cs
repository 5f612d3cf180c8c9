using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>Helpers of the trace.</summary>
internal static class RuleInputReads
{
    /// <summary>True when one of <paramref name="reads"/> is named <paramref name="name"/>.</summary>
    public static bool ContainsName(this ReadOnlySpan<RuleInputRead> reads, string name)
    {
        foreach (var read in reads)
        {
            if (read.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The run-time budget of each rule evaluation.</summary>
internal readonly record struct RuleLimits(int MaxSteps, long MaxAllocatedBytes);

/// <summary>Finds the value of an input root (<c>ticket</c>, <c>input1</c>, …) for the trace.</summary>
internal delegate (bool Found, object? Value) RootResolver<TIn>(string name, in TIn inputs);

/// <summary>A compiled rule: its delegates (null when it could not be compiled, with the reason) and its children.</summary>
internal sealed class RuleNode<TIn>(
    RuleDefinition rule,
    bool isNested,
    RuleNode<TIn>[] children,
    RuleFunc<TIn, bool>? predicate,
    TracedRuleFunc<TIn>? traced,
    string? compileError,
    ImmutableArray<string> scopeNames,
    string? expressionText,
    RuleFunc<TIn, object?>? onSuccess,
    string? onSuccessError,
    RuleFunc<TIn, object?>? onFailure,
    string? onFailureError,
    bool budgeted)
{
    /// <summary>True when the predicate can take budget steps, so each evaluation starts a budget.</summary>
    public bool Budgeted { get; } = budgeted;

    private ReadPath[]? _readPaths;

    public RuleDefinition Rule { get; } = rule;

    public bool IsNested { get; } = isNested;

    public bool IsAnd { get; } = rule.Operator is null || RuleOperators.IsAnd(rule.Operator);

    public RuleNode<TIn>[] Children { get; } = children;

    public RuleFunc<TIn, bool>? Predicate { get; } = predicate;

    public TracedRuleFunc<TIn>? Traced { get; } = traced;

    public string? CompileError { get; } = compileError;

    public ImmutableArray<string> ScopeNames { get; } = scopeNames;

    public RuleFunc<TIn, object?>? OnSuccess { get; } = onSuccess;

    public string? OnSuccessError { get; } = onSuccessError;

    public RuleFunc<TIn, object?>? OnFailure { get; } = onFailure;

    public string? OnFailureError { get; } = onFailureError;

    /// <summary>Target id of a generated <c>target:&lt;id&gt;</c> rule, else null.</summary>
    public string? TargetId { get; } = rule.RuleName.StartsWith(WorkflowGenerator.TargetRulePrefix, StringComparison.Ordinal) ? rule.RuleName[WorkflowGenerator.TargetRulePrefix.Length..] : null;

    /// <summary>N of a success event <c>escalate:N</c>, else 0.</summary>
    public int EscalationLevel { get; } = ParseEvent(rule.SuccessEvent, "escalate:", out var level) ? (int)level : 0;

    /// <summary>P of a success event <c>credit:P</c>, else 0.</summary>
    public decimal CreditPercent { get; } = ParseEvent(rule.SuccessEvent, "credit:", out var credit) ? credit : 0m;

    /// <summary>Index of this node among all nodes of its workflow, nested ones too (set by its executor): its place in the trace layout.</summary>
    public int Ordinal { get; internal set; } = -1;

    /// <summary>The rule's error message cut to length when it has no <c>$(path)</c> placeholder; null when it has one or none is set.</summary>
    public string? FixedErrorMessage { get; } = rule.ErrorMessage is { } message && !message.Contains("$(", StringComparison.Ordinal) ? RuleTrace.Limit(message) : null;

    /// <summary>Member paths rooted at an input or parameter that the expression reads; parsed on first use (trace only).</summary>
    public ReadPath[] ReadPlan(ImmutableArray<string> roots) =>
        _readPaths ??= expressionText is null ? [] : RuleTrace.ReadPlan(expressionText, roots, ScopeNames);

    internal static bool ParseEvent(string? successEvent, string prefix, out decimal value)
    {
        value = 0;
        return successEvent is not null && successEvent.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && decimal.TryParse(successEvent.AsSpan(prefix.Length), NumberStyles.Number, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>
/// Runs one compiled workflow. <see cref="Run"/> is the allocation-free hot path; <see cref="Execute"/> builds the
/// full result tree. Every enabled rule is evaluated (nested rules too: no short-circuit, so errors always show).
/// </summary>
internal sealed class WorkflowExecutor<TIn>(
    Workflow workflow,
    RuleNode<TIn>[] rules,
    ImmutableArray<string> rootNames,
    RootResolver<TIn> roots,
    IReadOnlyDictionary<string, WorkflowExecutor<TIn>> registry,
    RuleLimits limits,
    IReadOnlyDictionary<string, Func<global::RulesEngine.Actions.ActionBase>>? customActions = null) : IWorkflowRunner<TIn>
{
    /// <summary>Longest exception or error message text a rule result keeps.</summary>
    internal const int MaxMessageLength = RuleTrace.MaxMessageLength;

    private const int MaxActionDepth = 8;
    private static readonly object NotComputed = TraceState.NotComputed;

    public Workflow Workflow { get; } = workflow;

    internal RuleNode<TIn>[] Rules { get; } = rules;

    private readonly int _nodeCount = Number(rules, 0);
    private TraceLayout? _layout;

    public WorkflowOutcome Run(in TIn inputs, string? targetId)
    {
        var hasErrors = false;
        var level = 0;
        var targetMet = false;
        var credit = 0m;
        ulong mask = 0;
        var top = Workflow.Rules;
        var nodeIndex = 0;
        for (var i = 0; i < top.Length; i++)
        {
            if (!top[i].Enabled)
            {
                continue;
            }

            var node = Rules[nodeIndex++];
            if (node.TargetId is not null && !string.Equals(node.TargetId, targetId, StringComparison.Ordinal))
            {
                continue;
            }

            if (!Evaluate(node, in inputs, ref hasErrors))
            {
                continue;
            }

            if (i < 64)
            {
                mask |= 1UL << i;
            }

            if (node.TargetId is not null)
            {
                targetMet = true;
            }

            level = Math.Max(level, node.EscalationLevel);
            credit = Math.Max(credit, node.CreditPercent);
        }

        return new WorkflowOutcome(level, targetMet, hasErrors, mask, credit);
    }

    private bool Evaluate(RuleNode<TIn> node, in TIn inputs, ref bool hasErrors)
    {
        if (node.IsNested)
        {
            if (node.Children.Length == 0)
            {
                return false;
            }

            var result = node.IsAnd;
            foreach (var child in node.Children)
            {
                var value = Evaluate(child, in inputs, ref hasErrors);
                result = node.IsAnd ? result && value : result || value;
            }

            return result;
        }

        if (node.Predicate is null)
        {
            hasErrors = true;
            return false;
        }

        try
        {
            if (node.Budgeted)
            {
                RuleBudget.Begin(limits.MaxSteps, limits.MaxAllocatedBytes);
            }

            return node.Predicate(in inputs);
        }
        catch (Exception)
        {
            // Fail closed: the rule counts as not succeeded and the outcome says there were errors.
            hasErrors = true;
            return false;
        }
    }

    public IReadOnlyList<RuleResult> Execute(in TIn inputs, string? targetId)
    {
        var count = 0;
        foreach (var node in Rules)
        {
            count += Applies(node, targetId) ? 1 : 0;
        }

        var results = new RuleResult[count];
        var trace = TraceState.Rent(Layout);
        var next = 0;
        foreach (var node in Rules)
        {
            if (Applies(node, targetId))
            {
                results[next++] = ExecuteNode(node, in inputs, 0, trace);
            }
        }

        trace.Return();
        return results;
    }

    private static bool Applies(RuleNode<TIn> node, string? targetId) =>
        node.TargetId is null || string.Equals(node.TargetId, targetId, StringComparison.Ordinal);

    internal RuleResult? ExecuteRule(string ruleName, in TIn inputs, int depth)
    {
        foreach (var node in Rules)
        {
            if (node.Rule.RuleName == ruleName)
            {
                var trace = TraceState.Rent(Layout);
                var result = ExecuteNode(node, in inputs, depth, trace);
                trace.Return();
                return result;
            }
        }

        return null;
    }

    /// <summary>What the trace of each node reads, and the value slots one execution shares between its rules; built on first use.</summary>
    private TraceLayout Layout => Volatile.Read(ref _layout) ?? BuildLayout();

    private TraceLayout BuildLayout()
    {
        var layout = new TraceLayout(_nodeCount, rootNames);
        foreach (var node in Rules)
        {
            layout.Add(node);
        }

        // Two threads may both build it: equal layouts, and each execution keeps the one it started with.
        Volatile.Write(ref _layout, layout.Seal());
        return layout;
    }

    private static int Number(RuleNode<TIn>[] nodes, int next)
    {
        foreach (var node in nodes)
        {
            node.Ordinal = next++;
            next = Number(node.Children, next);
        }

        return next;
    }

    private RuleResult ExecuteNode(RuleNode<TIn> node, in TIn inputs, int depth, TraceState trace)
    {
        bool success;
        string? exception = null;
        var children = ImmutableArray<RuleResult>.Empty;
        var reads = Array.Empty<RuleInputRead>();
        var readCount = 0;
        if (node.IsNested)
        {
            var results = new RuleResult[node.Children.Length];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = ExecuteNode(node.Children[i], in inputs, depth, trace);
            }

            children = ImmutableCollectionsMarshal.AsImmutableArray(results);
            success = results.Length > 0 && node.IsAnd;
            foreach (var child in results)
            {
                success = node.IsAnd ? success && child.IsSuccess : success || child.IsSuccess;
            }
        }
        else if (node.Predicate is null)
        {
            success = false;
            exception = node.CompileError ?? "the rule could not be compiled";
        }
        else
        {
            object?[]? parameters = null;
            if (node.Traced is not null)
            {
                parameters = new object?[node.ScopeNames.Length];
                Array.Fill(parameters, NotComputed);
            }

            try
            {
                if (node.Budgeted)
                {
                    RuleBudget.Begin(limits.MaxSteps, limits.MaxAllocatedBytes);
                }

                success = node.Traced is not null ? node.Traced(in inputs, parameters!) : node.Predicate(in inputs);
            }
            catch (Exception ex)
            {
                success = false;
                var failedParameter = parameters is null ? -1 : Array.IndexOf(parameters, NotComputed);
                exception = Limit(failedParameter >= 0
                    ? $"error while computing parameter `{node.ScopeNames[failedParameter]}` of rule `{node.Rule.RuleName}`: {Describe(ex)}"
                    : $"error while executing rule `{node.Rule.RuleName}`: {Describe(ex)}");
            }

            // One array of the most reads there can be, cut only if parameters were read by path too: no builder per rule.
            var plan = trace.Layout.Reads[node.Ordinal]!;
            var most = plan.Paths.Length + (parameters?.Length ?? 0);
            reads = most == 0 ? reads : new RuleInputRead[most];
            for (var i = 0; i < plan.Paths.Length; i++)
            {
                var path = plan.Paths[i];
                var value = path.ScopeIndex >= 0 && parameters is not null ? path.Read(parameters[path.ScopeIndex])
                    : plan.Slots[i] >= 0 ? trace.Read(plan.Slots[i], in inputs, roots)
                    : path.Read(RootValue(path.Root, in inputs));
                reads[readCount++] = new RuleInputRead(path.Name, value);
            }

            if (parameters is not null)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    if (!ReferenceEquals(parameters[i], NotComputed) && !reads.AsSpan(0, readCount).ContainsName(node.ScopeNames[i]))
                    {
                        reads[readCount++] = new RuleInputRead(node.ScopeNames[i], parameters[i]);
                    }
                }
            }
        }

        object? output = null;
        string? actionException = null;
        var action = success ? node.Rule.OnSuccess : node.Rule.OnFailure;
        if (action is not null && exception is null)
        {
            (output, actionException) = RunAction(node, action, success, in inputs, depth);
            actionException = actionException is null ? null : Limit(actionException);
            // A custom action is code, not a sandboxed expression: what the next rules read is read again.
            trace.Forget();
        }

        string? errorMessage = null;
        if (!success && node.Rule.ErrorMessage is not null)
        {
            errorMessage = node.FixedErrorMessage ?? Limit(FillPlaceholders(node.Rule.ErrorMessage, in inputs));
        }

        return new RuleResult(node.Rule.RuleName, success, success ? node.Rule.SuccessEvent : null, errorMessage, exception,
            ImmutableCollectionsMarshal.AsImmutableArray(readCount == reads.Length ? reads : reads[..readCount]), children, output, actionException, node.Rule.Location, node.Rule.DefinedBy);
    }

    private (object? Output, string? Exception) RunAction(RuleNode<TIn> node, RuleAction action, bool success, in TIn inputs, int depth)
    {
        if (action.Name == RuleActions.OutputExpression)
        {
            var function = success ? node.OnSuccess : node.OnFailure;
            if (function is null)
            {
                return (null, (success ? node.OnSuccessError : node.OnFailureError) ?? "the action has no `Expression`");
            }

            try
            {
                RuleBudget.Begin(limits.MaxSteps, limits.MaxAllocatedBytes);
                return (function(in inputs), null);
            }
            catch (Exception ex)
            {
                return (null, Limit($"error while computing the action output: {Describe(ex)}"));
            }
        }

        if (action.Name == RuleActions.EvaluateRule)
        {
            if (depth >= MaxActionDepth)
            {
                return (null, $"`EvaluateRule` chains deeper than {MaxActionDepth} rules");
            }

            if (action.ContextValue("additionalInputs") is { } extra && extra != "[]")
            {
                return (null, "`additionalInputs` of `EvaluateRule` are not supported");
            }

            var workflowName = action.ContextValue("workflowName") ?? Workflow.WorkflowName;
            var ruleName = action.ContextValue("ruleName");
            if (ruleName is null || !registry.TryGetValue(workflowName, out var target))
            {
                return (null, $"rule `{ruleName}` of workflow `{workflowName}` is not defined");
            }

            var result = target.ExecuteRule(ruleName, in inputs, depth + 1);
            return result is null
                ? (null, $"rule `{ruleName}` of workflow `{workflowName}` is not defined")
                : (result.ActionOutput, result.ActionException ?? result.ExceptionMessage);
        }

        if (customActions is not null && customActions.TryGetValue(action.Name, out var create))
        {
            return RunCustomAction(create, node, action, success, in inputs);
        }

        return (null, $"action `{action.Name}` is not supported");
    }

    /// <summary>
    /// A custom action registered in code (RulesEngine's <c>CustomActions</c>), run as RulesEngine runs it: with its
    /// context, the rule's result and the inputs as rule parameters. Its exception is the action's, never the rule's.
    /// </summary>
    private (object? Output, string? Exception) RunCustomAction(Func<global::RulesEngine.Actions.ActionBase> create, RuleNode<TIn> node, RuleAction action, bool success, in TIn inputs)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var parameters = new List<global::RulesEngine.Models.RuleParameter>();
        foreach (var name in rootNames)
        {
            if (roots(name, in inputs) is (true, var value))
            {
                values[name] = value!;
                parameters.Add(new global::RulesEngine.Models.RuleParameter(name, value));
            }
        }

        var parent = new global::RulesEngine.Models.RuleResultTree { Rule = RulesEngineModel.ToModel(node.Rule), IsSuccess = success, Inputs = values };
        var context = new global::RulesEngine.Actions.ActionContext(action.Context.ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal), parent);
        try
        {
            var pending = create().Run(context, [.. parameters]);
            return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult(), null);
        }
        catch (Exception ex)
        {
            return (null, $"Exception while executing {action.Name}: {ex.Message}");
        }
    }

    /// <summary>Cuts a message to <see cref="MaxMessageLength"/> characters, saying how long it was.</summary>
    internal static string Limit(string message) => RuleTrace.Limit(message);

    private static string Describe(Exception ex) => RuleTrace.Describe(ex);

    private string FillPlaceholders(string message, in TIn inputs) => RuleTrace.FillPlaceholders(message, in inputs, roots);

    private object? RootValue(string name, in TIn inputs) => roots(name, in inputs) is (true, var value) ? value : null;
}
