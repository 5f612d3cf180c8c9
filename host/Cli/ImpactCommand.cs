using System.CommandLine;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Host.Contracts;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy impact --policies NEW [--baseline DIR] --from YYYY-MM --to YYYY-MM [--as-of T] [--html FILE]
/// [--case ID] [--store FILE]</c>: replays the stored cases and service data of the months under the baseline (the
/// configured <c>Policies:Path</c>, <c>policies</c> by default) and under NEW, in memory, and prints how many
/// decisions change and how much money moves, then every change. Exit codes: 0 done, 1 policies with errors or no
/// store, 2 bad arguments.
/// </summary>
public sealed class ImpactCommand : ICliCommand
{
    public Command Create()
    {
        var policies = new Option<string>("--policies") { Description = "the new policy directory, the edit to judge", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "the policies in force to compare with (default: `Policies:Path`, `policies`)" };
        var from = new Option<string>("--from") { Description = "first month replayed, YYYY-MM (UTC)", Required = true };
        var to = new Option<string>("--to") { Description = "last month replayed, YYYY-MM (UTC)", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "evaluation time, ISO 8601 with an offset (default: the end of --to, or the last run's time if earlier)" };
        var html = new Option<string?>("--html") { Description = "also write a self-contained HTML page with charts and both explanations of each change" };
        var caseId = new Option<string?>("--case") { Description = "print both explanations of this case's decisions side by side" };
        var store = new Option<string?>("--store") { Description = "SQLite file to use instead of `Store:Path`" };
        var executor = ExecutorOption.Create();
        var command = new Command("impact", "replay stored cases and service data under the policies in force and under new ones; every decision and amount that changes");
        foreach (var option in new Option[] { policies, baseline, from, to, asOf, html, caseId, store, executor })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!ReportingMonth.TryParse(parse.GetValue(from), out var first) || !ReportingMonth.TryParse(parse.GetValue(to), out var last))
            {
                error.WriteLine($"impact: `--from` and `--to` must be months written YYYY-MM, not `{parse.GetValue(from)}` and `{parse.GetValue(to)}`");
                return 2;
            }

            if (last.Start < first.Start)
            {
                error.WriteLine($"impact: `--to` {last} is before `--from` {first}");
                return 2;
            }

            DateTimeOffset? at = null;
            if (parse.GetValue(asOf) is { } text)
            {
                if (!InstantText.TryParseInstant(text, out var parsed))
                {
                    error.WriteLine($"impact: `--as-of` must be {InstantText.InstantAccepted}, not `{text}`");
                    return 2;
                }

                at = parsed;
            }

            var request = new ImpactRequest(parse.GetValue(policies)!, parse.GetValue(baseline), first, last, at, parse.GetValue(html), parse.GetValue(caseId));
            return Invoke(RunCommand.StoreOverride(parse.GetValue(store)), request, Console.Out, error, ExecutorOption.Options(parse.GetValue(executor)));
        });
        return command;
    }

    /// <summary>What to replay: the two policy directories, the months, the evaluation time and what to write.</summary>
    internal sealed record ImpactRequest(string Policies, string? Baseline, ReportingMonth From, ReportingMonth To, DateTimeOffset? AsOf, string? Html = null, string? CaseId = null);

    /// <summary>Opens the configured store (never creating one), compiles both policy sets and replays.</summary>
    internal static int Invoke(IEnumerable<KeyValuePair<string, string?>>? overrides, ImpactRequest request, TextWriter output, TextWriter error, RuleCompilerOptions? options = null)
    {
        using var services = CoreServices.BuildCommandServices(overrides);
        var baselineDirectory = request.Baseline ?? services.GetRequiredService<HostSettings>().PoliciesPath;
        if (Compile(baselineDirectory, "baseline", error, options) is not { } baseline || Compile(request.Policies, "new", error, options) is not { } proposed)
        {
            return 1;
        }

        if (StoreSetup.TryOpenExisting(services, error) is not { } store)
        {
            return 1;
        }

        var lastRun = store.GetLastSucceededRun()?.AsOf;
        var asOf = request.AsOf ?? Earliest(request.To.End, lastRun ?? TimeProvider.System.GetUtcNow());
        var replay = new ImpactReplay(store, baseline, proposed);
        var result = replay.Run(request.From, request.To, asOf);
        var where = (store as SqliteStore)?.Path ?? "the configured store";
        var months = request.From == request.To ? request.From.ToString() : $"{request.From} to {request.To}";
        var title = $"impact of `{request.Policies}` against `{baselineDirectory}` on {months}, as of {asOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}, from {where}";
        ImpactText.Write(result, title, output);
        (IReadOnlyList<Engine.Decisions.Decision>, IReadOnlyList<Engine.Decisions.Decision>) Explain(DecisionChange change) => replay.Explain(change.Case, asOf);
        if (request.CaseId is { } id)
        {
            if (!WriteCase(store, replay, id, asOf, output, error))
            {
                return 1;
            }
        }
        else if (!result.Changes.IsEmpty)
        {
            var example = result.Changes.FirstOrDefault(c => c.Kinds.HasFlag(DecisionChangeKind.Status)) ?? result.Changes[0];
            output.WriteLine($"both explanations of a case side by side: add `--case {example.Case.Id}`");
        }

        if (request.Html is { } file)
        {
            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(file));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                File.WriteAllText(file, ImpactHtml.Render(result, title, Explain), new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"impact: cannot write `{file}`: {e.Message}");
                return 1;
            }

            output.WriteLine($"HTML written to {file}");
        }

        return 0;
    }

    private static bool WriteCase(IStore store, ImpactReplay replay, string id, DateTimeOffset asOf, TextWriter output, TextWriter error)
    {
        if (store.GetCase(id) is not { } ticket)
        {
            error.WriteLine($"impact: case `{id}` is not in the store");
            return false;
        }

        var (before, after) = replay.Explain(ticket, asOf);
        foreach (var target in before.Select(d => d.Target).Union(after.Select(d => d.Target)).Distinct())
        {
            var b = before.FirstOrDefault(d => d.Target == target);
            var a = after.FirstOrDefault(d => d.Target == target);
            output.WriteLine();
            output.WriteLine($"{id} {target ?? "(no target)"}: baseline | new policies");
            foreach (var line in ImpactText.SideBySide(
                $"{ImpactText.Policy(b)}: {ImpactText.Status(b)}, due {ImpactText.Time(b?.DueAt)}, level {ImpactText.Level(b)}", b?.Explanation ?? [],
                $"{ImpactText.Policy(a)}: {ImpactText.Status(a)}, due {ImpactText.Time(a?.DueAt)}, level {ImpactText.Level(a)}", a?.Explanation ?? []))
            {
                output.WriteLine(line);
            }
        }

        return true;
    }

    private static CaseEvaluator? Compile(string directory, string which, TextWriter error, RuleCompilerOptions? options)
    {
        var compilation = PolicyPipeline.LoadAndCompile(directory, options);
        if (!compilation.HasErrors)
        {
            return compilation.CreateEvaluator();
        }

        foreach (var diagnostic in compilation.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            error.WriteLine(diagnostic.ToString());
        }

        error.WriteLine($"impact: the {which} policies in `{directory}` have errors; nothing was replayed (see `slapolicy check --policies {directory}`)");
        return null;
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
