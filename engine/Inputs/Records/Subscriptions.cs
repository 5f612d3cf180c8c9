namespace SlaPolicy.Engine.Inputs;

/// <summary>Who buys which service where, at what monthly fee (null: the policy's <c>monthlyFee</c>).</summary>
public sealed record SubscriptionRecord(string Customer, string Tier, string Region, string Service, decimal? MonthlyFee, string? Currency)
{
    /// <summary>
    /// The amount billed for a whole month of the subscription (JSON <c>billed</c>); when given it is the fee base of the
    /// subscription's credits instead of <see cref="MonthlyFee"/>, pro-rated for the days subscribed in the month.
    /// </summary>
    public decimal? Billed { get; init; }

    /// <summary>When the subscription began (JSON <c>subscribedFrom</c>); null: before any month reported.</summary>
    public DateTimeOffset? SubscribedFrom { get; init; }

    /// <summary>When the subscription ended, exclusive (JSON <c>subscribedUntil</c>); null: still subscribed.</summary>
    public DateTimeOffset? SubscribedUntil { get; init; }

    /// <summary>
    /// The resource subscribed (JSON <c>resource</c>: an instance, a function, a zone); null: the service in the region as a
    /// whole. An availability term with <c>"scope": "resource"</c> judges it on that resource's outages and measurements.
    /// </summary>
    public string? Resource { get; init; }
}

/// <summary>The values of a subscription being read.</summary>
internal struct SubscriptionValues
{
    public string? Customer, Tier, Region, Service, Currency, Resource;
    public decimal? MonthlyFee, Billed;
    public DateTimeOffset? SubscribedFrom, SubscribedUntil;
}

public static partial class InputDescriptions
{
    /// <summary>
    /// Subscriptions (docs/INPUTS.md "Subscriptions"), keyed by (customer, region, service, resource). Required: <c>customer</c>,
    /// <c>tier</c>, <c>region</c>, <c>service</c>; optional: <c>monthlyFee</c> (0 to 10^12, exact), <c>currency</c>.
    /// </summary>
    public static RecordDescription<SubscriptionRecord> Subscriptions => SubscriptionDescription;

    internal static readonly RecordDescription<SubscriptionRecord, SubscriptionValues> SubscriptionDescription = new(
        "subscriptions",
        BuildSubscription,
        new TextField<SubscriptionRecord, SubscriptionValues>("customer", "customer", r => r.Customer, (ref SubscriptionValues v) => ref v.Customer, key: true),
        new TextField<SubscriptionRecord, SubscriptionValues>("tier", "tier", r => r.Tier, (ref SubscriptionValues v) => ref v.Tier),
        new TextField<SubscriptionRecord, SubscriptionValues>("region", "region", r => r.Region, (ref SubscriptionValues v) => ref v.Region, key: true),
        new TextField<SubscriptionRecord, SubscriptionValues>("service", "service", r => r.Service, (ref SubscriptionValues v) => ref v.Service, key: true),
        new DecimalField<SubscriptionRecord, SubscriptionValues>(
            "monthlyFee", "monthly_fee", r => r.MonthlyFee, (ref SubscriptionValues v) => ref v.MonthlyFee, InputRanges.MaxMonthlyFee,
            (v, text) => $"the monthly fee `{text}` of `{v.Customer}`'s subscription to `{v.Service}` in `{v.Region}` is not a decimal number the store can read"),
        new TextField<SubscriptionRecord, SubscriptionValues>("currency", "currency", r => r.Currency, (ref SubscriptionValues v) => ref v.Currency, required: false),
        new DecimalField<SubscriptionRecord, SubscriptionValues>(
            "billed", "billed", r => r.Billed, (ref SubscriptionValues v) => ref v.Billed, InputRanges.MaxMonthlyFee,
            (v, text) => $"the billed amount `{text}` of `{v.Customer}`'s subscription to `{v.Service}` in `{v.Region}` is not a decimal number the store can read"),
        new TimestampField<SubscriptionRecord, SubscriptionValues>(
            "subscribedFrom", "subscribed_from", r => r.SubscribedFrom, (ref SubscriptionValues v) => ref v.SubscribedFrom, required: false),
        new TimestampField<SubscriptionRecord, SubscriptionValues>(
            "subscribedUntil", "subscribed_until", r => r.SubscribedUntil, (ref SubscriptionValues v) => ref v.SubscribedUntil, required: false),
        new TextField<SubscriptionRecord, SubscriptionValues>("resource", "resource", r => r.Resource, (ref SubscriptionValues v) => ref v.Resource, required: false, key: true));

    private static SubscriptionRecord BuildSubscription(ref SubscriptionValues v)
    {
        if (v.SubscribedFrom is { } from && v.SubscribedUntil is { } until && until <= from)
        {
            throw new RecordRejectedException("subscribedUntil", "`subscribedUntil` must be after `subscribedFrom`");
        }

        return new SubscriptionRecord(v.Customer!, v.Tier!, v.Region!, v.Service!, v.MonthlyFee, v.Currency)
        {
            Billed = v.Billed,
            SubscribedFrom = v.SubscribedFrom,
            SubscribedUntil = v.SubscribedUntil,
            Resource = v.Resource,
        };
    }
}
