using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Ingestion;

/// <summary>
/// What an ingestion did: good records committed, records rejected (all of them are in the quarantine; the
/// first <see cref="IngestionService.MaxRejectionsReported"/> are listed here).
/// </summary>
public sealed record IngestResult(string Source, RecordKind Kind, long Accepted, long RejectedCount, IReadOnlyList<RejectedRecord> Rejected)
{
    /// <summary>
    /// Warnings of the input, all counted, the first <see cref="IngestionService.MaxRejectionsReported"/> listed: unknown
    /// properties a small edit away from a known one, statuses a small edit away from a pauseOn or known status.
    /// </summary>
    public IReadOnlyList<InputWarning> Warnings { get; init; } = [];

    /// <summary>How many warnings the input gave, listed or not.</summary>
    public long WarningCount { get; init; }

    /// <summary>Statuses of the accepted cases' events that no policy's pauseOn and no known status names, with their counts.</summary>
    public IReadOnlyDictionary<string, long> UnknownStatuses { get; init; } = new Dictionary<string, long>();

    /// <summary>The unknown statuses as one summary line (with the status each seems meant as), or null when there were none.</summary>
    public string? UnknownStatusSummary { get; init; }
}

/// <summary>
/// Reads records with the configured <see cref="IRecordParser"/> and writes them to the store in batches:
/// each batch (good records and rejections together) is one transaction, so a crash loses at most the batch
/// in flight and never half of one. A bad record never stops the good ones.
/// </summary>
/// <remarks>
/// One batch is written while the next is read: the calling thread reads and prepares a batch (the cases' stored values
/// and hashes, <see cref="RecordBatch.Prepare"/>) while one writer task stores the one before, so that reading and
/// writing overlap; batches are still written one at a time, in input order. A failed write stops the reading at the
/// next batch and is thrown as it was; the batches before it stay written, none after it is. Nothing is written after
/// <see cref="Ingest"/> returns or throws.
/// <para>
/// <paramref name="statuses"/> makes the census of event statuses for each ingestion of cases (by default, one that knows
/// no pauseOn status: every status outside <see cref="StatusCensus.KnownStatuses"/> is counted).
/// </para>
/// </remarks>
public sealed class IngestionService(
    IStore store, IRecordParser parser, TimeProvider time, int batchSize = IngestionService.DefaultBatchSize, Func<StatusCensus>? statuses = null)
{
    public const int DefaultBatchSize = 10_000;

    /// <summary>How many rejections a result lists; the rest are counted and kept in the quarantine.</summary>
    public const int MaxRejectionsReported = 1_000;

    public IngestResult Ingest(RecordKind kind, Stream input, string source, RecordFormat format = RecordFormat.JsonLines) => kind switch
    {
        RecordKind.Cases => Run(kind, source, parser.ReadCases(input, source, format), (good, bad, at) => new RecordBatch(good, [], [], [], bad, at), statuses?.Invoke() ?? new StatusCensus([])),
        RecordKind.Outages => Run(kind, source, parser.ReadOutages(input, source), (good, bad, at) => new RecordBatch([], good, [], [], bad, at)),
        RecordKind.Subscriptions => Run(kind, source, parser.ReadSubscriptions(input, source), (good, bad, at) => new RecordBatch([], [], good, [], bad, at)),
        RecordKind.Measurements => Run(kind, source, parser.ReadMeasurements(input, source), (good, bad, at) => new RecordBatch([], [], [], good, bad, at)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private IngestResult Run<T>(
        RecordKind kind, string source, IEnumerable<InputResult<T>> records, Func<List<T>, List<RejectedRecord>, DateTimeOffset, RecordBatch> batchOf, StatusCensus? census = null)
        where T : class
    {
        var good = new List<T>(Math.Min(batchSize, 1024));
        var bad = new List<RejectedRecord>();
        var reported = new List<RejectedRecord>();
        var warnings = new List<InputWarning>();
        long accepted = 0, rejected = 0, warned = 0;
        Task? writing = null;

        void Warn(IEnumerable<InputWarning> found)
        {
            foreach (var warning in found)
            {
                warned++;
                if (warnings.Count < MaxRejectionsReported)
                {
                    warnings.Add(warning);
                }
            }
        }

        // Hands the batch read so far to the writer once the one before it is written (whose failure is thrown here).
        void Flush()
        {
            if (good.Count == 0 && bad.Count == 0)
            {
                return;
            }

            var batch = batchOf(good, bad, time.GetUtcNow()).Prepare();
            var count = good.Count;
            good = new List<T>(Math.Min(batchSize, 1024));
            bad = [];
            writing?.GetAwaiter().GetResult();
            writing = Task.Run(() =>
            {
                store.Ingest(batch);
                accepted += count;
            });
        }

        try
        {
            foreach (var outcome in records)
            {
                Warn(outcome.Warnings);
                if (outcome.Record is { } record)
                {
                    good.Add(record);
                    if (census is not null && record is CaseRecord ticket)
                    {
                        Warn(census.Observe(ticket, source, outcome.LineNumber));
                    }
                }
                else if (outcome.Rejected is { } rejection)
                {
                    bad.Add(rejection);
                    rejected++;
                    if (reported.Count < MaxRejectionsReported)
                    {
                        reported.Add(rejection);
                    }
                }

                if (good.Count + bad.Count >= batchSize)
                {
                    Flush();
                }
            }

            Flush();
            writing?.GetAwaiter().GetResult();
        }
        catch when (writing is { IsCompleted: false } inFlight)
        {
            // The input failed (or was cancelled) while a batch was being written: that write finishes, or fails, first.
            // Its own failure, if any, is the earlier one; the reading's is what the caller gets either way.
            try
            {
                inFlight.Wait();
            }
            catch (AggregateException)
            {
            }

            throw;
        }

        var unknown = census?.Unknown ?? new Dictionary<string, long>();
        return new IngestResult(source, kind, accepted, rejected, reported)
        {
            Warnings = warnings,
            WarningCount = warned,
            UnknownStatuses = unknown,
            UnknownStatusSummary = unknown.Count == 0 ? null : StatusCensus.Describe(unknown, census!.SuggestionFor),
        };
    }
}
