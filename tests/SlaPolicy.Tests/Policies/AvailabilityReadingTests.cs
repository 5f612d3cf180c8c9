namespace SlaPolicy.Tests.Policies;

/// <summary>Reading the availability terms of published SLAs: downtime from metrics, minimum downtime, measure.</summary>
public class AvailabilityReadingTests
{
    private static Policy LoadOne(string json, out IReadOnlyList<Diagnostic> diagnostics)
    {
        using var dir = new TempPolicyDirectory(("p.json", json));
        var result = PolicyLoader.Load(dir.Path);
        diagnostics = result.Diagnostics;
        return result.Set.Policies.SingleOrDefault()!;
    }

    [Fact]
    public void Load_DowntimeFromMetrics_ReadsEveryField()
    {
        var policy = LoadOne("""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["hooli"] },
              "availability": { "objective": "99.9%", "services": ["storage"],
                "downtime": { "metric": "errorRate", "above": 5, "minRequests": 100, "interval": "5m" },
                "minimumDowntime": "10m", "measure": "requests",
                "credits": [ { "below": "99.9%", "credit": "10%" } ] } }
            """, out var diagnostics);

        diagnostics.ShouldBeEmpty();
        var term = policy.Availability!;
        term.DowntimeFrom.ShouldNotBeNull();
        (term.DowntimeFrom.Metric, term.DowntimeFrom.Above, term.DowntimeFrom.MinRequests, term.DowntimeFrom.Interval)
            .ShouldBe(("errorRate", 5m, 100L, TimeSpan.FromMinutes(5)));
        // Line 3 is `    "downtime": ` (16 characters) before the object's brace.
        (term.DowntimeFrom.Location.Line, term.DowntimeFrom.Location.Column).ShouldBe((3, 17));
        term.MinimumDowntime.ShouldBe(TimeSpan.FromMinutes(10));
        // Line 4 is `    "minimumDowntime": ` (23 characters) before the value.
        (term.MinimumDowntimeLocation.Line, term.MinimumDowntimeLocation.Column).ShouldBe((4, 24));
        term.Measure.ShouldBe(AvailabilityMeasure.Requests);
    }

    [Fact]
    public void Load_OlderTerm_KeepsItsMeaning()
    {
        var policy = LoadOne("""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "availability": { "objective": "99.9%" } }
            """, out var diagnostics);

        diagnostics.ShouldBeEmpty();
        var term = policy.Availability!;
        (term.DowntimeFrom, term.MinimumDowntime, term.Measure, term.Id).ShouldBe((null, null, AvailabilityMeasure.Time, null));
    }

    [Theory]
    // 1440 minutes are not a whole number of 7-minute intervals.
    [InlineData("\"downtime\": { \"metric\": \"errorRate\", \"above\": 5, \"interval\": \"7m\" }", "SLA2050", "divide a day")]
    [InlineData("\"downtime\": { \"metric\": \"errorRate\", \"above\": 5, \"interval\": \"30s\" }", "SLA2050", "from 1 minute to 1 day")]
    [InlineData("\"downtime\": { \"metric\": \"errorRate\", \"above\": 5, \"interval\": \"2d\" }", "SLA2050", "from 1 minute to 1 day")]
    [InlineData("\"downtime\": { \"metric\": \"errorRate\", \"above\": 5, \"minRequests\": -1, \"interval\": \"5m\" }", "SLA2050", "must not be negative")]
    [InlineData("\"minimumDowntime\": \"0m\"", "SLA2001", "longer than zero")]
    [InlineData("\"measure\": \"requests\"", "SLA2051", "availability.downtime.metric")]
    [InlineData("\"measure\": \"request\"", "SLA2010", "`time`, `requests`")]
    public void Load_BadAvailabilityTerm_ReportsItsCode(string fragment, string code, string text)
    {
        LoadOne($$"""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "availability": { "objective": "99.9%", {{fragment}} } }
            """, out var diagnostics);

        var diagnostic = diagnostics.Single();
        diagnostic.Code.ShouldBe(code);
        diagnostic.Message.ShouldContain(text);
        // Every one is reported on line 2, inside the availability object (which starts at column 19).
        diagnostic.Location.Line.ShouldBe(2);
        diagnostic.Location.Column.ShouldBeGreaterThan(19);
    }

    [Theory]
    [InlineData("minimumDowntme", "minimumDowntime")]
    [InlineData("downtim", "downtime")]
    [InlineData("measur", "measure")]
    public void Load_MisspelledAvailabilityProperty_SuggestsTheName(string written, string meant)
    {
        LoadOne($$"""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "availability": { "objective": "99.9%", "{{written}}": "5m" } }
            """, out var diagnostics);

        var diagnostic = diagnostics.First();
        diagnostic.Code.ShouldBe("SLA1002");
        diagnostic.Help.ShouldBe($"did you mean `{meant}`?");
    }

    [Fact]
    public void Load_MisspelledDowntimeProperty_SuggestsTheName()
    {
        LoadOne("""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "availability": { "objective": "99.9%", "downtime": { "metric": "errorRate", "above": 5, "minRequest": 10, "interval": "5m" } } }
            """, out var diagnostics);

        diagnostics.Single().Help.ShouldBe("did you mean `minRequests`?");
    }
}
