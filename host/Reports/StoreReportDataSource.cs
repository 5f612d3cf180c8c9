using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Reports;

/// <summary>
/// The report's data from the store, for one month: every subscription, the outages overlapping the month's window,
/// the measurements taken in it, and the decisions that attainment counts, from the stored cases evaluated with
/// <paramref name="evaluator"/> as of the request's time. Policies are the evaluator's own set, so the figures are
/// judged by the policies that decided the cases.
/// </summary>
/// <remarks>
/// Bounded by the month rather than the store: outages and measurements outside the window are not read, and of the
/// decisions only those met or breached whose clock stopped in the window are kept (what attainment counts), so memory
/// grows with the month's stopped targets, not with the number of cases. Evaluating the cases again costs about what
/// the nightly evaluation costs without explanations. The file members of <see cref="ReportRequest"/> are ignored.
/// </remarks>
public sealed class StoreReportDataSource(IStore store, CaseEvaluator evaluator) : IReportDataSource
{
    /// <inheritdoc />
    public ReportData Load(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Load(request.Period ?? ReportInputs.MonthOf(request.AsOf), request.AsOf, CancellationToken.None);
    }

    /// <summary>Loads the inputs of <paramref name="month"/> as of <paramref name="asOf"/>.</summary>
    public ReportData Load(ReportingMonth month, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        // Before the month begins its window is empty: nothing to read, but every subscription still gets its row.
        var (from, to) = month.WindowAsOf(asOf) ?? (month.Start, month.Start);
        var subscriptions = store.ReadSubscriptions();
        var outages = store.ReadOutages(from, to, cancellationToken).ToList();
        var measurements = store.ReadMeasurements(from, to, cancellationToken).ToList();
        var decisions = new List<Decision>();
        var unjudged = 0;
        foreach (var ticket in store.ReadCases(cancellationToken))
        {
            foreach (var d in evaluator.Evaluate(ticket, asOf, explain: false))
            {
                if (d.Status is DecisionStatus.Error or DecisionStatus.NoPolicy)
                {
                    unjudged++;
                }
                else if (d.Status is DecisionStatus.Met or DecisionStatus.Breached && d.StoppedAt is { } stopped && month.Contains(stopped) && stopped <= asOf)
                {
                    decisions.Add(d);
                }
            }
        }

        var warnings = unjudged == 0 ? Array.Empty<string>() : [$"{unjudged} case decision(s) are `error` or `no policy`: attainment cannot account for them"];
        var inputs = ReportInputs.Create(evaluator.Set, subscriptions, outages, measurements, decisions, []);
        return new ReportData(inputs, [.. warnings]);
    }
}
