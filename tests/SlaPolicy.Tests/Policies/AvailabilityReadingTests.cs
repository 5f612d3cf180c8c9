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
    public void Load_MeanErrorRate_NeedsNoThreshold()
    {
        // An object-storage SLA: "100% minus the average error rate of each five-minute interval"; no interval is marked
        // down without `above`.
        var policy = LoadOne("""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "availability": { "objective": "99.9%", "measure": "meanErrorRate",
                "downtime": { "metric": "errorRate", "interval": "5m" } } }
            """, out var diagnostics);

        diagnostics.ShouldBeEmpty();
        var term = policy.Availability!;
        term.Measure.ShouldBe(AvailabilityMeasure.MeanErrorRate);
        (term.DowntimeFrom!.Above, term.DowntimeFrom.MinRequests).ShouldBe((decimal.MaxValue, 0L));
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
    [InlineData("\"measure\": \"meanErrorRate\"", "SLA2051", "averages the error rate of a metric")]
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

/// <summary>Reading `scope`, `downWhen` and `availability` as an array of objectives, and layering them.</summary>
public class AvailabilityObjectivesReadingTests
{
    private static PolicyLoadResult Load(params (string Name, string Json)[] files)
    {
        using var dir = new TempPolicyDirectory(files);
        return PolicyLoader.Load(dir.Path);
    }

    private const string Storage = """
        { "id": "storage", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["hooli"] },
          "availability": [
            { "id": "standard", "objective": "99.9%", "services": ["object-storage"], "monthlyFee": 100, "currency": "USD" },
            { "id": "infrequent", "objective": "99%", "services": ["object-storage-ia"], "scope": "resource" },
            { "id": "zonal", "objective": "99.99%", "downWhen": { "resourcesDown": 2, "resources": ["a", "b", "c"] } },
            { "id": "regional", "objective": "99.99%", "downWhen": { "resourcesDown": "all", "resources": ["a", "b"] } }
          ] }
        """;

    [Fact]
    public void Load_SeveralObjectives_ReadsEachWithItsId()
    {
        var result = Load(("storage.json", Storage));

        result.Diagnostics.ShouldBeEmpty();
        var policy = result.Set.Policies.Single();
        policy.AvailabilityTerms.Select(t => (t.Id, t.ObjectivePercent)).ShouldBe([("standard", 99.9m), ("infrequent", 99m), ("zonal", 99.99m), ("regional", 99.99m)]);
        // The first objective is the policy's `Availability`: its fee and currency are the policy's defaults.
        policy.Availability!.Id.ShouldBe("standard");
        policy.Availability.MonthlyFee.ShouldBe(100m);
        policy.AvailabilityTerms[1].Scope.ShouldBe(AvailabilityScope.Resource);
        // Line 4 is `    { "id": "infrequent", "objective": "99%", "services": ["object-storage-ia"], "scope": ` (90 characters).
        (policy.AvailabilityTerms[1].ScopeLocation.Line, policy.AvailabilityTerms[1].ScopeLocation.Column).ShouldBe((4, 91));
        policy.AvailabilityTerms[2].DownWhen.ShouldNotBeNull();
        (policy.AvailabilityTerms[2].DownWhen!.Needed, policy.AvailabilityTerms[2].DownWhen!.All).ShouldBe((2, false));
        (policy.AvailabilityTerms[3].DownWhen!.Needed, policy.AvailabilityTerms[3].DownWhen!.All).ShouldBe((2, true));
        policy.AvailabilityTerms[3].DownWhen!.Resources.ShouldBe(["a", "b"]);
    }

    [Fact]
    public void Load_SingleObject_HasNoObjectiveList()
    {
        var result = Load(("p.json", """{ "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "availability": { "objective": "99.9%" } }"""));

        var policy = result.Set.Policies.Single();
        policy.AvailabilityObjectives.IsDefault.ShouldBeTrue();
        policy.AvailabilityTerms.ShouldBe([policy.Availability!]);
        policy.Availability!.Scope.ShouldBe(AvailabilityScope.Aggregated);
    }

    [Fact]
    public void Load_Child_InheritsOrReplacesTheObjectives()
    {
        var result = Load(
            ("storage.json", Storage.Replace("\"appliesTo\": { \"customers\": [\"hooli\"] },", string.Empty, StringComparison.Ordinal)),
            ("inherits.json", """{ "id": "inherits", "version": "1", "effective": { "from": "2026-01-01" }, "extends": "storage", "appliesTo": { "customers": ["a"] } }"""),
            ("replaces.json", """{ "id": "replaces", "version": "1", "effective": { "from": "2026-01-01" }, "extends": "storage", "appliesTo": { "customers": ["b"] }, "availability": { "objective": "95%" } }"""));

        result.Diagnostics.ShouldBeEmpty();
        result.Set.Policies.Single(p => p.Id == "inherits").AvailabilityTerms.Select(t => t.Id).ShouldBe(["standard", "infrequent", "zonal", "regional"]);
        var replaced = result.Set.Policies.Single(p => p.Id == "replaces").AvailabilityTerms.ShouldHaveSingleItem();
        (replaced.Id, replaced.ObjectivePercent).ShouldBe((null, 95m));
    }

    [Theory]
    [InlineData("[ { \"objective\": \"99%\" } ]", "SLA2052", "needs an `id`")]
    [InlineData("[ { \"id\": \"x\", \"objective\": \"99%\" }, { \"id\": \"x\", \"objective\": \"98%\" } ]", "SLA2052", "`x` is written twice")]
    [InlineData("[]", "SLA2052", "empty array")]
    [InlineData("{ \"objective\": \"99%\", \"downWhen\": \"all\" }", "SLA2053", "needs the resources")]
    [InlineData("{ \"objective\": \"99%\", \"downWhen\": \"al\" }", "SLA2053", "write `{")]
    [InlineData("{ \"objective\": \"99%\", \"downWhen\": { \"resourcesDown\": \"all\" } }", "SLA2053", "needs `resources`")]
    [InlineData("{ \"objective\": \"99%\", \"downWhen\": { \"resourcesDown\": 3, \"resources\": [\"a\", \"b\"] } }", "SLA2053", "more than the 2 resources")]
    [InlineData("{ \"objective\": \"99%\", \"downWhen\": { \"resourcesDown\": 0 } }", "SLA2053", "1 or more")]
    [InlineData("{ \"objective\": \"99%\", \"scope\": \"resource\", \"downWhen\": { \"resourcesDown\": 2 } }", "SLA2053", "cannot")]
    [InlineData("{ \"objective\": \"99%\", \"scope\": \"resouce\" }", "SLA2010", "`aggregated`, `resource`")]
    public void Load_BadObjectives_ReportTheirCode(string availability, string code, string text)
    {
        var result = Load(("p.json", $$"""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" },
              "availability": {{availability}} }
            """));

        var diagnostic = result.Diagnostics.Single();
        diagnostic.Code.ShouldBe(code);
        diagnostic.Message.ShouldContain(text);
        diagnostic.Location.Line.ShouldBe(2);
    }

    [Fact]
    public void Load_MisspelledScope_SuggestsTheWord()
    {
        var result = Load(("p.json", """{ "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "availability": { "objective": "99%", "scope": "resouce", "downWhen": "al" } }"""));

        result.Diagnostics.Select(d => d.Help).ShouldBe(["did you mean `resource`?", "did you mean `all`?"]);
    }
}

/// <summary>Reading windows, denominators and single-outage rules of availability terms.</summary>
public class AvailabilityWindowReadingTests
{
    private static PolicyLoadResult Load(string availability, string extra = "")
    {
        using var dir = new TempPolicyDirectory(("p.json", $$"""
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["a"] },{{extra}}
              "availability": {{availability}} }
            """));
        return PolicyLoader.Load(dir.Path);
    }

    [Fact]
    public void Load_WindowsAndRules_ReadEveryField()
    {
        var result = Load("""{ "objective": "99.9%", "window": "calendarQuarter", "excludeFromWindow": "customer-planned", "maxOutage": { "longerThan": "4h", "perHourDown": 100 } }""");

        result.Diagnostics.ShouldBeEmpty();
        var term = result.Set.Policies.Single().Availability!;
        term.Window.ShouldBe("calendarQuarter");
        term.ExcludeFromWindow.ShouldBe(["customer-planned"]);
        term.MaxOutage.ShouldBe(new MaxOutageRule(TimeSpan.FromHours(4), null, 100m, term.MaxOutage!.Location));
        // Line 2 is `  "availability": { "objective": "99.9%", "window": ` (52 characters).
        (term.WindowLocation.Line, term.WindowLocation.Column).ShouldBe((2, 53));
        term.BusinessHoursOnly.ShouldBeFalse();
    }

    [Theory]
    [InlineData("{ \"objective\": \"99%\", \"window\": \"calendarQuartr\" }", "SLA2010", "did you mean `calendarQuarter`?")]
    [InlineData("{ \"objective\": \"99%\", \"hours\": \"busines\" }", "SLA2010", "did you mean `business`?")]
    [InlineData("{ \"objective\": \"99%\", \"maxOutage\": { \"longerThan\": \"4h\" } }", "SLA2055", null)]
    [InlineData("{ \"objective\": \"99%\", \"maxOutage\": { \"longerThan\": \"4h\", \"credit\": \"10%\", \"perHourDown\": 5 } }", "SLA2055", null)]
    [InlineData("{ \"objective\": \"99%\", \"maxOutage\": { \"longerThen\": \"4h\", \"credit\": \"10%\" } }", "SLA1002", "did you mean `longerThan`?")]
    [InlineData("{ \"objective\": \"99%\", \"hours\": \"business\" }", "SLA2054", null)]
    public void Load_BadWindowOrRule_ReportsItsCode(string availability, string code, string? help)
    {
        // The misspelt `longerThen` is also a missing `longerThan` (SLA1004); the code looked for is reported once.
        var diagnostic = Load(availability).Diagnostics.Single(d => d.Code == code);

        if (help is not null)
        {
            diagnostic.Help.ShouldBe(help);
        }

        diagnostic.Location.Line.ShouldBe(2);
    }
}

/// <summary>`compile --diff` describes a change to the new availability terms.</summary>
public class AvailabilityDiffTests
{
    private static PolicySet Set(string availability)
    {
        using var dir = new TempPolicyDirectory(("p.json", $$"""{ "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["a"] }, "availability": {{availability}} }"""));
        return PolicyLoader.Load(dir.Path).Set;
    }

    [Fact]
    public void Compare_MinimumDowntimeChanged_IsADifference()
    {
        var before = Set("""{ "objective": "99.9%", "downtime": { "metric": "errorRate", "above": 5, "interval": "5m" } }""");
        var after = Set("""{ "objective": "99.9%", "downtime": { "metric": "errorRate", "above": 5, "interval": "5m" }, "minimumDowntime": "10m" }""");

        var term = PolicyDiff.Compare(before, after).ShouldHaveSingleItem().Terms.ShouldHaveSingleItem();

        term.Before!.ShouldNotContain("spells of at least");
        term.After!.ShouldEndWith(", spells of at least 10 minutes");
    }

    [Fact]
    public void Compare_AnObjectiveAddedToAnArray_IsThatObjectiveAdded()
    {
        var before = Set("""[ { "id": "standard", "objective": "99.9%" } ]""");
        var after = Set("""[ { "id": "standard", "objective": "99.9%" }, { "id": "archive", "objective": "99%", "maxOutage": { "longerThan": "4h", "credit": "10%" } } ]""");

        var term = PolicyDiff.Compare(before, after).ShouldHaveSingleItem().Terms.ShouldHaveSingleItem();

        (term.Before, term.After).ShouldBe((null, "99% per calendarMonth for all services, excluding none; credits none, an outage longer than 4 hours credited 10%"));
    }
}
