using SlaPolicy.Engine.Calendars;

namespace SlaPolicy.Engine.Decisions;

/// <summary>Puts a decision's instants in the zone its case is told in, wherever the decision was read from.</summary>
public static class DecisionZones
{
    /// <summary>
    /// The same decision with its due, stop and escalation instants and its explanation steps' instants in
    /// <paramref name="zone"/> (the same instants: only the offset they are written with changes). The asOf, the run's
    /// instant, is left as it is.
    /// </summary>
    public static Decision InZone(this Decision decision, CaseZone zone)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(zone);
        return decision with
        {
            DueAt = decision.DueAt is { } due ? zone.Local(due) : null,
            StoppedAt = decision.StoppedAt is { } stopped ? zone.Local(stopped) : null,
            EscalatedAt = decision.EscalatedAt is { } escalated ? zone.Local(escalated) : null,
            Explanation = decision.Explanation.IsDefault
                ? decision.Explanation
                : [.. decision.Explanation.Select(s => s.At is { } at ? s with { At = zone.Local(at) } : s)],
        };
    }
}
