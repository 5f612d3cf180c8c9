using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Reports;

/// <summary>
/// A small November 2026 with two agreements: acme (email and crm, EUR, attainment terms) and globex (an ISP-style
/// network agreement in USD with latency and packet delivery objectives and a customer credit cap).
/// Hand-worked figures used by the tests:
/// - acme email eu-west: outages 02:00-02:40 and 02:20-02:50 overlap → 50 min; (43200 − 50) / 43200 = 99.884% &lt; 99.9% → 10% of EUR 1200 = EUR 120.00.
/// - acme crm eu-west: 3 h maintenance excluded, 10 min unplanned → 99.977% → met; fee from the policy (EUR 1200).
/// - globex network us-east: 5 h down → (43200 − 300) / 43200 = 99.306% &lt; 99.5% → 10% of USD 2500 = USD 250.00;
///   p95 latency over 20 samples = 19th smallest = 240 ms &gt; 200 → 5% = USD 125.00; total USD 375.00, capped by
///   customerCreditCap 12% of USD 2500 = USD 300.00.
/// </summary>
internal static class SampleReportData
{
    public static readonly DateTimeOffset AsOf = T("2026-12-01T02:00:00Z");

    private static readonly SourceLocation GlobexAt = new("policies/globex-isp.json", 12, 5);

    public static readonly Policy AcmeGold = Policy(
        AvailabilityTerm() with { Services = ["email", "crm"] },
        attainment: [new AttainmentTerm([1], 100m, 10m, At with { Line = 30 }, "acme-gold"), new AttainmentTerm([4], 90m, 5m, At with { Line = 31 }, "acme-gold")]);

    public static readonly Policy GlobexIsp = new Policy(
        "globex-isp", "2026.1", new DateOnly(2026, 1, 1), null, null, PolicyScope.All, null, [], [], [], [],
        new AvailabilityTerm(
            ["network"], 99.5m, "calendarMonth", ["maintenance"], [new CreditTier(99.5m, 10m, GlobexAt), new CreditTier(99m, 25m, GlobexAt)],
            50m, 2500m, "USD", GlobexAt, "globex-isp"),
        [], "policies/globex-isp.json", new SourceLocation("policies/globex-isp.json", 1, 1))
    {
        CustomerCreditCapPercent = 12m,
        Performance =
        [
            new PerformanceTerm(
                "latency-p95", "latencyMs", new PerformanceStatistic(PerformanceStatisticKind.Percentile, 95), ObjectiveDirection.AtMost, 200m, ["network"],
                [new PerformanceCreditTier(200m, 5m, GlobexAt), new PerformanceCreditTier(300m, 10m, GlobexAt)], null, GlobexAt, "globex-isp"),
            new PerformanceTerm(
                "delivery", "packetDeliveryPercent", PerformanceStatistic.Mean, ObjectiveDirection.AtLeast, 99.5m, ["network"],
                [new PerformanceCreditTier(99.5m, 5m, GlobexAt)], null, GlobexAt, "globex-isp"),
        ],
    };

    public static ServiceLevelInputs Inputs()
    {
        SubscriptionRecord[] subscriptions =
        [
            new("acme", "gold", "eu-west", "email", 1200m, "EUR"),
            new("acme", "gold", "eu-west", "crm", null, null),
            new("globex", "isp", "us-east", "network", 2500m, "USD"),
        ];
        OutageRecord[] outages =
        [
            Outage("2026-11-03T02:00:00Z", "2026-11-03T02:40:00Z"),
            Outage("2026-11-03T02:20:00Z", "2026-11-03T02:50:00Z"),
            Outage("2026-11-14T01:00:00Z", "2026-11-14T04:00:00Z", kind: "maintenance", service: "crm"),
            Outage("2026-11-18T09:00:00Z", "2026-11-18T09:10:00Z", service: "crm"),
            Outage("2026-11-21T06:00:00Z", "2026-11-21T11:00:00Z", service: "network", region: "us-east"),
        ];

        // 20 latency samples 100, 110, ..., 230 (14 values) and 235, 236, 237, 238, 240, 260: sorted, rank ⌈0.95 × 20⌉ = 19 → 240.
        var latencies = Enumerable.Range(0, 14).Select(i => 100.0 + (i * 10)).Concat([235, 236, 237, 238, 240, 260]).ToArray();
        var measurements = latencies
            .Select((v, i) => new MeasurementRecord("network", "us-east", T("2026-11-01T00:00:00Z").AddHours(i * 30), "latencyMs", v))
            .Concat(Enumerable.Range(0, 10).Select(i => new MeasurementRecord("network", "us-east", T("2026-11-01T12:00:00Z").AddDays(i * 3), "packetDeliveryPercent", 99.7)))
            .ToArray();

        var decisions = new List<Decision>
        {
            Decision("C-1001", DecisionStatus.Met, "2026-11-04T10:00:00Z", 1),
            Decision("C-1002", DecisionStatus.Met, "2026-11-12T10:00:00Z", 1),
            Decision("C-1003", DecisionStatus.Breached, "2026-11-19T10:00:00Z", 1, dueAt: "2026-11-19T06:00:00Z"),
        };
        for (var i = 1; i <= 10; i++)
        {
            var breached = i == 7;
            decisions.Add(Decision($"C-20{i:D2}", breached ? DecisionStatus.Breached : DecisionStatus.Met, $"2026-11-{(i * 2) + 1:D2}T15:00:00Z", 4,
                dueAt: breached ? $"2026-11-{(i * 2) + 1:D2}T09:00:00Z" : null));
        }

        decisions.Add(Decision("C-3001", DecisionStatus.Breached, null, 2, dueAt: "2026-11-10T08:00:00Z"));
        decisions.Add(Decision("C-3002", DecisionStatus.Breached, null, 2, dueAt: "2026-11-26T08:00:00Z"));
        decisions.Add(Decision("C-3003", DecisionStatus.Breached, null, 3, dueAt: "2026-11-27T08:00:00Z"));

        return new ServiceLevelInputs(
            [AcmeGold, GlobexIsp], (s, _) => s.Customer == "acme" ? AcmeGold : GlobexIsp, subscriptions, outages, measurements, decisions, []);
    }

    public static ServiceLevelReport Report() => ServiceLevelCalculator.Compute(Inputs(), new ReportingMonth(2026, 11), AsOf);
}

/// <summary>Report data held in memory, for tests; the real command loads files.</summary>
internal sealed class InMemoryReportDataSource(ServiceLevelInputs inputs, params string[] warnings) : IReportDataSource
{
    public ReportRequest? LastRequest { get; private set; }

    public ReportData Load(ReportRequest request)
    {
        LastRequest = request;
        return new ReportData(inputs, [.. warnings]);
    }
}
