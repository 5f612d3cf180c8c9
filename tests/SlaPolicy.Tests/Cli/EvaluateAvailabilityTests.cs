namespace SlaPolicy.Tests.Cli;

/// <summary><c>slapolicy evaluate --outages --subscriptions</c>: availability and credit lines after the case decisions.</summary>
public sealed class EvaluateAvailabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slapolicy-evaluate-availability-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FileInfo Sample(string name) => new(Path.Join(PolicyTestFiles.RepoRoot, "samples", name));

    [Fact]
    public void Evaluate_WithOutagesAndSubscriptions_WritesAvailabilityPerSubscriptionAndMonth()
    {
        var output = new FileInfo(Path.Join(_dir, "out.jsonl"));

        var exit = EvaluateCommand.Run(
            PolicyTestFiles.SamplePolicies, Sample("cases.jsonl"), "2026-11-22T02:00:00Z", output, "jsonl",
            new FileInfo(Path.Join(_dir, "rejected.jsonl")), explain: false, Sample("outages.jsonl"), Sample("subscriptions.jsonl"));

        exit.ShouldBe(0);
        var lines = File.ReadLines(output.FullName).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.First().TryGetProperty("caseId", out _).ShouldBeTrue(); // decisions first
        var availability = lines.Where(l => l.TryGetProperty("kind", out var k) && k.GetString() == "availability").ToList();

        // Cases were opened in October and November 2026, and O-2026-001 touches October: both months, each with a line
        // for acme's two email subscriptions (only acme-gold has an availability term, for email).
        availability.Select(l => (l.GetProperty("period").GetString(), l.GetProperty("region").GetString()))
            .ShouldBe([("2026-10", "eu-west"), ("2026-10", "us-east"), ("2026-11", "eu-west"), ("2026-11", "us-east")]);

        // October, whole month (44640 min): O-2026-001 from 22:40 on the 31st counts 80 min → 44560 / 44640 = 99.820789% → 10% of EUR 1200.
        var october = availability[0];
        october.GetProperty("availabilityPercent").GetDecimal().ShouldBe(99.820789m);
        october.GetProperty("creditAmount").GetDecimal().ShouldBe(120.00m);

        // November up to 2026-11-22T02:00Z: 21 days 2 hours = 30360 min; 70 + 65 min down (see SampleReport)
        // → 30225 / 30360 = 99.555336% (rounded to 6 decimals).
        var november = availability[2];
        november.GetProperty("availabilityPercent").GetDecimal().ShouldBe(99.555336m);
        november.GetProperty("windowEnd").GetString().ShouldBe("2026-11-22T02:00:00Z");
        november.GetProperty("met").GetBoolean().ShouldBeFalse();
        lines.Count(l => l.TryGetProperty("kind", out var k) && k.GetString() == "customerCredit").ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Evaluate_HooliSample_LeavesOutAvailabilityReadFromMeasurements()
    {
        // evaluate reads no measurements: the two storage objectives (downtime from error rates) have no line, rather than
        // a month without downtime; the outage-based terms are as in HooliSampleTests (vm-1 USD 30.00, ip-transit USD 500.00,
        // then vm-3 USD 20.00 and workspace USD 150.00 in the order of subscriptions.jsonl).
        string Hooli(string name) => Path.Join(PolicyTestFiles.RepoRoot, "samples", "hooli", name);
        var output = new FileInfo(Path.Join(_dir, "hooli.jsonl"));

        var exit = EvaluateCommand.Run(
            Hooli("policies"), new FileInfo(Hooli("cases.jsonl")), "2026-12-01T00:00:00Z", output, "jsonl",
            new FileInfo(Path.Join(_dir, "rejected.jsonl")), explain: false, new FileInfo(Hooli("outages.jsonl")), new FileInfo(Hooli("subscriptions.jsonl")));

        exit.ShouldBe(0);
        var availability = File.ReadLines(output.FullName).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.TryGetProperty("kind", out var k) && k.GetString() == "availability").ToList();
        availability.Select(l => (l.GetProperty("service").GetString(), l.TryGetProperty("resource", out var r) ? r.GetString() : null, l.GetProperty("creditAmount").GetDecimal()))
            .ShouldBe([("compute", "vm-1", 30.00m), ("compute", "vm-2", 0m), ("ip-transit", null, 500.00m), ("compute", "vm-3", 20.00m), ("workspace", null, 150.00m)]);
    }

    [Fact]
    public void Evaluate_OutagesWithoutSubscriptions_IsRefused()
    {
        var exit = EvaluateCommand.Run(
            PolicyTestFiles.SamplePolicies, Sample("cases.jsonl"), "2026-11-22T02:00:00Z", new FileInfo(Path.Join(_dir, "out.jsonl")), "jsonl",
            null, explain: false, Sample("outages.jsonl"), null);

        exit.ShouldBe(1);
    }

    [Fact]
    public void MonthsTouched_OutageEndingAtMidnight_DoesNotTouchNextMonth()
    {
        // [2026-11-30T23:00Z, 2026-12-01T00:00Z) ends where December begins; an outage in January is after asOf.
        OutageRecord[] outages =
        [
            new("email", "eu-west", T("2026-11-30T23:00:00Z"), T("2026-12-01T00:00:00Z"), "unplanned"),
            new("email", "eu-west", T("2027-01-03T00:00:00Z"), T("2027-01-03T01:00:00Z"), "unplanned"),
        ];

        var months = EvaluateCommand.MonthsTouched([new ReportingMonth(2026, 10)], outages, T("2026-12-15T00:00:00Z"));

        months.Select(m => m.ToString()).ShouldBe(["2026-10", "2026-11"]);
    }

    private static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
