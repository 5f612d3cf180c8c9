using System.Collections.Immutable;
using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// Downtime read from measurements (`availability.downtime`), the minimum downtime period and availability as a share of
/// requests (`"measure": "requests"`), each checked against a hand calculation in its comment.
/// </summary>
public class MetricDowntimeTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly DateTimeOffset AfterNovember = T("2026-12-01T00:00:00Z");
    private static readonly SourceLocation RuleAt = At with { Line = 50, Column = 19 };

    /// <summary>errorRate above 5 with at least 100 requests, per 5-minute interval.</summary>
    private static readonly MetricDowntime ErrorRate = new("errorRate", 5m, 100, TimeSpan.FromMinutes(5), RuleAt);

    private static MeasurementRecord Rate(string at, double value, decimal? requests, decimal? failed = null, string metric = "errorRate", string? resource = null)
        => new("email", "eu-west", T(at), metric, value) { Requests = requests, Failed = failed, Resource = resource };

    /// <summary>Samples of November, hand-counted in <see cref="ErrorRate_DownIntervals_CountAsDowntime"/>.</summary>
    private static IReadOnlyList<MeasurementRecord> November3To6()
    {
        var samples = new List<MeasurementRecord>
        {
            Rate("2026-11-03T10:00:00Z", 12, 500), // down
            Rate("2026-11-03T10:05:00Z", 8, 400), // down: with 10:00 one spell of 10 minutes
            Rate("2026-11-03T10:10:00Z", 5, 1000), // 5 is not above 5
            Rate("2026-11-03T10:15:00Z", 50, 20), // 20 requests, under minRequests 100
            Rate("2026-11-04T00:00:00Z", 10, 100), // with the next: (10 × 100 + 2 × 300) / 400 = 4, not down (the plain mean, 6, would be)
            Rate("2026-11-04T00:02:30Z", 2, 300),
            Rate("2026-11-05T08:00:00Z", 9, 100), // with the next: (9 × 100 + 3 × 100) / 200 = 6 > 5, down: a spell of 5 minutes
            Rate("2026-11-05T08:03:00Z", 3, 100),
            Rate("2026-11-05T08:00:00Z", 90, 1000, metric: "latencyMs"), // another metric
        };

        // 2026-11-06 12:00 to 12:40: eight intervals at 30% of 200 requests, one spell of 40 minutes.
        for (var i = 0; i < 8; i++)
        {
            samples.Add(Rate($"2026-11-06T12:{i * 5:D2}:00Z", 30, 200));
        }

        return samples;
    }

    private static AvailabilityResult Compute(Engine.Policies.AvailabilityTerm term, IReadOnlyList<MeasurementRecord> samples, IEnumerable<OutageRecord>? outages = null)
        => ServiceLevelCalculator.Availability(Subscription(), Policy(term), outages ?? [], samples, November, AfterNovember)!;

    [Fact]
    public void ErrorRate_DownIntervals_CountAsDowntime()
    {
        // Down: 11-03 10:00-10:10 (2 intervals), 11-05 08:00-08:05 (1), 11-06 12:00-12:40 (8) = 11 intervals, 55 minutes.
        // The outage recorded on 11-10 is not counted: downtime comes from the measurements.
        // (43200 − 55) / 43200 × 100 = 99.872685185…% < 99.9% → tier below 99.9 = 10% of EUR 1200 = EUR 120.00.
        var result = Compute(WithRule(), November3To6(), [Outage("2026-11-10T00:00:00Z", "2026-11-10T05:00:00Z")]);

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(55));
        result.DownIntervals.ShouldBe(11);
        result.Outages.ShouldBe([
            new TimeInterval(T("2026-11-03T10:00:00Z"), T("2026-11-03T10:10:00Z")),
            new TimeInterval(T("2026-11-05T08:00:00Z"), T("2026-11-05T08:05:00Z")),
            new TimeInterval(T("2026-11-06T12:00:00Z"), T("2026-11-06T12:40:00Z")),
        ]);
        result.CountedOutages.ShouldBeEmpty();
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.872685m);
        result.Met.ShouldBeFalse();
        result.CreditAmount.ShouldBe(120.00m);
        var step = result.Credit.Explanation.Single(s => s.Kind == "downtime");
        // November has 43200 / 5 = 8640 intervals; 14 of them had errorRate samples: 4 on 11-03, 1 on 11-04 (two samples),
        // 1 on 11-05 (two samples; the latency sample is another metric), 8 on 11-06.
        step.Text.ShouldBe("a 5-minute interval is down when its errorRate is above 5 with at least 100 requests: 11 of 8640 intervals down (14 measured)");
        step.Location.ShouldBe(RuleAt);
        result.Credit.Explanation.Select(s => s.Kind).ShouldBe(["objective", "downtime", "tier", "fee"]);
    }

    [Fact]
    public void ErrorRate_WithoutRequestCounts_PlainMean()
    {
        // No `requests` on either sample: the plain mean (4 + 7) / 2 = 5.5 > 5 is down; minRequests 0 lets it count.
        // 5 minutes: (43200 − 5) / 43200 × 100 = 99.988425…%, met.
        var rule = ErrorRate with { MinRequests = 0 };
        var result = Compute(WithRule(rule), [Rate("2026-11-07T09:01:00Z", 4, null), Rate("2026-11-07T09:04:59Z", 7, null)]);

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(5));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.988426m);
        result.Met.ShouldBeTrue();
    }

    [Fact]
    public void ErrorRate_LastInterval_EndsAtAsOf()
    {
        // asOf 2026-11-06T12:12Z: the window is 5 days 12 hours 12 minutes = 7932 minutes; the intervals 12:00 and 12:05 are
        // whole, 12:10 ends at asOf (2 minutes); the later samples lie after asOf. Down: 10 + 5 + 5 + 5 + 2 = 27 minutes.
        // (7932 − 27) / 7932 × 100 = 99.6596066…%.
        var result = ServiceLevelCalculator.Availability(Subscription(), Policy(WithRule()), [], November3To6(), November, T("2026-11-06T12:12:00Z"))!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(27));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.659607m);
    }

    [Theory]
    // Spells 10, 5 and 40 minutes. minimumDowntime 5m keeps all three (5 is at least 5): 55 minutes, 99.872685…%.
    [InlineData(5, 55, 99.872685, 120.00, 0)]
    // 10m drops the 5-minute spell: 50 minutes, (43200 − 50) / 43200 = 99.884259…%, still under 99.9% → EUR 120.00.
    [InlineData(10, 50, 99.884259, 120.00, 1)]
    // 15m drops the 10- and 5-minute spells: 40 minutes, (43200 − 40) / 43200 = 99.907407…% ≥ 99.9%, met, no credit.
    [InlineData(15, 40, 99.907407, 0.00, 2)]
    public void MinimumDowntime_ShorterSpellsDoNotCount(int minimumMinutes, int downMinutes, double percent, double credit, int dropped)
    {
        var term = WithRule() with { MinimumDowntime = TimeSpan.FromMinutes(minimumMinutes), MinimumDowntimeLocation = At with { Line = 55 } };

        var result = Compute(term, November3To6());

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(downMinutes));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe((decimal)percent);
        result.CreditAmount.ShouldBe((decimal)credit);
        var step = result.Credit.Explanation.Single(s => s.Kind == "minimum downtime");
        step.Location.ShouldBe(At with { Line = 55 });
        step.Text.ShouldContain(dropped == 0 ? "none was shorter" : $"{dropped} shorter spell(s)");
    }

    [Fact]
    public void MinimumDowntime_OutageSpells_MeasuredWhole()
    {
        // Outages merged before the minimum of 5 minutes is applied: 02:00-02:04 (4 minutes, dropped); 03:00-03:30 (30);
        // 05:00-05:03 and 05:02-05:06 overlap into one spell of 6 minutes (kept, though each alone is shorter); the spell
        // from 31 October 23:57 to 1 November 00:03 lasts 6 minutes in all (kept), of which 3 lie in November.
        // Down: 30 + 6 + 3 = 39 minutes: (43200 − 39) / 43200 × 100 = 99.909722…%, met.
        var term = AvailabilityTerm() with { MinimumDowntime = TimeSpan.FromMinutes(5) };
        OutageRecord[] outages =
        [
            Outage("2026-11-02T02:00:00Z", "2026-11-02T02:04:00Z"),
            Outage("2026-11-02T03:00:00Z", "2026-11-02T03:30:00Z"),
            Outage("2026-11-02T05:00:00Z", "2026-11-02T05:03:00Z"),
            Outage("2026-11-02T05:02:00Z", "2026-11-02T05:06:00Z"),
            Outage("2026-10-31T23:57:00Z", "2026-11-01T00:03:00Z"),
        ];

        var result = ServiceLevelCalculator.Availability(Subscription(), Policy(term), outages, November, AfterNovember)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(39));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.909722m);
        result.Met.ShouldBeTrue();
    }

    [Fact]
    public void MeasureRequests_ShareOfSuccessfulRequests()
    {
        // Samples with both counts: 1000 with 5 failed, 2000 with 1 failed, 500 with none: 3494 of 3500 succeeded.
        // The sample with `requests` but no `failed`, the latency sample and the one in December are not counted.
        // 3494 / 3500 × 100 = 99.828571…% < 99.9% → 10% of EUR 1200 = EUR 120.00.
        var term = WithRule() with { Measure = AvailabilityMeasure.Requests, MeasureLocation = At with { Line = 60 } };
        MeasurementRecord[] samples =
        [
            Rate("2026-11-02T00:00:00Z", 0.5, 1000, 5),
            Rate("2026-11-02T00:05:00Z", 0.05, 2000, 1),
            Rate("2026-11-02T00:10:00Z", 0, 500, 0),
            Rate("2026-11-02T00:15:00Z", 0, 100),
            Rate("2026-11-02T00:15:00Z", 40, 100, 100, metric: "latencyMs"),
            Rate("2026-12-01T00:00:00Z", 100, 100, 100),
        ];

        var result = Compute(term, samples);

        (result.Requests, result.FailedRequests).ShouldBe((3500m, 6m));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.828571m);
        result.CreditAmount.ShouldBe(120.00m);
        var step = result.Credit.Explanation.Single(s => s.Kind == "measure");
        step.Text.ShouldBe("availability is the share of requests that succeeded: 3,494 of 3,500 over 3 errorRate samples");
        step.Location.ShouldBe(At with { Line = 60 });
        result.Credit.Explanation[0].Text.ShouldBe("availability at least 99.9%; measured 99.829% of 3,500 requests successful (6 failed)");
    }

    [Fact]
    public void MeasureRequests_NoCounts_FullAvailability()
    {
        // No sample counts requests: nothing failed, 100%, met, no credit.
        var result = Compute(WithRule() with { Measure = AvailabilityMeasure.Requests }, []);

        result.AvailabilityPercent.ShouldBe(100m);
        result.Met.ShouldBeTrue();
        result.Requests.ShouldBe(0m);
    }

    [Fact]
    public void MeasureMeanErrorRate_HundredLessTheMeanOfEveryInterval()
    {
        // "100% minus the average of the error rates of each five-minute interval" (intervals without requests at 0%).
        // November has 8640 intervals. Rates of the intervals with at least 100 requests (the rule's minRequests):
        // 12 + 8 + 5 (11-03 10:00, 10:05, 10:10) + 4 (11-04, weighted) + 6 (11-05, weighted) + 8 × 30 (11-06) = 275;
        // 11-03 10:15 (50% of 20 requests) counts 0, like the 8,626 intervals without samples; the latency sample is
        // another metric. Mean 275 / 8640 = 0.031828703…%; availability 100 − 0.031828703… = 99.968171296…% ≥ 99.9: met.
        var term = WithRule() with { Measure = AvailabilityMeasure.MeanErrorRate, MeasureLocation = At with { Line = 61 } };

        var result = Compute(term, November3To6());

        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.968171m);
        Math.Round(result.MeanErrorRate!.Value, 6).ShouldBe(0.031829m);
        (result.Met, result.CreditAmount).ShouldBe((true, 0m));
        var step = result.Credit.Explanation.Single(s => s.Kind == "measure");
        step.Text.ShouldBe(
            "availability is 100% minus the mean errorRate of the window's 5-minute intervals (about 8,640; one without samples or under 100 requests counts 0%): 13 interval(s) with errors, mean 0.0318%");
        step.Location.ShouldBe(At with { Line = 61 });

        // Downtime is still read from the intervals above 5 (for formulas counting downtime): 55 minutes, as in
        // ErrorRate_DownIntervals_CountAsDowntime.
        result.Downtime.ShouldBe(TimeSpan.FromMinutes(55));
    }

    [Fact]
    public void MeasureMeanErrorRate_MonthInProgress_MeanOverTheTimeMeasured()
    {
        // As of 11-02 00:00 the window is 1 day, 288 intervals. Samples: 11-01 06:00 at 40% of 1000 requests, 06:05 at
        // 20% of 1000, and 11-01 12:00 at 100 (as of then, rates over 100 count 100) of 10 requests: with minRequests 0 all
        // count: (40 + 20 + 100) / 288 = 0.555…%; availability 99.444…% < 99.9 → tier below 99.9 = 10% of EUR 1200 = EUR 120.00.
        var term = WithRule(ErrorRate with { MinRequests = 0 }) with { Measure = AvailabilityMeasure.MeanErrorRate };
        MeasurementRecord[] samples =
        [
            Rate("2026-11-01T06:00:00Z", 40, 1000),
            Rate("2026-11-01T06:05:00Z", 20, 1000),
            Rate("2026-11-01T12:00:00Z", 150, 10),
        ];

        var result = ServiceLevelCalculator.Availability(Subscription(), Policy(term), [], samples, November, T("2026-11-02T00:00:00Z"))!;

        Math.Round(result.AvailabilityPercent, 6).ShouldBe(Math.Round(100m - (160m / 288m), 6));
        result.CreditAmount.ShouldBe(120.00m);
    }

    private static Engine.Policies.AvailabilityTerm WithRule(MetricDowntime? rule = null) => AvailabilityTerm() with { DowntimeFrom = rule ?? ErrorRate };
}
