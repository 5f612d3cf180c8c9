using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The state of the policies in force: whether a compiled set is loaded, which versions, when, and the
/// diagnostics of the last load (a bad edit leaves the last good set in force and shows up here).
/// </summary>
/// <param name="Ready">A compiled policy set is in force.</param>
/// <param name="Directory">The policy folder, as a full path.</param>
/// <param name="LoadedAt">When the set in force was loaded (UTC); null when none ever was.</param>
/// <param name="Versions">The versions in force, as <c>id@version</c>.</param>
/// <param name="Diagnostics">The diagnostics of the last load attempt, each <c>file:line:col: error CODE: message</c>.</param>
/// <param name="Message">One sentence for the log and the page.</param>
public sealed record PolicyStatus(
    bool Ready,
    string Directory,
    DateTimeOffset? LoadedAt,
    IReadOnlyList<string> Versions,
    IReadOnlyList<string> Diagnostics,
    string Message)
{
    /// <summary>The last load attempt had errors, so what is in force (if anything) is an older, good version.</summary>
    public bool LastLoadFailed { get; init; }

    /// <summary>When the folder was last read (UTC), whether or not that load succeeded.</summary>
    public DateTimeOffset? CheckedAt { get; init; }

    /// <summary>
    /// The files left out of the set in force for their errors: when no good set was in force yet, the policies that
    /// compiled are put in force without these (and without the policies extending theirs). Empty otherwise.
    /// </summary>
    public IReadOnlyList<string> FailedFiles { get; init; } = [];

    /// <summary>
    /// The versions in force whose review (<c>reviewBy</c>) is due within its notice period or overdue today, soonest
    /// first; empty when none is.
    /// </summary>
    public IReadOnlyList<PolicyReview> ReviewsDue { get; init; } = [];
}

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
/// The evaluator used while no policy set has ever loaded: it has no policy versions, so a run refuses to start with
/// it (<see cref="NightlyRun"/>); a case explained with it gets a <see cref="DecisionStatus.NoPolicy"/> decision, so
/// nothing is silently judged "met".
/// </summary>
public sealed class NoPolicyEvaluator : ICaseEvaluator
{
    /// <summary>The one instance; it holds no state.</summary>
    public static NoPolicyEvaluator Instance { get; } = new();

    public IReadOnlyList<string> PolicyVersions => [];

    public IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain) =>
    [
        new Decision(ticket.Id, null, null, null, DecisionStatus.NoPolicy, null, 0, 0, 0, 0, asOf, null, 0, null, ticket.Customer, ticket.Service,
            explain ? [new ExplanationStep("no-policy", "no policy set is loaded (the policy folder has errors), so no policy covers this case")] : [])
        {
            Severity = ticket.Severity,
        },
    ];
}
