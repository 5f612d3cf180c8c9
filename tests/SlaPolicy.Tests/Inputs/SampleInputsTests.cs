using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

public class SampleInputsTests
{
    [Fact]
    public void Read_SampleCases_AllAcceptedWithEveryRegionSeverityAndCustomer()
    {
        var results = CaseReader.ReadFile(Sample("cases.jsonl")).ToList();

        results.Where(r => !r.IsAccepted).Select(r => r.Rejected!.ToString()).ShouldBeEmpty();
        var cases = results.Select(r => r.Record!).ToList();
        cases.Count.ShouldBeGreaterThanOrEqualTo(300);
        cases.Select(c => c.Region).Distinct().Order().ShouldBe(["apac-in", "eu-west", "us-east"]);
        cases.Select(c => c.Severity).Distinct().Order().ShouldBe([1, 2, 3, 4]);
        cases.Select(c => c.Customer).Distinct().Order().ShouldBe(["acme", "globex", "initech", "umbrella"]);
        cases.Select(c => c.Service).Distinct().Order().ShouldBe(["crm", "email", "network"]);
        cases.Select(c => c.Id).Distinct().Count().ShouldBe(cases.Count);

        // Pause patterns: several pauses, a pause still open (last event a waiting status), still-open cases,
        // and a case resolved before any first response.
        cases.ShouldContain(c => c.Events.Count(e => e.Status.StartsWith("waiting", StringComparison.Ordinal)) >= 2);
        cases.ShouldContain(c => c.Events.Length > 0 && c.Events.Last().Status.StartsWith("waiting", StringComparison.Ordinal) && c.ResolvedAt == null);
        cases.ShouldContain(c => c.FirstResponseAt == null && c.ResolvedAt != null);
        cases.ShouldContain(c => c.ResolvedAt == null);
    }

    [Fact]
    public void Read_SampleCases_TimestampsInTheirRegionsLocalOffsets()
    {
        var cases = CaseReader.ReadFile(Sample("cases.jsonl")).Select(r => r.Record!).ToList();

        // Berlin is +02:00 before 2026-10-25 and +01:00 after; New York -04:00 before 2026-11-01 and -05:00 after; Kolkata +05:30.
        cases.Where(c => c.Region == "eu-west").Select(c => c.OpenedAt.Offset.TotalHours).Distinct().Order().ShouldBe([1.0, 2.0]);
        cases.Where(c => c.Region == "us-east").Select(c => c.OpenedAt.Offset.TotalHours).Distinct().Order().ShouldBe([-5.0, -4.0]);
        cases.Where(c => c.Region == "apac-in").Select(c => c.OpenedAt.Offset).Distinct().ShouldBe([new TimeSpan(5, 30, 0)]);

        // Cases that run across a DST change carry both offsets.
        cases.ShouldContain(c => c.Region == "eu-west" && c.ResolvedAt != null && c.OpenedAt.Offset != c.ResolvedAt.Value.Offset);
        cases.ShouldContain(c => c.Region == "us-east" && c.ResolvedAt != null && c.OpenedAt.Offset != c.ResolvedAt.Value.Offset);
    }

    [Fact]
    public void Read_SampleCases_HoldTheWorkedExampleC1001()
    {
        var c1001 = CaseReader.ReadFile(Sample("cases.jsonl")).Select(r => r.Record!).Single(c => c.Id == "C-1001");

        c1001.ShouldBeTheWorkedExample();
        c1001.Tags.ShouldBe(["vip"]);
        c1001.Events.Select(e => e.Status).ShouldBe(["waiting_on_customer", "in_progress"]);
    }

    [Fact]
    public void Read_SampleBadCases_ExpectedRejectionsAndEveryGoodRecordKept()
    {
        var results = CaseReader.ReadFile(Sample("bad-cases.jsonl")).ToList();

        // Line 6 is blank. Lines 1, 3, 14, 18 and 20 are good (14 has unknown properties, 18 repeats the id B-1,
        // 20 has its events out of order); every other line is one kind of bad record.
        results.Where(r => r.IsAccepted).Select(r => (r.LineNumber, r.Record!.Id))
            .ShouldBe([(1L, "B-1"), (3L, "B-3"), (14L, "B-14"), (18L, "B-1"), (20L, "B-20")]);
        results.Where(r => !r.IsAccepted).Select(r => (r.LineNumber, r.Rejected!.Field))
            .ShouldBe(
            [
                (2L, null), // malformed JSON: the object is not closed
                (4L, "severity"), // a string where a number belongs
                (5L, "openedAt"), // missing
                (7L, "openedAt"), // no offset
                (8L, "openedAt"), // not ISO 8601
                (9L, "resolvedAt"), // before openedAt
                (10L, "firstResponseAt"), // 04:00Z is 09:30+05:30, before 10:00+05:30
                (11L, "severity"), // 5 is not a severity
                (12L, null), // invalid UTF-8
                (13L, "customer"), // 5,000 bytes
                (15L, null), // an array, not an object
                (16L, "id"), // given twice
                (17L, "events[0].status"), // missing
                (19L, "id"), // an outage written to the cases file
            ]);
        results.Where(r => !r.IsAccepted).ShouldAllBe(r => r.Rejected!.Source.EndsWith("bad-cases.jsonl"));
    }

    [Fact]
    public void Read_SampleOutages_AllAcceptedIncludingTheOneAcrossNewYorksFallBack()
    {
        var outages = OutageReader.ReadFile(Sample("outages.jsonl")).ToList();

        outages.ShouldAllBe(r => r.IsAccepted);
        outages.Select(r => r.Record!.Kind).Distinct().Order().ShouldBe(["customer-caused", "maintenance", "unplanned"]);

        // 01:30 EDT (05:30Z) to 01:20 EST (06:20Z): the wall clock goes back, the outage lasts 50 real minutes.
        var acrossDst = outages.Single(r => r.Record!.Id == "O-2026-008").Record!;
        (acrossDst.End - acrossDst.Start).ShouldBe(TimeSpan.FromMinutes(50));
    }

    [Fact]
    public void Read_SampleSubscriptions_EveryCustomerServiceAndRegion()
    {
        var subscriptions = SubscriptionReader.ReadFile(Sample("subscriptions.jsonl")).Select(r => r.Record!).ToList();

        // acme 2 regions, globex 1, initech 2, umbrella 1: 6 customer-regions x 3 services.
        subscriptions.Count.ShouldBe(18);
        subscriptions.Select(s => (s.Customer, s.Region, s.Service)).Distinct().Count().ShouldBe(18);
        subscriptions.ShouldContain(s => s.MonthlyFee == null);
        subscriptions.Single(s => s.Customer == "acme" && s.Region == "eu-west" && s.Service == "email").MonthlyFee.ShouldBe(1200.00m);
    }

    [Fact]
    public void Read_SampleMeasurements_EveryServiceAndRegionOverNovember()
    {
        var measurements = MeasurementReader.ReadFile(Sample("measurements.jsonl")).Select(r => r.Record!).ToList();

        // 30 days x 4 samples a day x 3 regions x 3 services x 2 metrics.
        measurements.Count.ShouldBe(30 * 4 * 9 * 2);
        measurements.Select(m => m.Metric).Distinct().Order().ShouldBe(["latencyMs", "packetDeliveryPercent"]);
        measurements.ShouldAllBe(m => m.At.Year == 2026 && m.At.Month == 11);
    }
}
