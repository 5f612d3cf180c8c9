namespace SlaPolicy.Engine.Inputs;

/// <summary>One measurement of a metric (latency, packet delivery, ...) of a service in a region.</summary>
public sealed record MeasurementRecord(string Service, string Region, DateTimeOffset At, string Metric, double Value);

/// <summary>The values of a measurement being read.</summary>
internal struct MeasurementValues
{
    public string? Service, Region, Metric;
    public DateTimeOffset? At;
    public double Value;
}

public static partial class InputDescriptions
{
    /// <summary>
    /// Measurements (docs/INPUTS.md "Measurements"), keyed by (service, region, at, metric). Required: every field;
    /// <c>value</c> is a finite number from -10^15 to 10^15.
    /// </summary>
    public static RecordDescription<MeasurementRecord> Measurements => MeasurementDescription;

    internal static readonly RecordDescription<MeasurementRecord, MeasurementValues> MeasurementDescription = new(
        "measurements",
        (ref MeasurementValues v) => new MeasurementRecord(v.Service!, v.Region!, v.At.GetValueOrDefault(), v.Metric!, v.Value),
        new TextField<MeasurementRecord, MeasurementValues>("service", "service", r => r.Service, (ref MeasurementValues v) => ref v.Service, key: true),
        new TextField<MeasurementRecord, MeasurementValues>("region", "region", r => r.Region, (ref MeasurementValues v) => ref v.Region, key: true),
        new TimestampField<MeasurementRecord, MeasurementValues>("at", "at", r => r.At, (ref MeasurementValues v) => ref v.At, utc: true, key: true),
        new TextField<MeasurementRecord, MeasurementValues>("metric", "metric", r => r.Metric, (ref MeasurementValues v) => ref v.Metric, key: true),
        new NumberField<MeasurementRecord, MeasurementValues>("value", "value", r => r.Value, (ref MeasurementValues v) => ref v.Value, InputRanges.MaxMeasurementMagnitude));
}
