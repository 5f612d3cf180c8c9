namespace SlaPolicy.Tests.Policies;

/// <summary>Reading `"downtime": { "weight": "affected" }` and `"denominator": "deployed"`, with their file:line:col.</summary>
public class WeightedAndDeployedReadingTests
{
    private static PolicyLoadResult Load(string availability)
    {
        using var dir = new TempPolicyDirectory(("p.json", $$"""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["a"] },
              "availability": {{availability}} }
            """));
        return PolicyLoader.Load(dir.Path);
    }

    [Fact]
    public void Load_WeightAndDenominator_ReadWithTheirLocations()
    {
        var result = Load("""{ "objective": "99.9%", "downtime": { "weight": "affected" }, "denominator": "deployed" }""");

        result.Diagnostics.ShouldBeEmpty();
        var term = result.Set.Policies.Single().Availability!;
        (term.WeightByAffected, term.DowntimeFrom, term.Denominator).ShouldBe((true, null, AvailabilityDenominator.Deployed));
        // Line 2 is `  "availability": { "objective": "99.9%", "downtime": { "weight": ` (66 characters) before the value.
        (term.WeightLocation.Line, term.WeightLocation.Column).ShouldBe((2, 67));
        // ... `"affected" }, "denominator": ` brings it to 95 characters before `"deployed"`.
        (term.DenominatorLocation.Line, term.DenominatorLocation.Column).ShouldBe((2, 96));
        term.WeightLocation.File.ShouldEndWith("p.json");
    }

    [Fact]
    public void Load_OlderTerm_NeitherWeightsNorUsesTheMinutesDeployed()
    {
        var result = Load("""{ "objective": "99.9%", "denominator": "window" }""");

        result.Diagnostics.ShouldBeEmpty();
        var term = result.Set.Policies.Single().Availability!;
        (term.WeightByAffected, term.Denominator, term.DenominatorLocation).ShouldBe((false, AvailabilityDenominator.Window, default(SourceLocation)));
        // A term that writes neither fingerprints as before: the defaults are not serialised.
        System.Text.Json.JsonSerializer.Serialize(Load("""{ "objective": "99.9%" }""").Set.Policies.Single().Availability)
            .ShouldNotContain("Weight");
    }

    [Theory]
    [InlineData("{ \"objective\": \"99%\", \"downtime\": { \"weight\": \"affected\", \"metric\": \"errorRate\", \"above\": 5, \"interval\": \"5m\" } }", "SLA2056", "`metric` reads downtime from a metric")]
    [InlineData("{ \"objective\": \"99%\", \"downtime\": { \"weight\": \"affected\", \"interval\": \"5m\" } }", "SLA2056", "`interval` reads downtime from a metric")]
    [InlineData("{ \"objective\": \"99%\", \"downtime\": { \"weight\": \"users\" } }", "SLA2010", "allowed: `affected`")]
    [InlineData("{ \"objective\": \"99%\", \"denominator\": \"deploy\" }", "SLA2010", "allowed: `window`, `deployed`")]
    [InlineData("{ \"objective\": \"99%\", \"downtime\": { \"metric\": \"errorRate\", \"above\": 5, \"interval\": \"5m\" }, \"measure\": \"requests\", \"denominator\": \"deployed\" }", "SLA2057", "counts requests, not minutes")]
    public void Load_BadWeightOrDenominator_ReportsItsCode(string availability, string code, string text)
    {
        var diagnostic = Load(availability).Diagnostics.ShouldHaveSingleItem();

        diagnostic.Code.ShouldBe(code);
        diagnostic.Message.ShouldContain(text);
        // Reported on line 2 at the value, inside the availability object (which starts at column 19).
        diagnostic.Location.Line.ShouldBe(2);
        diagnostic.Location.Column.ShouldBeGreaterThan(19);
    }

    [Fact]
    public void Compare_WeightAdded_IsADifference()
    {
        var before = Load("""{ "objective": "99.9%" }""").Set;
        var after = Load("""{ "objective": "99.9%", "downtime": { "weight": "affected" }, "denominator": "deployed" }""").Set;

        var term = PolicyDiff.Compare(before, after).ShouldHaveSingleItem().Terms.ShouldHaveSingleItem();

        term.After!.ShouldEndWith(", downtime weighted by users affected, over the minutes deployed");
    }
}
