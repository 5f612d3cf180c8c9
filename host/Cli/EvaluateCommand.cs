using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy evaluate</c>: a one-off evaluation of a cases file against a policy directory, streaming, with
/// bad records quarantined and counted. Exit codes: 0 all records evaluated, 1 policy errors or bad usage,
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

        var command = new Command("evaluate", "evaluate cases against the policies as of a time and print one decision per case and target")
        {
            policies, cases, asOf, output, format, quarantine, noExplain,
        };
        command.SetAction(parse => Run(
            parse.GetValue(policies)!,
            parse.GetValue(cases)!,
            parse.GetValue(asOf)!,
            parse.GetValue(output),
            parse.GetValue(format)!,
            parse.GetValue(quarantine),
            !parse.GetValue(noExplain)));
        return command;
    }

    internal static int Run(string policyDir, FileInfo casesFile, string asOfText, FileInfo? output, string format, FileInfo? quarantineFile, bool explain)
    {
        if (!DateTimeOffset.TryParse(asOfText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf) || !HasOffset(asOfText))
        {
            Console.Error.WriteLine($"error: --as-of `{asOfText}` is not an ISO 8601 timestamp with an offset");
            return 1;
        }

        if (!casesFile.Exists)
        {
            Console.Error.WriteLine($"error: cases file `{casesFile.FullName}` does not exist");
            return 1;
        }

        var compilation = PolicyPipeline.LoadAndCompile(policyDir);
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
        var quarantinePath = quarantineFile?.FullName
            ?? Path.Combine(output?.DirectoryName ?? Directory.GetCurrentDirectory(), Path.GetFileNameWithoutExtension(casesFile.Name) + ".rejected.jsonl");

        var summary = new Summary();
        using var input = casesFile.OpenRead();
        using var quarantine = new QuarantineWriter(quarantinePath);
        var source = Path.GetRelativePath(Directory.GetCurrentDirectory(), casesFile.FullName);
        var records = casesFile.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? CaseCsvReader.Read(input, source)
            : CaseReader.Read(input, source);
        var tableRows = format == "table" ? new List<Decision>() : null;
        using (var sink = output is null ? Console.OpenStandardOutput() : output.Create())
        using (var writer = new Utf8JsonWriter(sink, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            var newline = "\n"u8.ToArray();
            ProgressDisplay.Run("evaluating", input.Length, report =>
            {
                foreach (var result in records)
                {
                    if (result.Rejected is { } rejected)
                    {
                        quarantine.Write(rejected);
                        summary.Rejected++;
                        Console.Error.WriteLine($"{rejected.Source}:{rejected.LineNumber}: rejected{(rejected.Field is null ? string.Empty : $" field `{rejected.Field}`")}: {rejected.Reason}");
                        continue;
                    }

                    summary.Cases++;
                    foreach (var decision in evaluator.Evaluate(result.Record!, asOf, explain))
                    {
                        summary.Count(decision.Status);
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
        }

        if (tableRows is not null)
        {
            RenderTable(tableRows);
        }

        Console.Error.WriteLine(summary.Describe(quarantinePath));
        return summary.Rejected > 0 ? 2 : 0;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');

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
                d.DueAt?.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) ?? "-",
                $"{d.ElapsedMinutes:0.#} min",
                $"{d.PercentUsed:0.#}%",
                d.EscalationLevel.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private sealed class Summary
    {
        private readonly Dictionary<DecisionStatus, long> _byStatus = [];

        public long Cases { get; set; }

        public long Rejected { get; set; }

        public void Count(DecisionStatus status) => _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;

        public string Describe(string quarantinePath)
        {
            var decisions = _byStatus.Values.Sum();
            var parts = string.Join(", ", _byStatus.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} {DecisionJson.StatusName(kv.Key)}"));
            var rejected = Rejected == 0 ? "0 rejected" : $"{Rejected} rejected (quarantined in {quarantinePath})";
            return $"evaluated {Cases} cases: {decisions} decisions ({parts}); {rejected}";
        }
    }
}
