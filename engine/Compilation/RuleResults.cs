using System.Collections.Immutable;
using SlaPolicy.Engine.Clocks;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The typed inputs of a policy rule, seen by expressions as <c>ticket</c>, <c>clock</c>, <c>target</c>,
/// <c>policy</c> and <c>period</c>.
/// </summary>
/// <param name="Ticket">The case (named <c>ticket</c> because <c>case</c> is a C# keyword).</param>
/// <param name="Clock">The clock of <paramref name="Target"/> for this case as of the evaluation time.</param>
/// <param name="Target">The target being judged; only its own <c>target:&lt;id&gt;</c> rule is evaluated.</param>
/// <param name="Policy">The policy version in effect.</param>
/// <param name="Period">Availability facts for credit-tier rules; null when judging a case (credit rules then fail).</param>
public readonly record struct RuleInputs(CaseRecord Ticket, ClockResult Clock, TargetTerm Target, Policy Policy, AvailabilityPeriod? Period = null);

/// <summary>A compiled expression bound to its inputs. Takes the inputs by reference: no copy, no allocation.</summary>
public delegate TResult RuleFunc<TIn, out TResult>(in TIn inputs);

/// <summary>The traced variant of a rule with parameters in scope: also stores each parameter's value, in scope order.</summary>
public delegate bool TracedRuleFunc<TIn>(in TIn inputs, object?[] parameters);

/// <summary>
/// The outcome of running a workflow on one input, without a trace. Computed without allocating.
/// </summary>
/// <param name="EscalationLevel">Highest N among succeeding top-level rules whose success event is <c>escalate:N</c>; 0 when none.</param>
/// <param name="TargetMet">The <c>target:&lt;id&gt;</c> rule of the input's target succeeded (false when it failed, errored or is absent).</param>
/// <param name="HasErrors">At least one enabled rule could not be evaluated (compile error or exception); fail closed: such a rule counts as not succeeded.</param>
/// <param name="FiredMask">Bit i set when top-level rule i (index into <see cref="Workflow.Rules"/>) succeeded; rules from index 64 on are not represented.</param>
/// <param name="CreditPercent">Highest P among succeeding top-level rules whose success event is <c>credit:P</c>; 0 when none.</param>
public readonly record struct WorkflowOutcome(int EscalationLevel, bool TargetMet, bool HasErrors, ulong FiredMask, decimal CreditPercent)
{
    /// <summary>True when top-level rule <paramref name="index"/> (below 64) succeeded.</summary>
    public bool Fired(int index) => index is >= 0 and < 64 && (FiredMask & (1UL << index)) != 0;
}

/// <summary>One value a rule read: an input member path such as <c>ticket.Severity</c>, or a parameter name.</summary>
public readonly record struct RuleInputRead(string Name, object? Value);

/// <summary>
/// The full result of one rule for one input: its outcome and why. A rule with <see cref="ExceptionMessage"/>
/// set could not be evaluated (compile error or run-time exception) and counts as not succeeded.
/// </summary>
/// <param name="RuleName">The rule's name.</param>
/// <param name="IsSuccess">The expression (or the operator over the children) gave true.</param>
/// <param name="SuccessEvent">The rule's success event, set only when it succeeded.</param>
/// <param name="ErrorMessage">The rule's <c>ErrorMessage</c> with <c>$(path)</c> placeholders filled in, set only when it did not succeed.</param>
/// <param name="ExceptionMessage">Why the rule could not be evaluated; null when it could.</param>
/// <param name="Inputs">The input members and parameters the rule's expression reads, with their values.</param>
/// <param name="ChildResults">Results of enabled nested rules, in order.</param>
/// <param name="ActionOutput">Output of the OnSuccess/OnFailure action that ran, if any.</param>
/// <param name="ActionException">Why that action failed, if it did.</param>
/// <param name="Location">Where the rule (or the term it was generated from) is defined.</param>
/// <param name="DefinedBy">The policy id or file that defined the rule.</param>
public sealed record RuleResult(
    string RuleName,
    bool IsSuccess,
    string? SuccessEvent,
    string? ErrorMessage,
    string? ExceptionMessage,
    ImmutableArray<RuleInputRead> Inputs,
    ImmutableArray<RuleResult> ChildResults,
    object? ActionOutput,
    string? ActionException,
    SourceLocation Location,
    string DefinedBy)
{
    /// <summary>True when the rule could not be evaluated.</summary>
    public bool HasError => ExceptionMessage is not null;
}
