using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

public class AvailabilityTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly DateTimeOffset AfterNovember = T("2026-12-02T00:00:00Z");

    private static AvailabilityResult Compute(IEnumerable<OutageRecord> outages, ReportingMonth month, DateTimeOffset asOf, SubscriptionRecord? subscription = null, Engine.Policies.Policy? policy = null)
        => ServiceLevelCalculator.Availability(subscription ?? Subscription(), policy ?? Policy(AvailabilityTerm()), outages, month, asOf)!;

    [Fact]
    public void Availability_OverlappingOutages_CountOnce()
    {
        // 02:00-02:45 and 02:30-03:00 overlap: the union is 02:00-03:00 = 60 minutes, not 75.
        // November has 30 × 1440 = 43200 minutes: (43200 − 60) / 43200 × 100 = 99.861111…% < 99.9% → tier "below 99.9%" = 10%,
        // 10% of the subscription's EUR 1200 = EUR 120.00.
        var result = Compute(
            [Outage("2026-11-03T02:00:00Z", "2026-11-03T02:45:00Z"), Outage("2026-11-03T02:30:00Z", "2026-11-03T03:00:00Z")],
            November, AfterNovember);

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(60));
        result.Outages.Length.ShouldBe(1);
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.861111m);
        result.Met.ShouldBeFalse();
        result.CreditPercent.ShouldBe(10m);
        result.CreditAmount.ShouldBe(120.00m);
        result.Currency.ShouldBe("EUR");
        result.Period.ShouldBe("2026-11");
    }

    [Fact]
    public void Availability_OutageAcrossMonthBoundary_SplitBetweenMonths()
    {
        // 2026-10-31 23:00 to 2026-11-01 01:00: 60 minutes fall in October, 60 in November.
        // October: (44640 − 60) / 44640 × 100 = 99.865591…%; November: (43200 − 60) / 43200 × 100 = 99.861111…%.
        OutageRecord[] outages = [Outage("2026-10-31T23:00:00Z", "2026-11-01T01:00:00Z")];

        var october = Compute(outages, new ReportingMonth(2026, 10), AfterNovember);
        var november = Compute(outages, November, AfterNovember);

        october.Downtime.ShouldBe(TimeSpan.FromMinutes(60));
        Math.Round(october.AvailabilityPercent, 6).ShouldBe(99.865591m);
        november.Downtime.ShouldBe(TimeSpan.FromMinutes(60));
        Math.Round(november.AvailabilityPercent, 6).ShouldBe(99.861111m);
    }

    [Fact]
    public void Availability_OffsetTimestamps_ClippedInUtc()
    {
        // 2026-11-01T00:30:00+01:00 is 2026-10-31T23:30Z: only 00:00Z-00:45Z (45 minutes) lies in November (UTC months).
        var result = Compute([Outage("2026-11-01T00:30:00+01:00", "2026-11-01T01:45:00+01:00")], November, AfterNovember);

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(45));
    }

    [Fact]
    public void Availability_ExcludedMaintenance_NotCounted()
    {
        // 4 hours of maintenance are excluded by the term; only the 30-minute unplanned outage counts.
        // (43200 − 30) / 43200 × 100 = 99.930555…% ≥ 99.9% → met, no credit.
        var result = Compute(
            [Outage("2026-11-10T00:00:00Z", "2026-11-10T04:00:00Z", kind: "maintenance"), Outage("2026-11-12T08:00:00Z", "2026-11-12T08:30:00Z")],
            November, AfterNovember);

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(30));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.930556m);
        result.Met.ShouldBeTrue();
        result.CreditPercent.ShouldBe(0m);
        result.CreditAmount.ShouldBe(0m);
    }

    [Fact]
    public void Availability_OtherServiceOrRegion_NotCounted()
    {
        var result = Compute(
            [Outage("2026-11-03T02:00:00Z", "2026-11-03T05:00:00Z", service: "crm"), Outage("2026-11-03T02:00:00Z", "2026-11-03T05:00:00Z", region: "us-east")],
            November, AfterNovember);

        result.Downtime.ShouldBe(TimeSpan.Zero);
        result.AvailabilityPercent.ShouldBe(100m);
    }

    [Fact]
    public void Availability_MonthInProgress_WindowEndsAtAsOf()
    {
        // asOf 2026-11-16T00:00Z: the window is 15 days = 21600 minutes.
        // Counted: 60 minutes on Nov 3, and 23:30-00:00 (30 of the 90 minutes) of the outage running over asOf;
        // the outage on Nov 20 lies after asOf. (21600 − 90) / 21600 × 100 = 99.583333…% → tier "below 99.9%" = 10%.
        var result = Compute(
            [
                Outage("2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z"),
                Outage("2026-11-15T23:30:00Z", "2026-11-16T01:00:00Z"),
                Outage("2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z"),
            ],
            November, T("2026-11-16T00:00:00Z"));

        result.WindowEnd.ShouldBe(T("2026-11-16T00:00:00Z"));
        result.Downtime.ShouldBe(TimeSpan.FromMinutes(90));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.583333m);
        result.CreditPercent.ShouldBe(10m);
    }

    [Fact]
    public void Availability_MonthNotBegun_NoResult()
    {
        ServiceLevelCalculator.Availability(Subscription(), Policy(AvailabilityTerm()), [], November, T("2026-10-15T00:00:00Z")).ShouldBeNull();
    }

    [Fact]
    public void Availability_SecondsExact_NotRoundedToMinutes()
    {
        // 90 seconds down in November: (2592000 − 90) / 2592000 s × 100 = 99.996527…%; rounding to minutes would give 1 or 2.
        var result = Compute([Outage("2026-11-03T10:00:00Z", "2026-11-03T10:01:30Z")], November, AfterNovember);

        result.Downtime.ShouldBe(TimeSpan.FromSeconds(90));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.996528m);
    }

    [Fact]
    public void Credit_TierAboveCap_CappedAtCreditCap()
    {
        // 48 hours down = 2880 minutes: (43200 − 2880) / 43200 × 100 = 93.333…% < 95% → tier 100%,
        // capped at creditCap 50% → 50% of EUR 1200 = EUR 600.00.
        var policy = Policy(AvailabilityTerm(creditCap: 50m));
        var result = Compute([Outage("2026-11-03T00:00:00Z", "2026-11-05T00:00:00Z")], November, AfterNovember, policy: policy);

        result.Credit.UncappedPercent.ShouldBe(100m);
        result.Credit.Tier!.Threshold.ShouldBe(95m);
        result.Credit.CapApplied.ShouldBeTrue();
        result.CreditPercent.ShouldBe(50m);
        result.CreditAmount.ShouldBe(600.00m);
        result.Credit.Explanation.ShouldContain(s => s.Kind == "cap");
    }

    [Fact]
    public void Credit_SubscriptionWithoutFee_UsesPolicyMonthlyFee()
    {
        // 180 minutes down: (43200 − 180) / 43200 × 100 = 99.583…% → 10%; the subscription names no fee,
        // so the policy's EUR 1200 applies: EUR 120.00. A subscription with its own EUR 800 fee gets EUR 80.00.
        OutageRecord[] outages = [Outage("2026-11-03T00:00:00Z", "2026-11-03T03:00:00Z")];

        var fromPolicy = Compute(outages, November, AfterNovember, Subscription(fee: null));
        var own = Compute(outages, November, AfterNovember, Subscription(fee: 800m));

        fromPolicy.Credit.Fee.Source.ShouldBe(FeeSource.Policy);
        fromPolicy.CreditAmount.ShouldBe(120.00m);
        fromPolicy.Currency.ShouldBe("EUR");
        own.Credit.Fee.Source.ShouldBe(FeeSource.Subscription);
        own.CreditAmount.ShouldBe(80.00m);
    }

    [Fact]
    public void CustomerCap_TwoCurrencies_EachCappedOnItsOwnFees()
    {
        // One policy (EUR default fee, customerCreditCap 5%) governs acme's email in eu-west (EUR 1200) and in us-east
        // (USD 3000, its own currency). 3 hours down in each: 99.583…% → 10% tier.
        // EUR: 10% of 1200 = 120.00; cap 5% of EUR 1200 = 60.00 → 60.00 payable.
        // USD: 10% of 3000 = 300.00; cap 5% of USD 3000 = 150.00 → 150.00 payable (not 5% of the EUR fees).
        var policy = Policy(AvailabilityTerm(), customerCap: 5m);
        SubscriptionRecord[] subscriptions = [Subscription(fee: 1200m), new("acme", "gold", "us-east", "email", 3000m, "USD")];
        OutageRecord[] outages =
        [
            Outage("2026-11-03T00:00:00Z", "2026-11-03T03:00:00Z"),
            Outage("2026-11-03T00:00:00Z", "2026-11-03T03:00:00Z", region: "us-east"),
        ];
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, subscriptions, outages, [], [], []);

        var totals = ServiceLevelCalculator.Compute(inputs, November, AfterNovember).CreditTotals;

        var eur = totals.Single(t => t.Currency == "EUR");
        eur.FeeBase.ShouldBe(1200m);
        eur.Payable.ShouldBe(60.00m);
        var usd = totals.Single(t => t.Currency == "USD");
        usd.Uncapped.ShouldBe(300.00m);
        usd.FeeBase.ShouldBe(3000m);
        usd.CapAmount.ShouldBe(150.00m);
        usd.Payable.ShouldBe(150.00m);
    }

    [Fact]
    public void Credit_HalfCent_RoundsAwayFromZero()
    {
        // 10% of EUR 1234.45 = 123.445: away from zero gives 123.45 (banker's rounding would give 123.44).
        // 10% of EUR 333.33 = 33.333 → 33.33.
        OutageRecord[] outages = [Outage("2026-11-03T00:00:00Z", "2026-11-03T03:00:00Z")];

        Compute(outages, November, AfterNovember, Subscription(fee: 1234.45m)).CreditAmount.ShouldBe(123.45m);
        Compute(outages, November, AfterNovember, Subscription(fee: 333.33m)).CreditAmount.ShouldBe(33.33m);
        CreditCalculator.ToCents(-0.125m).ShouldBe(-0.13m);
    }

    [Fact]
    public void ChooseTier_SeveralTiersApply_TakesMostSevere()
    {
        // 98.5% is below 99.9 and below 99 but not below 95: the most severe applying tier is "below 99%" (25%).
        ChosenTier[] tiers = [new(99.9m, 10m, default), new(99m, 25m, default), new(95m, 100m, default)];

        CreditCalculator.ChooseTier(tiers, 98.5m, below: true)!.CreditPercent.ShouldBe(25m);
        CreditCalculator.ChooseTier(tiers, 99.9m, below: true).ShouldBeNull(); // exactly at 99.9 is not below it
    }

    [Fact]
    public void Downtime_TouchingIntervals_MergeIntoOne()
    {
        var start = T("2026-11-03T00:00:00Z");
        var merged = Downtime.Union([new(start, start.AddMinutes(10)), new(start.AddMinutes(10), start.AddMinutes(20))], start.AddDays(-1), start.AddDays(1));

        merged.ShouldBe([new TimeInterval(start, start.AddMinutes(20))]);
    }

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-13", false)]
    [InlineData("2026-1", false)]
    [InlineData("26-11-01", false)]
    public void ReportingMonth_TryParse_AcceptsOnlyYearDashMonth(string text, bool ok)
    {
        ReportingMonth.TryParse(text, out var month).ShouldBe(ok);
        if (ok)
        {
            month.Start.ShouldBe(T("2026-11-01T00:00:00Z"));
            month.End.ShouldBe(T("2026-12-01T00:00:00Z"));
        }
    }
}
