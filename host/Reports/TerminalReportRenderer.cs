using SlaPolicy.Engine.Availability;
using Spectre.Console;
using static SlaPolicy.Host.Reports.ReportFormat;

namespace SlaPolicy.Host.Reports;

/// <summary>Renders a <see cref="ServiceLevelReport"/> as Spectre.Console tables.</summary>
public static class TerminalReportRenderer
{
    /// <summary>Writes the report's tables to <paramref name="console"/>.</summary>
    public static void Render(ServiceLevelReport report, IAnsiConsole console)
    {
        var who = report.Customer is null ? "all customers" : Markup.Escape(report.Customer);
        console.Write(new Rule($"[bold]Service level report {report.Period}[/] — {who}, as of {Date(report.AsOf)}").LeftJustified());

        var availability = new Table().Title("Availability").RoundedBorder()
            .AddColumns("Customer", "Service", "Region", "Availability", "Objective", "Downtime", "Met", "Credit %", "Credit");
        foreach (var c in new[] { 3, 4, 5, 7, 8 })
        {
            availability.Columns[c].RightAligned();
        }

        foreach (var a in report.Availability)
        {
            availability.AddRow(
                Markup.Escape(a.Customer), Markup.Escape(a.Subject), Markup.Escape(a.Region),
                Percent(a.AvailabilityPercent) + (a.WeeksNote is { } weeks ? $" ({Markup.Escape(weeks)})" : string.Empty),
                Objective(a.Objective), Minutes(a.Downtime), a.Met ? "[green]yes[/]" : "[red]no[/]", Objective(a.CreditPercent),
                Markup.Escape(Money(a.CreditAmount, a.Currency)));
        }

        WriteOrNote(console, availability, report.Availability.Length, "no subscription has an availability objective in this period");

        if (report.Performance.Length > 0)
        {
            var performance = new Table().Title("Performance objectives").RoundedBorder()
                .AddColumns("Customer", "Service", "Region", "Objective", "Measured", "Samples", "Met", "Credit");
            foreach (var p in report.Performance)
            {
                performance.AddRow(
                    Markup.Escape(p.Customer), Markup.Escape(p.Service), Markup.Escape(p.Region),
                    Markup.Escape($"{p.Metric} {PerformanceObjective(p)}"), p.MeasuredValue is { } v ? Number(v) : "[yellow]no data[/]",
                    p.SampleCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    p.Met switch { true => "[green]yes[/]", false => "[red]no[/]", null => "[yellow]?[/]" },
                    Markup.Escape(Money(p.CreditAmount, p.Currency)));
            }

            console.Write(performance);
        }

        var attainment = new Table().Title("Attainment (cases whose clock stopped in the month)").RoundedBorder()
            .AddColumns("Customer", "Policy", "Severity", "Met / stopped", "Attainment", "At least", "Met", "Credit");
        foreach (var a in report.Attainment)
        {
            attainment.AddRow(
                Markup.Escape(a.Customer), Markup.Escape(a.PolicyId), Markup.Escape(a.SeverityLabel), $"{a.MetCount} / {a.StoppedCount}",
                Percent(a.AttainmentPercent), Objective(a.AtLeastPercent), a.Met ? "[green]yes[/]" : "[red]no[/]",
                Markup.Escape(Money(a.CreditAmount, a.Currency)));
        }

        WriteOrNote(console, attainment, report.Attainment.Length, NoAttainmentNote(report));

        var compliance = new Table().Title("Targets per customer and severity (clock stopped in the month)").RoundedBorder()
            .AddColumns("Customer", "Severity", "Met", "Breached", "Within target", "Overdue, open");
        foreach (var c in new[] { 2, 3, 4, 5 })
        {
            compliance.Columns[c].RightAligned();
        }

        foreach (var c in report.Compliance)
        {
            compliance.AddRow(
                Markup.Escape(c.Customer), c.Severity is { } sev ? $"sev {sev}" : "[grey]no case[/]", Count(c.Met),
                c.Breached > 0 ? $"[red]{Count(c.Breached)}[/]" : "0",
                c.WithinTargetPercent is { } p ? Percent(p) : "—",
                c.OverdueOpen > 0 ? $"[yellow]{Count(c.OverdueOpen)}[/]" : "0");
        }

        WriteOrNote(console, compliance, report.Compliance.Length, "no customer has a subscription or a case in this period");

        var credits = new Table().Title("Credits per customer").RoundedBorder()
            .AddColumns("Customer", "Policy", "Availability", "Performance", "Attainment", "Before cap", "Cap", "Payable");
        foreach (var t in report.CreditTotals)
        {
            credits.AddRow(
                Markup.Escape(t.Customer), Markup.Escape(t.PolicyId), Markup.Escape(Money(t.AvailabilityCredits, t.Currency)),
                Markup.Escape(Money(t.PerformanceCredits, t.Currency)), Markup.Escape(Money(t.AttainmentCredits, t.Currency)),
                Markup.Escape(Money(t.Uncapped, t.Currency)),
                t.CapAmount is { } cap ? Markup.Escape(Money(cap, t.Currency)) + (t.CapApplied ? " [yellow](applied)[/]" : string.Empty)
                : t.NotIssued ? "[yellow]under the minimum credit[/]" : t.CapApplied && t.RollingCapAmount is not null ? "[yellow]rolling cap (applied)[/]"
                : t.CapApplied ? "[yellow]period cap (applied)[/]" : "—",
                "[bold]" + Markup.Escape(Money(t.Payable, t.Currency)) + "[/]");
        }

        WriteOrNote(console, credits, report.CreditTotals.Length, "no credits in this period");

        var claimed = report.Claims.Where(c => c.HasTerms).ToList();
        if (claimed.Count > 0)
        {
            var claims = new Table().Title("Claims (credits to be claimed or paid)").RoundedBorder()
                .AddColumns("Party", "Policy", "Amount", "Claim by", "Settled as", "Status");
            claims.Columns[2].RightAligned();
            foreach (var c in claimed)
            {
                claims.AddRow(
                    Markup.Escape(ClaimParty(c)), Markup.Escape(c.PolicyId), Markup.Escape(Money(c.Amount, c.Currency)), Markup.Escape(ClaimBy(c)),
                    c.FutureBillsOnly ? "against a future bill" : "credit or payment", Markup.Escape(ClaimStatusText(c, report.AsOf)));
            }

            console.Write(claims);
        }

        RenderAtStake(report, console);

        var breaches = new Table().Title("Breaches per week (weeks start Monday, UTC)").RoundedBorder().AddColumns("Week of", "Breaches");
        foreach (var w in report.BreachesPerWeek)
        {
            breaches.AddRow(w.WeekStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), w.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(breaches);

        foreach (var w in report.Warnings)
        {
            console.MarkupLine("[yellow]warning:[/] " + Markup.Escape(w));
        }
    }

    /// <summary>Money at stake: how far each attainment term is from its credit, and the open targets whose breach costs the most.</summary>
    private static void RenderAtStake(ServiceLevelReport report, IAnsiConsole console)
    {
        var margins = new Table().Title("Money at stake (attainment so far this month)").RoundedBorder()
            .AddColumns("Customer", "Policy", "Severity", "Attainment", "At least", "What it takes", "Credit");
        margins.Columns[6].RightAligned();
        foreach (var m in report.AtStake)
        {
            margins.AddRow(
                Markup.Escape(m.Customer), Markup.Escape(m.PolicyId), Markup.Escape(m.SeverityLabel), Percent(m.AttainmentPercent), Objective(m.AtLeastPercent),
                Markup.Escape(m.Sentence), (m.Met ? "[yellow]" : "[red]") + Markup.Escape(Money(m.CreditAmount, m.Currency)) + (m.Met ? " at stake[/]" : " owed[/]"));
        }

        WriteOrNote(console, margins, report.AtStake.Length, "no attainment term counted a stopped target this month");
        if (report.OpenAtStake.Length == 0)
        {
            return;
        }

        var open = new Table().Title("Open targets whose breach would cost the most").RoundedBorder()
            .AddColumns("Case", "Target", "Customer", "Severity", "Status", "Due", "Breach would cost", "Why");
        open.Columns[6].RightAligned();
        foreach (var c in report.OpenAtStake.Take(10))
        {
            var d = c.Decision;
            open.AddRow(
                Markup.Escape(d.CaseId), Markup.Escape(d.Target ?? "-"), Markup.Escape(d.Customer ?? "-"), $"sev {d.Severity}",
                Markup.Escape(Engine.Decisions.DecisionJson.StatusName(d.Status)), Markup.Escape(Cli.InstantText.FormatAsWritten(d.DueAt)),
                Markup.Escape(Money(c.CostIfBreached, c.Currency)), Markup.Escape(c.Note));
        }

        console.Write(open);
    }

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteOrNote(IAnsiConsole console, Table table, int rows, string note)
    {
        if (rows > 0)
        {
            console.Write(table);
        }
        else
        {
            console.MarkupLine($"[grey]{Markup.Escape(table.Title?.Text ?? string.Empty)}: {Markup.Escape(note)}[/]");
        }
    }
}
