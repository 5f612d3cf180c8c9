namespace SlaPolicy.Tests.Policies;

/// <summary>Reading `performance` and `customerCreditCap` into the model, and layering them through `extends`.</summary>
public class PerformanceReadingTests
{
    private const string Base = """
        {
          "id": "base", "version": "1",
          "effective": { "from": "2026-01-01" },
          "customerCreditCap": "40%",
          "performance": [
            { "id": "latency-p95", "metric": "latencyMs", "statistic": "p95", "atMost": 120, "services": ["network"],
              "credits": [ { "above": 120, "credit": "5%" }, { "above": 200.5, "credit": "10%" } ], "creditCap": "10%" },
            { "metric": "packetDeliveryPercent", "statistic": "mean", "atLeast": "99.5%",
              "credits": [ { "below": "99.5%", "credit": "5%" }, { "below": 99, "credit": "15%" } ] },
            { "metric": "jitterMs", "statistic": "median", "atMost": 30 }
          ]
        }
        """;

    private const string Child = """
        {
          "id": "child", "version": "1",
          "effective": { "from": "2026-01-01" },
          "extends": "base",
          "appliesTo": { "customers": ["acme"] },
          "targets": [ { "id": "sev1", "metric": "resolution", "within": "4h" } ],
          "performance": [
            { "id": "latency-p95", "metric": "latencyMs", "statistic": "p95", "atMost": 100,
              "credits": [ { "above": 100, "credit": "20%" } ] },
            { "metric": "jitterMs", "statistic": "p50", "atMost": 20 },
            { "id": "latency-p99.9", "metric": "latencyMs", "statistic": "p99.9", "atMost": 400 }
          ]
        }
        """;

    private const string Grandchild = """
        {
          "id": "grandchild", "version": "1",
          "effective": { "from": "2026-01-01" },
          "extends": "child",
          "appliesTo": { "customers": ["acme"], "regions": ["eu-west"] },
          "customerCreditCap": "25%"
        }
        """;

    [Fact]
    public void Load_PerformanceObjectives_ReadsEveryField()
    {
        using var dir = new TempPolicyDirectory(("base.json", Base));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var policy = result.Set.Policies.Single();
        policy.CustomerCreditCapPercent.ShouldBe(40m);
        policy.Performance.Select(p => p.Id).ShouldBe(["latency-p95", "packetDeliveryPercent-mean", "jitterMs-p50"]);

        var latency = policy.Performance[0];
        latency.Metric.ShouldBe("latencyMs");
        latency.Statistic.ShouldBe(new PerformanceStatistic(PerformanceStatisticKind.Percentile, 95m));
        latency.Direction.ShouldBe(ObjectiveDirection.AtMost);
        latency.Threshold.ShouldBe(120m);
        latency.Services.ShouldBe(["network"]);
        latency.Credits.Select(c => (c.Threshold, c.CreditPercent)).ShouldBe([(120m, 5m), (200.5m, 10m)]);
        latency.CreditCapPercent.ShouldBe(10m);
        latency.DefinedBy.ShouldBe("base");
        // The opening brace of the objective: line 6 of the file, after four spaces of indent.
        (latency.Location.File, latency.Location.Line, latency.Location.Column).ShouldBe((Path.Join(dir.Path, "base.json"), 6, 5));
        // The second tier's brace on line 7: six spaces, then `"credits": [ { "above": 120, "credit": "5%" }, ` (47 characters).
        (latency.Credits[1].Location.Line, latency.Credits[1].Location.Column).ShouldBe((7, 54));

        var delivery = policy.Performance[1];
        // "99.5%" is the number 99.5 in the metric's unit; a bare 99 is the same unit.
        (delivery.Direction, delivery.Threshold).ShouldBe((ObjectiveDirection.AtLeast, 99.5m));
        delivery.Credits.Select(c => (c.Threshold, c.CreditPercent)).ShouldBe([(99.5m, 5m), (99m, 15m)]);
        delivery.Services.ShouldBeEmpty();
        delivery.CreditCapPercent.ShouldBeNull();

        // `median` is read as p50, and the default id uses that canonical spelling.
        policy.Performance[2].Statistic.ShouldBe(new PerformanceStatistic(PerformanceStatisticKind.Percentile, 50m));
        policy.Performance[2].Credits.ShouldBeEmpty();
    }

    [Fact]
    public void Load_ChildPerformance_OverridesByIdAndAddsTheRest()
    {
        using var dir = new TempPolicyDirectory(("base.json", Base), ("child.json", Child), ("grandchild.json", Grandchild));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var child = result.Set.Policies.Single(p => p.Id == "child");
        // Parent order, same-id objectives replaced in place: `latency-p95` by its id, the median jitter by the child's
        // p50 (same default id `jitterMs-p50`); then the child's new p99.9 objective.
        child.Performance.Select(p => (p.Id, p.Threshold, p.DefinedBy)).ShouldBe(
        [
            ("latency-p95", 100m, "child"),
            ("packetDeliveryPercent-mean", 99.5m, "base"),
            ("jitterMs-p50", 20m, "child"),
            ("latency-p99.9", 400m, "child"),
        ]);
        // An override replaces the whole objective: the parent's services, tiers and cap are not merged in.
        child.Performance[0].Services.ShouldBeEmpty();
        child.Performance[0].Credits.Select(c => c.CreditPercent).ShouldBe([20m]);
        child.Performance[0].CreditCapPercent.ShouldBeNull();
        child.Performance[0].Location.File.ShouldBe(Path.Join(dir.Path, "child.json"));
        child.Performance[1].Location.File.ShouldBe(Path.Join(dir.Path, "base.json"));
        child.CustomerCreditCapPercent.ShouldBe(40m);

        var grandchild = result.Set.Policies.Single(p => p.Id == "grandchild");
        grandchild.Performance.ShouldBe(child.Performance);
        grandchild.CustomerCreditCapPercent.ShouldBe(25m);
    }

    [Fact]
    public void Load_NoPerformance_LeavesTheModelEmpty()
    {
        using var dir = new TempPolicyDirectory(("child.json", Child.Replace("\"extends\": \"base\",", string.Empty, StringComparison.Ordinal)), ("base.json", """{ "id": "base", "version": "1", "effective": { "from": "2026-01-01" } }"""));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var @base = result.Set.Policies.Single(p => p.Id == "base");
        @base.Performance.IsDefault.ShouldBeFalse();
        @base.Performance.ShouldBeEmpty();
        @base.CustomerCreditCapPercent.ShouldBeNull();
    }

    [Theory]
    [InlineData("p101", "a percentile must be above 0 and at most 100, e.g. `p95` or `p99.9`")]
    [InlineData("p0", "a percentile must be above 0 and at most 100, e.g. `p95` or `p99.9`")]
    [InlineData("meen", "did you mean `mean`?")]
    [InlineData("mediam", "did you mean `median`?")]
    [InlineData("95th", null)]
    public void Load_UnknownStatistic_ReportsBadValueWithHelp(string statistic, string? help)
    {
        using var dir = new TempPolicyDirectory(("p.json", $$"""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "performance": [ { "metric": "latencyMs", "statistic": "{{statistic}}", "atMost": 120 } ] }
            """));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.Single();

        diagnostic.Code.ShouldBe("SLA2010");
        diagnostic.Message.ShouldContain($"`{statistic}`");
        diagnostic.Help.ShouldBe(help);
        // Line 2 is `  "performance": [ { "metric": "latencyMs", "statistic": ` (57 characters), so the value starts at column 58.
        (diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((2, 58));
    }

    [Fact]
    public void Load_UnknownPerformanceProperty_SuggestsTheClosestName()
    {
        var result = PolicyLoader.Load(Path.Join(PolicyTestFiles.BadCorpus, "performance"));

        result.Diagnostics.Single(d => d.Message.Contains("`statstic`", StringComparison.Ordinal)).Help.ShouldBe("did you mean `statistic`?");
        result.Diagnostics.Single(d => d.Message.Contains("`perfomance`", StringComparison.Ordinal)).Help.ShouldBe("did you mean `performance`?");
        // An objective with an error is left out, never read with a guessed value: of the file's seventeen objectives
        // only the first `twice` and the `median` jitter (whose `p50` twin is the duplicate) have no error of their own.
        result.Set.Policies.Single(p => p.Id == "objectives").Performance.Select(p => p.Id).ShouldBe(["twice", "jitterMs-p50"]);
    }

    [Fact]
    public void Load_HugeBound_ReportsInsteadOfThrowing()
    {
        using var dir = new TempPolicyDirectory(("p.json", """
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "performance": [ { "metric": "latencyMs", "statistic": "max", "atMost": 99999999999999999999999999999999 } ] }
            """));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.Single();

        // 1e32 is beyond decimal's range (about 7.9e28): a bad value at the number (column 75, after
        // `"statistic": "max", "atMost": `), not an exception.
        diagnostic.Code.ShouldBe("SLA2010");
        (diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((2, 75));
    }
}
