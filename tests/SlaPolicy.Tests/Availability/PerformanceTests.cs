using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

public class PerformanceTests
{
    private static readonly ReportingMonth November = new(2026, 11);

    [Theory]
    // Odd n = 5, sorted 10 20 30 40 50: p50 → rank ⌈0.5 × 5⌉ = ⌈2.5⌉ = 3 → 30; p95 → ⌈4.75⌉ = 5 → 50; p20 → ⌈1⌉ = 1 → 10.
    [InlineData(new[] { 50.0, 10, 40, 20, 30 }, 50, 30)]
    [InlineData(new[] { 50.0, 10, 40, 20, 30 }, 95, 50)]
    [InlineData(new[] { 50.0, 10, 40, 20, 30 }, 20, 10)]
    // Even n = 4, sorted 10 20 30 40: p50 → ⌈2⌉ = 2 → 20 (no averaging of 20 and 30); p75 → ⌈3⌉ = 3 → 30; p95 → ⌈3.8⌉ = 4 → 40.
    [InlineData(new[] { 40.0, 10, 30, 20 }, 50, 20)]
    [InlineData(new[] { 40.0, 10, 30, 20 }, 75, 30)]
    [InlineData(new[] { 40.0, 10, 30, 20 }, 95, 40)]
    // One sample is every percentile.
    [InlineData(new[] { 7.0 }, 1, 7)]
    public void Percentile_NearestRank_ReturnsSampleAtCeilingRank(double[] samples, double percentile, double expected)
    {
        SampleStatistics.Percentile([.. samples.Select(s => (decimal)s)], (decimal)percentile).ShouldBe((decimal)expected);
    }

    [Fact]
    public void Mean_SamplesWhoseSumIsBeyondDecimal_StillTheMean()
    {
        decimal[] samples = [.. Enumerable.Repeat(7.8e27m, 12)];

        SampleStatistics.Compute(PerformanceStatistic.Mean, samples).ShouldBe(7.8e27m);
    }

    [Theory]
    [InlineData("p95", PerformanceStatisticKind.Percentile, 95)]
    [InlineData("p99.9", PerformanceStatisticKind.Percentile, 99.9)]
    [InlineData("median", PerformanceStatisticKind.Percentile, 50)]
    [InlineData("mean", PerformanceStatisticKind.Mean, 0)]
    [InlineData("max", PerformanceStatisticKind.Max, 0)]
    public void PerformanceStatistic_TryParse_ReadsPolicySpelling(string text, PerformanceStatisticKind kind, double percentile)
    {
        PerformanceStatistic.TryParse(text, out var s).ShouldBeTrue();
        s.ShouldBe(new PerformanceStatistic(kind, (decimal)percentile));
    }

    [Theory]
    [InlineData("p0")]
    [InlineData("p101")]
    [InlineData("p")]
    [InlineData("average95")]
    public void PerformanceStatistic_TryParse_RejectsOthers(string text) => PerformanceStatistic.TryParse(text, out _).ShouldBeFalse();

    private static PerformanceTerm Latency() => new(
        "latency-p95", "latencyMs", new PerformanceStatistic(PerformanceStatisticKind.Percentile, 95), ObjectiveDirection.AtMost, 200m, ["email"],
        [new PerformanceCreditTier(200m, 5m, At), new PerformanceCreditTier(300m, 10m, At)], null, At, "acme-gold");

    private static PerformanceTerm Delivery() => new(
        "delivery", "packetDeliveryPercent", PerformanceStatistic.Mean, ObjectiveDirection.AtLeast, 99.5m, [],
        [new PerformanceCreditTier(99.5m, 5m, At), new PerformanceCreditTier(99m, 15m, At)], null, At, "acme-gold");

    private static MeasurementRecord M(string at, string metric, double value) => new("email", "eu-west", T(at), metric, value);

    [Fact]
    public void Performance_P95AboveObjective_CreditsFirstAboveTier()
    {
        // November latency samples 100, 150, 220, 250 (n = 4): p95 → rank ⌈3.8⌉ = 4 → 250 ms > 200 → missed.
        // Tiers: above 200 → 5%, above 300 → 10%; 250 is above 200 only → 5% of EUR 1200 = EUR 60.00.
        // The October sample of 1000 ms lies outside the window and must not count.
        var policy = Policy(AvailabilityTerm(), performance: [Latency()]);
        MeasurementRecord[] samples =
        [
            M("2026-10-31T23:59:00Z", "latencyMs", 1000), M("2026-11-02T00:00:00Z", "latencyMs", 100), M("2026-11-09T00:00:00Z", "latencyMs", 150),
            M("2026-11-16T00:00:00Z", "latencyMs", 220), M("2026-11-23T00:00:00Z", "latencyMs", 250),
        ];

        var result = ServiceLevelCalculator.Performance(Subscription(), policy, samples, November, T("2026-12-01T00:00:00Z")).Single();

        result.SampleCount.ShouldBe(4);
        result.MeasuredValue.ShouldBe(250m);
        result.Met.ShouldBe(false);
        result.CreditPercent.ShouldBe(5m);
        result.CreditAmount.ShouldBe(60.00m);
    }

    [Fact]
    public void Performance_MeanAtLeastMet_NoCredit()
    {
        // Packet delivery 99.0, 99.8, 99.9: mean = 298.7 / 3 = 99.5666…% ≥ 99.5% → met, no tier applies.
        var policy = Policy(AvailabilityTerm(), performance: [Delivery()]);
        MeasurementRecord[] samples =
        [
            M("2026-11-02T00:00:00Z", "packetDeliveryPercent", 99.0), M("2026-11-03T00:00:00Z", "packetDeliveryPercent", 99.8),
            M("2026-11-04T00:00:00Z", "packetDeliveryPercent", 99.9),
        ];

        var result = ServiceLevelCalculator.Performance(Subscription(), policy, samples, November, T("2026-12-01T00:00:00Z")).Single();

        Math.Round(result.MeasuredValue!.Value, 4).ShouldBe(99.5667m);
        result.Met.ShouldBe(true);
        result.CreditAmount.ShouldBe(0m);
    }

    [Fact]
    public void Performance_NoSamples_NotJudgedAndWarned()
    {
        var policy = Policy(AvailabilityTerm(), performance: [Delivery()]);
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, [Subscription()], [], [], [], []);

        var report = ServiceLevelCalculator.Compute(inputs, November, T("2026-12-01T00:00:00Z"));

        report.Performance.Single().Met.ShouldBeNull();
        report.Warnings.ShouldContain(w => w.Contains("packetDeliveryPercent", StringComparison.Ordinal));
    }
}
