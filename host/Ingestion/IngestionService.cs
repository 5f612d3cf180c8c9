using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Ingestion;

/// <summary>
/// What an ingestion did: good records committed, records rejected (all of them are in the quarantine; the
/// first <see cref="IngestionService.MaxRejectionsReported"/> are listed here).
/// </summary>
public sealed record IngestResult(string Source, RecordKind Kind, long Accepted, long RejectedCount, IReadOnlyList<RejectedRecord> Rejected);

/// <summary>
/// Reads records with the configured <see cref="IRecordParser"/> and writes them to the store in batches:
/// each batch (good records and rejections together) is one transaction, so a crash loses at most the batch
/// in flight and never half of one. A bad record never stops the good ones.
/// </summary>
public sealed class IngestionService(IStore store, IRecordParser parser, TimeProvider time, int batchSize = IngestionService.DefaultBatchSize)
{
    public const int DefaultBatchSize = 10_000;

    /// <summary>How many rejections a result lists; the rest are counted and kept in the quarantine.</summary>
    public const int MaxRejectionsReported = 1_000;

    public IngestResult Ingest(RecordKind kind, Stream input, string source, RecordFormat format = RecordFormat.JsonLines) => kind switch
    {
        RecordKind.Cases => Run(kind, source, parser.ReadCases(input, source, format), (good, bad, at) => new RecordBatch(good, [], [], [], bad, at)),
        RecordKind.Outages => Run(kind, source, parser.ReadOutages(input, source), (good, bad, at) => new RecordBatch([], good, [], [], bad, at)),
        RecordKind.Subscriptions => Run(kind, source, parser.ReadSubscriptions(input, source), (good, bad, at) => new RecordBatch([], [], good, [], bad, at)),
        RecordKind.Measurements => Run(kind, source, parser.ReadMeasurements(input, source), (good, bad, at) => new RecordBatch([], [], [], good, bad, at)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private IngestResult Run<T>(RecordKind kind, string source, IEnumerable<InputResult<T>> records, Func<List<T>, List<RejectedRecord>, DateTimeOffset, RecordBatch> batchOf)
        where T : class
    {
        var good = new List<T>(Math.Min(batchSize, 1024));
        var bad = new List<RejectedRecord>();
        var reported = new List<RejectedRecord>();
        long accepted = 0, rejected = 0;

        void Flush()
        {
            if (good.Count == 0 && bad.Count == 0)
            {
                return;
            }

            store.Ingest(batchOf(good, bad, time.GetUtcNow()));
            accepted += good.Count;
            good.Clear();
            bad.Clear();
        }

        foreach (var outcome in records)
        {
            if (outcome.Record is { } record)
            {
                good.Add(record);
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
        return new IngestResult(source, kind, accepted, rejected, reported);
    }
}
