using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Ingestion;

/// <summary>The kinds of input records, as named in docs/INPUTS.md and in the API's paths.</summary>
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

/// <summary>
/// Reads input records from a stream, one outcome per non-blank line, in order, without stopping at a bad
/// line. Implementations stream: memory does not grow with the input. The <c>source</c> argument names the
/// input in rejections (file name, or <c>api:cases</c>). The host's implementation is <see cref="EngineRecordParser"/>.
/// </summary>
public interface IRecordParser
{
    IEnumerable<InputResult<CaseRecord>> ReadCases(Stream input, string source, RecordFormat format);

    IEnumerable<InputResult<OutageRecord>> ReadOutages(Stream input, string source);

    IEnumerable<InputResult<SubscriptionRecord>> ReadSubscriptions(Stream input, string source);

    IEnumerable<InputResult<MeasurementRecord>> ReadMeasurements(Stream input, string source);
}
