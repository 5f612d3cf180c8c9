using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Ingestion;

/// <summary>The kinds of input records, as named in DESIGN.md "Inputs" and in the API's paths.</summary>
public enum RecordKind
{
    Cases,
    Outages,
    Subscriptions,
    Measurements,
}

/// <summary>The text format of an input: JSON Lines for every kind; CSV (with a header row) for cases only.</summary>
public enum RecordFormat
{
    JsonLines,
    Csv,
}

/// <summary>One line's outcome: the record, or why it was rejected. Exactly one of the two is set.</summary>
public readonly record struct Parsed<T>(T? Record, RejectedRecord? Rejected)
    where T : class
{
    public static Parsed<T> Ok(T record) => new(record, null);

    public static Parsed<T> Bad(RejectedRecord rejected) => new(null, rejected);
}

/// <summary>
/// Reads input records from a stream, one outcome per non-blank line, in order, without stopping at a bad
/// line. Implementations stream: memory does not grow with the input. The <c>source</c> argument names the
/// input in rejections (file name, or <c>api:cases</c>).
/// </summary>
public interface IRecordParser
{
    IEnumerable<Parsed<CaseRecord>> ReadCases(Stream input, string source, RecordFormat format);

    IEnumerable<Parsed<OutageRecord>> ReadOutages(Stream input, string source);

    IEnumerable<Parsed<SubscriptionRecord>> ReadSubscriptions(Stream input, string source);

    IEnumerable<Parsed<MeasurementRecord>> ReadMeasurements(Stream input, string source);
}
