using System.Globalization;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Reports;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Web;

/// <summary>One target of a case on the board.</summary>
public sealed record BoardTarget(string? Target, string Status, DateTimeOffset? DueAt, double PercentUsed, int EscalationLevel);

/// <summary>
/// One case on the support leads' board: the case's latest decisions grouped (one row per case), the most urgent
/// target's figures, who it is escalated to and what comes next, every instant in the case's zone.
/// </summary>
/// <param name="CaseId">The case.</param>
/// <param name="Lane">Why it is on the board: <c>breached</c>, <c>at-risk</c> or <c>due-next</c>.</param>
/// <param name="Customer">The customer.</param>
/// <param name="Service">The service.</param>
/// <param name="Severity">The severity.</param>
/// <param name="Policy">The governing policy and version, <c>id@version</c>.</param>
/// <param name="Zone">The case's zone (the calendar's time zone, else its opening offset).</param>
/// <param name="Open">Some target's clock still counts (the case is not resolved for it).</param>
/// <param name="Status">The worst status among the targets.</param>
/// <param name="DueAt">The due time of the most urgent target (breached: when it was due; open: when it falls due).</param>
/// <param name="PercentUsed">The highest percent used among the targets.</param>
/// <param name="EscalationLevel">The case's escalation level.</param>
/// <param name="EscalatedTo">The recipient of the highest ladder step reached (<c>duty-manager</c>); null when none was.</param>
/// <param name="Now">What to do now, in one line: the most urgent target, since when it is overdue or when it is due, who has it, the next step.</param>
/// <param name="Headline">The most urgent target's outcome with the reason for its level (its explanation's first step).</param>
/// <param name="Targets">The case's breached and open targets in the latest evaluation (a target met is not listed).</param>
public sealed record BoardCase(
    string CaseId,
    string Lane,
    string? Customer,
    string? Service,
    int? Severity,
    string? Policy,
    string Zone,
    bool Open,
    string Status,
    DateTimeOffset? DueAt,
    double PercentUsed,
    int EscalationLevel,
    string? EscalatedTo,
    string Now,
    string Headline,
    IReadOnlyList<BoardTarget> Targets);

/// <summary>The answer of <c>GET /api/board</c>.</summary>
public sealed record BoardView(
    DateTimeOffset? AsOf,
    DateOnly? EvaluationDate,
    long? RunId,
    IReadOnlyList<BoardCase> Breached,
    IReadOnlyList<BoardCase> AtRisk,
    IReadOnlyList<BoardCase> DueNext);

/// <summary>One attainment term's margin, as <c>GET /api/at-stake</c> returns it.</summary>
public sealed record AtStakeTermView(
    string Customer,
    string PolicyId,
    string PolicyVersion,
    string Severity,
    int MetCount,
    int StoppedCount,
    decimal AttainmentPercent,
    decimal AtLeastPercent,
    bool Met,
    int? BreachesToTrip,
    int? MetToRecover,
    decimal CreditAmount,
    string Currency,
    string Sentence,
    IReadOnlyList<ExplanationStep> Explanation);

/// <summary>An open target and what its breach would cost, as <c>GET /api/at-stake</c> returns it.</summary>
public sealed record AtStakeCaseView(
    string CaseId,
    string? Target,
    string? Customer,
    string? Service,
    int? Severity,
    string Status,
    DateTimeOffset? DueAt,
    double PercentUsed,
    decimal CostIfBreached,
    string Currency,
    string Note);

/// <summary>The answer of <c>GET /api/at-stake</c>.</summary>
public sealed record AtStakeView(string Month, DateTimeOffset? AsOf, long? RunId, IReadOnlyList<AtStakeTermView> Terms, IReadOnlyList<AtStakeCaseView> Cases);

/// <summary>
/// The support leads' views: the board of cases by urgency and the money at stake, computed from the latest
/// evaluation in the store with the policies in force.
/// </summary>
public static class LeadViews
{
    /// <summary>
    /// An open target is at risk when it has reached the first step of its policy's escalation ladder (the agreement's
    /// own "someone must look now"), or, whatever its ladder, this share of its target, or it falls due within
    /// <see cref="DueSoon"/>.
    /// </summary>
    public const double AtRiskPercent = SqliteStore.AtRiskPercent;

    /// <summary>An open target due within this long after the evaluation is at risk: it breaches before the next night's run.</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromHours(24);

    /// <summary>The open targets listed as due next (after the breached and at-risk ones), soonest first.</summary>
    public const int DueNextCount = 25;

    private static readonly string[] StatusOrder = ["error", "breached", "running", "paused", "pending", "no-policy", "met", "cancelled"];

    /// <summary>Filters of the board; null or empty = all.</summary>
    public sealed record BoardFilter(string? Customer, string? Team, int? Severity, string? Service, string? Policy);

    /// <summary>The board of the latest evaluation.</summary>
    public static BoardView Board(IStore store, ICaseEvaluator evaluator, BoardFilter filter)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(filter);
        var policies = PoliciesOf(evaluator);
        var zones = new CaseZones.Lookup(store, evaluator);
        var stored = new List<StoredDecision>();
        foreach (var status in new[] { "breached", "running", "paused" })
        {
            stored.AddRange(store.QueryDecisions(new DecisionQuery(status, filter.Customer, filter.Service, LatestOnly: true, Limit: ApiEndpoints.MaxPage)));
        }

        var latest = stored.Select(s => (s.EvaluationDate, s.RunId, s.Decision.AsOf)).OrderByDescending(x => x.EvaluationDate).FirstOrDefault();
        var cases = new List<BoardCase>();
        var groups = new Dictionary<string, List<StoredDecision>>(StringComparer.Ordinal);
        foreach (var group in stored.GroupBy(s => s.Decision.CaseId, StringComparer.Ordinal))
        {
            var zone = zones.Of(group.Key);
            var decisions = group.Select(s => zones.Tell(s.Decision)).ToList();
            var row = Row(decisions, zone, policies);
            if ((filter.Severity is null || row.Severity == filter.Severity)
                && (filter.Policy is null || string.Equals(row.Policy, filter.Policy, StringComparison.OrdinalIgnoreCase)
                    || (row.Policy?.StartsWith(filter.Policy + "@", StringComparison.OrdinalIgnoreCase) ?? false))
                && (filter.Team is null || string.Equals(row.EscalatedTo, filter.Team, StringComparison.OrdinalIgnoreCase)))
            {
                cases.Add(row);
                groups[group.Key] = [.. group];
            }
        }

        // The headline is the first step of the most urgent target's explanation; a decision still counting is stored
        // without one (Run:Explain), so the rows shown get theirs built on request, as `why` would show it.
        BoardCase Shown(BoardCase row) => WithExplanations(store, evaluator, zones, policies, row, groups[row.CaseId]);
        var soonest = Comparer<DateTimeOffset?>.Create((a, b) => (a ?? DateTimeOffset.MaxValue).CompareTo(b ?? DateTimeOffset.MaxValue));
        return new BoardView(
            latest == default ? null : latest.AsOf,
            latest == default ? null : latest.EvaluationDate,
            latest == default ? null : latest.RunId,
            [.. cases.Where(c => c.Lane == "breached").OrderByDescending(c => c.Open).ThenBy(c => c.DueAt, soonest).ThenBy(c => c.CaseId, StringComparer.Ordinal).Select(Shown)],
            [.. cases.Where(c => c.Lane == "at-risk").OrderBy(c => c.DueAt, soonest).ThenByDescending(c => c.PercentUsed).Select(Shown)],
            [.. cases.Where(c => c.Lane == "due-next").OrderBy(c => c.DueAt, soonest).ThenByDescending(c => c.PercentUsed).Take(DueNextCount).Select(Shown)]);
    }

    /// <summary>
    /// The board row of a case whose listed decisions lack an explanation, told again with the explanations built on
    /// request (<see cref="OnRequestExplanations.Fill"/>) where they are the ones the run would have stored (no note:
    /// the case and the policies are as they were); <paramref name="row"/> itself when nothing is missing or nothing
    /// could be built.
    /// </summary>
    private static BoardCase WithExplanations(
        IStore store, ICaseEvaluator evaluator, CaseZones.Lookup zones, Dictionary<(string, string), Policy> policies, BoardCase row, List<StoredDecision> listed)
    {
        if (listed.All(s => !s.Decision.Explanation.IsDefaultOrEmpty) || store.GetCaseTrace(row.CaseId) is not { } trace)
        {
            return row;
        }

        var built = OnRequestExplanations.Fill(trace, evaluator).Decisions
            .Where(s => s.Decision.Explanation is [{ Kind: not "note" }, ..])
            .ToDictionary(s => (s.Decision.Target, s.Decision.PolicyVersion, s.Decision.AsOf), s => s.Decision.Explanation);
        var decisions = listed
            .Select(s => s.Decision.Explanation.IsDefaultOrEmpty && built.TryGetValue((s.Decision.Target, s.Decision.PolicyVersion, s.Decision.AsOf), out var steps)
                ? s.Decision with { Explanation = steps }
                : s.Decision)
            .Select(zones.Tell)
            .ToList();
        return Row(decisions, zones.Of(row.CaseId), policies);
    }

    private static BoardCase Row(List<Decision> decisions, Engine.Calendars.CaseZone zone, Dictionary<(string, string), Policy> policies)
    {
        var worst = decisions.OrderBy(d => Array.IndexOf(StatusOrder, DecisionJson.StatusName(d.Status)))
            .ThenBy(d => d.DueAt ?? DateTimeOffset.MaxValue).ThenByDescending(d => d.PercentUsed).First();
        var policy = worst.Policy is not null && worst.PolicyVersion is not null && policies.TryGetValue((worst.Policy, worst.PolicyVersion), out var p) ? p : null;
        var ladder = policy?.Escalations ?? [];
        var maxUsed = decisions.Max(d => d.PercentUsed);
        var escalatedTo = ladder.Where(s => (decimal)maxUsed >= s.AtPercent && s.To is not null).OrderByDescending(s => s.Level ?? 0).ThenByDescending(s => s.AtPercent)
            .Select(s => s.To).FirstOrDefault();
        var open = decisions.Where(d => d.Status is DecisionStatus.Running or DecisionStatus.Paused || (d.Status == DecisionStatus.Breached && d.StoppedAt is null)).ToList();
        var firstStep = ladder.Length == 0 ? (decimal)AtRiskPercent : Math.Min(ladder.Min(s => s.AtPercent), (decimal)AtRiskPercent);
        var lane = worst.Status == DecisionStatus.Breached ? "breached"
            : open.Any(d => (decimal)d.PercentUsed >= firstStep || (d.DueAt is { } due && due - d.AsOf <= DueSoon)) ? "at-risk"
            : "due-next";
        var headline = worst.Explanation.IsDefaultOrEmpty ? null : worst.Explanation.FirstOrDefault(s => s.Kind == "status")?.Text;
        var next = headline?.IndexOf("; next: ", StringComparison.Ordinal) is { } i and >= 0 ? headline[(i + 2)..] : null;
        // Who has the case and when it is due are columns of their own: this line says what the lead does with it.
        var now = worst.Status switch
        {
            DecisionStatus.Breached when worst.StoppedAt is { } stopped => $"{worst.Target} breached; its clock stopped at {zone.Format(stopped)}",
            DecisionStatus.Breached => $"{worst.Target} overdue by {Span(worst.AsOf - (worst.DueAt ?? worst.AsOf))}",
            DecisionStatus.Paused => $"{worst.Target} paused: no due time while paused; it counts again when the status changes",
            _ => $"{worst.Target} {(worst.DueAt is { } due ? $"due in {Span(due - worst.AsOf)}" : "running")}{(next is null ? string.Empty : "; " + next)}",
        };
        return new BoardCase(
            worst.CaseId,
            lane,
            worst.Customer,
            worst.Service,
            worst.Severity,
            worst.Policy is null ? null : $"{worst.Policy}@{worst.PolicyVersion}",
            zone.Id,
            open.Count > 0,
            DecisionJson.StatusName(worst.Status),
            worst.DueAt,
            maxUsed,
            decisions.Max(d => d.EscalationLevel),
            escalatedTo,
            now,
            headline ?? DecisionJson.StatusName(worst.Status),
            [.. decisions.OrderBy(d => d.Target, StringComparer.Ordinal).Select(d => new BoardTarget(d.Target, DecisionJson.StatusName(d.Status), d.DueAt, d.PercentUsed, d.EscalationLevel))]);
    }

    /// <summary>
    /// The money at stake in <paramref name="month"/> (default: the month of the latest run), from the latest run's
    /// decisions and the policies in force: each attainment term's margin and the open targets ranked by what their
    /// breach would cost.
    /// </summary>
    public static AtStakeView AtStake(IStore store, ICaseEvaluator evaluator, ReportingMonth? month, string? customer)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(evaluator);
        var run = store.GetLastSucceededRun();
        if (run is null || evaluator is not CaseEvaluator policies)
        {
            return new AtStakeView(month?.ToString() ?? string.Empty, run?.AsOf, run?.Id, [], []);
        }

        var period = month ?? ReportInputs.MonthOf(run.AsOf);
        var data = new StoreReportDataSource(store, policies).Load(period, run.AsOf, CancellationToken.None);
        var report = ServiceLevelCalculator.Compute(data.Inputs, period, run.AsOf, customer);
        var zones = new CaseZones.Lookup(store, evaluator);
        var open = new[] { "running", "paused" }
            .SelectMany(status => store.QueryDecisions(new DecisionQuery(status, customer, LatestOnly: true, Limit: ApiEndpoints.MaxPage)))
            .Select(s => zones.Tell(s.Decision));
        var cases = MoneyAtStake.OpenCases(open, report.AtStake);
        return new AtStakeView(
            period.ToString(),
            run.AsOf,
            run.Id,
            [.. report.AtStake.Select(m => new AtStakeTermView(
                m.Customer, m.PolicyId, m.PolicyVersion, m.SeverityLabel, m.MetCount, m.StoppedCount, m.AttainmentPercent, m.AtLeastPercent, m.Met,
                m.BreachesToTrip, m.MetToRecover, m.CreditAmount, m.Currency, m.Sentence, m.Credit.Explanation))],
            [.. cases.Select(c => new AtStakeCaseView(
                c.Decision.CaseId, c.Decision.Target, c.Decision.Customer, c.Decision.Service, c.Decision.Severity, DecisionJson.StatusName(c.Decision.Status),
                c.Decision.DueAt, c.Decision.PercentUsed, c.CostIfBreached, c.Currency, c.Note))]);
    }

    private static Dictionary<(string, string), Policy> PoliciesOf(ICaseEvaluator evaluator) => evaluator is CaseEvaluator e
        ? e.Set.Policies.GroupBy(p => (p.Id, p.Version)).ToDictionary(g => g.Key, g => g.First())
        : [];

    /// <summary>A duration as a person says it: <c>26 d 23 h</c>, <c>4 h 10 min</c>, <c>35 min</c>.</summary>
    internal static string Span(TimeSpan span)
    {
        var minutes = (long)Math.Max(0, Math.Round(span.TotalMinutes));
        var (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        return days > 0 ? $"{days} d {hours} h" : hours > 0 ? $"{hours} h {rest} min" : $"{rest} min";
    }

    /// <summary>A severity filter: a whole number, or null.</summary>
    internal static int? Severity(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var severity) ? severity : null;
}
