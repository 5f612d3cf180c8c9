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
