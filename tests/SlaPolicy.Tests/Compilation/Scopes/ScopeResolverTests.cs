using SlaPolicy.Engine.Compilation.Scopes;

namespace SlaPolicy.Tests.Compilation.Scopes;

public class ScopeResolverTests
{
    private static Policy Make(string id, PolicyScope scope, string from = "2026-01-01", string? to = null, string version = "1", bool isAbstract = false) =>
        new(
            id,
            version,
            DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
            null,
            scope,
            null,
            [],
            [new TargetTerm("t", TargetMetric.Resolution, [], TimeSpan.FromHours(4), ClockKind.TwentyFourSeven, SourceLocation.None, id)],
            [],
            [],
            null,
            [],
            id + ".json",
            SourceLocation.None)
        {
            IsAbstract = isAbstract,
        };

    private static PolicyScope Scope(string[]? customers = null, string[]? tiers = null, string[]? regions = null, string[]? services = null) =>
        new([.. customers ?? []], [.. tiers ?? []], [.. regions ?? []], [.. services ?? []]);

    private static PolicySet Set(params Policy[] policies) => new([.. policies], ImmutableDictionary<string, CalendarDefinition>.Empty);

    private static readonly DateOnly Nov20 = new(2026, 11, 20);

    [Fact]
    public void Resolve_MostSpecificWins_CustomerBeatsTierAndRegionTogether()
    {
        // customer alone weighs 8; tier + region + service weigh 4 + 2 + 1 = 7.
        var set = Set(
            Make("acme", Scope(customers: ["acme"])),
            Make("gold-eu-email", Scope(tiers: ["gold"], regions: ["eu-west"], services: ["email"])),
            Make("everyone", Scope()));
        var resolver = new ScopeResolver(set);

        resolver.Resolve("acme", "gold", "eu-west", "email", Nov20)!.Id.ShouldBe("acme");
        resolver.Resolve("globex", "gold", "eu-west", "email", Nov20)!.Id.ShouldBe("gold-eu-email");
        resolver.Resolve("globex", "gold", "eu-west", "crm", Nov20)!.Id.ShouldBe("everyone");
    }

    [Fact]
    public void Resolve_GlobsMatchAnyRunOfCharacters_CaseInsensitively()
    {
        var resolver = new ScopeResolver(Set(Make("eu", Scope(regions: ["eu-*"])), Make("all-mail", Scope(services: ["*mail"]))));

        resolver.Resolve("acme", "gold", "EU-West", "crm", Nov20)!.Id.ShouldBe("eu");
        resolver.Resolve("acme", "gold", "us-east", "email", Nov20)!.Id.ShouldBe("all-mail");
        resolver.Resolve("acme", "gold", "us-east", "crm", Nov20).ShouldBeNull();
        resolver.Resolve("acme", "gold", "eu", "crm", Nov20).ShouldBeNull();
    }

    [Fact]
    public void Resolve_PicksTheVersionInEffectOnTheDate()
    {
        var resolver = new ScopeResolver(Set(
            Make("acme", Scope(customers: ["acme"]), from: "2026-01-01", to: "2026-10-01", version: "2026.1"),
            Make("acme", Scope(customers: ["acme"]), from: "2026-10-01", version: "2026.2")));

        // `to` is exclusive: 2026-09-30 is the last day of 2026.1, 2026-10-01 the first of 2026.2.
        resolver.Resolve("acme", "gold", "eu-west", "email", new DateOnly(2026, 9, 30))!.Version.ShouldBe("2026.1");
        resolver.Resolve("acme", "gold", "eu-west", "email", new DateOnly(2026, 10, 1))!.Version.ShouldBe("2026.2");
        resolver.Resolve("acme", "gold", "eu-west", "email", new DateOnly(2025, 12, 31)).ShouldBeNull();
    }

    [Fact]
    public void Resolve_FallsBackToALessSpecificPolicyWhenTheSpecificOneIsNotYetInEffect()
    {
        var resolver = new ScopeResolver(Set(Make("acme", Scope(customers: ["acme"]), from: "2026-10-01"), Make("gold", Scope(tiers: ["gold"]))));

        resolver.Resolve("acme", "gold", "eu-west", "email", new DateOnly(2026, 9, 1))!.Id.ShouldBe("gold");
    }

    [Fact]
    public void Resolve_AbstractPoliciesAndPoliciesWithoutTargets_NeverGovern()
    {
        var noTargets = Make("empty", Scope(tiers: ["gold"])) with { Targets = [] };
        var resolver = new ScopeResolver(Set(Make("baseline", Scope(), isAbstract: true), noTargets));

        resolver.Resolve("acme", "gold", "eu-west", "email", Nov20).ShouldBeNull();
    }

    [Fact]
    public void Match_TwoEquallySpecificPolicies_IsAmbiguousAndResolvesToNothing()
    {
        var resolver = new ScopeResolver(Set(Make("a", Scope(tiers: ["gold"])), Make("b", Scope(regions: ["eu-*"], services: ["email"]), from: "2026-06-01"), Make("c", Scope(tiers: ["g*"]))));

        var match = resolver.Match("acme", "gold", "eu-west", "email", Nov20);

        // a and c weigh 4 (tier); b weighs 2 + 1 = 3, so it does not tie.
        match.IsAmbiguous.ShouldBeTrue();
        match.Tied.Select(p => p.Id).Order().ShouldBe(["a", "c"]);
        resolver.Resolve("acme", "gold", "eu-west", "email", Nov20).ShouldBeNull();
    }

    [Fact]
    public void CaseDate_IsTheLocalDateOfOpenedAtInItsOwnOffset()
    {
        // 00:30 at +02:00 is 22:30 UTC the day before; the case is judged by its local date.
        ScopeResolver.CaseDate(new DateTimeOffset(2026, 10, 1, 0, 30, 0, TimeSpan.FromHours(2))).ShouldBe(new DateOnly(2026, 10, 1));
    }

    [Fact]
    public void Resolve_IsSafeFromManyThreads()
    {
        var resolver = new ScopeResolver(Set(Make("gold", Scope(tiers: ["gold"])), Make("silver", Scope(tiers: ["silver"]))));

        var results = Enumerable.Range(0, 2000).AsParallel()
            .Select(i => resolver.Resolve("c" + (i % 7), i % 2 == 0 ? "gold" : "silver", "eu-west", "email", Nov20)!.Id)
            .ToList();

        results.Count(r => r == "gold").ShouldBe(1000);
        results.Count(r => r == "silver").ShouldBe(1000);
    }
}

public class ScopeRulesTests
{
    [Theory]
    [InlineData("eu-*", "eu-*", true)]
    [InlineData("eu-*", "eu-west", true)]
    [InlineData("eu-*", "us-*", false)]
    [InlineData("eu-*", "*-west", true)]
    [InlineData("*-east", "*-west", false)]
    [InlineData("eu-west", "eu-east", false)]
    [InlineData("e*", "eu-*", true)]
    public void MayOverlap_Regions(string a, string b, bool expected)
    {
        var left = new PolicyScope([], [], [a], []);
        var right = new PolicyScope([], [], [b], []);

        ScopeRules.MayOverlap(left, right).ShouldBe(expected);
        ScopeRules.MayOverlap(right, left).ShouldBe(expected);
    }

    [Fact]
    public void Specificity_BareStarCountsAsUnspecified()
    {
        ScopeRules.Specificity(new PolicyScope(["acme"], ["*"], ["eu-*"], [])).ShouldBe(8 + 2);
    }
}

public class ScopeConflictLoadTests
{
    [Fact]
    public void Load_EquallySpecificGlobAndLiteral_InOverlappingVersions_IsAnError()
    {
        using var dir = new TempPolicyDirectory(
            ("a.json", """{ "id": "a", "version": "1", "effective": { "from": "2026-01-01", "to": "2026-06-01" }, "appliesTo": { "regions": ["eu-*"] }, "targets": [ { "id": "t", "metric": "resolution", "within": "4h" } ] }"""),
            ("b.json", """{ "id": "b", "version": "1", "effective": { "from": "2026-05-01" }, "appliesTo": { "regions": ["eu-west"] }, "targets": [ { "id": "t", "metric": "resolution", "within": "4h" } ] }"""),
            ("c.json", """{ "id": "c", "version": "1", "effective": { "from": "2026-06-01" }, "appliesTo": { "regions": ["eu-north"] }, "targets": [ { "id": "t", "metric": "resolution", "within": "4h" } ] }"""));

        var diagnostics = PolicyLoader.Load(dir.Path).Diagnostics;

        // a and b share May 2026 and eu-west; a ends (exclusive) on the day c starts, so a and c never meet.
        diagnostics.Select(d => (d.Code, Path.GetFileName(d.Location.File))).ShouldBe([("SLA3002", "b.json")]);
        diagnostics[0].Message.ShouldContain("a.json");
    }
}
