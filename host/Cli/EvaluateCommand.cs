using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Reports;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy evaluate</c>: a one-off evaluation of a cases file against a policy directory, streaming, with
/// bad records quarantined and counted. With <c>--outages</c> and <c>--subscriptions</c> it then writes the
/// availability, attainment and credit lines of every month touched (see <see cref="MonthsTouched"/>), in the format
/// of <c>report --json</c>. Exit codes: 0 all records evaluated, 1 policy errors or bad usage,
/// 2 evaluated but some records were rejected.
/// </summary>
public sealed class EvaluateCommand : ICliCommand
{
    public Command Create()
    {
        var policies = new Option<string>("--policies") { Description = "policy directory", DefaultValueFactory = _ => "policies" };
        var cases = new Option<FileInfo>("--cases") { Description = "cases as JSON Lines (.jsonl) or CSV (.csv)", Required = true };
        var asOf = new Option<string>("--as-of") { Description = "evaluation time, ISO 8601 with an offset, e.g. 2026-11-22T02:00:00Z", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "write decisions to this file instead of standard output" };
        var format = new Option<string>("--format") { Description = "jsonl (default) or table", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "table");
        var quarantine = new Option<FileInfo?>("--quarantine") { Description = "where rejected records go (default: <cases>.rejected.jsonl beside the output or in the current directory)" };
        var noExplain = new Option<bool>("--no-explain") { Description = "leave explanations out (faster)" };
        var outages = new Option<FileInfo?>("--outages") { Description = "outages as JSON Lines; with --subscriptions, adds availability and credit lines per subscription and month" };
        var subscriptions = new Option<FileInfo?>("--subscriptions") { Description = "subscriptions as JSON Lines; with --outages, adds availability and credit lines per subscription and month" };
        var executor = ExecutorOption.Create();

        var command = new Command("evaluate", "evaluate cases against the policies as of a time and print one decision per case and target")
        {
            policies, cases, asOf, output, format, quarantine, noExplain, outages, subscriptions, executor,
        };
        command.SetAction(parse => Run(
            parse.GetValue(policies)!,
            parse.GetValue(cases)!,
            parse.GetValue(asOf)!,
            parse.GetValue(output),
            parse.GetValue(format)!,
            parse.GetValue(quarantine),
            !parse.GetValue(noExplain),
            parse.GetValue(outages),
            parse.GetValue(subscriptions),
            ExecutorOption.Options(parse.GetValue(executor))));
        return command;
    }

    internal static int Run(
        string policyDir,
        FileInfo casesFile,
        string asOfText,
        FileInfo? output,
        string format,
        FileInfo? quarantineFile,
        bool explain,
        FileInfo? outagesFile = null,
        FileInfo? subscriptionsFile = null,
        RuleCompilerOptions? options = null)
    {
        if (!InstantText.TryParseInstant(asOfText, out var asOf))
        {
            Console.Error.WriteLine($"error: --as-of `{asOfText}` is not {InstantText.InstantAccepted}");
            return 1;
        }

        if (!casesFile.Exists)
        {
            Console.Error.WriteLine($"error: cases file `{casesFile.FullName}` does not exist");
            return 1;
        }

        if ((outagesFile is null) != (subscriptionsFile is null))
        {
            Console.Error.WriteLine("error: --outages and --subscriptions go together: availability needs both who subscribes and what was down");
            return 1;
        }

        foreach (var file in new[] { outagesFile, subscriptionsFile }.OfType<FileInfo>().Where(f => !f.Exists))
        {
            Console.Error.WriteLine($"error: file `{file.FullName}` does not exist");
            return 1;
        }

        var availability = subscriptionsFile is not null;

        var compilation = PolicyPipeline.LoadAndCompile(policyDir, options);
        if (compilation.HasErrors)
        {
            foreach (var diagnostic in compilation.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic);
            }

            Console.Error.WriteLine($"policies in `{policyDir}` have errors: nothing evaluated");
            return 1;
        }

        var evaluator = compilation.CreateEvaluator();
        var census = StatusCensus.For(evaluator);
        var quarantinePath = quarantineFile?.FullName
            ?? Path.Combine(output?.DirectoryName ?? Directory.GetCurrentDirectory(), Path.GetFileNameWithoutExtension(casesFile.Name) + ".rejected.jsonl");

        var summary = new Summary();
        var serviceLevelReports = new List<ServiceLevelReport>();
        using var input = casesFile.OpenRead();
        using var quarantine = new QuarantineWriter(quarantinePath);
        var source = Path.GetRelativePath(Directory.GetCurrentDirectory(), casesFile.FullName);
        var records = casesFile.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? CaseCsvReader.Read(input, source)
            : CaseReader.Read(input, source);
        var tableRows = format == "table" ? new List<Decision>() : null;

        // Attainment needs the month's decisions; they are kept without explanations, only when availability is asked for.
        var kept = availability ? new List<Decision>() : null;
        var caseMonths = new SortedSet<ReportingMonth>(MonthOrder);
        using (var sink = output is null ? Console.OpenStandardOutput() : output.Create())
        using (var writer = new Utf8JsonWriter(sink, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            var newline = "\n"u8.ToArray();
            ProgressDisplay.Run("evaluating", input.Length, report =>
            {
                foreach (var result in records)
                {
                    summary.Warn(result.Warnings);
                    if (result.Rejected is { } rejected)
                    {
                        quarantine.Write(rejected);
                        summary.Rejected++;
                        Console.Error.WriteLine($"{rejected.Source}:{rejected.LineNumber}: rejected{(rejected.Field is null ? string.Empty : $" field `{rejected.Field}`")}: {rejected.Reason}");
                        continue;
                    }

                    summary.Cases++;
                    summary.Warn(census.Observe(result.Record!, source, result.LineNumber));
                    if (kept is not null)
                    {
                        caseMonths.Add(MonthOf(result.Record!.OpenedAt));
                    }

                    foreach (var decision in evaluator.Evaluate(result.Record!, asOf, explain))
                    {
                        summary.Count(decision.Status);
                        kept?.Add(decision.Explanation.IsDefaultOrEmpty ? decision : decision with { Explanation = [] });
                        if (tableRows is not null)
                        {
                            tableRows.Add(decision);
                            continue;
                        }

                        DecisionJson.Write(writer, decision);
                        writer.Flush();
                        sink.Write(newline);
                        writer.Reset();
                    }

                    if ((summary.Cases & 1023) == 0)
                    {
                        report(input.Position);
                    }
                }

                return 0;
            }, quiet: output is null && Console.IsErrorRedirected);

            if (kept is not null)
            {
                var subscriptions = ReadOthers(SubscriptionReader.ReadFile(subscriptionsFile!.FullName), quarantine, summary);
                var outages = ReadOthers(OutageReader.ReadFile(outagesFile!.FullName), quarantine, summary);
                var resolver = ScopeResolver.ForSubscriptions(compilation.Set);
                // evaluate reads no measurements: performance objectives, and availability read from measurements, are left
                // out rather than reported as "no data" (or as a month without downtime).
                var inputs = new ServiceLevelInputs(
                    compilation.Set.Policies,
                    (s, day) => resolver.Resolve(s.Customer, s.Tier, s.Region, s.Service, day) is { } p ? WithoutMeasured(p) : null,
                    subscriptions, outages, [], kept, [])
                {
                    Calendars = compilation.Set.Calendars,
                };
                foreach (var month in MonthsTouched(caseMonths, outages, asOf))
                {
                    var report = ServiceLevelCalculator.Compute(inputs, month, asOf);
                    foreach (var warning in report.Warnings)
                    {
                        Console.Error.WriteLine($"{month}: warning: {warning}");
                    }

                    if (tableRows is null)
                    {
                        summary.ServiceLevelLines += ServiceLevelJson.WriteLines(sink, report);
                    }
                    else
                    {
                        serviceLevelReports.Add(report);
                    }
                }
            }
        }

        if (tableRows is not null)
        {
            RenderTable(tableRows);
            foreach (var report in serviceLevelReports)
            {
                TerminalReportRenderer.Render(report, AnsiConsole.Console);
            }
        }

        if (census.Unknown.Count > 0)
        {
            Console.Error.WriteLine(StatusCensus.Describe(census.Unknown, census.SuggestionFor));
        }

        Console.Error.WriteLine(summary.Describe(quarantinePath));
        return summary.Rejected > 0 ? 2 : 0;
    }

    /// <summary>
    /// The months (UTC) to judge availability for: every month in which a case was opened or which an outage overlaps,
    /// leaving out months that have not begun at <paramref name="asOf"/>; a month in progress is measured up to asOf.
    /// </summary>
    internal static IReadOnlyList<ReportingMonth> MonthsTouched(IEnumerable<ReportingMonth> caseMonths, IEnumerable<OutageRecord> outages, DateTimeOffset asOf)
    {
        var months = new SortedSet<ReportingMonth>(caseMonths, MonthOrder);
        foreach (var o in outages)
        {
            // [start, end): an outage ending exactly at midnight on the 1st does not touch the next month.
            var last = o.End > o.Start ? o.End.AddTicks(-1) : o.Start;
            for (var m = MonthOf(o.Start); MonthOrder.Compare(m, MonthOf(last)) <= 0 && m.Start < asOf; m = Next(m))
            {
                months.Add(m);
            }
        }

        return [.. months.Where(m => m.Start < asOf)];
    }

    private static readonly Comparer<ReportingMonth> MonthOrder = Comparer<ReportingMonth>.Create((a, b) => a.Start.CompareTo(b.Start));

    private static ReportingMonth MonthOf(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new ReportingMonth(utc.Year, utc.Month);
    }

    private static ReportingMonth Next(ReportingMonth m) => m.Month == 12 ? new ReportingMonth(m.Year + 1, 1) : new ReportingMonth(m.Year, m.Month + 1);

    private static List<T> ReadOthers<T>(IEnumerable<InputResult<T>> results, QuarantineWriter quarantine, Summary summary)
        where T : class
    {
        var records = new List<T>();
        foreach (var result in results)
        {
            summary.Warn(result.Warnings);
            if (result.Rejected is { } rejected)
            {
                quarantine.Write(rejected);
                summary.Rejected++;
                Console.Error.WriteLine(FileReportDataSource.Describe(rejected));
                continue;
            }

            records.Add(result.Record!);
        }

        return records;
    }

    private static void RenderTable(List<Decision> decisions)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("case", "target", "policy", "status", "due", "elapsed", "used", "level");
        foreach (var d in decisions)
        {
            var status = DecisionJson.StatusName(d.Status);
            var colour = d.Status switch
            {
                DecisionStatus.Breached or DecisionStatus.Error or DecisionStatus.NoPolicy => "red",
                DecisionStatus.Met => "green",
                _ => "yellow",
            };
            table.AddRow(
                Markup.Escape(d.CaseId),
                Markup.Escape(d.Target ?? "-"),
                Markup.Escape(d.Policy is null ? "-" : $"{d.Policy}@{d.PolicyVersion}"),
                $"[{colour}]{status}[/]",
                InstantText.FormatAsWritten(d.DueAt),
                $"{d.ElapsedMinutes:0.#} min",
                $"{d.PercentUsed:0.#}%",
                d.EscalationLevel.ToString(CultureInfo.InvariantCulture));
        }

        PipedWidth.Apply(AnsiConsole.Console, Console.IsOutputRedirected).Write(table);
    }

    private sealed class Summary
    {
        private readonly Dictionary<DecisionStatus, long> _byStatus = [];

        public long Cases { get; set; }

        public long Rejected { get; set; }

        public int ServiceLevelLines { get; set; }

        public long Warnings { get; private set; }

        /// <summary>Prints each warning as <c>source:line: warning field `x`: message</c> and counts it.</summary>
        public void Warn(IEnumerable<InputWarning> warnings)
        {
            foreach (var w in warnings)
            {
                Warnings++;
                Console.Error.WriteLine($"{w.Source}:{w.LineNumber}: warning field `{w.Field}`: {w.Message}");
            }
        }

        public void Count(DecisionStatus status) => _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;

        public string Describe(string quarantinePath)
        {
            var decisions = _byStatus.Values.Sum();
            var parts = string.Join(", ", _byStatus.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} {DecisionJson.StatusName(kv.Key)}"));
            var rejected = Rejected == 0 ? "0 rejected" : $"{Rejected} rejected (quarantined in {quarantinePath})";
            var serviceLevel = ServiceLevelLines > 0 ? $"; {ServiceLevelLines} availability and credit lines" : string.Empty;
            var warnings = Warnings == 0 ? string.Empty : $"; {Warnings} warnings";
            return $"evaluated {Cases} cases: {decisions} decisions ({parts}){serviceLevel}; {rejected}{warnings}";
        }
    }

    /// <summary>The policy without what only measurements can judge: its performance objectives and availability read from measurements.</summary>
    private static Policy WithoutMeasured(Policy policy)
    {
        if (policy.AvailabilityTerms.All(t => t.DowntimeFrom is null))
        {
            return policy with { Performance = [] };
        }

        ImmutableArray<AvailabilityTerm> kept = [.. policy.AvailabilityTerms.Where(t => t.DowntimeFrom is null)];
        return policy with { Performance = [], Availability = kept.FirstOrDefault(), AvailabilityObjectives = kept };
    }
}
