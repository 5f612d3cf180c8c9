using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Reports;

/// <summary>
/// The report's data from the store, for one month: every subscription, the outages overlapping the month's window,
/// the measurements taken in it, and the decisions that attainment counts, as the run as of the request's time stored
/// them (<see cref="IStore.ReadAttainmentDecisions"/>). Policies are <paramref name="evaluator"/>'s set, the one that
/// decided the run's cases, so the figures are judged by the policies that decided them.
/// </summary>
/// <remarks>
/// Bounded by the month rather than the store: outages and measurements outside the window are not read, and of the
/// decisions only those met or breached whose clock stopped in the month are read (what attainment counts), so memory
/// grows with the month's stopped targets, not with the number of cases, and no case is evaluated again. The run as of
/// asOf must have stored its decisions first (the nightly run computes credits once every partition is done). The file
/// members of <see cref="ReportRequest"/> are ignored.
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

        // The current decisions serve the previous month as well as the current one (MonthlyCredits recomputes the
        // previous month during the first days of a month): every case has its current decisions, with their stop
        // instants, whether the last night evaluated it or kept what an earlier night decided (a settled case). The
        // month's end bounds the read (exclusive); the filter below keeps the rule "not after asOf" explicit, as the
        // calculator does.
        // Those that stopped before asOf's UTC day are counted in SQL (IStore.ReadAttainmentDecisions).
        var day = new DateTimeOffset(asOf.UtcDateTime.Date, TimeSpan.Zero);
        var decisions = store.ReadAttainmentDecisions(month.Start, month.End, day, cancellationToken)
            .Where(d => d.StoppedAt is { } stopped && stopped <= asOf)
            .ToList();
        var unjudged = store.CountUnjudgedDecisions();

        var warnings = unjudged == 0 ? Array.Empty<string>() : [$"{unjudged} case decision(s) are `error` or `no policy`: attainment cannot account for them"];
        var inputs = ReportInputs.Create(evaluator.Set, subscriptions, outages, measurements, decisions, []);
        return new ReportData(inputs, [.. warnings]);
    }
}
