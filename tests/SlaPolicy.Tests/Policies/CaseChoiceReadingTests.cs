namespace SlaPolicy.Tests.Policies;

/// <summary>Reading <c>calendarFrom</c> and <c>clockFrom</c>: what is read, and each mistake at its <c>file:line:col</c>.</summary>
public class CaseChoiceReadingTests
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
    public void Load_Choices_KeepTheOrderWritten()
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendars), ("calendars/site.json", Calendars.Replace("\"office\"", "\"site\"", StringComparison.Ordinal)),
            ("p.json", Policy("""
                "calendarFrom": { "tags": { "site:b": "site", "site:a": "office" }, "customers": { "globex": "site" } },
                  "clockFrom": { "tags": { "24x7-support": "24x7" } }
                """)));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var policy = result.Set.Policies.Single();
        policy.CalendarFrom!.Tags.Select(t => (t.Key, t.Value)).ShouldBe([("site:b", "site"), ("site:a", "office")]);
        policy.CalendarFrom.Customers.Single().Key.ShouldBe("globex");
        policy.ClockFrom!.Tags.Single().Value.ShouldBe("24x7");
    }

    // choices, expected code, line, column, help
    public static TheoryData<string, string, int, int, string?> Mistakes => new()
    {
        // A calendar that does not exist: at the entry's value, with the close id.
        { "\"calendarFrom\": { \"tags\": { \"x\": \"ofice\" } }", "SLA2005", 3, 37, "did you mean `office`?" },
        // A clock that does not exist.
        { "\"clockFrom\": { \"tags\": { \"x\": \"24/7\" } }", "SLA2010", 3, 34, "did you mean `24x7`?" },
        // A misspelt property name is an unknown property with the known one suggested.
        { "\"calendarForm\": { \"tags\": { \"x\": \"office\" } }", "SLA1002", 3, 3, "did you mean `calendarFrom`?" },
        // A part other than tags or customers.
        { "\"calendarFrom\": { \"tag\": { \"x\": \"office\" } }", "SLA1002", 3, 21, "did you mean `tags`?" },
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
