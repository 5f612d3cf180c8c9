using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The compiled rules of every policy version of a policy set, from one assembly. Immutable and thread-safe:
/// compile once, evaluate many.
/// </summary>
public sealed class CompiledPolicySet
{
    private readonly Dictionary<Policy, CompiledWorkflow> _byPolicy;
    private readonly Dictionary<string, CompiledWorkflow> _byName;

    internal CompiledPolicySet(ImmutableArray<CompiledWorkflow> workflows, string contentHash, bool fromDiskCache)
    {
        Workflows = workflows;
        ContentHash = contentHash;
        FromDiskCache = fromDiskCache;
        _byPolicy = new Dictionary<Policy, CompiledWorkflow>(ReferenceEqualityComparer.Instance);
        _byName = new Dictionary<string, CompiledWorkflow>(StringComparer.Ordinal);
        foreach (var w in workflows)
        {
            _byPolicy.TryAdd(w.Policy, w);
            _byName.TryAdd(w.Workflow.WorkflowName, w);
        }
    }

    /// <summary>One compiled workflow per policy version, in the order of <see cref="PolicySet.Policies"/>.</summary>
    public ImmutableArray<CompiledWorkflow> Workflows { get; }

    /// <summary>SHA-256 (hex) of the generated source and the compiler's identity; the cache key.</summary>
    public string ContentHash { get; }

    /// <summary>True when the assembly was loaded from the disk cache rather than compiled in this process.</summary>
    public bool FromDiskCache { get; }

    /// <summary>The compiled workflow of <paramref name="policy"/> (the same instance, or an equal policy version).</summary>
    /// <exception cref="KeyNotFoundException">The policy was not part of the compiled set.</exception>
    public CompiledWorkflow Get(Policy policy) =>
        _byPolicy.TryGetValue(policy, out var w) || _byName.TryGetValue(WorkflowGenerator.WorkflowName(policy), out w)
            ? w
            : throw new KeyNotFoundException($"policy `{policy.Id}` version `{policy.Version}` is not in the compiled set");
}

/// <summary>The compiled workflow of one policy version. Thread-safe.</summary>
public sealed class CompiledWorkflow
{
    private readonly IWorkflowRunner<RuleInputs> _executor;

    internal CompiledWorkflow(Policy policy, IWorkflowRunner<RuleInputs> executor)
    {
        Policy = policy;
        _executor = executor;
    }

    /// <summary>The policy version this workflow was generated from.</summary>
    public Policy Policy { get; }

    /// <summary>The generated workflow (targets, escalations, credit tiers, then the policy's own rules).</summary>
    public Workflow Workflow => _executor.Workflow;

    /// <summary>The generated workflow as Microsoft RulesEngine's own model (what <c>compile --show</c> prints).</summary>
    public RulesEngine.Models.Workflow Model => RulesEngineModel.ToModel(Workflow);

    /// <summary>Which executor runs the rules.</summary>
    public RuleExecutor Executor => _executor is WorkflowExecutor<RuleInputs> ? RuleExecutor.Compiled : RuleExecutor.RulesEngine;

    /// <summary>
    /// Runs every enabled rule on one input and returns the outcome, without allocating. Of the generated
    /// <c>target:&lt;id&gt;</c> rules only that of <see cref="RuleInputs.Target"/> runs. Actions do not run here.
    /// </summary>
    public WorkflowOutcome Run(in RuleInputs inputs) => _executor.Run(in inputs, inputs.Target?.Id);

    /// <summary>Runs every enabled rule and its actions and returns the full result tree (allocates; for explanations).</summary>
    public IReadOnlyList<RuleResult> Execute(in RuleInputs inputs) => _executor.Execute(in inputs, inputs.Target?.Id);
}

/// <summary>
/// Compiled RulesEngine workflows over JSON inputs (<c>input1</c>, …). Thread-safe.
/// </summary>
public sealed class CompiledWorkflowSet
{
    private volatile Type[] _inputTypes;

    internal CompiledWorkflowSet(ImmutableArray<CompiledParameterWorkflow> workflows, ImmutableArray<InputParameter> parameters, Type[] inputTypes, string contentHash, bool fromDiskCache, RuleExecutor executor = RuleExecutor.Compiled, Task? whenCompiled = null)
    {
        QuickStarted = whenCompiled is not null;
        WhenCompiled = whenCompiled ?? Task.CompletedTask;
        Executor = executor;
        Workflows = workflows;
        Parameters = parameters;
        _inputTypes = inputTypes;
        ContentHash = contentHash;
        FromDiskCache = fromDiskCache;
    }

    /// <summary>The compiled workflows, in the order given.</summary>
    public ImmutableArray<CompiledParameterWorkflow> Workflows { get; }

    /// <summary>Which executor runs the rules.</summary>
    public RuleExecutor Executor { get; }

    /// <summary>The inputs expressions read, in binding order.</summary>
    public ImmutableArray<InputParameter> Parameters { get; }

    /// <summary>SHA-256 (hex) of the generated source and the compiler's identity; the cache key.</summary>
    public string ContentHash { get; }

    /// <summary>True when the assembly was loaded from the disk cache rather than compiled in this process.</summary>
    public bool FromDiskCache { get; }

    /// <summary>
    /// True when the rules started as expression trees while Roslyn compiles them in the background
    /// (<see cref="RuleCompilerOptions.QuickStart"/>); both give the same results.
    /// </summary>
    public bool QuickStarted { get; }

    /// <summary>
    /// Completes when values bound from then on run on the Roslyn-compiled rules (at once when there was no quick
    /// start). Values bound before keep running on the expression trees, with the same results. If the background
    /// compilation fails, the expression trees stay in use and the task still completes.
    /// </summary>
    public Task WhenCompiled { get; }

    /// <summary>The input types of the Roslyn-compiled rules, for the values bound from now on.</summary>
    internal void Promote(Type[] inputTypes) => _inputTypes = inputTypes;

    /// <summary>The workflow named <paramref name="workflowName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such workflow.</exception>
    public CompiledParameterWorkflow Get(string workflowName) =>
        Workflows.FirstOrDefault(w => w.Workflow.WorkflowName == workflowName) ?? throw new KeyNotFoundException($"workflow `{workflowName}` is not defined");

    /// <summary>
    /// Converts JSON values to instances of the generated input types, in parameter order (do this once per
    /// input; <see cref="CompiledParameterWorkflow.Run"/> then works on the bound values). Under the <c>rulesengine</c>
    /// executor objects become <see cref="System.Dynamic.ExpandoObject"/>s, as RulesEngine's users read JSON.
    /// </summary>
    public object?[] Bind(params JToken?[] values)
    {
        var bound = new object?[Parameters.Length];
        // One tier for all the values of one call: the field is read once.
        var inputTypes = _inputTypes;
        for (var i = 0; i < bound.Length && i < values.Length; i++)
        {
            var value = values[i];
            bound[i] = value is null || value.Type == JTokenType.Null ? null
                : Executor == RuleExecutor.RulesEngine ? RulesEngineInputs.FromJson(value)
                : i >= inputTypes.Length ? null : value.ToObject(inputTypes[i]);
        }

        return bound;
    }
}

/// <summary>One compiled RulesEngine workflow. Thread-safe.</summary>
public sealed class CompiledParameterWorkflow
{
    private readonly IWorkflowRunner<object?[]> _executor;
    private readonly bool _throwOnRuleErrors;

    internal CompiledParameterWorkflow(IWorkflowRunner<object?[]> executor, bool throwOnRuleErrors = false)
    {
        _executor = executor;
        _throwOnRuleErrors = throwOnRuleErrors;
    }

    /// <summary>The workflow as read (injected workflows not expanded).</summary>
    public Workflow Workflow => _executor.Workflow;

    /// <summary>
    /// Runs every enabled rule on bound inputs (see <see cref="CompiledWorkflowSet.Bind"/>); under the compiled executor
    /// without allocating. Under the <c>rulesengine</c> executor any objects may be passed, as to RulesEngine itself.
    /// </summary>
    /// <exception cref="RulesEngine.Exceptions.RuleException">
    /// With RulesEngine's <c>EnableExceptionAsErrorMessage</c> off (<see cref="RulesEngineSettings"/>): a rule could not
    /// be compiled or threw, as RulesEngine throws. By default such a rule is an error result instead.
    /// </exception>
    public WorkflowOutcome Run(object?[] inputs)
    {
        var outcome = _executor.Run(in inputs, null);
        if (outcome.HasErrors && _throwOnRuleErrors && _executor is WorkflowExecutor<object?[]> or TieredWorkflowRunner)
        {
            ThrowFirstError(_executor.Execute(in inputs, null));
        }

        return outcome;
    }

    /// <summary>Runs every enabled rule and its actions and returns the full result tree.</summary>
    /// <exception cref="RulesEngine.Exceptions.RuleException">As for <see cref="Run"/>.</exception>
    public IReadOnlyList<RuleResult> Execute(object?[] inputs)
    {
        var results = _executor.Execute(in inputs, null);
        if (_throwOnRuleErrors && _executor is WorkflowExecutor<object?[]> or TieredWorkflowRunner)
        {
            ThrowFirstError(results);
        }

        return results;
    }

    private static void ThrowFirstError(IEnumerable<RuleResult> results)
    {
        foreach (var result in results)
        {
            // As RulesEngine with EnableExceptionAsErrorMessage off: a rule's error and an action's exception propagate.
            if ((result.ExceptionMessage ?? result.ActionException) is { } message)
            {
                throw new RulesEngine.Exceptions.RuleException(message);
            }

            ThrowFirstError(result.ChildResults);
        }
    }
}
