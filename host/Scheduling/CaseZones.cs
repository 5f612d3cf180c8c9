using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Puts what the store holds (instants in UTC) back in each case's own zone before a person reads it: the zone of the
/// calendar of the policy in force that governs the case, else the offset it was opened with
/// (<see cref="ICaseEvaluator.ZoneOf"/>). <c>why</c>, the HTTP API and the page all read through here.
/// </summary>
public static class CaseZones
{
    /// <summary>The trace with every decision's instants in the case's zone, and that zone.</summary>
    public static (CaseTrace Trace, CaseZone Zone) InCaseZone(CaseTrace trace, ICaseEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(evaluator);
        var zone = evaluator.ZoneOf(trace.Case);
        return (trace with { Decisions = [.. trace.Decisions.Select(d => d with { Decision = d.Decision.InZone(zone) })] }, zone);
    }

    /// <summary>
    /// Finds the zone of stored decisions' cases, reading each case once; a case no longer in the store is told in UTC.
    /// </summary>
    public sealed class Lookup(IStore store, ICaseEvaluator evaluator)
    {
        private readonly Dictionary<string, (CaseZone Zone, int? Severity)> _cases = new(StringComparer.Ordinal);

        /// <summary>The zone of case <paramref name="caseId"/>.</summary>
        public CaseZone Of(string caseId) => Read(caseId).Zone;

        /// <summary>
        /// A stored decision as a person reads it: its instants in its case's zone, and the case's severity where the
        /// row does not carry one (rows stored before the store kept it).
        /// </summary>
        public Decision Tell(Decision decision)
        {
            ArgumentNullException.ThrowIfNull(decision);
            var (zone, severity) = Read(decision.CaseId);
            return decision.InZone(zone) with { Severity = decision.Severity ?? severity };
        }

        private (CaseZone Zone, int? Severity) Read(string caseId)
        {
            if (!_cases.TryGetValue(caseId, out var known))
            {
                known = store.GetCase(caseId) is { } ticket ? (evaluator.ZoneOf(ticket), ticket.Severity) : (CaseZone.Utc, null);
                _cases[caseId] = known;
            }

            return known;
        }
    }
}
