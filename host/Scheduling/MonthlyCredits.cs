using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Reports;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>What the credits step of a run did: the months computed and the rows written, changed and removed.</summary>
public sealed record MonthlyCreditsResult(IReadOnlyList<string> Periods, CreditWriteResult Write, int OwedCount, ImmutableArray<string> Warnings)
{
    /// <summary>The subscriptions and customers whose figures could not be computed and were left out (the others were stored).</summary>
    public ImmutableArray<string> Errors { get; init; } = [];

    /// <summary>The errors as the run records them, or null when there were none.</summary>
    public string? ErrorText => Errors.IsEmpty ? null : $"service credits: {Errors.Length} left out: {string.Join("; ", Errors)}";

    /// <summary>Claim rows inserted, updated or removed (<see cref="IStore.WriteClaims"/>): 0 when the same night runs again.</summary>
    public int ClaimsChanged { get; init; }

    /// <summary>Rows inserted, updated or removed: 0 when the same night runs again over the same inputs.</summary>
    public int Changed => Write.Changed + Write.Removed;
}

/// <summary>
/// The credits step of the nightly run: computes availability, performance objectives, attainment and service credits
/// of the UTC month containing asOf (month to date) with <see cref="ServiceLevelCalculator"/>, from the store's
/// subscriptions, outages and measurements and the decisions the run stored (see <see cref="StoreReportDataSource"/>), and upserts
/// them in one transaction (<see cref="IStore.WriteServiceCredits"/>).
/// </summary>
/// <remarks>
/// During the first <see cref="PreviousMonthDays"/> days of a month (UTC) the previous month is computed again as
/// well: its last nightly run inside the month measured it only up to that night, so this is what makes its figures
/// final (measured to its last minute) and takes in outages reported late. Thread-safe; stateless.
/// </remarks>
public sealed class MonthlyCredits(IStore store, ILogger logger)
{
    /// <summary>Days at the start of a month during which the previous month is computed again (UTC days 1 to 3).</summary>
    public const int PreviousMonthDays = 3;

    /// <summary>
    /// Computes and stores the months of <paramref name="asOf"/> with the policy set of <paramref name="evaluator"/>.
    /// An evaluator that is not a compiled policy set (no policies loaded) has no credit terms: nothing is written.
    /// </summary>
    public MonthlyCreditsResult Write(long runId, DateTimeOffset asOf, ICaseEvaluator evaluator, CancellationToken cancellationToken)
    {
        if (evaluator is not CaseEvaluator compiled)
        {
            logger.LogWarning("run {RunId}: no compiled policy set in force, so no service credits were computed", runId);
            return new MonthlyCreditsResult([], default, 0, []);
        }

        var months = MonthsOf(asOf);
        var source = new StoreReportDataSource(store, compiled);
        var credits = new List<ServiceCredit>();
        var claims = new List<CreditClaim>();
        var warnings = new List<string>();
        var errors = new List<string>();
        // A rolling cap needs what the months before credited: the stored customer totals, or those this run computes.
        var run = compiled.Set.Policies.Select(p => p.RollingCreditCap?.Months ?? 0).DefaultIfEmpty(0).Max();
        var computed = new Dictionary<string, IReadOnlyList<EarlierCredit>>(StringComparer.Ordinal);
        foreach (var month in months)
        {
            var data = source.Load(month, asOf, cancellationToken);
            var inputs = run > 1 ? data.Inputs with { CreditHistory = History(month, run, computed) } : data.Inputs;
            var report = ServiceLevelCalculator.Compute(inputs, month, asOf);
            computed[month.ToString()] = [.. report.CreditTotals.Select(t => new EarlierCredit(t.Customer, t.PolicyId, t.Period, t.Currency, t.Payable))];
            credits.AddRange(Rows(report));
            claims.AddRange(report.Claims);
            warnings.AddRange(data.Warnings.Concat(report.Warnings).Select(w => $"{month}: {w}"));
            errors.AddRange(report.Errors.Select(e => $"{month}: {e}"));
        }

        foreach (var warning in warnings.Distinct())
        {
            logger.LogWarning("run {RunId}: service credits: {Warning}", runId, warning);
        }

        foreach (var error in errors)
        {
            logger.LogError("run {RunId}: service credits: {Error}", runId, error);
        }

        var periods = months.Select(m => m.ToString()).ToArray();
        var write = store.WriteServiceCredits(periods, credits, runId, asOf);
        var owed = credits.Count(c => c.Kind != ServiceCreditKind.CustomerTotal && c.Amount > 0);
        var claimsChanged = store.WriteClaims(periods, claims, runId, asOf);
        return new MonthlyCreditsResult(periods, write, owed, [.. warnings.Distinct()]) { Errors = [.. errors], ClaimsChanged = claimsChanged };
    }

    /// <summary>
    /// The customer totals credited in the <paramref name="run"/> − 1 months before <paramref name="month"/>: those this run
    /// computed, else the store's (<see cref="ServiceCreditKind.CustomerTotal"/> rows above 0).
    /// </summary>
    private List<EarlierCredit> History(ReportingMonth month, int run, Dictionary<string, IReadOnlyList<EarlierCredit>> computed)
    {
        const int Page = 1000;
        var history = new List<EarlierCredit>();
        for (var back = 1; back < run && (month.Year * 12) + month.Month - back > 12; back++)
        {
            var start = month.Start.AddMonths(-back);
            var period = new ReportingMonth(start.Year, start.Month).ToString();
            if (computed.TryGetValue(period, out var fresh))
            {
                history.AddRange(fresh);
                continue;
            }

            for (var offset = 0; ; offset += Page)
            {
                var rows = store.QueryServiceCredits(new ServiceCreditQuery(period, OwedOnly: true, Limit: Page, Offset: offset));
                history.AddRange(rows.Select(r => r.Credit).Where(c => c.Kind == ServiceCreditKind.CustomerTotal)
                    .Select(c => new EarlierCredit(c.Customer, c.PolicyId, c.Period, c.Currency, c.Amount)));
                if (rows.Count < Page)
                {
                    break;
                }
            }
        }

        return history;
    }

    /// <summary>The month containing <paramref name="asOf"/> (UTC), preceded by the month before during its first <see cref="PreviousMonthDays"/> days.</summary>
    public static IReadOnlyList<ReportingMonth> MonthsOf(DateTimeOffset asOf)
    {
        var month = ReportInputs.MonthOf(asOf);
        if (asOf.UtcDateTime.Day > PreviousMonthDays || month is { Year: 1, Month: 1 })
        {
            return [month];
        }

        var previous = month.Month == 1 ? new ReportingMonth(month.Year - 1, 12) : new ReportingMonth(month.Year, month.Month - 1);
        return [previous, month];
    }

    /// <summary>
    /// The stored rows of a month's figures: one per availability result, performance result and attainment result
    /// (met or not, so the store also says what was within its objective), and one per customer total after the
    /// customer cap. Amounts are the engine's, already rounded to cents.
    /// </summary>
    public static IEnumerable<ServiceCredit> Rows(ServiceLevelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var a in report.Availability)
        {
            yield return new ServiceCredit(
                a.Period, a.Customer, ServiceCreditKind.Availability, AvailabilityObjective(a), a.Service, a.Region, a.PolicyId, a.PolicyVersion, a.Currency,
                a.Credit.Objective, Tier(a.Credit, "below"), a.AvailabilityPercent, a.Met, a.CreditPercent, a.CreditAmount, a.Credit.Explanation);
        }

        foreach (var p in report.Performance)
        {
            var word = p.Direction == ObjectiveDirection.AtMost ? "above" : "below";
            var target = p.Credit?.Objective ?? $"{p.Objective}: {p.Statistic} of {p.Metric} {(p.Direction == ObjectiveDirection.AtMost ? "at most" : "at least")} {Num(p.Threshold)}";
            var explanation = p.Credit?.Explanation
                ?? [new ExplanationStep("objective", $"{target}; no {p.Metric} samples in {p.Period}: not judged, no credit")];
            yield return new ServiceCredit(
                p.Period, p.Customer, ServiceCreditKind.Performance, p.Objective, p.Service, p.Region, p.PolicyId, p.PolicyVersion, p.Currency,
                target, p.Credit is null ? null : Tier(p.Credit, word), p.MeasuredValue, p.Met, p.CreditPercent, p.CreditAmount, explanation);
        }

        foreach (var a in report.Attainment)
        {
            yield return new ServiceCredit(
                a.Period, a.Customer, ServiceCreditKind.Attainment, a.SeverityLabel, string.Empty, string.Empty, a.PolicyId, a.PolicyVersion, a.Currency,
                a.Credit.Objective, Tier(a.Credit, "below"), a.AttainmentPercent, a.Met, a.CreditPercent, a.CreditAmount, a.Credit.Explanation);
        }

        foreach (var t in report.CreditTotals)
        {
            var target = t.CapPercent is { } cap
                ? $"customerCreditCap {Num(cap)}% of {Num(t.FeeBase)} {t.Currency}".TrimEnd()
                : "no customer cap";
            yield return new ServiceCredit(
                t.Period, t.Customer, ServiceCreditKind.CustomerTotal, "total", string.Empty, string.Empty, t.PolicyId, string.Empty, t.Currency,
                target, null, null, null, null, t.Payable, t.Explanation);
        }
    }

    private static string? Tier(CreditAssessment credit, string word) =>
        credit.Tier?.Label(word);

    private static string Num(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// The objective of an availability row: <c>availability</c>, or the term's <c>id</c> when the agreement names it, and
    /// <c>/resource</c> for a resource judged on its own, so that each objective and resource of a subscription has its row.
    /// </summary>
    internal static string AvailabilityObjective(AvailabilityResult a) =>
        (a.ObjectiveId ?? "availability") + (a.Resource is { } resource ? "/" + resource : string.Empty);
}
