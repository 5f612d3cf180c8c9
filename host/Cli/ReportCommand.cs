using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Host.Reports;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy report --period YYYY-MM [--customer X] [--html FILE] [--json FILE] [--policies DIR] [--cases FILE]
/// [--outages FILE] [--subscriptions FILE] [--measurements FILE] [--credit-history FILE] [--as-of T]</c>: availability, performance objectives,
/// attainment and credits of a month, as a terminal table, optionally a self-contained HTML page with charts and
/// JSON Lines. Without <c>--as-of</c> the month is judged at its end, or now while it is in progress.
/// Exit codes: 0 done, 1 the data could not be loaded or written, 2 bad arguments.
/// </summary>
public sealed partial class ReportCommand : ICliCommand
{
    private readonly IReportDataSource _source;
    private readonly IAnsiConsole? _console;
    private readonly TimeProvider _time;

    /// <summary>The command as registered: data from files, output to the process console, the system clock.</summary>
    public ReportCommand()
        : this(new FileReportDataSource(), null, TimeProvider.System)
    {
    }

    /// <summary>The command over another data source, console and clock (used by tests and by the host's wiring).</summary>
    public ReportCommand(IReportDataSource source, IAnsiConsole? console, TimeProvider time)
    {
        _source = source;
        _console = console;
        _time = time;
    }

    public Command Create()
    {
        var period = new Option<string>("--period") { Description = "the calendar month to report, YYYY-MM (UTC)", Required = true };
        var customer = new Option<string?>("--customer") { Description = "report only this customer" };
        var html = new Option<string?>("--html") { Description = "also write a self-contained HTML report with charts to this file" };
        var json = new Option<string?>("--json") { Description = "also write the availability, performance, attainment and credit results to this file as JSON Lines" };
        var policies = new Option<string?>("--policies") { Description = $"policy directory (default: {FileReportDataSource.DefaultPolicies})" };
        var cases = new Option<string?>("--cases") { Description = $"cases, JSON Lines (default: {FileReportDataSource.DefaultCases})" };
        var outages = new Option<string?>("--outages") { Description = $"outages, JSON Lines (default: {FileReportDataSource.DefaultOutages})" };
        var subscriptions = new Option<string?>("--subscriptions") { Description = $"subscriptions, JSON Lines (default: {FileReportDataSource.DefaultSubscriptions})" };
        var measurements = new Option<string?>("--measurements") { Description = $"measurements, JSON Lines (default: {FileReportDataSource.DefaultMeasurements})" };
        var history = new Option<string?>("--credit-history") { Description = "earlier months' credits for a rollingCreditCap: JSON Lines as --json writes them (the customerCredit lines count)" };
        var asOf = new Option<string?>("--as-of") { Description = "evaluation time, ISO 8601 with an offset (default: the end of the month, or now while it is in progress)" };
        var command = new Command("report", "availability, performance, attainment and credits of a month; terminal table, HTML with charts, JSON Lines");
        foreach (var o in new Option[] { period, customer, html, json, policies, cases, outages, subscriptions, measurements, history, asOf })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var console = _console ?? PipedWidth.Apply(AnsiConsole.Console, Console.IsOutputRedirected);
            if (!ReportingMonth.TryParse(parse.GetValue(period), out var month))
            {
                console.MarkupLine($"[red]error:[/] `--period` must be a month written YYYY-MM, not `{Markup.Escape(parse.GetValue(period) ?? string.Empty)}`");
                return 2;
            }

            DateTimeOffset at;
            if (parse.GetValue(asOf) is { } asOfText)
            {
                if (!InstantText.TryParseInstant(asOfText, out at))
                {
                    console.MarkupLine($"[red]error:[/] `--as-of` must be {Markup.Escape(InstantText.InstantAccepted)}, not `{Markup.Escape(asOfText)}`");
                    return 2;
                }
            }
            else
            {
                at = DefaultAsOf(month, _time.GetUtcNow());
            }

            var request = new ReportRequest(
                parse.GetValue(policies), parse.GetValue(cases), parse.GetValue(outages), parse.GetValue(subscriptions), parse.GetValue(measurements), at)
            {
                CreditHistoryFile = parse.GetValue(history),
            };
            ReportData data;
            try
            {
                data = _source.Load(request);
            }
            catch (ReportDataException e)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }

            var report = ServiceLevelCalculator.Compute(data.Inputs, month, at, parse.GetValue(customer));
            report = report with { Warnings = [.. data.Warnings, .. report.Warnings] };
            TerminalReportRenderer.Render(report, console);
            if (parse.GetValue(html) is { } file)
            {
                try
                {
                    var directory = Path.GetDirectoryName(Path.GetFullPath(file));
                    if (directory is not null)
                    {
                        Directory.CreateDirectory(directory);
                    }

                    File.WriteAllText(file, HtmlReportRenderer.Render(report), new UTF8Encoding(false));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    console.MarkupLine($"[red]error:[/] cannot write `{Markup.Escape(file)}`: {Markup.Escape(e.Message)}");
                    return 1;
                }

                console.MarkupLine($"HTML report written to [bold]{Markup.Escape(file)}[/]");
            }

            if (parse.GetValue(json) is { } jsonFile)
            {
                try
                {
                    var directory = Path.GetDirectoryName(Path.GetFullPath(jsonFile));
                    if (directory is not null)
                    {
                        Directory.CreateDirectory(directory);
                    }

                    using var stream = File.Create(jsonFile);
                    var lines = ServiceLevelJson.WriteLines(stream, report);
                    console.MarkupLine($"{lines} JSON line(s) written to [bold]{Markup.Escape(jsonFile)}[/]");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    console.MarkupLine($"[red]error:[/] cannot write `{Markup.Escape(jsonFile)}`: {Markup.Escape(e.Message)}");
                    return 1;
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// The evaluation time when none is given: the end of <paramref name="month"/> (exclusive, so the whole month
    /// is measured and every clock that stopped in it is counted), or <paramref name="now"/> while the month is in
    /// progress or has not begun.
    /// </summary>
    internal static DateTimeOffset DefaultAsOf(ReportingMonth month, DateTimeOffset now) => now < month.End ? now : month.End;
}
