using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

/// <summary>The optional <c>team</c> of a status event: who holds the case from then on (follow-the-sun).</summary>
public class CaseTeamTests
{
    [Fact]
    public void Read_EventTeam_IsKept_AndEventsWithoutOneHaveNone()
    {
        var line = CaseLine("X", ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","team":"emea"},{"at":"2026-11-16T16:00:00Z","status":"in_progress"},{"at":"2026-11-16T17:00:00Z","status":"in_progress","team":"amer"}]""");

        var record = ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.Events.Select(e => (e.Status, e.Team)).ShouldBe([("new", "emea"), ("in_progress", null), ("in_progress", "amer")]);
    }

    public static TheoryData<string, string, string> BadTeams => new()
    {
        // events, expected field, reason
        { ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","team":7}]""", "events[0].team", "`events[0].team` must be a string, not a number" },
        { ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","team":"a","team":"b"}]""", "events[0].team", "field `events[0].team` appears more than once" },
    };

    [Theory]
    [MemberData(nameof(BadTeams))]
    public void Read_BadTeam_RejectsTheLine(string events, string field, string reason)
    {
        var result = ReadCases(CaseLine("X", events)).ShouldHaveSingleItem();

        result.Rejected.ShouldNotBeNull().Field.ShouldBe(field);
        result.Rejected.Reason.ShouldContain(reason);
    }

    [Fact]
    public void Read_TeamsForTeam_IsAWarningWithTheName()
    {
        var result = ReadCases(CaseLine("X", ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","teams":"emea"}]""")).ShouldHaveSingleItem();

        result.Record.ShouldNotBeNull().Events.Single().Team.ShouldBeNull();
        result.Warnings.ShouldHaveSingleItem().Message.ShouldBe("unknown property `teams` ignored (did you mean `team`?)");
    }

    // team of the event, expected warning (empty: none)
    public static TheoryData<string, string> Teams => new()
    {
        { "emea", "" },                                     // a team calendarFrom.teams names
        { "EMEA", "unknown team `EMEA` (did you mean `emea`?): teams compare exactly, case-sensitive, and a team calendarFrom.teams does not name counts on the case's own calendar" },
        { "amr", "unknown team `amr` (did you mean `amer`?): teams compare exactly, case-sensitive, and a team calendarFrom.teams does not name counts on the case's own calendar" },
        { "apac", "" },                                     // three edits from `amer`: a team of its own, on the case's calendar
        { "night-shift", "" },                              // nothing like a mapped team
    };

    [Theory]
    [MemberData(nameof(Teams))]
    public void Census_TeamANearMissOfAMappedTeam_IsAWarning(string team, string expected)
    {
        var census = new StatusCensus(["waiting_on_customer"], [], ["emea", "amer"]);
        var at = new DateTimeOffset(2026, 11, 16, 15, 0, 0, TimeSpan.Zero);
        var ticket = new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 2, at, null, null, [], [new StatusEvent(at, "new") { Team = team }]);

        var warnings = census.Observe(ticket, "cases.jsonl", 7);

        if (expected.Length == 0)
        {
            warnings.ShouldBeEmpty();
        }
        else
        {
            var warning = warnings.ShouldHaveSingleItem();
            (warning.Field, warning.LineNumber, warning.Message).ShouldBe(("events[0].team", 7L, expected));
        }
    }

    [Fact]
    public void Census_WithoutTeams_WarnsOfNoTeam()
    {
        var at = new DateTimeOffset(2026, 11, 16, 15, 0, 0, TimeSpan.Zero);
        var ticket = new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 2, at, null, null, [], [new StatusEvent(at, "new") { Team = "EMEA" }]);

        new StatusCensus(["waiting_on_customer"]).Observe(ticket, "cases.jsonl", 1).ShouldBeEmpty();
    }

    [Fact]
    public void Write_Team_ReadsBackEqual_AndAnEventWithoutOneIsWrittenAsBefore()
    {
        var at = new DateTimeOffset(2026, 11, 16, 15, 0, 0, TimeSpan.Zero);
        var ticket = new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 2, at, null, null, [],
            [new StatusEvent(at, "new") { Team = "emea" }, new StatusEvent(at.AddHours(1), "in_progress")]);
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            writer.Write(ticket);
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        text.ShouldContain("""{"at":"2026-11-16T15:00:00+00:00","status":"new","team":"emea"},{"at":"2026-11-16T16:00:00+00:00","status":"in_progress"}""");
        ReadCases(text).ShouldHaveSingleItem().Record.ShouldNotBeNull().Events.ShouldBe(ticket.Events);
    }
}
