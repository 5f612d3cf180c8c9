namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// One measurement of a metric (latency, packet delivery, error rate, ...) of a service in a region; <see cref="Resource"/>
/// names what was measured (an instance, a function, a zone) when the producer says, and <see cref="Requests"/> and
/// <see cref="Failed"/> count the requests of the sample's interval when it is a rate of requests.
/// </summary>
public sealed record MeasurementRecord(string Service, string Region, DateTimeOffset At, string Metric, double Value)
{
    /// <summary>Requests served in the sample's interval (JSON <c>requests</c>, a whole number); null when not counted.</summary>
    public decimal? Requests { get; init; }

    /// <summary>Requests of <see cref="Requests"/> that failed (JSON <c>failed</c>, a whole number, at most <see cref="Requests"/>); null when not counted.</summary>
    public decimal? Failed { get; init; }

    /// <summary>The resource measured (JSON <c>resource</c>); null: the service in the region as a whole.</summary>
    public string? Resource { get; init; }
}

/// <summary>The values of a measurement being read.</summary>
internal struct MeasurementValues
{
    public string? Service, Region, Metric, Resource;
    public DateTimeOffset? At;
    public double Value;
    public decimal? Requests, Failed;
}

public static partial class InputDescriptions
{
    /// <summary>
    /// Measurements (docs/INPUTS.md "Measurements"), keyed by (service, region, at, metric, resource). Required: service,
    /// region, at, metric, value (a finite number from -10^15 to 10^15); optional: <c>requests</c> and <c>failed</c> (whole
    /// numbers from 0 to 10^15, <c>failed</c> at most <c>requests</c> and only with it), <c>resource</c>.
    /// </summary>
    public static RecordDescription<MeasurementRecord> Measurements => MeasurementDescription;

    internal static readonly RecordDescription<MeasurementRecord, MeasurementValues> MeasurementDescription = new(
        "measurements",
        BuildMeasurement,
        new TextField<MeasurementRecord, MeasurementValues>("service", "service", r => r.Service, (ref MeasurementValues v) => ref v.Service, key: true),
        new TextField<MeasurementRecord, MeasurementValues>("region", "region", r => r.Region, (ref MeasurementValues v) => ref v.Region, key: true),
        new TimestampField<MeasurementRecord, MeasurementValues>("at", "at", r => r.At, (ref MeasurementValues v) => ref v.At, utc: true, key: true),
        new TextField<MeasurementRecord, MeasurementValues>("metric", "metric", r => r.Metric, (ref MeasurementValues v) => ref v.Metric, key: true),
        new NumberField<MeasurementRecord, MeasurementValues>("value", "value", r => r.Value, (ref MeasurementValues v) => ref v.Value, InputRanges.MaxMeasurementMagnitude),
        new DecimalField<MeasurementRecord, MeasurementValues>(
            "requests", "requests", r => r.Requests, (ref MeasurementValues v) => ref v.Requests, InputRanges.MaxRequestCount,
            (v, text) => $"the request count `{text}` of the `{v.Metric}` measurement of `{v.Service}` in `{v.Region}` is not a number the store can read"),
        new DecimalField<MeasurementRecord, MeasurementValues>(
            "failed", "failed", r => r.Failed, (ref MeasurementValues v) => ref v.Failed, InputRanges.MaxRequestCount,
            (v, text) => $"the failed count `{text}` of the `{v.Metric}` measurement of `{v.Service}` in `{v.Region}` is not a number the store can read"),
        new TextField<MeasurementRecord, MeasurementValues>("resource", "resource", r => r.Resource, (ref MeasurementValues v) => ref v.Resource, required: false, key: true));

    private static MeasurementRecord BuildMeasurement(ref MeasurementValues v)
    {
        if (v.Requests is { } requests && requests != decimal.Truncate(requests))
        {
            throw new RecordRejectedException("requests", $"`requests` `{requests.ToString(System.Globalization.CultureInfo.InvariantCulture)}` must be a whole number");
        }

        if (v.Failed is { } failed)
        {
            if (failed != decimal.Truncate(failed))
            {
                throw new RecordRejectedException("failed", $"`failed` `{failed.ToString(System.Globalization.CultureInfo.InvariantCulture)}` must be a whole number");
            }

            if (v.Requests is not { } total || failed > total)
            {
                throw new RecordRejectedException("failed", v.Requests is null ? "`failed` counts requests: write `requests` too" : "`failed` must not be more than `requests`");
            }
        }

        return new MeasurementRecord(v.Service!, v.Region!, v.At.GetValueOrDefault(), v.Metric!, v.Value)
        {
            Requests = v.Requests,
            Failed = v.Failed,
            Resource = v.Resource,
        };
    }
}
