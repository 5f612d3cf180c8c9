using SlaPolicy.Engine.Compilation.Scopes;

namespace SlaPolicy.Tests.Policies;

/// <summary>The policies shipped in policies/ load cleanly and govern every customer the samples know.</summary>
public class SamplePolicyTests
{
    private static readonly PolicyLoadResult Samples = PolicyLoader.Load(PolicyTestFiles.SamplePolicies);

    [Fact]
    public void Load_SamplePolicies_HasNoDiagnostics()
    {
        Samples.Diagnostics.ShouldBeEmpty();
        Samples.Set.Calendars.Keys.Order().ShouldBe(["berlin-site", "eu-office", "in-office", "uk-office", "us-office"]);
    }

    [Theory]
    [InlineData("acme", "gold", "eu-west", "2026-11-20", "acme-gold", "2026.2")]
    [InlineData("acme", "gold", "us-east", "2026-03-02", "acme-gold", "2026.1")]
    [InlineData("globex", "silver", "us-east", "2026-11-20", "silver-us-east", "2026.1")]
    [InlineData("initech", "bronze", "apac-in", "2026-11-20", "bronze-apac-in", "2026.1")]
    [InlineData("initech", "bronze", "eu-west", "2026-11-20", "bronze-eu-west", "2026.1")]
    [InlineData("umbrella", "gold", "apac-in", "2026-11-20", "gold-apac-in", "2026.1")]
    public void Resolve_SampleCustomers_AreGovernedOnEveryService(string customer, string tier, string region, string date, string id, string version)
    {
        var resolver = new ScopeResolver(Samples.Set);
        foreach (var service in new[] { "email", "crm", "network" })
        {
            var policy = resolver.Resolve(customer, tier, region, service, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
            policy.ShouldNotBeNull();
            (policy.Id, policy.Version).ShouldBe((id, version));
        }
    }

    [Fact]
    public void Load_AcmeGold_InheritsGoldAndTheBaselineLadder()
    {
        var acme = Samples.Set.Policies.Single(p => p.Id == "acme-gold" && p.Version == "2026.2");

        acme.Targets.Single(t => t.Id == "sev1-response").Within.ShouldBe(TimeSpan.FromMinutes(15));
        acme.Targets.Single(t => t.Id == "sev1-response").DefinedBy.ShouldBe("gold");
        acme.Escalations.Select(e => e.Level).ShouldBe(new int?[] { null, 2, 3 });
        acme.Escalations.ShouldAllBe(e => e.DefinedBy == "corporate-baseline");
        acme.Rules.Select(r => r.RuleName).ShouldBe(["vip-sev2-straight-to-l3", "regulated-at-90-percent-to-l3"]);
        acme.Availability!.Credits.Select(c => c.CreditPercent).ShouldBe([10m, 25m, 100m]);
        acme.Availability.MonthlyFee.ShouldBe(1200m);
    }

    [Fact]
    public void Load_AcmeGold_OverridesGoldLatencyCreditsAndKeepsPacketDelivery()
    {
        var acme = Samples.Set.Policies.Single(p => p.Id == "acme-gold" && p.Version == "2026.2");
        var gold = Samples.Set.Policies.Single(p => p.Id == "gold");

        gold.Performance.Select(p => (p.Id, p.Metric, p.Statistic.ToString(), p.Direction, p.Threshold)).ShouldBe(
        [
            ("latency-p95", "latencyMs", "p95", ObjectiveDirection.AtMost, 120m),
            ("packet-delivery", "packetDeliveryPercent", "mean", ObjectiveDirection.AtLeast, 99.5m),
        ]);
        gold.Performance.ShouldAllBe(p => p.Services.SequenceEqual(new[] { "network" }));
        gold.CustomerCreditCapPercent.ShouldBeNull();

        // Acme's own latency objective replaces gold's (same id) with higher credits; packet delivery comes from gold.
        acme.Performance.Select(p => (p.Id, p.DefinedBy)).ShouldBe([("latency-p95", "acme-gold"), ("packet-delivery", "gold")]);
        acme.Performance[0].Credits.Select(c => (c.Threshold, c.CreditPercent)).ShouldBe([(120m, 10m), (200m, 25m)]);
        acme.Performance[0].CreditCapPercent.ShouldBe(25m);
        acme.CustomerCreditCapPercent.ShouldBe(30m);

        // The tier-in-region policies inherit gold's objectives unchanged.
        Samples.Set.Policies.Single(p => p.Id == "gold-eu-west").Performance.ShouldBe(gold.Performance);
    }

    [Fact]
    public void Load_UsOfficeCalendar_HasTwoRangesPerWeekday()
    {
        var us = Samples.Set.Calendars["us-office"];

        // mon-fri with a lunch break: 5 days × 2 ranges.
        us.Hours.Length.ShouldBe(10);
        us.Hours.ShouldContain(new BusinessHoursRange(DayOfWeek.Monday, new TimeOnly(13, 0), new TimeOnly(18, 0)));
        us.Holidays.ShouldContain(new DateOnly(2026, 11, 26));
    }

    [Fact]
    public void ScopeMatrix_SamplePolicies_HasNoOverlap()
    {
        var matrix = ScopeMatrix.Build(Samples.Set, new DateOnly(2026, 11, 20));

        matrix.Rows.ShouldNotContain(r => r.Coverage == ScopeCoverage.Overlap);
        matrix.Rows.Single(r => r.Customer == "acme" && r.Tier == "gold" && r.Region == "eu-west").Governing!.Version.ShouldBe("2026.2");
    }
}
