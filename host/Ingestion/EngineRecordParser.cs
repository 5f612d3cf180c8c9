using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Ingestion;

/// <summary>
/// The engine's streaming readers (<see cref="CaseReader"/>, <see cref="CaseCsvReader"/>, <see cref="OutageReader"/>,
/// <see cref="SubscriptionReader"/>, <see cref="MeasurementReader"/>) behind <see cref="IRecordParser"/>, so that
/// the inbox, the HTTP API, <c>run --ingest</c> and <c>evaluate</c> accept and reject exactly the same records,
/// with the same reasons (docs/INPUTS.md). Stateless and thread-safe; the stream is left open.
/// </summary>
public sealed class EngineRecordParser(InputLimits? limits = null) : IRecordParser
{
    public IEnumerable<InputResult<CaseRecord>> ReadCases(Stream input, string source, RecordFormat format) =>
        format == RecordFormat.Csv ? CaseCsvReader.Read(input, source, limits) : CaseReader.Read(input, source, limits);

    public IEnumerable<InputResult<OutageRecord>> ReadOutages(Stream input, string source) => OutageReader.Read(input, source, limits);

    public IEnumerable<InputResult<SubscriptionRecord>> ReadSubscriptions(Stream input, string source) => SubscriptionReader.Read(input, source, limits);

    public IEnumerable<InputResult<MeasurementRecord>> ReadMeasurements(Stream input, string source) => MeasurementReader.Read(input, source, limits);
}
