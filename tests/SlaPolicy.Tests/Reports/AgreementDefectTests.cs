using Spectre.Console;
using SlaPolicy.Tests.Policies;
using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Reports;

/// <summary>
/// Two report defects: an agreement with an availability term or performance objectives but no target governed no
/// subscription, and an empty attainment table claimed that no clock stopped although cases had stopped.
/// </summary>
public class AgreementDefectTests
{
    private const string Baseline = """
        { "id": "baseline", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": {},
          "targets": [ { "id": "resolve", "metric": "resolution", "within": "8h" } ] }
        """;

    // A cloud-storage style agreement: availability only, no response or resolution target.
    private const string AvailabilityOnly = """
        { "id": "storage-sla", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["globex"] },
          "availability": { "objective": "99.9%", "monthlyFee": 1000, "currency": "USD",
                            "credits": [ { "below": "99.9%", "credit": "10%" } ] } }
        """;

    [Fact]
    public void AvailabilityOnlyAgreement_GovernsItsSubscription_AndNoCase()
    {
        using var dir = new TempPolicyDirectory(("baseline.json", Baseline), ("storage.json", AvailabilityOnly));
        using var files = new TempPolicyDirectory(
            ("cases.jsonl", """{"id":"C-1","customer":"globex","tier":"gold","region":"us-east","service":"storage","severity":2,"openedAt":"2026-11-03T10:00:00Z","resolvedAt":"2026-11-03T12:00:00Z"}""" + "\n"),
            ("outages.jsonl", """{"service":"storage","region":"us-east","start":"2026-11-10T00:00:00Z","end":"2026-11-10T01:00:00Z","kind":"unplanned"}""" + "\n"),
            ("subscriptions.jsonl", """{"customer":"globex","tier":"gold","region":"us-east","service":"storage"}""" + "\n"),
            ("measurements.jsonl", string.Empty));
        var request = new ReportRequest(
            dir.Path, Path.Join(files.Path, "cases.jsonl"), Path.Join(files.Path, "outages.jsonl"), Path.Join(files.Path, "subscriptions.jsonl"),
            Path.Join(files.Path, "measurements.jsonl"), T("2026-12-01T00:00:00Z"));

        var data = new FileReportDataSource().Load(request);
        var report = ServiceLevelCalculator.Compute(data.Inputs, new ReportingMonth(2026, 11), request.AsOf);

        // 60 of November's 43200 minutes down: (43200 - 60) / 43200 = 99.8611% < 99.9% → 10% of the policy's USD 1000 = USD 100.00.
        report.Warnings.ShouldNotContain(w => w.Contains("no policy covers", StringComparison.Ordinal));
        var availability = report.Availability.ShouldHaveSingleItem();
        availability.PolicyId.ShouldBe("storage-sla");
        availability.CreditAmount.ShouldBe(100.00m);
        // The case is still judged by the baseline, the only agreement with a target: an agreement without targets runs no clock.
        data.Inputs.Decisions.ShouldAllBe(d => d.Policy == "baseline");
        data.Inputs.Decisions.ShouldNotBeEmpty();
    }

    [Fact]
    public void PerformanceOnlyAgreement_GovernsItsSubscription()
    {
        var policy = Policy(performance: [new PerformanceTerm(
            "latency-p95", "latencyMs", new PerformanceStatistic(PerformanceStatisticKind.Percentile, 95), ObjectiveDirection.AtMost, 200m, [], [], null, At, "acme-gold")]) with
        { AppliesTo = new PolicyScope(["acme"], [], [], []) };
        var set = new PolicySet([policy], ImmutableDictionary<string, CalendarDefinition>.Empty);

        var inputs = ReportInputs.Create(set, [Subscription()], [], [], [], []);

        inputs.ResolvePolicy(Subscription(), new DateOnly(2026, 11, 1)).ShouldBe(policy);
    }

    [Fact]
    public void EmptyAttainment_WithStoppedClocks_DoesNotSayNoneStopped()
    {
        // Two clocks stopped in November (one met, one breached) under a policy without attainment terms.
        var policy = Policy();
        var decisions = new[]
        {
            Decision("C-1", DecisionStatus.Met, "2026-11-05T10:00:00Z", 1),
            Decision("C-2", DecisionStatus.Breached, "2026-11-06T10:00:00Z", 2),
        };
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, [Subscription()], [], [], decisions, []);
        var report = ServiceLevelCalculator.Compute(inputs, new ReportingMonth(2026, 11), T("2026-12-01T00:00:00Z"));
        report.Attainment.ShouldBeEmpty();

        var text = Render(report);
        var html = HtmlReportRenderer.Render(report);

        text.ShouldNotContain("no case stopped its clock");
        text.ShouldContain("2 (case, target) clock(s) stopped in this period, but no agreement that governs them has attainment terms");
        html.ShouldNotContain("No case stopped its clock");
        html.ShouldContain("2 (case, target) clock(s) stopped in this period");
    }

    [Fact]
    public void EmptyAttainment_WithNoStoppedClock_SaysNoneStopped()
    {
        var policy = Policy();
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, [Subscription()], [], [], [], []);
        var report = ServiceLevelCalculator.Compute(inputs, new ReportingMonth(2026, 11), T("2026-12-01T00:00:00Z"));

        Render(report).ShouldContain("no case stopped its clock in this period");
    }

    private static string Render(ServiceLevelReport report)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 240;
        TerminalReportRenderer.Render(report, console);
        return writer.ToString();
    }
}
