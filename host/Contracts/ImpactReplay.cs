using System.Collections.Immutable;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Reports;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Contracts;

/// <summary>What changed about one (case, target) decision between the baseline and the new policies.</summary>
[Flags]
public enum DecisionChangeKind
{
    None = 0,

    /// <summary>The status differs (met, breached, running, paused, ...).</summary>
    Status = 1,

    /// <summary>The due time differs.</summary>
    Due = 2,

    /// <summary>The escalation level differs.</summary>
    Level = 4,

    /// <summary>Only the new policies have a decision for this target.</summary>
    Added = 8,

    /// <summary>Only the baseline has a decision for this target.</summary>
    Removed = 16,
}

/// <summary>One decision that changes: the case, both decisions (null where a side has none) and what changed.</summary>
public sealed record DecisionChange(CaseRecord Case, string Target, Decision? Before, Decision? After, DecisionChangeKind Kinds);

/// <summary>One of a month's service credit figures that changes (availability, performance, attainment, a customer's total).</summary>
public sealed record CreditChange(ServiceCredit? Before, ServiceCredit? After)
{
    public ServiceCredit Any => Before ?? After!;

    /// <summary>The amount after minus the amount before.</summary>
    public decimal Delta => (After?.Amount ?? 0) - (Before?.Amount ?? 0);
}

/// <summary>What a customer is owed in one currency in a month, under the baseline and under the new policies (after its cap).</summary>
public sealed record CreditsPayable(string Currency, decimal Before, decimal After)
{
    public decimal Delta => After - Before;
}

/// <summary>A customer's month under both policy sets: targets met and breached, and the credits payable per currency.</summary>
public sealed record CustomerMonthImpact(
    string Customer, string Period, int MetBefore, int BreachedBefore, int MetAfter, int BreachedAfter, ImmutableArray<CreditsPayable> Credits)
{
    /// <summary>Share of stopped targets met under the baseline, percent; null when none stopped.</summary>
    public decimal? AttainmentBefore => Share(MetBefore, BreachedBefore);

    /// <summary>Share of stopped targets met under the new policies, percent; null when none stopped.</summary>
    public decimal? AttainmentAfter => Share(MetAfter, BreachedAfter);

    public bool Changed => MetBefore != MetAfter || BreachedBefore != BreachedAfter || Credits.Any(c => c.Delta != 0);

    private static decimal? Share(int met, int breached) => met + breached == 0 ? null : met * 100m / (met + breached);
}

/// <summary>Everything <c>slapolicy impact</c> found: counts first, then the details.</summary>
public sealed record ImpactResult(
    IReadOnlyList<ReportingMonth> Months,
    DateTimeOffset AsOf,
    long CasesReplayed,
    long DecisionsBefore,
    long DecisionsAfter,
    long Changed,
    IReadOnlyDictionary<string, long> ChangeCounts,
    ImmutableArray<DecisionChange> Changes,
    ImmutableArray<CreditChange> CreditChanges,
    ImmutableArray<CustomerMonthImpact> CustomerMonths)
{
    /// <summary>Credits payable after minus before, per currency (customer totals, after each customer's cap).</summary>
    public IReadOnlyList<(string Currency, decimal Before, decimal After)> MoneyByCurrency =>
        [.. CustomerMonths.SelectMany(c => c.Credits).GroupBy(c => c.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(c => c.Before), g.Sum(c => c.After)))];

    /// <summary>Changed decisions counted but not kept in <see cref="Changes"/> (beyond the replay's detail limit).</summary>
    public long NotListed => Changed - Changes.Length;
}

/// <summary>
/// Replays the stored cases and service data of a period under two policy sets (the baseline in force and a new
/// one), in memory: every case active in the period is evaluated under both as of one instant, and each month's
/// availability, performance, attainment and credits are computed under both with the nightly run's calculator and
/// credit rows (<see cref="ServiceLevelCalculator"/>, <see cref="MonthlyCredits.Rows"/>). Nothing is written to the store.
/// </summary>
/// <remarks>
/// Cases are streamed from the store and evaluated once under each set, without explanations (those are built for the
/// rows shown, on request): the cost is two evaluations of the period's cases. Memory grows with the period's stopped
/// targets (what attainment counts, as in the nightly run) and with the changed decisions kept for the details, at most
/// <paramref name="detailLimit"/>; the rest are counted.
/// </remarks>
public sealed class ImpactReplay(IStore store, CaseEvaluator baseline, CaseEvaluator proposed, int detailLimit = ImpactReplay.DefaultDetailLimit)
{
    /// <summary>Changed decisions kept for the details by default; further ones are counted only.</summary>
    public const int DefaultDetailLimit = 10_000;

    /// <summary>Replays the months <paramref name="from"/> to <paramref name="to"/> (inclusive) as of <paramref name="asOf"/>.</summary>
    public ImpactResult Run(ReportingMonth from, ReportingMonth to, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var months = Months(from, to);
        var start = months[0].Start;
        var end = months[^1].End < asOf ? months[^1].End : asOf;
        var before = new List<Decision>();
        var after = new List<Decision>();
        var changes = ImmutableArray.CreateBuilder<DecisionChange>();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long replayed = 0, decisionsBefore = 0, decisionsAfter = 0, changed = 0;
        foreach (var ticket in store.ReadCases(cancellationToken))
        {
            if (ticket.OpenedAt >= end || ticket.ResolvedAt is { } resolved && resolved < start)
            {
                continue;
            }

            replayed++;
            var old = baseline.Evaluate(ticket, asOf, explain: false);
            var @new = proposed.Evaluate(ticket, asOf, explain: false);
            decisionsBefore += old.Count;
            decisionsAfter += @new.Count;
            Keep(old, before, start, end);
            Keep(@new, after, start, end);
            foreach (var change in Compare(ticket, old, @new))
            {
                changed++;
                foreach (var label in Labels(change))
                {
                    counts[label] = counts.GetValueOrDefault(label) + 1;
                }

                if (changes.Count < detailLimit)
                {
                    changes.Add(change);
                }
            }
        }

        var (credits, customerMonths) = Credits(months, asOf, before, after, cancellationToken);
        return new ImpactResult(months, asOf, replayed, decisionsBefore, decisionsAfter, changed, counts, changes.ToImmutable(), credits, customerMonths);
    }

    /// <summary>The decisions of one case under both sets, with explanations: what the details show for a changed row.</summary>
    public (IReadOnlyList<Decision> Before, IReadOnlyList<Decision> After) Explain(CaseRecord ticket, DateTimeOffset asOf) =>
        (baseline.Evaluate(ticket, asOf, explain: true), proposed.Evaluate(ticket, asOf, explain: true));

    /// <summary>The months from <paramref name="from"/> to <paramref name="to"/>, inclusive; empty when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    public static IReadOnlyList<ReportingMonth> Months(ReportingMonth from, ReportingMonth to)
    {
        var months = new List<ReportingMonth>();
        for (var m = from; m.Start <= to.Start; m = m.Month == 12 ? new ReportingMonth(m.Year + 1, 1) : new ReportingMonth(m.Year, m.Month + 1))
        {
            months.Add(m);
        }

        return months;
    }

    /// <summary>The labels a change is counted under in the summary, e.g. <c>met -> breached</c>, <c>due earlier</c>, <c>level gained</c>.</summary>
    public static IEnumerable<string> Labels(DecisionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kinds.HasFlag(DecisionChangeKind.Added))
        {
            yield return "target added";
            yield break;
        }

        if (change.Kinds.HasFlag(DecisionChangeKind.Removed))
        {
            yield return "target removed";
            yield break;
        }

        var (b, a) = (change.Before!, change.After!);
        if (change.Kinds.HasFlag(DecisionChangeKind.Status))
        {
            yield return $"{DecisionJson.StatusName(b.Status)} -> {DecisionJson.StatusName(a.Status)}";
        }

        if (change.Kinds.HasFlag(DecisionChangeKind.Due))
        {
            yield return b.DueAt is { } x && a.DueAt is { } y ? (y < x ? "due earlier" : "due later") : "due time set or cleared";
        }

        if (change.Kinds.HasFlag(DecisionChangeKind.Level))
        {
            yield return a.EscalationLevel > b.EscalationLevel ? "escalation level gained" : "escalation level lost";
        }
    }

    private static IEnumerable<DecisionChange> Compare(CaseRecord ticket, IReadOnlyList<Decision> old, IReadOnlyList<Decision> @new)
    {
        foreach (var b in old)
        {
            var a = @new.FirstOrDefault(d => d.Target == b.Target);
            if (a is null)
            {
                yield return new DecisionChange(ticket, b.Target ?? "(none)", b, null, DecisionChangeKind.Removed);
                continue;
            }

            var kinds = (a.Status != b.Status ? DecisionChangeKind.Status : 0)
                | (a.DueAt != b.DueAt ? DecisionChangeKind.Due : 0)
                | (a.EscalationLevel != b.EscalationLevel ? DecisionChangeKind.Level : 0);
            if (kinds != DecisionChangeKind.None)
            {
                yield return new DecisionChange(ticket, b.Target ?? "(none)", b, a, kinds);
            }
        }

        foreach (var a in @new.Where(a => !old.Any(b => b.Target == a.Target)))
        {
            yield return new DecisionChange(ticket, a.Target ?? "(none)", null, a, DecisionChangeKind.Added);
        }
    }

    /// <summary>
    /// Keeps what the month's figures count: decisions whose clock stopped in the period, breached ones still open
    /// (overdue), and those that could not be judged (error, no policy).
    /// </summary>
    private static void Keep(IReadOnlyList<Decision> decisions, List<Decision> kept, DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var d in decisions)
        {
            if (d.StoppedAt is { } stopped ? stopped >= start && stopped < end : d.Status is DecisionStatus.Breached or DecisionStatus.Error or DecisionStatus.NoPolicy)
            {
                kept.Add(d);
            }
        }
    }

    private (ImmutableArray<CreditChange>, ImmutableArray<CustomerMonthImpact>) Credits(
        IReadOnlyList<ReportingMonth> months, DateTimeOffset asOf, List<Decision> before, List<Decision> after, CancellationToken cancellationToken)
    {
        var subscriptions = store.ReadSubscriptions();
        var creditChanges = ImmutableArray.CreateBuilder<CreditChange>();
        var customerMonths = ImmutableArray.CreateBuilder<CustomerMonthImpact>();
        foreach (var month in months)
        {
            if (month.Start >= asOf)
            {
                break;
            }

            var monthAsOf = month.End < asOf ? month.End : asOf;
            var (from, to) = month.WindowAsOf(monthAsOf) ?? (month.Start, month.Start);
            var outages = store.ReadOutages(from, to, cancellationToken).ToList();
            var measurements = store.ReadMeasurements(from, to, cancellationToken).ToList();
            ServiceLevelReport Report(CaseEvaluator evaluator, List<Decision> decisions) => ServiceLevelCalculator.Compute(
                ReportInputs.Create(evaluator.Set, subscriptions, outages, measurements, decisions, []), month, monthAsOf);
            var old = Report(baseline, before);
            var @new = Report(proposed, after);
            var oldRows = MonthlyCredits.Rows(old).ToLookup(Key);
            var newRows = MonthlyCredits.Rows(@new).ToLookup(Key);
            foreach (var key in oldRows.Select(g => g.Key).Union(newRows.Select(g => g.Key)))
            {
                var b = oldRows[key].FirstOrDefault();
                var a = newRows[key].FirstOrDefault();
                if (b is null || a is null || b.Amount != a.Amount || b.Met != a.Met || b.Measured != a.Measured)
                {
                    creditChanges.Add(new CreditChange(b, a));
                }
            }

            var payableBefore = Payable(oldRows);
            var payableAfter = Payable(newRows);
            var targetsBefore = Targets(old);
            var targetsAfter = Targets(@new);
            var customers = targetsBefore.Keys.Union(targetsAfter.Keys).Union(payableBefore.Keys.Select(k => k.Customer)).Union(payableAfter.Keys.Select(k => k.Customer))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var customer in customers)
            {
                var currencies = payableBefore.Keys.Concat(payableAfter.Keys).Where(k => k.Customer == customer).Select(k => k.Currency)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                var (metB, brB) = targetsBefore.GetValueOrDefault(customer);
                var (metA, brA) = targetsAfter.GetValueOrDefault(customer);
                customerMonths.Add(new CustomerMonthImpact(
                    customer, month.ToString(), metB, brB, metA, brA,
                    [.. currencies.Select(c => new CreditsPayable(c, payableBefore.GetValueOrDefault((customer, c)), payableAfter.GetValueOrDefault((customer, c))))]));
            }
        }

        return (creditChanges.ToImmutable(), customerMonths.ToImmutable());
    }

    /// <summary>Targets met and breached per customer, all severities together.</summary>
    private static Dictionary<string, (int Met, int Breached)> Targets(ServiceLevelReport report) =>
        report.Compliance.GroupBy(c => c.Customer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (g.Sum(c => c.Met), g.Sum(c => c.Breached)), StringComparer.Ordinal);

    /// <summary>What each customer is owed per currency: its total rows (after its cap) summed.</summary>
    private static Dictionary<(string Customer, string Currency), decimal> Payable(ILookup<(string, string, ServiceCreditKind, string, string, string, string), ServiceCredit> rows) =>
        rows.SelectMany(g => g).Where(r => r.Kind == ServiceCreditKind.CustomerTotal)
            .GroupBy(r => (r.Customer, r.Currency)).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));

    /// <summary>A credit figure's identity across the two policy sets (the policy version may differ between them).</summary>
    private static (string, string, ServiceCreditKind, string, string, string, string) Key(ServiceCredit r) =>
        (r.Period, r.Customer, r.Kind, r.Objective, r.Service, r.Region, r.Currency);
}
