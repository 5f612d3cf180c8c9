using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The state of the policies in force: whether a compiled set is loaded, which versions, when, and the
/// diagnostics of the last load (a bad edit leaves the last good set in force and shows up here).
/// </summary>
public sealed record PolicyStatus(
    bool Ready,
    string Directory,
    DateTimeOffset? LoadedAt,
    IReadOnlyList<string> Versions,
    IReadOnlyList<string> Diagnostics,
    string Message);

/// <summary>
/// Gives the nightly run the evaluator of the policies currently in force. <see cref="Current"/> may change
/// between runs (policy reload); a run takes it once at its start so a run is judged by one policy set.
/// </summary>
public interface IEvaluatorProvider
{
    ICaseEvaluator Current { get; }

    PolicyStatus Status { get; }
}

/// <summary>
/// Used until the policy loader and compiler are wired into the host: every case gets a
/// <see cref="DecisionStatus.NoPolicy"/> decision, so nothing is silently judged "met".
/// </summary>
public sealed class NoPoliciesEvaluatorProvider(string directory) : IEvaluatorProvider
{
    public ICaseEvaluator Current { get; } = new NoPolicyEvaluator();

    public PolicyStatus Status => new(false, directory, null, [], [], "no policy loader is configured in this host; every case is decided `no-policy`");

    private sealed class NoPolicyEvaluator : ICaseEvaluator
    {
        public IReadOnlyList<string> PolicyVersions => [];

        public IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain) =>
        [
            new Decision(ticket.Id, null, null, null, DecisionStatus.NoPolicy, null, 0, 0, 0, 0, asOf, null, 0, null, ticket.Customer, ticket.Service,
                explain ? [new ExplanationStep("policy", "no policy is loaded, so no policy covers this case")] : []),
        ];
    }
}
