using System.Collections.Immutable;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// A support case. Named <c>ticket</c> in rule expressions because <c>case</c> is a C# keyword.
/// <see cref="Events"/> are ordered by <see cref="StatusEvent.At"/>.
/// </summary>
public sealed record CaseRecord(
    string Id,
    string Customer,
    string Tier,
    string Region,
    string Service,
    int Severity,
    DateTimeOffset OpenedAt,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt,
    ImmutableArray<string> Tags,
    ImmutableArray<StatusEvent> Events);

/// <summary>The values of a case being read.</summary>
internal struct CaseValues
{
    public string? Id, Customer, Tier, Region, Service;
    public int Severity;
    public DateTimeOffset? OpenedAt, FirstResponseAt, ResolvedAt;
    public ImmutableArray<string> Tags;
    public ImmutableArray<StatusEvent> Events;
}

public static partial class InputDescriptions
{
    /// <summary>
    /// Cases (docs/INPUTS.md "Cases"), keyed by <c>id</c>. Required: <c>id</c>, <c>customer</c>, <c>tier</c>, <c>region</c>,
    /// <c>service</c>, <c>severity</c> (1 to 4), <c>openedAt</c>; optional: <c>firstResponseAt</c>, <c>resolvedAt</c> (not
    /// before <c>openedAt</c>), <c>tags</c>, <c>events</c>. Timestamps are stored with the offset they were written with.
    /// </summary>
    public static RecordDescription<CaseRecord> Cases => CaseDescription;

    internal static readonly RecordDescription<CaseRecord, CaseValues> CaseDescription = new(
        "cases",
        BuildCase,
        new TextField<CaseRecord, CaseValues>("id", "id", r => r.Id, (ref CaseValues v) => ref v.Id, pooled: false, key: true),
        new TextField<CaseRecord, CaseValues>("customer", "customer", r => r.Customer, (ref CaseValues v) => ref v.Customer),
        new TextField<CaseRecord, CaseValues>("tier", "tier", r => r.Tier, (ref CaseValues v) => ref v.Tier),
        new TextField<CaseRecord, CaseValues>("region", "region", r => r.Region, (ref CaseValues v) => ref v.Region),
        new TextField<CaseRecord, CaseValues>("service", "service", r => r.Service, (ref CaseValues v) => ref v.Service),
        new WholeNumberField<CaseRecord, CaseValues>("severity", "severity", r => r.Severity, (ref CaseValues v) => ref v.Severity, CaseReader.CheckSeverity),
        new TimestampField<CaseRecord, CaseValues>("openedAt", "opened_at", r => r.OpenedAt, (ref CaseValues v) => ref v.OpenedAt),
        new TimestampField<CaseRecord, CaseValues>("firstResponseAt", "first_response_at", r => r.FirstResponseAt, (ref CaseValues v) => ref v.FirstResponseAt, required: false, writeNull: true),
        new TimestampField<CaseRecord, CaseValues>("resolvedAt", "resolved_at", r => r.ResolvedAt, (ref CaseValues v) => ref v.ResolvedAt, required: false, writeNull: true),
        new TextListField<CaseRecord, CaseValues>("tags", "tags", r => r.Tags, (ref CaseValues v) => ref v.Tags),
        new StatusEventsField<CaseRecord, CaseValues>("events", "events", r => r.Events, (ref CaseValues v) => ref v.Events));

    private static CaseRecord BuildCase(ref CaseValues v)
    {
        var openedAt = v.OpenedAt.GetValueOrDefault();
        CaseReader.CheckNotBeforeOpening("firstResponseAt", v.FirstResponseAt, openedAt);
        CaseReader.CheckNotBeforeOpening("resolvedAt", v.ResolvedAt, openedAt);
        return new CaseRecord(
            v.Id!, v.Customer!, v.Tier!, v.Region!, v.Service!, v.Severity, openedAt, v.FirstResponseAt, v.ResolvedAt,
            v.Tags.IsDefault ? [] : v.Tags, v.Events.IsDefault ? [] : v.Events);
    }
}
