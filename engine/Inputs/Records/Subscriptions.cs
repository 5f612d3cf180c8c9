namespace SlaPolicy.Engine.Inputs;

/// <summary>Who buys which service where, at what monthly fee (null: the policy's <c>monthlyFee</c>).</summary>
public sealed record SubscriptionRecord(string Customer, string Tier, string Region, string Service, decimal? MonthlyFee, string? Currency);

/// <summary>The values of a subscription being read.</summary>
internal struct SubscriptionValues
{
    public string? Customer, Tier, Region, Service, Currency;
    public decimal? MonthlyFee;
}

public static partial class InputDescriptions
{
    /// <summary>
    /// Subscriptions (docs/INPUTS.md "Subscriptions"), keyed by (customer, region, service). Required: <c>customer</c>,
    /// <c>tier</c>, <c>region</c>, <c>service</c>; optional: <c>monthlyFee</c> (0 to 10^12, exact), <c>currency</c>.
    /// </summary>
    public static RecordDescription<SubscriptionRecord> Subscriptions => SubscriptionDescription;

    internal static readonly RecordDescription<SubscriptionRecord, SubscriptionValues> SubscriptionDescription = new(
        "subscriptions",
        (ref SubscriptionValues v) => new SubscriptionRecord(v.Customer!, v.Tier!, v.Region!, v.Service!, v.MonthlyFee, v.Currency),
        new TextField<SubscriptionRecord, SubscriptionValues>("customer", "customer", r => r.Customer, (ref SubscriptionValues v) => ref v.Customer, key: true),
        new TextField<SubscriptionRecord, SubscriptionValues>("tier", "tier", r => r.Tier, (ref SubscriptionValues v) => ref v.Tier),
        new TextField<SubscriptionRecord, SubscriptionValues>("region", "region", r => r.Region, (ref SubscriptionValues v) => ref v.Region, key: true),
        new TextField<SubscriptionRecord, SubscriptionValues>("service", "service", r => r.Service, (ref SubscriptionValues v) => ref v.Service, key: true),
        new DecimalField<SubscriptionRecord, SubscriptionValues>(
            "monthlyFee", "monthly_fee", r => r.MonthlyFee, (ref SubscriptionValues v) => ref v.MonthlyFee, InputRanges.MaxMonthlyFee,
            (v, text) => $"the monthly fee `{text}` of `{v.Customer}`'s subscription to `{v.Service}` in `{v.Region}` is not a decimal number the store can read"),
        new TextField<SubscriptionRecord, SubscriptionValues>("currency", "currency", r => r.Currency, (ref SubscriptionValues v) => ref v.Currency, required: false));
}
