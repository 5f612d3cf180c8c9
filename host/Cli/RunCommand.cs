using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;
using SlaPolicy.Host.Web;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy run [--as-of T] [--store PATH]</c>: the nightly job, once, now, against the configured store.
/// A progress bar on a terminal; plain lines when output is redirected. Exit 0 when the run succeeded.
/// </summary>
public sealed class RunCommand : ICliCommand
{
    public Command Create()
    {
        var asOfOption = new Option<string?>("--as-of") { Description = "evaluation time, ISO 8601 with an offset (default: now)" };
        var storeOption = new Option<string?>("--store") { Description = "SQLite file to use instead of `Store:Path`" };
        var command = new Command("run", "run the nightly job once, now, against the configured store");
        command.Options.Add(asOfOption);
        command.Options.Add(storeOption);
        command.SetAction(parse =>
        {
            DateTimeOffset? asOf = null;
            if (parse.GetValue(asOfOption) is { } text)
            {
                if (!text.EndsWith('Z') && text.LastIndexOfAny(['+', '-']) <= 10
                    || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
                {
                    Console.Error.WriteLine($"error: `--as-of {text}` must be an ISO 8601 timestamp with an offset, e.g. 2026-11-22T02:00:00Z");
                    return 2;
                }

                asOf = parsed;
            }

            using var services = CoreServices.BuildCommandServices(StoreOverride(parse.GetValue(storeOption)));
            return Execute(services, asOf, Console.Out, Console.IsOutputRedirected);
        });
        return command;
    }

    internal static IEnumerable<KeyValuePair<string, string?>>? StoreOverride(string? path) =>
        path is null ? null : [new("Store:Path", path)];

    /// <summary>Runs once and prints the summary and where to look next; returns the exit code.</summary>
    internal static int Execute(IServiceProvider services, DateTimeOffset? asOf, TextWriter output, bool redirected)
    {
        var run = services.GetRequiredService<NightlyRun>();
        var store = services.GetRequiredService<IStore>();
        var policies = services.GetRequiredService<IEvaluatorProvider>().Status;
        output.WriteLine($"store: {((store as SqliteStore)?.Path ?? "configured store")}");
        if (!policies.Ready)
        {
            output.WriteLine($"policies: {policies.Message}");
        }

        RunRecord record;
        if (redirected)
        {
            var progress = new SyncProgress(p => output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} evaluated {p.CasesRead}/{p.CasesTotal} cases, {p.DecisionsWritten} decisions written"));
            record = run.Run(asOf, RunTrigger.Cli, progress);
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
                    record = run.Run(asOf, RunTrigger.Cli, progress);
                    task.Value = task.MaxValue;
                });
        }

        output.WriteLine($"run {record.Id} {StoreText.State(record.State)}: as of {record.AsOf:yyyy-MM-dd'T'HH:mm:ss'Z'}, {record.CasesRead} cases, "
            + $"{record.DecisionsWritten} decisions ({record.DecisionsChanged} new or changed), {record.Rejected} rejected, {record.DurationMs} ms");
        if (record.PolicyVersions.Count > 0)
        {
            output.WriteLine($"policies: {string.Join(", ", record.PolicyVersions)}");
        }

        if (record.Error is not null)
        {
            output.WriteLine($"error: {record.Error}");
            return 1;
        }

        var sample = store.QueryDecisions(new DecisionQuery(Status: "breached", LatestOnly: true, Limit: 1)).FirstOrDefault()
            ?? store.QueryDecisions(new DecisionQuery(LatestOnly: true, Limit: 1)).FirstOrDefault();
        output.WriteLine("next:");
        if (sample is not null)
        {
            output.WriteLine($"  slapolicy why {sample.Decision.CaseId}    explain a case");
        }

        output.WriteLine($"  slapolicy serve                then open {SlaPolicyWebHost.DefaultUrls}/ for the support leads' page");
        return 0;
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
