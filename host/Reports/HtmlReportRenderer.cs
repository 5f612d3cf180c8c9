using System.Globalization;
using System.Text;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using static SlaPolicy.Host.Reports.ReportFormat;
using static SlaPolicy.Host.Reports.SvgCharts;

namespace SlaPolicy.Host.Reports;

/// <summary>
/// Renders a <see cref="ServiceLevelReport"/> as one self-contained HTML page: inline CSS, inline SVG charts,
/// no scripts and no external requests, laid out to print on A4.
/// </summary>
public static class HtmlReportRenderer
{
    private static readonly double[] AvailabilityFloors = [99.9, 99.5, 99, 98, 95, 90, 80, 50, 0];

    /// <summary>The whole page as a string (UTF-8 when written to a file).</summary>
    public static string Render(ServiceLevelReport report)
    {
        var who = report.Customer ?? "all customers";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append($"<title>Service level report {Esc(report.Period)} — {Esc(who)}</title><style>{Css}</style></head><body><main>");
        sb.Append($"<header><h1>Service level report <span class=\"period\">{Esc(report.Period)}</span></h1>");
        sb.Append($"<p class=\"meta\">{Esc(who)} · as of {Esc(Date(report.AsOf))} · calendar month in UTC</p></header>");
        Summary(sb, report);
        if (report.Warnings.Length > 0)
        {
            sb.Append("<section class=\"warnings\"><h2>Needs attention</h2><ul>");
            foreach (var w in report.Warnings)
            {
                sb.Append($"<li>{Esc(w)}</li>");
            }

            sb.Append("</ul></section>");
        }

        sb.Append("<section><h2>Availability</h2>");
        sb.Append(AvailabilityChart(report));
        AvailabilityTable(sb, report);
        OutagesTable(sb, report);
        sb.Append("</section>");
        if (report.Performance.Length > 0)
        {
            sb.Append("<section><h2>Performance objectives</h2>");
            PerformanceTable(sb, report);
            sb.Append("</section>");
        }

        sb.Append("<section><h2>Attainment</h2>");
        sb.Append(AttainmentChart(report));
        AttainmentTable(sb, report);
        sb.Append("<h3>Targets per customer and severity</h3>");
        ComplianceTable(sb, report);
        sb.Append("</section><section><h2>Credits</h2>");
        sb.Append(CreditsChart(report));
        CreditsTable(sb, report);
        ClaimsTable(sb, report);
        sb.Append("</section><section><h2>Money at stake</h2>");
        AtStakeTables(sb, report);
        sb.Append("</section><section><h2>Breaches</h2>");
        sb.Append(BreachesChart(report));
        sb.Append("</section>");
        sb.Append("<footer>Availability = (window − downtime) / window × 100, downtime = union of counted outages; percentages shown rounded to 3 decimals, amounts to cents. See docs/AVAILABILITY.md.</footer>");
        sb.Append("</main></body></html>\n");
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, ServiceLevelReport report)
    {
        var missed = report.Availability.Count(a => !a.Met) + report.Performance.Count(p => p.Met == false) + report.Attainment.Count(a => !a.Met);
        var objectives = report.Availability.Length + report.Performance.Length + report.Attainment.Length;
        // Currencies with nothing payable are left out of the card (they stay in the credits table).
        var payable = report.CreditTotals.GroupBy(t => t.Currency).Where(g => g.Sum(t => t.Payable) > 0)
            .Select(g => Money(g.Sum(t => t.Payable), g.Key)).DefaultIfEmpty(Money(0, string.Empty));
        sb.Append("<div class=\"cards\">");
        Card(sb, "Objectives met", $"{objectives - missed} of {objectives}", missed == 0 ? "good" : "bad");
        Card(sb, "Credits payable", string.Join(" + ", payable), report.CreditTotals.Any(t => t.Payable > 0) ? "bad" : "good");
        Card(sb, "Breached targets", report.BreachesPerWeek.Sum(w => w.Count).ToString(CultureInfo.InvariantCulture), report.BreachesPerWeek.Any(w => w.Count > 0) ? "bad" : "good");
        sb.Append("</div>");
    }

    private static void Card(StringBuilder sb, string title, string value, string cls)
        => sb.Append($"<div class=\"card {cls}\"><div class=\"card-title\">{Esc(title)}</div><div class=\"card-value\">{Esc(value)}</div></div>");

    private static string AvailabilityChart(ServiceLevelReport report)
    {
        // One bar per service and region (and policy, when two policies judge the same service differently):
        // availability depends on the outages and the policy's exclusions, not on the customer.
        // Objectives of one agreement and resources judged alone have bars of their own (the subject names them).
        var groups = report.Availability.GroupBy(a => (a.Subject, a.Region, a.PolicyId)).Select(g => g.First()).ToList();
        var policiesPerService = groups.GroupBy(g => (g.Service, g.Region)).ToDictionary(g => g.Key, g => g.Select(a => a.PolicyId).Distinct().Count());
        var low = groups.Select(a => (double)Math.Min(a.AvailabilityPercent, a.Objective)).DefaultIfEmpty(100).Min();
        var floor = AvailabilityFloors.First(f => f < low || f == 0);
        var bars = groups.Select(a => new Bar(
            a.Subject,
            policiesPerService[(a.Service, a.Region)] > 1 ? $"{a.Region} · {a.PolicyId}" : a.Region,
            (double)a.AvailabilityPercent,
            Percent(a.AvailabilityPercent),
            a.Met ? "met" : "missed",
            (double)a.Objective,
            $"{a.Subject} in {a.Region} ({a.PolicyId}): {Percent(a.AvailabilityPercent)}, objective {Objective(a.Objective)}")).ToList();
        return VerticalBars(
            "availability-chart", "Availability per service against its objective", "availability (%)", bars, floor, 100, (100 - floor) / 5,
            t => t.ToString("0.##", CultureInfo.InvariantCulture) + "%",
            [new("met", "objective met"), new("missed", "objective missed"), new(string.Empty, "objective", Line: true)]);
    }

    private static string AttainmentChart(ServiceLevelReport report)
    {
        var bars = report.Attainment.Select(a => new Bar(
            a.SeverityLabel, a.Customer, (double)a.AttainmentPercent, Percent(a.AttainmentPercent), a.Met ? "met" : "missed", (double)a.AtLeastPercent,
            $"{a.Customer}, {a.SeverityLabel}: {a.MetCount} of {a.StoppedCount} within target, at least {Objective(a.AtLeastPercent)} required")).ToList();
        return VerticalBars(
            "attainment-chart", "Attainment per severity (share of targets met)", "targets met (%)", bars, 0, 100, 20,
            t => t.ToString("0", CultureInfo.InvariantCulture) + "%",
            [new("met", "at or above objective"), new("missed", "below objective"), new(string.Empty, "objective (at least)", Line: true)]);
    }

    /// <summary>
    /// One chart per currency (<c>credits-chart-eur</c>, ...): amounts in different currencies are not comparable, so they
    /// never share an axis (INR 37,500 would dwarf EUR 1,020).
    /// </summary>
    private static string CreditsChart(ServiceLevelReport report)
    {
        var charts = new StringBuilder();
        foreach (var currency in report.CreditTotals.GroupBy(t => t.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var bars = currency.GroupBy(t => t.Customer).Select(g =>
            {
                var availability = g.Sum(t => t.AvailabilityCredits);
                var performance = g.Sum(t => t.PerformanceCredits);
                var attainment = g.Sum(t => t.AttainmentCredits);
                var payable = g.Sum(t => t.Payable);
                var uncapped = g.Sum(t => t.Uncapped);
                var text = Money(payable, currency.Key) + (payable < uncapped ? $" (capped from {Money(uncapped, currency.Key)})" : string.Empty);
                return new StackedBar(
                    g.Key,
                    [
                        new((double)availability, "availability", $"availability credits {Money(availability, currency.Key)}"),
                        new((double)performance, "performance", $"performance credits {Money(performance, currency.Key)}"),
                        new((double)attainment, "attainment", $"attainment credits {Money(attainment, currency.Key)}"),
                    ],
                    text);
            }).ToList();
            var name = currency.Key.Length > 0 ? currency.Key : "no currency";
            charts.Append(HorizontalStacked(
                $"credits-chart-{(currency.Key.Length > 0 ? currency.Key.ToLowerInvariant() : "none")}", $"Credits per customer in {name}",
                $"credit amount in {name} (before the customer cap; payable amount printed)", bars,
                [new("availability", "availability"), new("performance", "performance"), new("attainment", "attainment")]));
        }

        return charts.ToString();
    }

    private static string BreachesChart(ServiceLevelReport report)
    {
        var max = report.BreachesPerWeek.Select(w => w.Count).DefaultIfEmpty(0).Max();
        var step = Math.Max(1, (int)Math.Ceiling(max / 5.0));
        var top = Math.Max(step * (int)Math.Ceiling(max / (double)step), step);
        var bars = report.BreachesPerWeek.Select(w => new Bar(
            w.WeekStart.ToString("MMM d", CultureInfo.InvariantCulture), "week of", w.Count, w.Count.ToString(CultureInfo.InvariantCulture),
            w.Count > 0 ? "missed" : "neutral", null, $"week of {w.WeekStart:yyyy-MM-dd}: {w.Count} breached")).ToList();
        return VerticalBars(
            "breaches-chart", "Breaches per week (weeks start Monday, UTC)", "breached targets", bars, 0, top, step,
            t => t.ToString("0", CultureInfo.InvariantCulture), [new("missed", "breached (case, target) pairs")]);
    }

    private static void AvailabilityTable(StringBuilder sb, ServiceLevelReport report) => Table(
        sb, report.Availability, "No subscription has an availability objective in this period.",
        Head("Customer", "Service", "Region", "#Availability", "#Objective", "#Downtime", "Met", "#Credit", "Why"),
        (sb, a) =>
        {
            sb.Append($"<td>{Esc(a.Customer)}</td><td>{Esc(a.Subject)}</td><td>{Esc(a.Region)}</td><td class=\"num\">{Percent(a.AvailabilityPercent)}{(a.WeeksNote is { } weeks ? $" ({Esc(weeks)})" : string.Empty)}</td>");
            sb.Append($"<td class=\"num\">{Objective(a.Objective)}</td><td class=\"num\">{Esc(Minutes(a.Downtime))}</td>");
            Verdict(sb, a.Met, $"{Esc(Money(a.CreditAmount, a.Currency))}<br><span class=\"small\">{Objective(a.CreditPercent)}</span>", a.Credit.Explanation);
        });

    /// <summary>The outages the availability figures counted, one column per field of an outage (<see cref="InputDescriptions.Outages"/>).</summary>
    private static void OutagesTable(StringBuilder sb, ServiceLevelReport report)
    {
        var outages = report.Availability.SelectMany(a => a.CountedOutages.IsDefault ? [] : a.CountedOutages).Distinct()
            .OrderBy(o => o.Service, StringComparer.Ordinal).ThenBy(o => o.Region, StringComparer.Ordinal).ThenBy(o => o.Start).ToList();
        if (outages.Count == 0)
        {
            return;
        }

        var fields = InputDescriptions.Outages.Fields;
        sb.Append("<h3>Outages counted</h3>");
        Table(sb, outages, null, Head([.. fields.Select(f => f.Name)]), (sb, o) =>
        {
            foreach (var field in fields)
            {
                sb.Append($"<td>{Esc(field.Text(o) ?? string.Empty)}</td>");
            }
        }, id: "outages");
    }

    private static void PerformanceTable(StringBuilder sb, ServiceLevelReport report) => Table(
        sb, report.Performance, null,
        Head("Customer", "Service", "Region", "Objective", "#Measured", "#Samples", "Met", "#Credit", "Why"),
        (sb, p) =>
        {
            sb.Append($"<td>{Esc(p.Customer)}</td><td>{Esc(p.Service)}</td><td>{Esc(p.Region)}</td><td>{Esc(p.Metric)} {Esc(PerformanceObjective(p))}</td>");
            sb.Append($"<td class=\"num\">{(p.MeasuredValue is { } v ? Number(v) : "no data")}</td><td class=\"num\">{p.SampleCount}</td>");
            sb.Append(p.Met is { } met ? MetCell(met) : "<td class=\"unknown\">no data</td>");
            sb.Append($"<td class=\"num credit\">{Esc(Money(p.CreditAmount, p.Currency))}</td><td>{(p.Credit is null ? string.Empty : Steps(p.Credit.Explanation))}</td>");
        });

    private static void AttainmentTable(StringBuilder sb, ServiceLevelReport report)
    {
        var head = Head("Customer", "Policy", "Severity", "#Met / stopped", "#Attainment", "#At least", "Met", "#Credit", "Why");
        var note = NoAttainmentNote(report);
        Table(sb, report.Attainment, Esc(char.ToUpperInvariant(note[0]) + note[1..] + "."), head, (sb, a) =>
        {
            sb.Append($"<td>{Esc(a.Customer)}</td><td>{Esc(a.PolicyId)} {Esc(a.PolicyVersion)}</td><td>{Esc(a.SeverityLabel)}</td><td class=\"num\">{a.MetCount} / {a.StoppedCount}</td>")
                .Append($"<td class=\"num\">{Percent(a.AttainmentPercent)}</td><td class=\"num\">{Objective(a.AtLeastPercent)}</td>");
            Verdict(sb, a.Met, Esc(Money(a.CreditAmount, a.Currency)), a.Credit.Explanation);
        });
    }

    private static void ComplianceTable(StringBuilder sb, ServiceLevelReport report)
    {
        Table(
            sb, report.Compliance, "No customer has a subscription or a case in this period.",
            Head("Customer", "Severity", "#Met", "#Breached", "#Within target", "#Overdue, open"),
            (sb, c) =>
            {
                sb.Append($"<td>{Esc(c.Customer)}</td><td>{(c.Severity is { } sev ? $"sev {sev}" : "<span class=\"small\">no case stopped</span>")}</td>");
                sb.Append($"<td class=\"num\">{c.Met}</td><td class=\"num{(c.Breached > 0 ? " missed-cell" : string.Empty)}\">{c.Breached}</td>");
                sb.Append($"<td class=\"num\">{(c.WithinTargetPercent is { } p ? Percent(p) : "—")}</td><td class=\"num{(c.OverdueOpen > 0 ? " unknown" : string.Empty)}\">{c.OverdueOpen}</td>");
            },
            id: "compliance");
        if (report.Compliance.Length > 0)
        {
            sb.Append("<p class=\"small\">Met and breached count (case, target) pairs whose clock stopped in the month; overdue, open counts breached targets still running at the report's time.</p>");
        }
    }

    /// <summary>The month's claims, shown when an agreement writes claim terms or is a supplier's.</summary>
    private static void ClaimsTable(StringBuilder sb, ServiceLevelReport report)
    {
        var claims = report.Claims.Where(c => c.HasTerms).ToList();
        if (claims.Count == 0)
        {
            return;
        }

        sb.Append("<h3>Claims</h3>");
        Table(
            sb, claims, null, Head("Party", "Policy", "#Amount", "Claim by", "Settled as", "Status"),
            (sb, c) => sb.Append($"<td>{Esc(ReportFormat.ClaimParty(c))}</td><td>{Esc(c.PolicyId)}</td><td class=\"num\">{Esc(Money(c.Amount, c.Currency))}</td>")
                .Append($"<td>{Esc(ReportFormat.ClaimBy(c))}</td><td>{(c.FutureBillsOnly ? "against a future bill" : "credit or payment")}</td><td>{Esc(ReportFormat.ClaimStatusText(c, report.AsOf))}</td>"),
            "claims");
    }

    private static void CreditsTable(StringBuilder sb, ServiceLevelReport report) => Table(
        sb, report.CreditTotals, "No credits in this period.",
        Head("Customer", "Policy", "#Availability", "#Performance", "#Attainment", "#Before cap", "#Payable", "Why"),
        (sb, t) =>
        {
            sb.Append($"<td>{Esc(t.Customer)}</td><td>{Esc(t.PolicyId)}</td><td class=\"num\">{Esc(Money(t.AvailabilityCredits, t.Currency))}</td>");
            sb.Append($"<td class=\"num\">{Esc(Money(t.PerformanceCredits, t.Currency))}</td><td class=\"num\">{Esc(Money(t.AttainmentCredits, t.Currency))}</td>");
            sb.Append($"<td class=\"num\">{Esc(Money(t.Uncapped, t.Currency))}</td><td class=\"num credit payable\">{Esc(Money(t.Payable, t.Currency))}</td><td>{Steps(t.Explanation)}</td>");
        });

    private static void AtStakeTables(StringBuilder sb, ServiceLevelReport report)
    {
        Table(
            sb, report.AtStake, "No attainment term counted a stopped target this month.",
            Head("Customer", "Policy", "Severity", "#Attainment", "#At least", "What it takes", "#Credit"),
            (sb, m) =>
            {
                sb.Append($"<td>{Esc(m.Customer)}</td><td>{Esc(m.PolicyId)}</td><td>{Esc(m.SeverityLabel)}</td><td class=\"num\">{Esc(Percent(m.AttainmentPercent))}</td>");
                sb.Append($"<td class=\"num\">{Esc(Objective(m.AtLeastPercent))}</td><td>{Esc(m.Sentence)}</td>");
                sb.Append($"<td class=\"num credit\">{Esc(Money(m.CreditAmount, m.Currency))} {(m.Met ? "at stake" : "owed")}</td>");
            },
            "at-stake");
        if (report.OpenAtStake.Length > 0)
        {
            sb.Append("<h3>Open targets whose breach would cost the most</h3>");
            Table(
                sb, [.. report.OpenAtStake.Take(20)], null,
                Head("Case", "Target", "Customer", "Severity", "Due", "#Breach would cost", "Why"),
                (sb, c) =>
                {
                    var d = c.Decision;
                    sb.Append($"<td>{Esc(d.CaseId)}</td><td>{Esc(d.Target ?? "-")}</td><td>{Esc(d.Customer ?? "-")}</td><td>sev {d.Severity}</td>");
                    sb.Append($"<td>{Esc(Cli.InstantText.FormatAsWritten(d.DueAt))}</td><td class=\"num credit\">{Esc(Money(c.CostIfBreached, c.Currency))}</td><td>{Esc(c.Note)}</td>");
                },
                "at-stake-cases");
        }
    }

    /// <summary>
    /// A table of <paramref name="rows"/>, one <c>tr</c> each, its cells written by <paramref name="cells"/>; when there are
    /// none, <paramref name="empty"/> in their place (no table), or an empty table when it is null.
    /// </summary>
    private static void Table<T>(StringBuilder sb, IReadOnlyCollection<T> rows, string? empty, string head, Action<StringBuilder, T> cells, string? id = null)
    {
        if (rows.Count == 0 && empty is not null)
        {
            sb.Append($"<p class=\"empty\">{empty}</p>");
            return;
        }

        sb.Append(id is null ? "<table>" : $"<table id=\"{id}\">").Append($"<thead><tr>{head}</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            cells(sb, row);
            sb.Append("</tr>");
        }

        sb.Append("</tbody></table>");
    }

    /// <summary>Header cells; a name starting with <c>#</c> heads a column of numbers (right-aligned).</summary>
    private static string Head(params string[] names) =>
        string.Concat(names.Select(n => n.StartsWith('#') ? $"<th class=\"num\">{Esc(n[1..])}</th>" : $"<th>{Esc(n)}</th>"));

    /// <summary>The cells that end a judged row: met or missed, the credit (HTML) and why.</summary>
    private static void Verdict(StringBuilder sb, bool met, string credit, IEnumerable<ExplanationStep> why) =>
        sb.Append(MetCell(met)).Append($"<td class=\"num credit\">{credit}</td><td>{Steps(why)}</td>");

    private static string MetCell(bool met) => met ? "<td class=\"met-cell\">✓ met</td>" : "<td class=\"missed-cell\">✗ missed</td>";

    private static string Steps(IEnumerable<ExplanationStep> steps)
        => "<ul class=\"why\">" + string.Concat(steps.Select(s =>
            $"<li>{Esc(s.Text)}{(s.Location is { IsKnown: true } l ? $" <span class=\"loc\">{Esc(l.ToString())}</span>" : string.Empty)}</li>")) + "</ul>";

    internal const string Css = """
        :root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --met:#2f855a; --missed:#c53030; --neutral:#9aa5b1;
                --availability:#2b6cb0; --performance:#6b46c1; --attainment:#dd6b20; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--ink); background:#f5f7fa; }
        main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 40px; background:#fff; }
        h1 { font-size: 26px; margin: 0 0 4px; } h1 .period { color: var(--availability); }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        .meta { color: var(--muted); margin: 0 0 16px; }
        .cards { display:flex; gap:12px; flex-wrap:wrap; }
        .card { flex:1 1 200px; border:1px solid var(--line); border-left:6px solid var(--neutral); border-radius:6px; padding:10px 14px; }
        .card.good { border-left-color: var(--met); } .card.bad { border-left-color: var(--missed); }
        .card-title { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card-value { font-size: 22px; font-weight: 600; }
        .warnings { background:#fffaf0; border:1px solid #f6ad55; border-radius:6px; padding:4px 16px; margin-top:16px; }
        .warnings h2 { border:none; margin-top:8px; font-size:16px; }
        svg.chart { display:block; width:100%; height:auto; max-width:760px; margin: 8px 0 12px; }
        svg .chart-title { font-size: 15px; font-weight: 600; fill: var(--ink); }
        svg .tick, svg .sublabel, svg .legend { font-size: 11px; fill: var(--muted); }
        svg .label { font-size: 12px; fill: var(--ink); }
        svg .axis-label { font-size: 12px; fill: var(--muted); }
        svg .value { font-size: 11px; font-weight: 600; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        svg .grid { stroke: var(--line); stroke-width: 1; } svg .axis { stroke: var(--ink); stroke-width: 1; }
        svg .objective { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 6 4; }
        svg .bar.met { fill: var(--met); } svg .bar.missed { fill: var(--missed); } svg .bar.neutral { fill: var(--neutral); }
        svg .bar.availability { fill: var(--availability); } svg .bar.performance { fill: var(--performance); } svg .bar.attainment { fill: var(--attainment); }
        table { width:100%; border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
        th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
        th { background:#f0f4f8; font-weight:600; } td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .met-cell { color: var(--met); font-weight:600; } .missed-cell { color: var(--missed); font-weight:600; } .unknown { color:#b7791f; }
        .credit { font-weight: 600; } .payable { color: var(--missed); } .small { color: var(--muted); font-weight: normal; font-size: 11px; }
        ul.why { margin:0; padding-left: 16px; color: var(--muted); font-size: 12px; } .loc { font-family: ui-monospace, monospace; font-size: 11px; }
        .empty { color: var(--muted); font-style: italic; }
        footer { margin-top: 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
        @media print { body { background:#fff; } main { max-width:none; padding:0; } section { break-inside: avoid; }
                       .card, table, svg { break-inside: avoid; } th { background:#eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
                       svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
        @page { size: A4; margin: 14mm; }
        """;
}
