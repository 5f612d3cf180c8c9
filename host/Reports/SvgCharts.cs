using System.Globalization;
using System.Net;
using System.Text;

namespace SlaPolicy.Host.Reports;

/// <summary>One bar of a vertical bar chart, with an optional objective marker drawn across it.</summary>
/// <param name="Label">First line under the bar.</param>
/// <param name="SubLabel">Second line under the bar (may be empty).</param>
/// <param name="Value">Height of the bar, in axis units.</param>
/// <param name="ValueText">Text printed on top of the bar.</param>
/// <param name="CssClass">Class of the bar (colour): <c>met</c>, <c>missed</c>, <c>neutral</c>.</param>
/// <param name="Objective">Where the objective line crosses the bar; null for none.</param>
/// <param name="Tooltip">Hover text; defaults to label and value.</param>
internal sealed record Bar(string Label, string SubLabel, double Value, string ValueText, string CssClass, double? Objective = null, string? Tooltip = null);

/// <summary>A segment of a horizontal stacked bar.</summary>
internal sealed record Segment(double Value, string CssClass, string Tooltip);

/// <summary>A horizontal stacked bar: a label, its segments and the text printed after it.</summary>
internal sealed record StackedBar(string Label, IReadOnlyList<Segment> Segments, string ValueText);

/// <summary>A legend entry: a swatch of a CSS class (or a dashed line) and its text.</summary>
internal sealed record LegendItem(string CssClass, string Text, bool Line = false);

/// <summary>
/// Hand-drawn SVG charts for the HTML report: no scripts, no external resources, print-friendly. Every chart
/// has a title (<c>&lt;title&gt;</c> for screen readers), axis labels and its numbers written on the bars.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 760;
    private const int Left = 64;
    private const int Right = 24;
    private const int Top = 40;

    /// <summary>A vertical bar chart with the y axis from <paramref name="yMin"/> to <paramref name="yMax"/>.</summary>
    public static string VerticalBars(
        string id, string title, string yAxisLabel, IReadOnlyList<Bar> bars, double yMin, double yMax, double yStep,
        Func<double, string> tickText, IReadOnlyList<LegendItem> legend)
    {
        const int height = 320;
        const int bottom = 64;
        var plotH = height - Top - bottom;
        var plotW = Width - Left - Right;
        double Y(double v) => Top + plotH - ((Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin) * plotH);
        var sb = Open(id, title, height);

        for (var t = yMin; t <= yMax + (yStep / 1000); t += yStep)
        {
            var y = Y(t);
            sb.Append(Invariant($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{y:0.##}\" y2=\"{y:0.##}\"/>"));
            sb.Append(Invariant($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{Esc(tickText(t))}</text>"));
        }

        sb.Append(Invariant($"<text class=\"axis-label\" transform=\"translate(14,{Top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">{Esc(yAxisLabel)}</text>"));
        var slot = bars.Count == 0 ? plotW : (double)plotW / bars.Count;
        var barW = Math.Min(64, slot * 0.6);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var cx = Left + (slot * i) + (slot / 2);
            var y = Y(b.Value);
            var h = Math.Max(Top + plotH - y, 1);
            sb.Append(Invariant($"<g class=\"bar-group\"><rect class=\"bar {b.CssClass}\" x=\"{cx - (barW / 2):0.##}\" y=\"{Top + plotH - h:0.##}\" width=\"{barW:0.##}\" height=\"{h:0.##}\" rx=\"2\">"));
            sb.Append(Invariant($"<title>{Esc(b.Tooltip ?? $"{b.Label} {b.SubLabel}: {b.ValueText}")}</title></rect>"));
            if (b.Objective is { } o)
            {
                var oy = Y(o);
                sb.Append(Invariant($"<line class=\"objective\" x1=\"{cx - (slot * 0.42):0.##}\" x2=\"{cx + (slot * 0.42):0.##}\" y1=\"{oy:0.##}\" y2=\"{oy:0.##}\"/>"));
            }

            // The value is written after the objective line, with a white halo, so that the line never hides it.
            sb.Append(Invariant($"<text class=\"value\" x=\"{cx:0.##}\" y=\"{Top + plotH - h - 6:0.##}\" text-anchor=\"middle\">{Esc(b.ValueText)}</text>"));

            sb.Append(Invariant($"<text class=\"label\" x=\"{cx:0.##}\" y=\"{Top + plotH + 18}\" text-anchor=\"middle\">{Esc(b.Label)}</text>"));
            sb.Append(Invariant($"<text class=\"sublabel\" x=\"{cx:0.##}\" y=\"{Top + plotH + 34}\" text-anchor=\"middle\">{Esc(b.SubLabel)}</text></g>"));
        }

        sb.Append(Invariant($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Left + plotW}\" y1=\"{Top + plotH}\" y2=\"{Top + plotH}\"/>"));
        sb.Append(Invariant($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + plotH}\"/>"));
        Legend(sb, legend, height - 14);
        return sb.Append("</svg>").ToString();
    }

    /// <summary>A horizontal stacked bar chart, scaled to the largest total.</summary>
    public static string HorizontalStacked(string id, string title, string xAxisLabel, IReadOnlyList<StackedBar> bars, IReadOnlyList<LegendItem> legend)
    {
        const int rowH = 34;
        const int labelW = 150;
        var height = Top + (Math.Max(bars.Count, 1) * rowH) + 64;
        var plotW = Width - labelW - 150;
        var max = Math.Max(bars.Select(b => b.Segments.Sum(s => s.Value)).DefaultIfEmpty(0).Max(), 1e-9);
        var sb = Open(id, title, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = Top + (i * rowH) + 6;
            sb.Append(Invariant($"<g class=\"bar-group\"><text class=\"label\" x=\"{labelW - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{Esc(b.Label)}</text>"));
            double x = labelW;
            foreach (var s in b.Segments.Where(s => s.Value > 0))
            {
                var w = Math.Max(s.Value / max * plotW, 1);
                sb.Append(Invariant($"<rect class=\"bar {s.CssClass}\" x=\"{x:0.##}\" y=\"{y}\" width=\"{w:0.##}\" height=\"22\"><title>{Esc(s.Tooltip)}</title></rect>"));
                x += w;
            }

            sb.Append(Invariant($"<text class=\"value\" x=\"{x + 6:0.##}\" y=\"{y + 15}\">{Esc(b.ValueText)}</text></g>"));
        }

        var axisY = Top + (bars.Count * rowH) + 8;
        sb.Append(Invariant($"<line class=\"axis\" x1=\"{labelW}\" x2=\"{labelW + plotW}\" y1=\"{axisY}\" y2=\"{axisY}\"/>"));
        sb.Append(Invariant($"<text class=\"axis-label\" x=\"{labelW + (plotW / 2)}\" y=\"{axisY + 18}\" text-anchor=\"middle\">{Esc(xAxisLabel)}</text>"));
        Legend(sb, legend, height - 14);
        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string id, string title, int height)
    {
        var sb = new StringBuilder();
        sb.Append(Invariant($"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title\">"));
        sb.Append(Invariant($"<title id=\"{id}-title\">{Esc(title)}</title>"));
        sb.Append(Invariant($"<text class=\"chart-title\" x=\"{Left}\" y=\"22\">{Esc(title)}</text>"));
        return sb;
    }

    private static void Legend(StringBuilder sb, IReadOnlyList<LegendItem> legend, int y)
    {
        double x = Left;
        foreach (var item in legend)
        {
            if (item.Line)
            {
                sb.Append(Invariant($"<line class=\"objective\" x1=\"{x:0.##}\" x2=\"{x + 18:0.##}\" y1=\"{y - 4}\" y2=\"{y - 4}\"/>"));
            }
            else
            {
                sb.Append(Invariant($"<rect class=\"bar {item.CssClass}\" x=\"{x:0.##}\" y=\"{y - 10}\" width=\"12\" height=\"12\"/>"));
            }

            sb.Append(Invariant($"<text class=\"legend\" x=\"{x + 24:0.##}\" y=\"{y}\">{Esc(item.Text)}</text>"));
            x += 40 + (item.Text.Length * 7);
        }
    }

    internal static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
