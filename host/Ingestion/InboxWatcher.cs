using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlaPolicy.Host.Scheduling;

namespace SlaPolicy.Host.Ingestion;

/// <summary>
/// Picks up <c>*.jsonl</c> and <c>*.csv</c> files dropped into the inbox folder, ingests them and moves each to
/// <c>processed/</c>, or to <c>failed/</c> when nothing in it could be accepted. The kind of record is read from the
/// file name's start (<see cref="InputFileNames"/>): <c>cases</c>, <c>outages</c>, <c>subscriptions</c> or
/// <c>measurements</c> (e.g. <c>cases-2026-11-21.jsonl</c>); CSV is for cases only. A file still being written (locked) waits for the
/// next look. Files are taken in name order.
/// </summary>
public sealed class InboxWatcher(IngestionService ingestion, HostSettings settings, TimeProvider time, ILogger<InboxWatcher> logger) : BackgroundService
{
    /// <summary>Full path of the inbox folder; created when the watcher is.</summary>
    public string Inbox { get; } = Directory.CreateDirectory(Path.GetFullPath(settings.InboxPath)).FullName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(Inbox);
        logger.LogInformation("watching {Inbox} for *.jsonl and *.csv files", Inbox);
        var delay = TimeSpan.FromSeconds(Math.Max(0.1, settings.InboxPollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Run(ProcessOnce, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "inbox pass failed; trying again in {Delay}", delay);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Processes every file now in the inbox; returns what each ingestion did.</summary>
    public IReadOnlyList<IngestResult> ProcessOnce()
    {
        Directory.CreateDirectory(Inbox);
        var results = new List<IngestResult>();
        var files = Directory.EnumerateFiles(Inbox)
            .Where(f => f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (InputFileNames.Classify(name) is not var (kind, format))
            {
                logger.LogWarning("{File}: the name must start with cases, outages, subscriptions or measurements (CSV: cases only); moved to failed/", name);
                Move(file, "failed");
                continue;
            }

            IngestResult result;
            try
            {
                // FileShare.None: a writer that still holds the file makes this throw, and the file waits for the next pass.
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.SequentialScan);
                result = ingestion.Ingest(kind, stream, name, format);
            }
            catch (IOException ex)
            {
                logger.LogInformation("{File} is busy ({Message}); trying again later", name, ex.Message);
                continue;
            }

            results.Add(result);
            var allBad = result.Accepted == 0 && result.RejectedCount > 0;
            Move(file, allBad ? "failed" : "processed");
            logger.LogInformation("{File}: {Accepted} {Kind} accepted, {Rejected} quarantined; moved to {Folder}/",
                name, result.Accepted, kind, result.RejectedCount, allBad ? "failed" : "processed");
            foreach (var w in result.Warnings.Take(10))
            {
                logger.LogWarning("{File}:{Line}: warning `{Field}`: {Message}", name, w.LineNumber, w.Field, w.Message);
            }

            if (result.UnknownStatusSummary is { } statuses)
            {
                logger.LogWarning("{File}: {Statuses}", name, statuses);
            }
        }

        return results;
    }

    private void Move(string file, string folder)
    {
        var target = Path.Combine(Inbox, folder);
        Directory.CreateDirectory(target);
        var destination = Path.Combine(target, Path.GetFileName(file));
        if (File.Exists(destination))
        {
            // Keep both: the same name dropped twice is two deliveries.
            destination = Path.Combine(target, $"{time.GetUtcNow():yyyyMMddTHHmmssfff}-{Path.GetFileName(file)}");
        }

        File.Move(file, destination);
    }
}
