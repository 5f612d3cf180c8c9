namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// An outage of a service in a region: [Start, End), of a kind such as <c>unplanned</c> or <c>maintenance</c>;
/// <see cref="Resource"/> names what it affected (an instance, a zone, a project) when the producer says.
/// </summary>
public sealed record OutageRecord(string Service, string Region, DateTimeOffset Start, DateTimeOffset End, string Kind, string? Id = null, string? Resource = null)
{
    /// <summary>
    /// The share of users the outage affected, a percent from 0 to 100 (JSON <c>affected</c>); null: not known, and a
    /// term weighting downtime by users affected counts it in full.
    /// </summary>
    public decimal? Affected { get; init; }
}

/// <summary>The values of an outage being read.</summary>
internal struct OutageValues
{
    public string? Service, Region, Kind, Id, Resource;
    public DateTimeOffset? Start, End;
    public decimal? Affected;
}

public static partial class InputDescriptions
{
    /// <summary>
    /// Outages (docs/INPUTS.md "Outages"), keyed by (service, region, start, kind). Required: <c>service</c>,
    /// <c>region</c>, <c>start</c>, <c>end</c> (not before <c>start</c>), <c>kind</c>; optional: <c>id</c>,
    /// <c>resource</c>, <c>affected</c> (a percent from 0 to 100). Start and end are stored as UTC text, so that a window is a text range.
    /// </summary>
    public static RecordDescription<OutageRecord> Outages => OutageDescription;

    internal static readonly RecordDescription<OutageRecord, OutageValues> OutageDescription = new(
        "outages",
        BuildOutage,
        new TextField<OutageRecord, OutageValues>("service", "service", r => r.Service, (ref OutageValues v) => ref v.Service, key: true),
        new TextField<OutageRecord, OutageValues>("region", "region", r => r.Region, (ref OutageValues v) => ref v.Region, key: true),
        new TimestampField<OutageRecord, OutageValues>("start", "start_at", r => r.Start, (ref OutageValues v) => ref v.Start, utc: true, key: true),
        new TimestampField<OutageRecord, OutageValues>("end", "end_at", r => r.End, (ref OutageValues v) => ref v.End, utc: true),
        new TextField<OutageRecord, OutageValues>("kind", "kind", r => r.Kind, (ref OutageValues v) => ref v.Kind, key: true),
        new TextField<OutageRecord, OutageValues>("id", "outage_id", r => r.Id, (ref OutageValues v) => ref v.Id, required: false, pooled: false),
        new TextField<OutageRecord, OutageValues>("resource", "resource", r => r.Resource, (ref OutageValues v) => ref v.Resource, required: false),
        new DecimalField<OutageRecord, OutageValues>(
            "affected", "affected", r => r.Affected, (ref OutageValues v) => ref v.Affected, 100m,
            (v, text) => $"the share affected `{text}` of the outage of `{v.Service}` in `{v.Region}` is not a decimal number the store can read"));

    private static OutageRecord BuildOutage(ref OutageValues v)
    {
        var start = v.Start.GetValueOrDefault();
        var end = v.End.GetValueOrDefault();
        if (end < start)
        {
            throw new RecordRejectedException("end", $"`end` `{Timestamps.Format(end)}` is before `start` `{Timestamps.Format(start)}`");
        }

        return new OutageRecord(v.Service!, v.Region!, start, end, v.Kind!, v.Id, v.Resource) { Affected = v.Affected };
    }
}
