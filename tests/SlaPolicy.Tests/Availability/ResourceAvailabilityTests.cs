using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// Availability per resource (`"scope": "resource"`), several objectives in one agreement and redundancy (`downWhen`),
/// each figure worked out by hand in its comment. November 2026 has 43,200 minutes.
/// </summary>
public class ResourceAvailabilityTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly DateTimeOffset AfterNovember = T("2026-12-01T00:00:00Z");
    private static readonly SourceLocation RuleAt = At with { Line = 70, Column = 21 };

    private static OutageRecord Down(string from, string to, string? resource, string service = "email")
        => Outage($"2026-11-05T{from}:00Z", $"2026-11-05T{to}:00Z", service: service) with { Resource = resource };

    private static SubscriptionRecord On(string? resource) => Subscription() with { Resource = resource };

    /// <summary>vm-1 down 02:00-03:00, vm-2 04:00-06:00, the whole service 10:00-10:30 (no resource named).</summary>
    private static readonly OutageRecord[] Instances = [Down("02:00", "03:00", "vm-1"), Down("04:00", "06:00", "vm-2"), Down("10:00", "10:30", null)];

    [Theory]
    // vm-1: its 60 minutes and the 30 of the whole service = 90: (43200 − 90) / 43200 × 100 = 99.791667% → 10% = EUR 120.00.
    [InlineData("vm-1", 90, 99.791667)]
    // vm-2: 120 + 30 = 150: (43200 − 150) / 43200 × 100 = 99.652778%.
    [InlineData("vm-2", 150, 99.652778)]
    // vm-3: only the whole service's 30 minutes: (43200 − 30) / 43200 × 100 = 99.930556%, met.
    [InlineData("vm-3", 30, 99.930556)]
    public void ScopeResource_JudgesTheSubscribedResource(string resource, int minutes, double percent)
    {
        var term = AvailabilityTerm() with { Scope = AvailabilityScope.Resource, ScopeLocation = RuleAt };

        var result = ServiceLevelCalculator.Availability(On(resource), Policy(term), Instances, November, AfterNovember)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(minutes));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe((decimal)percent);
        result.Resource.ShouldBe(resource);
        result.Subject.ShouldBe($"email · {resource}");
        result.CountedOutages.Select(o => o.Resource).ShouldAllBe(r => r == null || r == resource);
        var step = result.Credit.Explanation.Single(s => s.Kind == "scope");
        step.Location.ShouldBe(RuleAt);
        step.Text.ShouldBe($"judged on {resource} alone: its own outages and measurements, and those naming no resource");
    }

    [Fact]
    public void ScopeAggregated_CountsEveryResource()
    {
        // Today's meaning: the union of all three outages, 60 + 120 + 30 = 210 minutes, whatever resource they name:
        // (43200 − 210) / 43200 × 100 = 99.513889% → 10% of EUR 1200 = EUR 120.00.
        var result = ServiceLevelCalculator.Availability(On("vm-1"), Policy(AvailabilityTerm()), Instances, November, AfterNovember)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(210));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.513889m);
        result.Resource.ShouldBeNull();
        result.Credit.Explanation.ShouldNotContain(s => s.Kind == "scope");
    }

    [Fact]
    public void ScopeResource_MeasurementsOfOtherResourcesDoNotCount()
    {
        // errorRate per 5 minutes above 5: bucket-a is at 20% at 12:00 and 12:05 (10 minutes), bucket-b at 50% at 13:00.
        // bucket-a's subscription: 10 minutes, (43200 − 10) / 43200 × 100 = 99.976852%.
        var term = AvailabilityTerm() with { Scope = AvailabilityScope.Resource, DowntimeFrom = new MetricDowntime("errorRate", 5m, 0, TimeSpan.FromMinutes(5), RuleAt) };
        MeasurementRecord Rate(string at, double value, string resource) => new("email", "eu-west", T($"2026-11-05T{at}:00Z"), "errorRate", value) { Resource = resource };

        var result = ServiceLevelCalculator.Availability(
            On("bucket-a"), Policy(term), [], [Rate("12:00", 20, "bucket-a"), Rate("12:05", 20, "bucket-a"), Rate("13:00", 50, "bucket-b")], November, AfterNovember)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(10));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.976852m);
    }

    /// <summary>Zones: a down 01:00-03:00, b 02:00-04:00, c 02:30-02:45; a 05:00-06:00 and b 06:00-07:00 touch but never overlap; the region 10:00-10:10.</summary>
    private static readonly OutageRecord[] Zones =
    [
        Down("01:00", "03:00", "zone-a"), Down("02:00", "04:00", "zone-b"), Down("02:30", "02:45", "zone-c"),
        Down("05:00", "06:00", "zone-a"), Down("06:00", "07:00", "zone-b"), Down("10:00", "10:10", null),
    ];

    [Theory]
    // One zone down is enough: the union 01:00-04:00 and 05:00-07:00 (180 + 120) and the region's 10 = 310 minutes:
    // (43200 − 310) / 43200 × 100 = 99.282407%.
    [InlineData(1, false, null, 310, 99.282407)]
    // Two at once: 02:00-03:00 (a and b; c's 02:30-02:45 lies inside) = 60, 05:00-07:00 never has two, + the region's 10 = 70:
    // (43200 − 70) / 43200 × 100 = 99.837963%.
    [InlineData(2, false, null, 70, 99.837963)]
    // All of a, b, c: only 02:30-02:45 = 15, + 10 = 25: (43200 − 25) / 43200 × 100 = 99.942130%, met.
    [InlineData(3, true, "zone-a,zone-b,zone-c", 25, 99.942130)]
    // Two of a and c only (b not counted): a and c overlap 02:30-02:45 = 15, + 10 = 25.
    [InlineData(2, false, "zone-a,zone-c", 25, 99.942130)]
    public void DownWhen_ResourcesDownAtOnce(int needed, bool all, string? resources, int minutes, double percent)
    {
        var rule = new RedundancyRule(needed, all, resources is null ? [] : [.. resources.Split(',')], RuleAt);
        var term = AvailabilityTerm() with { DownWhen = rule };

        var result = ServiceLevelCalculator.Availability(Subscription(), Policy(term), Zones, November, AfterNovember)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(minutes));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe((decimal)percent);
        var step = result.Credit.Explanation.Single(s => s.Kind == "redundancy");
        step.Location.ShouldBe(RuleAt);
        step.Text.ShouldEndWith($": {minutes} minutes");
    }

    [Fact]
    public void DownWhen_FromMeasurements_CountsZonesDownInTheSameInterval()
    {
        // errorRate above 5 per 5 minutes, two zones needed: at 12:00 both zones are at 10% (down), at 12:05 only zone-a is
        // (not down), at 12:10 zone-a is at 10% and zone-b at 4% (not down). 5 minutes: (43200 − 5) / 43200 × 100 = 99.988426%.
        var term = AvailabilityTerm() with
        {
            DowntimeFrom = new MetricDowntime("errorRate", 5m, 0, TimeSpan.FromMinutes(5), RuleAt),
            DownWhen = new RedundancyRule(2, false, [], RuleAt),
        };
        MeasurementRecord Rate(string at, double value, string zone) => new("email", "eu-west", T($"2026-11-05T{at}:00Z"), "errorRate", value) { Resource = zone };

        var result = ServiceLevelCalculator.Availability(
            Subscription(), Policy(term), [],
            [Rate("12:00", 10, "zone-a"), Rate("12:01", 10, "zone-b"), Rate("12:05", 10, "zone-a"), Rate("12:10", 10, "zone-a"), Rate("12:10", 4, "zone-b")],
            November, AfterNovember)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(5));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.988426m);
    }

    [Fact]
    public void SeveralObjectives_EachJudgedOnTheServicesItNames()
    {
        // Two storage classes in one agreement: `standard` 99.9% for object-storage, `infrequent` 99% for object-storage-ia.
        // Both subscriptions were down 120 minutes: (43200 − 120) / 43200 × 100 = 99.722222%.
        // standard: under 99.9% → 10% of USD 1000 = USD 100.00; infrequent: at least 99%, met. Their total: USD 100.00.
        var standard = AvailabilityTerm() with { Services = ["object-storage"], Id = "standard" };
        var infrequent = AvailabilityTerm() with { Services = ["object-storage-ia"], ObjectivePercent = 99m, Credits = [new CreditTier(99m, 10m, At)], Id = "infrequent" };
        var policy = Policy(standard) with { AvailabilityObjectives = [standard, infrequent] };
        SubscriptionRecord[] subscriptions =
        [
            new("hooli", "storage", "eu-west", "object-storage", 1000m, "USD"),
            new("hooli", "storage", "eu-west", "object-storage-ia", 400m, "USD"),
        ];
        OutageRecord[] outages = [Down("01:00", "03:00", null, "object-storage"), Down("01:00", "03:00", null, "object-storage-ia")];
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, subscriptions, outages, [], [], []);

        var report = ServiceLevelCalculator.Compute(inputs, November, AfterNovember);

        report.Availability.Select(a => (a.Service, a.ObjectiveId, Math.Round(a.AvailabilityPercent, 6), a.Met, a.CreditAmount)).ShouldBe(
        [
            ("object-storage", "standard", 99.722222m, false, 100.00m),
            ("object-storage-ia", "infrequent", 99.722222m, true, 0m),
        ]);
        report.Availability[0].Credit.Explanation[0].Text.ShouldStartWith("standard: availability at least 99.9%");
        report.CreditTotals.Single().Payable.ShouldBe(100.00m);
    }

    [Fact]
    public void Compute_PerResourceTermAndNoResource_Warns()
    {
        var term = AvailabilityTerm() with { Scope = AvailabilityScope.Resource };
        var policy = Policy(term);
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, [Subscription()], Instances, [], [], []);

        var report = ServiceLevelCalculator.Compute(inputs, November, AfterNovember);

        // Judged on the whole service: 210 minutes, as aggregated.
        report.Availability.Single().Downtime.ShouldBe(TimeSpan.FromMinutes(210));
        report.Warnings.ShouldContain("the subscription of `acme` to `email` in `eu-west` names no resource: its per-resource availability is judged on the service as a whole");
    }
}
