using SlaPolicy.Engine.Decisions;

namespace SlaPolicy.Host.Storage;

/// <summary>Which escalation levels a batch of decisions reached, and when: the rows of the escalation history.</summary>
internal static class EscalationLevels
{
    /// <summary>
    /// Each case's highest level with the instant it was first reached (see EscalationRecord). Decisions of one case arrive
    /// together; a case that appears again later in the batch is a new group, and a repeated (case, level) keeps the
    /// first. Both stores record escalation history from this one grouping.
    /// </summary>
    public static List<(string CaseId, int Level, DateTimeOffset At)> Highest(IReadOnlyList<Decision> decisions)
    {
        var result = new List<(string CaseId, int Level, DateTimeOffset At)>();
        var seen = new HashSet<(string, int)>();
        string? lastCase = null;
        var highest = 0;
        DateTimeOffset highestAt = default;
        foreach (var d in decisions)
        {
            if (!string.Equals(lastCase, d.CaseId, StringComparison.Ordinal))
            {
                Add(lastCase, highest, highestAt);
                lastCase = d.CaseId;
                highest = 0;
            }

            // When the level was reached: the crossing instant the evaluator found, else (a custom rule's level) the run's asOf.
            var reachedAt = d.EscalatedAt ?? d.AsOf;
            if (d.EscalationLevel > highest)
            {
                highest = d.EscalationLevel;
                highestAt = reachedAt;
            }
            else if (d.EscalationLevel == highest && highest > 0 && reachedAt < highestAt)
            {
                highestAt = reachedAt;
            }
        }

        Add(lastCase, highest, highestAt);
        return result;

        void Add(string? caseId, int level, DateTimeOffset at)
        {
            if (caseId is not null && level > 0 && seen.Add((caseId, level)))
            {
                result.Add((caseId, level, at));
            }
        }
    }
}
