using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

/// <summary>The optional <c>author</c> of a status event: who wrote it (next-reply targets read it).</summary>
public class CaseAuthorTests
{
    [Fact]
    public void Read_EventAuthor_IsKept_AndEventsWithoutOneHaveNone()
    {
        var line = CaseLine("X", ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","author":"customer"},{"at":"2026-11-16T16:00:00Z","status":"in_progress"},{"at":"2026-11-16T17:00:00Z","status":"in_progress","type":"reply","public":true,"author":"agent"}]""");

        var record = ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.Events.Select(e => (e.Status, e.Author)).ShouldBe([("new", "customer"), ("in_progress", null), ("in_progress", "agent")]);
    }

    public static TheoryData<string, string, string> BadAuthors => new()
    {
        // events, expected field, reason
        { ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","author":7}]""", "events[0].author", "`events[0].author` must be a string, not a number" },
        { ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","author":"a","author":"b"}]""", "events[0].author", "field `events[0].author` appears more than once" },
    };

    [Theory]
    [MemberData(nameof(BadAuthors))]
    public void Read_BadAuthor_RejectsTheLine(string events, string field, string reason)
    {
        var result = ReadCases(CaseLine("X", events)).ShouldHaveSingleItem();

        result.Rejected.ShouldNotBeNull().Field.ShouldBe(field);
        result.Rejected.Reason.ShouldContain(reason);
    }

    [Fact]
    public void Read_AuthrForAuthor_IsAWarningWithTheName()
    {
        var result = ReadCases(CaseLine("X", ""","events":[{"at":"2026-11-16T15:00:00Z","status":"new","authr":"agent"}]""")).ShouldHaveSingleItem();

        result.Record.ShouldNotBeNull().Events.Single().Author.ShouldBeNull();
        result.Warnings.ShouldHaveSingleItem().Message.ShouldBe("unknown property `authr` ignored (did you mean `author`?)");
    }

    [Fact]
    public void Hash_OnlyTheAuthorDiffers_TellsTheRecordsApart()
    {
        // The record hash decides whether an incremental night evaluates a stored case again: a case whose message turned
        // out to be the customer's must hash differently, and a case read twice the same way must not.
        var read = ReadCases(CaseLine("X", ""","events":[{"at":"2026-11-16T15:00:00Z","status":"in_progress","author":"customer"}]""")).Single().Record!;
        var again = ReadCases(CaseLine("X", ""","events":[{"at":"2026-11-16T15:00:00Z","status":"in_progress","author":"customer"}]""")).Single().Record!;
        var agent = read with { Events = [read.Events[0] with { Author = "agent" }] };
        var none = read with { Events = [read.Events[0] with { Author = null }] };

        CaseInputs.Hash(again).ShouldBe(CaseInputs.Hash(read));
        CaseInputs.Hash(agent).ShouldNotBe(CaseInputs.Hash(read));
        CaseInputs.Hash(none).ShouldNotBe(CaseInputs.Hash(read));
    }
}
