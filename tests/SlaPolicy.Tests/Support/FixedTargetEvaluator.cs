using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Scheduling;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// A stand-in for the engine's evaluator in host tests: one 24x7 resolution target of 4 hours for every case, no
/// pauses, escalation level 2 from 75% and 3 from 100%. Plain enough to work out expected values by hand.
/// </summary>
internal sealed class FixedTargetEvaluator : ICaseEvaluator
{
    public static readonly TimeSpan Within = TimeSpan.FromHours(4);

    /// <summary>Case ids for which <see cref="Evaluate"/> throws, to test that a run goes on.</summary>
    public HashSet<string> Failing { get; } = [];

    public IReadOnlyList<string> PolicyVersions => ["fixed@1"];

    public IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain)
    {
        if (Failing.Contains(ticket.Id))
        {
            throw new InvalidOperationException($"cannot evaluate {ticket.Id}");
        }

        var stop = ticket.ResolvedAt is { } resolved && resolved <= asOf ? resolved : (DateTimeOffset?)null;
        var elapsed = (stop ?? asOf) - ticket.OpenedAt;
        var percent = elapsed.Ticks * 100.0 / Within.Ticks;
        var status = elapsed > Within ? DecisionStatus.Breached : stop is null ? DecisionStatus.Running : DecisionStatus.Met;
        var level = percent >= 100 ? 3 : percent >= 75 ? 2 : 0;
        return
        [
            new Decision(ticket.Id, "resolution", "fixed", "1", status, ticket.OpenedAt + Within, elapsed.TotalMinutes, 0, percent, level, asOf,
                "policies/fixed.json", 7, "fixed.resolution", ticket.Customer, ticket.Service,
                explain
                    ? [new ExplanationStep("clock", $"24x7: {elapsed.TotalMinutes} minutes from opening to {(stop is null ? "asOf" : "resolution")}", null, ticket.OpenedAt),
                       new ExplanationStep("target", $"resolution within 240 minutes: {status.ToString().ToLowerInvariant()}")]
                    : []),
        ];
    }
}

/// <summary>Serves a <see cref="FixedTargetEvaluator"/> as the policies in force.</summary>
internal sealed class FixedEvaluatorProvider(FixedTargetEvaluator evaluator) : IEvaluatorProvider
{
    public FixedEvaluatorProvider()
        : this(new FixedTargetEvaluator())
    {
    }

    public FixedTargetEvaluator Evaluator => evaluator;

    public Engine.Evaluation.ICaseEvaluator Current => evaluator;

    public PolicyStatus Status => new(true, "policies", DateTimeOffset.UnixEpoch, evaluator.PolicyVersions, [], "fixed test policy");
}
