using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>
/// Evaluates cases against a compiled policy set. Implementations are immutable and thread-safe:
/// compile once, evaluate many.
/// </summary>
public interface ICaseEvaluator
{
    /// <summary>One decision per applicable target of the case; a single <see cref="DecisionStatus.NoPolicy"/> decision when no policy covers it.</summary>
    IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain);

    /// <summary>
    /// The zone the case is told in: the time zone of the calendar of the policy that governs it, else the offset it
    /// was opened with.
    /// </summary>
    CaseZone ZoneOf(CaseRecord ticket) => CaseZone.Of(null, ticket.OpenedAt);

    /// <summary>The policy versions this evaluator uses, as <c>id@version</c>.</summary>
    IReadOnlyList<string> PolicyVersions { get; }

    /// <summary>
    /// A fingerprint of everything that can decide a case of <paramref name="customer"/>: every policy version that may
    /// govern one (its resolved terms, rules, calendar and source lines, and whether it is in force) and who runs the
    /// rules. Two evaluators with the same fingerprint for a customer decide every case of that customer alike, so a
    /// decision made under it still holds while it is unchanged. Null when unknown: every case must then be evaluated.
    /// </summary>
    long? ScopeFingerprint(string customer) => null;

    /// <summary>
    /// A fingerprint of the whole policy set (every version, abstract ones and calendars included, which are in force,
    /// who runs the rules, the engine's version): equal for two evaluators that compute the same figures from the same
    /// decisions and service data. Null when unknown.
    /// </summary>
    long? SetFingerprint => null;
}
