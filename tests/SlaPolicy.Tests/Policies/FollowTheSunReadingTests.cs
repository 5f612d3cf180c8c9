namespace SlaPolicy.Tests.Policies;

/// <summary>Reading <c>calendarFrom.teams</c>: what is read, and each mistake at its <c>file:line:col</c>.</summary>
public class FollowTheSunReadingTests
{
    private const string Calendars = """{ "id": "office", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" } }""";

    private static string Policy(string choices) => $$"""
        {
          "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "tiers": ["gold"] }, "calendar": "office",
          {{choices}},
          "targets": [ { "id": "a", "metric": "resolution", "within": "4h", "clock": "business" } ]
        }
        """;

    [Fact]
    public void Load_Teams_KeepTheOrderWritten_AndPoliciesWithoutThemHaveNone()
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendars), ("calendars/site.json", Calendars.Replace("\"office\"", "\"site\"", StringComparison.Ordinal)),
            ("p.json", Policy("""
                "calendarFrom": { "tags": { "site:b": "site" }, "teams": { "emea": "office", "amer": "site" } }
                """)));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var from = result.Set.Policies.Single().CalendarFrom!;
        from.Teams.Select(t => (t.Key, t.Value)).ShouldBe([("emea", "office"), ("amer", "site")]);
        from.FollowsTheSun.ShouldBeTrue();
        from.ForTeam("amer")!.Location.Line.ShouldBe(3);
        from.ForTeam("apac").ShouldBeNull();

        using var plain = new TempPolicyDirectory(("calendars/office.json", Calendars), ("p.json", Policy("""
            "calendarFrom": { "tags": { "site:b": "office" } }
            """)));
        var without = PolicyLoader.Load(plain.Path).Set.Policies.Single().CalendarFrom!;
        without.Teams.IsDefault.ShouldBeTrue();
        without.FollowsTheSun.ShouldBeFalse();
    }

    // choices, expected code, line, column, help
    public static TheoryData<string, string, int, int, string?> Mistakes => new()
    {
        // A team's calendar that does not exist: at the entry's value, with the close id.
        { "\"calendarFrom\": { \"teams\": { \"emea\": \"ofice\" } }", "SLA2005", 3, 41, "did you mean `office`?" },
        // `team` for `teams`: an unknown part, with the known one suggested.
        { "\"calendarFrom\": { \"team\": { \"emea\": \"office\" } }", "SLA1002", 3, 21, "did you mean `teams`?" },
        // Teams choose calendars, not clocks: `clockFrom` has no `teams`.
        { "\"clockFrom\": { \"teams\": { \"emea\": \"24x7\" } }", "SLA1002", 3, 18, "did you mean `tags`?" },
        // A team's calendar written as a number.
        { "\"calendarFrom\": { \"teams\": { \"emea\": 7 } }", "SLA1003", 3, 40, null },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Load_Mistake_IsReportedAtItsPlace(string choices, string code, int line, int column, string? help)
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendars), ("p.json", Policy(choices)));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Help).ShouldBe((code, line, column, help));
    }
}
