using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Ingestion;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;
using SlaPolicy.Host.Web;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy run [--ingest DIR] [--as-of T] [--store PATH]</c>: the nightly job, once, now, against the configured
/// store; with <c>--ingest</c>, first ingests the input files of a folder (see <see cref="InputFileNames"/>).
/// A progress bar on a terminal; plain lines when output is redirected. Exit 0 when the run succeeded, 1 when it failed or the store
/// configuration is bad (one line naming the setting), 2 on bad arguments.
/// Running it twice with the same files and asOf changes nothing and duplicates nothing.
/// </summary>
public sealed class RunCommand : ICliCommand
{
    public Command Create()
    {
        var asOfOption = new Option<string?>("--as-of") { Description = "evaluation time, ISO 8601 with an offset (default: now)" };
        var storeOption = new Option<string?>("--store") { Description = "SQLite file to use instead of `Store:Path`" };
        var ingestOption = new Option<string?>("--ingest")
        {
            Description = "first ingest the cases*, outages*, subscriptions* and measurements* (.jsonl; .csv for cases) files of this folder",
        };
        var fullOption = new Option<bool>("--full")
        {
            Description = "evaluate every stored case, not only those that may have changed since their decisions (new, changed, still counting, or under a policy that changed)",
        };
        var command = new Command("run", "run the nightly job once, now, against the configured store");
        command.Options.Add(ingestOption);
        command.Options.Add(fullOption);
        command.Options.Add(asOfOption);
        command.Options.Add(storeOption);
        command.SetAction(parse =>
        {
            DateTimeOffset? asOf = null;
            if (parse.GetValue(asOfOption) is { } text)
            {
                if (!InstantText.TryParseInstant(text, out var parsed))
                {
                    Console.Error.WriteLine($"error: `--as-of {text}` must be {InstantText.InstantAccepted}");
                    return 2;
                }

                asOf = parsed;
            }

            return Invoke(StoreOverride(parse.GetValue(storeOption)), asOf, parse.GetValue(ingestOption), Console.Out, parse.InvocationConfiguration.Error, parse.GetValue(fullOption));
        });
        return command;
    }

    /// <summary>Builds the services from configuration and <paramref name="overrides"/>, opens the store and runs; exit 1 on a bad store configuration.</summary>
    internal static int Invoke(IEnumerable<KeyValuePair<string, string?>>? overrides, DateTimeOffset? asOf, string? ingest, TextWriter output, TextWriter error, bool full = false)
    {
        using var services = CoreServices.BuildCommandServices(overrides);
        return StoreSetup.TryOpen(services, error) is null ? 1 : Execute(services, asOf, output, Console.IsOutputRedirected, ingest, CommandPrefix(), full);
    }

    /// <summary>
    /// The cases of a run in words: <c>424 cases</c> when it evaluated every stored case, <c>12 cases evaluated, 412 kept</c>
    /// when it kept the decisions of settled, unchanged cases.
    /// </summary>
    internal static string CasesText(RunRecord record) => record.CasesKept == 0
        ? $"{record.CasesRead} cases"
        : $"{record.CasesRead} cases evaluated, {record.CasesKept} kept (settled, unchanged)";

    internal static IEnumerable<KeyValuePair<string, string?>>? StoreOverride(string? path) =>
        path is null ? null : [new("Store:Path", path)];

    /// <summary>
    /// How to call this executable in the "next" lines: <c>dotnet run --project host --</c> when started from the
    /// repository root (where a fresh clone runs it), <c>slapolicy</c> otherwise.
    /// </summary>
    internal static string CommandPrefix() =>
        File.Exists(Path.Combine("host", "SlaPolicy.Host.csproj")) ? "dotnet run --project host --" : "slapolicy";

    /// <summary>Ingests <paramref name="ingest"/> (when given), runs once and prints the summary and where to look next; returns the exit code.</summary>
    internal static int Execute(IServiceProvider services, DateTimeOffset? asOf, TextWriter output, bool redirected, string? ingest = null, string commandPrefix = "slapolicy", bool full = false)
    {
        var run = services.GetRequiredService<NightlyRun>();
        var store = services.GetRequiredService<IStore>();
        var policies = services.GetRequiredService<IEvaluatorProvider>().Status;
        output.WriteLine($"store: {((store as SqliteStore)?.Path ?? "configured store")}");
        output.WriteLine(policies.Ready && !policies.LastLoadFailed
            ? $"policies: {policies.Directory}: {policies.Versions.Count} versions"
            : $"policies: {policies.Directory}: {policies.Message}");
        foreach (var diagnostic in policies.Diagnostics)
        {
            output.WriteLine($"  {diagnostic}");
        }

        if (ingest is not null && Ingest(services.GetRequiredService<IngestionService>(), ingest, output) is { } failed)
        {
            return failed;
        }

        RunRecord record;
        if (redirected)
        {
            var progress = new SyncProgress(p => output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} evaluated {p.CasesRead}/{p.CasesTotal} cases, {p.DecisionsWritten} decisions written"));
            record = run.Run(asOf, RunTrigger.Cli, progress, full: full);
        }
        else
        {
            record = null!;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("evaluating cases", maxValue: 1);
                    var progress = new SyncProgress(p =>
                    {
                        task.MaxValue = Math.Max(1, p.CasesTotal);
                        task.Value = p.CasesRead;
                    });
                    record = run.Run(asOf, RunTrigger.Cli, progress, full: full);
                    task.Value = task.MaxValue;
                });
        }

        output.WriteLine($"run {record.Id} {StoreText.State(record.State)}: as of {record.AsOf:yyyy-MM-dd'T'HH:mm:ss'Z'}, {CasesText(record)}, "
            + $"{record.DecisionsWritten} decisions ({record.DecisionsChanged} new or changed), {record.Rejected} rejected, {record.DurationMs} ms");
        if (record.PolicyVersions.Count > 0)
        {
            output.WriteLine($"policies: {string.Join(", ", record.PolicyVersions)}");
        }

        if (record.PolicyNote is { } note)
        {
            output.WriteLine($"note: {note}");
        }

        if (record.UnknownStatusNames is { } unknown)
        {
            output.WriteLine($"warning: {record.UnknownStatuses} events have a status that does not pause or mean anything: {unknown}");
        }

        if (record.Error is null)
        {
            WriteCredits(store, record, output);
        }

        if (record.Error is not null)
        {
            output.WriteLine($"error: {record.Error}");
            return 1;
        }

        output.WriteLine("next:");
        if (SampleCase(store) is { } sample)
        {
            output.WriteLine($"  {commandPrefix} why {sample}    explain a case");
        }

        output.WriteLine($"  {commandPrefix} serve    then open {SlaPolicyWebHost.DefaultUrls}/ for the support leads' page");
        output.WriteLine($"  {commandPrefix} serve    then GET {SlaPolicyWebHost.DefaultUrls}/api/credits?month={record.AsOf.UtcDateTime:yyyy-MM} for the month's service credits");
        return 0;
    }

    /// <summary>The run's service credit counts, then the credits owed in its month (up to <see cref="CreditsListed"/>), largest first.</summary>
    private static void WriteCredits(IStore store, RunRecord record, TextWriter output)
    {
        var period = record.AsOf.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var owed = store.QueryServiceCredits(new ServiceCreditQuery(period, OwedOnly: true))
            .Select(c => c.Credit)
            .Where(c => c.Kind != ServiceCreditKind.CustomerTotal)
            .OrderByDescending(c => c.Amount)
            .ThenBy(c => c.Customer, StringComparer.Ordinal)
            .ToList();
        output.WriteLine($"service credits: {record.CreditsWritten} rows ({record.CreditsChanged} new, changed or removed); {owed.Count} credits owed in {period}");
        foreach (var c in owed.Take(CreditsListed))
        {
            var where = c.Service.Length > 0 ? $"{c.Service} {c.Region}" : c.Objective;
            var measured = c.Measured is { } m ? m.ToString("0.###", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"  {c.Customer} {where}: {c.Target}, measured {measured}: {c.Currency} {c.Amount.ToString("0.00", CultureInfo.InvariantCulture)}".Replace(":  ", ": ", StringComparison.Ordinal));
        }

        if (owed.Count > CreditsListed)
        {
            output.WriteLine($"  ... and {owed.Count - CreditsListed} more (GET /api/credits?month={period})");
        }
    }

    /// <summary>Credits owed listed one by one after a run.</summary>
    private const int CreditsListed = 5;

    /// <summary>
    /// The case to suggest for <c>why</c>: a breached one with the highest escalation level, preferring the most
    /// paused time (its explanation shows the most), then the lowest id; any decided case when none is breached.
    /// </summary>
    private static string? SampleCase(IStore store)
    {
        var breached = store.QueryDecisions(new DecisionQuery(Status: "breached", LatestOnly: true, Limit: 500));
        var best = breached
            .Select(d => d.Decision)
            .OrderByDescending(d => d.EscalationLevel)
            .ThenByDescending(d => d.PausedMinutes)
            .ThenBy(d => d.CaseId, StringComparer.Ordinal)
            .FirstOrDefault();
        return best?.CaseId ?? store.QueryDecisions(new DecisionQuery(LatestOnly: true, Limit: 1)).FirstOrDefault()?.Decision.CaseId;
    }

    /// <summary>Ingests every input file of <paramref name="folder"/>; returns an exit code when it cannot, else null.</summary>
    private static int? Ingest(IngestionService ingestion, string folder, TextWriter output)
    {
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"error: `--ingest {folder}`: no such folder");
            return 2;
        }

        var files = InputFileNames.InFolder(folder);
        if (files.Count == 0)
        {
            output.WriteLine($"warning: `{folder}` holds no cases*, outages*, subscriptions* or measurements* .jsonl/.csv files; nothing ingested");
        }

        long accepted = 0, rejected = 0, warned = 0;
        var unknownStatuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (path, kind, format) in files)
        {
            IngestResult result;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                result = ingestion.Ingest(kind, stream, path, format);
            }

            accepted += result.Accepted;
            rejected += result.RejectedCount;
            output.WriteLine($"ingested {path}: {result.Accepted} {kind.ToString().ToLowerInvariant()} accepted, {result.RejectedCount} rejected");
            foreach (var r in result.Rejected.Take(3))
            {
                output.WriteLine($"  {r.Source}:{r.LineNumber}: {(r.Field is null ? string.Empty : $"`{r.Field}`: ")}{r.Reason}");
            }

            if (result.RejectedCount > 3)
            {
                output.WriteLine($"  ... and {result.RejectedCount - 3} more");
            }

            warned += result.WarningCount;
            foreach (var w in result.Warnings.Take(3))
            {
                output.WriteLine($"  {w.Source}:{w.LineNumber}: warning `{w.Field}`: {w.Message}");
            }

            if (result.WarningCount > 3)
            {
                output.WriteLine($"  ... and {result.WarningCount - 3} more warnings");
            }

            if (result.UnknownStatusSummary is { } statuses)
            {
                output.WriteLine($"  {statuses}");
            }

            foreach (var (status, count) in result.UnknownStatuses)
            {
                unknownStatuses[status] = unknownStatuses.GetValueOrDefault(status) + count;
            }
        }

        var warnings = warned == 0 ? string.Empty : $", {warned} warnings";
        var statusesText = unknownStatuses.Count == 0 ? string.Empty : $", {unknownStatuses.Count} unknown statuses";
        output.WriteLine($"ingested {files.Count} files: {accepted} records accepted, {rejected} rejected and kept in the quarantine (GET /api/quarantine){warnings}{statusesText}");
        return null;
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
