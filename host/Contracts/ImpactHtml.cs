using System.Globalization;
using System.Text;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Host.Reports;
using static SlaPolicy.Host.Reports.SvgCharts;

namespace SlaPolicy.Host.Contracts;

/// <summary>
/// An <see cref="ImpactResult"/> as one self-contained HTML page in the monthly report's style (its CSS and SVG
/// charts; no scripts, no external requests): summary cards, a chart of credits per customer and month before and
/// after, a chart of the decision changes by kind, then the tables, each changed decision with both explanations side
/// by side.
/// </summary>
public static class ImpactHtml
{
    /// <summary>Changed decisions shown with both explanations; beyond this the rows are listed without them.</summary>
    public const int ExplainedRows = 500;

    private const string ExtraCss = """
        .side { display:grid; grid-template-columns: 1fr 1fr; gap: 12px; } .side h4 { margin: 4px 0; font-size: 12px; }
        details summary { cursor: pointer; } td.id { white-space: nowrap; } .gain { color: var(--missed); } .loss { color: var(--met); }
        svg .bar.before { fill: var(--neutral); } svg .bar.after { fill: var(--attainment); }
        """;

    /// <summary>The page; <paramref name="explain"/> gives both sides' decisions of a case, with explanations.</summary>
    public static string Render(ImpactResult result, string title, Func<DecisionChange, (IReadOnlyList<Decision> Before, IReadOnlyList<Decision> After)> explain)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(explain);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append($"<title>Change impact — {Esc(title)}</title><style>{HtmlReportRenderer.Css}{ExtraCss}</style></head><body><main>");
        sb.Append($"<header><h1>Change impact</h1><p class=\"meta\">{Esc(title)}</p></header>");
        sb.Append("<div class=\"cards\">");
        Card(sb, "Cases replayed", Count(result.CasesReplayed), "neutral");
        Card(sb, "Decisions that change", Count(result.Changed), result.Changed == 0 ? "good" : "bad");
        var money = result.MoneyByCurrency.Where(m => m.Currency.Length > 0 && (m.Before != 0 || m.After != 0)).Select(m => $"{m.Currency} {ImpactText.Signed(m.After - m.Before)}").DefaultIfEmpty("none");
        Card(sb, "Credits payable move", string.Join(" · ", money), result.MoneyByCurrency.Any(m => m.After != m.Before) ? "bad" : "good");
        sb.Append("</div>");

        sb.Append("<section><h2>Credits per customer and month</h2>");
        var months = result.CustomerMonths.Where(c => c.Changed).ToList();
        if (months.Any(c => c.Credits.Any(p => p.Before != 0 || p.After != 0)))
        {
            var bars = months.SelectMany(c => c.Credits.Where(p => p.Before != 0 || p.After != 0).SelectMany(p => new[]
            {
                new Bar($"{c.Customer} {c.Period}", $"{p.Currency} before", (double)p.Before, ImpactText.Money(p.Before, p.Currency), "before"),
                new Bar($"{c.Customer} {c.Period}", $"{p.Currency} after", (double)p.After, ImpactText.Money(p.After, p.Currency), "after"),
            })).ToList();
            var max = Math.Max(bars.Select(b => b.Value).DefaultIfEmpty(0).Max(), 1);
            var step = Math.Pow(10, Math.Floor(Math.Log10(max)));
            var top = Math.Ceiling(max / step) * step;
            sb.Append(VerticalBars("credits", "Credits payable, before and after", "credits payable", bars, 0, top, top / 5,
                v => v.ToString("#,##0", CultureInfo.InvariantCulture), [new LegendItem("before", "baseline"), new LegendItem("after", "new policies")]));
        }

        sb.Append("<table><thead><tr><th>customer</th><th>month</th><th class=\"num\">targets met before</th><th class=\"num\">after</th><th class=\"num\">credits payable, before → after (change)</th></tr></thead><tbody>");
        foreach (var c in months)
        {
            sb.Append($"<tr><td>{Esc(c.Customer)}</td><td>{Esc(c.Period)}</td><td class=\"num\">{Esc(ImpactText.Share(c.AttainmentBefore, c.MetBefore, c.BreachedBefore))}</td>");
            sb.Append($"<td class=\"num\">{Esc(ImpactText.Share(c.AttainmentAfter, c.MetAfter, c.BreachedAfter))}</td><td class=\"num credit\">{Esc(ImpactText.Credits(c))}</td></tr>");
        }

        if (months.Count == 0)
        {
            sb.Append("<tr><td colspan=\"5\" class=\"empty\">no customer's month changes</td></tr>");
        }

        sb.Append("</tbody></table><h3>Credit figures that change</h3><ul>");
        foreach (var change in result.CreditChanges)
        {
            sb.Append($"<li>{Esc(ImpactText.Describe(change))}");
            var steps = (change.After ?? change.Before)!.Explanation;
            if (!steps.IsDefaultOrEmpty)
            {
                sb.Append("<div class=\"side\">");
                Column(sb, "baseline", change.Before?.Explanation ?? []);
                Column(sb, "new policies", change.After?.Explanation ?? []);
                sb.Append("</div>");
            }

            sb.Append("</li>");
        }

        if (result.CreditChanges.IsEmpty)
        {
            sb.Append("<li class=\"empty\">none</li>");
        }

        sb.Append("</ul></section><section><h2>Decisions that change</h2>");
        if (result.ChangeCounts.Count > 0)
        {
            var kinds = result.ChangeCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new StackedBar(kv.Key, [new Segment(kv.Value, "attainment", $"{kv.Key}: {kv.Value}")], Count(kv.Value))).ToList();
            sb.Append(HorizontalStacked("changes", "Decision changes by kind", "decisions", kinds, []));
        }

        sb.Append("<p class=\"meta\">Times in each case's own zone. Open a row for both explanations side by side.</p><table><thead><tr><th>case</th><th>target</th><th>policy</th><th>status</th><th>due</th><th class=\"num\">level</th><th>change</th></tr></thead><tbody>");
        var shown = 0;
        foreach (var change in result.Changes)
        {
            var (b, a) = (change.Before, change.After);
            sb.Append($"<tr><td class=\"id\">{Esc(change.Case.Id)}</td><td class=\"id\">{Esc(change.Target)}</td><td>{Esc(ImpactText.Policy(b))} → {Esc(ImpactText.Policy(a))}</td>");
            sb.Append($"<td>{Esc(ImpactText.Status(b))} → {Esc(ImpactText.Status(a))}</td><td>{Esc(ImpactText.Time(b?.DueAt))} → {Esc(ImpactText.Time(a?.DueAt))}</td>");
            sb.Append($"<td class=\"num\">{Esc(ImpactText.Level(b))} → {Esc(ImpactText.Level(a))}</td><td>{Esc(string.Join(", ", ImpactReplay.Labels(change)))}</td></tr>");
            if (shown++ < ExplainedRows)
            {
                var (before, after) = explain(change);
                sb.Append("<tr><td colspan=\"7\"><details><summary>both explanations</summary><div class=\"side\">");
                Column(sb, $"baseline: {ImpactText.Policy(b)}", before.FirstOrDefault(d => d.Target == change.Target)?.Explanation ?? []);
                Column(sb, $"new policies: {ImpactText.Policy(a)}", after.FirstOrDefault(d => d.Target == change.Target)?.Explanation ?? []);
                sb.Append("</div></details></td></tr>");
            }
        }

        if (result.Changes.IsEmpty)
        {
            sb.Append("<tr><td colspan=\"7\" class=\"empty\">none</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (result.NotListed > 0)
        {
            sb.Append($"<p class=\"meta\">… and {Count(result.NotListed)} more changed decisions, counted above but not listed.</p>");
        }

        sb.Append("</section><footer>Every case active in the period was evaluated under both policy sets as of the same instant; monthly figures are computed as the nightly run computes them. Nothing was written to the store.</footer>");
        sb.Append("</main></body></html>\n");
        return sb.ToString();
    }

    private static void Column(StringBuilder sb, string heading, IEnumerable<ExplanationStep> steps)
    {
        sb.Append($"<div><h4>{Esc(heading)}</h4><ul class=\"why\">");
        foreach (var step in steps)
        {
            var where = step.Location is { IsKnown: true } location ? $" <span class=\"loc\">{Esc(location.ToString())}</span>" : string.Empty;
            sb.Append($"<li><b>{Esc(step.Kind)}</b> {Esc(step.Text)}{where}</li>");
        }

        sb.Append("</ul></div>");
    }

    private static void Card(StringBuilder sb, string title, string value, string cls) =>
        sb.Append($"<div class=\"card {cls}\"><div class=\"card-title\">{Esc(title)}</div><div class=\"card-value\">{Esc(value)}</div></div>");

    private static string Count(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);
}
