namespace SlaPolicy.Tests.Availability;

/// <summary>Policies, subscriptions and decisions built in code, shaped like the sample acme-gold policy.</summary>
internal static class PolicyBuilder
{
    public static readonly SourceLocation At = new("policies/acme-gold.json", 40, 19);

    /// <summary>The sample acme-gold availability term: 99.9% objective; tiers 10% / 25% / 100%; EUR 1200 default fee.</summary>
    public static AvailabilityTerm AvailabilityTerm(decimal? creditCap = 100m, decimal? monthlyFee = 1200m) => new(
        ["email"], 99.9m, "calendarMonth", ["maintenance"],
        [new CreditTier(99.9m, 10m, At with { Line = 44 }), new CreditTier(99m, 25m, At with { Line = 44 }), new CreditTier(95m, 100m, At with { Line = 45 })],
        creditCap, monthlyFee, "EUR", At, "acme-gold");

    public static Policy Policy(
        AvailabilityTerm? availability = null,
        ImmutableArray<AttainmentTerm> attainment = default,
        ImmutableArray<PerformanceTerm> performance = default,
        decimal? customerCap = null,
        string version = "2026.2") => new(
        "acme-gold", version, new DateOnly(2026, 1, 1), null, null, PolicyScope.All, null, [], [], [],
        attainment.IsDefault ? [] : attainment, availability, [], "policies/acme-gold.json", new SourceLocation("policies/acme-gold.json", 1, 1))
        {
            Performance = performance.IsDefault ? [] : performance,
            CustomerCreditCapPercent = customerCap,
        };

    public static SubscriptionRecord Subscription(string customer = "acme", string service = "email", string region = "eu-west", decimal? fee = 1200m)
        => new(customer, "gold", region, service, fee, fee is null ? null : "EUR");

    public static OutageRecord Outage(string start, string end, string kind = "unplanned", string service = "email", string region = "eu-west")
        => new(service, region, DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), kind);

    public static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public static Decision Decision(string caseId, DecisionStatus status, string? stoppedAt, int severity, string customer = "acme", string? dueAt = null, string version = "2026.2")
        => new(caseId, "target", "acme-gold", version, status, dueAt is null ? null : T(dueAt), 0, 0, 0, 0, T("2026-12-01T00:00:00Z"), "policies/acme-gold.json", 10, null, customer, "email", [])
        {
            StoppedAt = stoppedAt is null ? null : T(stoppedAt),
            Severity = severity,
        };
}
