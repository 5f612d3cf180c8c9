using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// Downtime weighted by the share of users affected (<c>"downtime": { "weight": "affected" }</c>) and the minutes deployed
/// as the denominator (<c>"denominator": "deployed"</c>), each figure worked out by hand in its comment. The term is
/// acme-gold's: 99.9%, tiers below 99.9% 10%, below 99% 25%, below 95% 100%, EUR 1200; November = 43,200 minutes.
/// </summary>
public class WeightedAndDeployedTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly SourceLocation RuleAt = At with { Line = 90, Column = 21 };
    private static readonly AvailabilityTerm Weighted = AvailabilityTerm() with { WeightByAffected = true, WeightLocation = RuleAt };
    private static readonly AvailabilityTerm Deployed = AvailabilityTerm() with { Denominator = AvailabilityDenominator.Deployed, DenominatorLocation = RuleAt };

    private static AvailabilityResult? Compute(AvailabilityTerm term, SubscriptionRecord subscription, params OutageRecord[] outages)
        => ServiceLevelCalculator.Availability(subscription, Policy(term), term, outages, [], November, T("2026-12-01T00:00:00Z"));

    private static OutageRecord Partial(string start, string end, decimal? affected, string? resource = null)
        => Outage(start, end) with { Affected = affected, Resource = resource };

    /// <summary>The worked example of docs/AVAILABILITY.md "Downtime weighted by users affected".</summary>
    private static readonly OutageRecord[] Partials =
    [
        Partial("2026-11-05T08:00:00Z", "2026-11-05T14:00:00Z", 25m), // 360 minutes at 25%
        Partial("2026-11-05T11:00:00Z", "2026-11-05T11:30:00Z", 60m), // inside the first, at 60%
        Partial("2026-11-19T14:00:00Z", "2026-11-19T14:20:00Z", null), // 20 minutes, no share: in full
        Partial("2026-11-26T03:00:00Z", "2026-11-26T04:00:00Z", 10m), // 60 minutes at 10%
    ];

    [Fact]
    public void Weighted_EachInstantCountsTheLargestShare()
    {
        // 5 Nov: 08:00-11:00 180 × 25% = 45; 11:00-11:30 the larger share, 30 × 60% = 18; 11:30-14:00 150 × 25% = 37.5 →
        // 100.5. 19 Nov 20 in full; 26 Nov 60 × 10% = 6. 100.5 + 20 + 6 = 126.5 weighted minutes of 440 down:
        // (43200 − 126.5) / 43200 × 100 = 99.707175925…% < 99.9% → 10% of EUR 1200 = EUR 120.00. Unweighted:
        // (43200 − 440) / 43200 = 98.981481…% < 99% → 25% = EUR 300.00.
        var result = Compute(Weighted, Subscription(), Partials)!;
        var plain = Compute(AvailabilityTerm(), Subscription(), Partials)!;

        (result.Downtime, result.WeightedDowntime).ShouldBe((TimeSpan.FromMinutes(440), TimeSpan.FromMinutes(126.5)));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.707176m);
        result.CreditAmount.ShouldBe(120.00m);
        var step = result.Credit.Explanation.Single(s => s.Kind == "weight");
        step.Text.ShouldBe(
            "each minute down counts the share of users affected (the largest share at each instant; an outage giving none counts in full): 440 minutes down count 126.5");
        step.Location.ShouldBe(RuleAt);
        result.Credit.Explanation[0].Text.ShouldBe("availability at least 99.9%; measured 99.707% over 43200 minutes with 126.5 weighted minutes down");

        (plain.WeightedDowntime, Math.Round(plain.AvailabilityPercent, 6), plain.CreditAmount).ShouldBe((null, 98.981481m, 300.00m));
    }

    [Fact]
    public void Weighted_OverlappingShares_NeverAddUp()
    {
        // 10:00-11:00 at 50% and 10:30-11:30 at 50%: 90 minutes at 50% (the largest share, not the sum) = 45 weighted.
        // 10:00-10:10 at 80% and 10:05-10:15 in full: 10:00-10:05 5 × 80% = 4, 10:05-10:15 10 in full → 14 (on 6 Nov).
        // 45 + 14 = 59: (43200 − 59) / 43200 × 100 = 99.863425925…%.
        var result = Compute(
            Weighted,
            Subscription(),
            Partial("2026-11-05T10:00:00Z", "2026-11-05T11:00:00Z", 50m),
            Partial("2026-11-05T10:30:00Z", "2026-11-05T11:30:00Z", 50m),
            Partial("2026-11-06T10:00:00Z", "2026-11-06T10:10:00Z", 80m),
            Partial("2026-11-06T10:05:00Z", "2026-11-06T10:15:00Z", null))!;

        (result.Downtime, result.WeightedDowntime).ShouldBe((TimeSpan.FromMinutes(105), TimeSpan.FromMinutes(59)));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.863426m);
    }

    [Fact]
    public void Weighted_MinimumDowntimeAndMaxOutage_MeasureTheRealLength()
    {
        // minimumDowntime 30m: the 20-minute outage of 19 Nov is too short (its real length), left out: 126.5 − 20 = 106.5.
        // (43200 − 106.5) / 43200 = 99.753472…% → 10%. maxOutage longer than 4 h, 10% each: the spell of 5 Nov lasted 6 h
        // (360 real minutes, though it counts 100.5 weighted): not met, 10% + 10% of EUR 1200 = EUR 240.00.
        var term = Weighted with
        {
            MinimumDowntime = TimeSpan.FromMinutes(30),
            MaxOutage = new MaxOutageRule(TimeSpan.FromHours(4), 10m, null, RuleAt),
        };

        var result = Compute(term, Subscription(), Partials)!;

        (result.Downtime, result.WeightedDowntime).ShouldBe((TimeSpan.FromMinutes(420), TimeSpan.FromMinutes(106.5)));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.753472m);
        (result.Met, result.LongOutages, result.CreditAmount).ShouldBe((false, 1, 240.00m));
    }

    [Fact]
    public void Weighted_WithRedundancy_TheSharesOfTheOutagesThen()
    {
        // zone-a 01:00-03:00 at 50%, zone-b 02:00-04:00 at 20%; down only while both are: 02:00-03:00, where the larger share
        // is 50%: 60 × 50% = 30 weighted. (43200 − 30) / 43200 × 100 = 99.930555…%, met.
        var term = Weighted with { DownWhen = new RedundancyRule(2, false, [], RuleAt) };

        var result = Compute(
            term,
            Subscription(),
            Partial("2026-11-05T01:00:00Z", "2026-11-05T03:00:00Z", 50m, "zone-a"),
            Partial("2026-11-05T02:00:00Z", "2026-11-05T04:00:00Z", 20m, "zone-b"))!;

        (result.Downtime, result.WeightedDowntime, result.Met).ShouldBe((TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(30), true));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.930556m);
    }

    [Fact]
    public void Weighted_PerHourDownCredit_IsOfTheWeightedMinutes()
    {
        // A tier "below 99.9%: EUR 60 per hour down": 126.5 weighted minutes = 2.108333… hours × 60 = EUR 126.50.
        var term = Weighted with { Credits = [new CreditTier(99.9m, 0m, At) { Formula = CreditFormula.PerHourDown, FormulaValue = 60m }] };

        Compute(term, Subscription(), Partials)!.CreditAmount.ShouldBe(126.50m);
    }

    [Fact]
    public void Deployed_TheWindowIsTheMinutesDeployed()
    {
        // Deployed from 11 Nov 00:00 UTC: 20 days = 28,800 minutes. 5 Nov (before) does not count; 10 Nov 23:00 to 11 Nov
        // 00:24 counts its 24 minutes from 00:00; 20 Nov 08:00-10:00 120. 144 down: (28800 − 144) / 28800 × 100 = 99.5%
        // exactly < 99.9% → 10% of EUR 1200 = EUR 120.00. Over the whole month it would be 60 + 84 + 120 = 264 of 43,200.
        var subscription = Subscription() with { SubscribedFrom = T("2026-11-11T00:00:00Z") };
        OutageRecord[] outages =
        [
            Outage("2026-11-05T10:00:00Z", "2026-11-05T11:00:00Z"),
            Outage("2026-11-10T23:00:00Z", "2026-11-11T00:24:00Z"),
            Outage("2026-11-20T08:00:00Z", "2026-11-20T10:00:00Z"),
        ];

        var result = Compute(Deployed, subscription, outages)!;
        var month = Compute(AvailabilityTerm(), subscription, outages)!;

        (result.MeasuredWindow, result.Downtime, result.AvailabilityPercent, result.CreditAmount).ShouldBe((TimeSpan.FromMinutes(28800), TimeSpan.FromMinutes(144), 99.5m, 120.00m));
        var step = result.Credit.Explanation.Single(s => s.Kind == "window");
        step.Text.ShouldBe("measured over the minutes deployed, from 2026-11-11 00:00 UTC: 28800 of 43200 minutes");
        step.Location.ShouldBe(RuleAt);
        (month.MeasuredWindow, month.Downtime).ShouldBe((TimeSpan.FromMinutes(43200), TimeSpan.FromMinutes(264)));
    }

    [Fact]
    public void Deployed_UntilAndWithExcludeFromWindow()
    {
        // Deployed until 21 Nov 00:00: 20 days = 28,800 minutes; maintenance 10 Nov 00:00-02:00 is taken out: 28,680.
        // 12 Nov 10:00-11:00 counts 60; 25 Nov (after) none. (28680 − 60) / 28680 × 100 = 99.790794…% → 10% = EUR 120.00.
        var subscription = Subscription() with { SubscribedUntil = T("2026-11-21T00:00:00Z") };
        var term = Deployed with { ExcludeFromWindow = ["maintenance"] };

        var result = Compute(
            term,
            subscription,
            Outage("2026-11-10T00:00:00Z", "2026-11-10T02:00:00Z", kind: "maintenance"),
            Outage("2026-11-12T10:00:00Z", "2026-11-12T11:00:00Z"),
            Outage("2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z"))!;

        (result.MeasuredWindow, result.Downtime).ShouldBe((TimeSpan.FromMinutes(28680), TimeSpan.FromMinutes(60)));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.790795m);
        result.Credit.Explanation.First(s => s.Kind == "window").Text.ShouldBe("measured over the minutes deployed, until 2026-11-21 00:00 UTC: 28800 of 43200 minutes");
    }

    [Fact]
    public void Deployed_WithoutDates_IsTheWholeWindow_AndNotDeployedHasNoFigure()
    {
        // No dates: deployed throughout, 43,200 minutes, 60 down: 99.861111…%.
        var whole = Compute(Deployed, Subscription(), Outage("2026-11-12T10:00:00Z", "2026-11-12T11:00:00Z"))!;
        whole.MeasuredWindow.ShouldBe(TimeSpan.FromMinutes(43200));
        Math.Round(whole.AvailabilityPercent, 6).ShouldBe(99.861111m);
        whole.Credit.Explanation.Single(s => s.Kind == "window").Text.ShouldBe("measured over the minutes deployed, throughout the window: 43200 of 43200 minutes");

        // Ended in October: not deployed a minute of November, no figure (a share of no time would say 100%).
        Compute(Deployed, Subscription() with { SubscribedUntil = T("2026-10-15T00:00:00Z") }).ShouldBeNull();
        Compute(AvailabilityTerm(), Subscription() with { SubscribedUntil = T("2026-10-15T00:00:00Z") }).ShouldNotBeNull();
    }

    [Fact]
    public void WeightedAndDeployed_Together()
    {
        // Deployed from 11 Nov (28,800 minutes): of the worked example only 19 Nov (20 in full) and 26 Nov (6) count: 26.
        // (28800 − 26) / 28800 × 100 = 99.909722…%, met.
        var term = Weighted with { Denominator = AvailabilityDenominator.Deployed, DenominatorLocation = RuleAt };

        var result = Compute(term, Subscription() with { SubscribedFrom = T("2026-11-11T00:00:00Z") }, Partials)!;

        (result.MeasuredWindow, result.Downtime, result.WeightedDowntime, result.Met).ShouldBe(
            (TimeSpan.FromMinutes(28800), TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(26), true));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.909722m);
    }

    [Fact]
    public void WeightedTicks_UncoveredTimeCountsInFull()
    {
        // 10 minutes down; a share of 40% covers its first 5: 5 × 40% + 5 = 7 minutes.
        var start = T("2026-11-05T10:00:00Z");
        var ticks = Downtime.WeightedTicks(
            [new TimeInterval(start, start.AddMinutes(10))], [(new TimeInterval(start, start.AddMinutes(5)), 40m)]);

        ticks.ShouldBe(7m * TimeSpan.TicksPerMinute);
    }
}
