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
}
