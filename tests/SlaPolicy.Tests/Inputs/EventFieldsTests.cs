using SlaPolicy.Engine.Inputs.Generation;
using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

/// <summary>The optional <c>type</c>, <c>public</c> and <c>severity</c> of a case's status events (docs/INPUTS.md "Cases").</summary>
public class EventFieldsTests
{
    private const string Events = ",\"events\":[{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"in_progress\",\"type\":\"reply\",\"public\":true,\"severity\":1}," +
        "{\"at\":\"2026-11-10T09:20:00+01:00\",\"status\":\"in_progress\",\"type\":null,\"public\":false}]";

    [Fact]
    public void Read_EventFields_AreKeptAndWrittenBackOnlyWhenGiven()
    {
        var record = ReadCases(CaseLine("E-1", Events)).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.Events.Select(e => (e.Status, e.Type, e.Public, e.Severity)).ShouldBe(
        [
            ("in_progress", "reply", (bool?)true, (int?)1),
            ("in_progress", null, false, null),
        ]);
        var written = Write(record);
        written.ShouldContain("\"status\":\"in_progress\",\"type\":\"reply\",\"public\":true,\"severity\":1}");
        written.ShouldContain("\"status\":\"in_progress\",\"public\":false}");
        ReadCases(written).Single().Record.ShouldNotBeNull().Events.ShouldBe(record.Events, "events read back from what was written are the same events");
    }

    [Fact]
    public void Read_EventOfTheOlderShape_IsWrittenAsBefore()
    {
        const string events = ",\"events\":[{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"waiting_on_customer\"}]";
        var record = ReadCases(CaseLine("E-2", events)).Single().Record.ShouldNotBeNull();

        Write(record).ShouldContain("\"events\":[{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"waiting_on_customer\"}]");
    }

    public static TheoryData<string, string, string> BadEvents => new()
    {
        // event text, field, reason
        { "{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"x\",\"severity\":5}", "events[0].severity", "unknown severity `5`; severities are 1, 2, 3 and 4" },
        { "{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"x\",\"public\":\"yes\"}", "events[0].public", "`events[0].public` must be true or false, not a string" },
        { "{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"x\",\"severity\":1.5}", "events[0].severity", "`events[0].severity` must be a whole number, not `1.5`" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void Read_BadEventField_RejectsTheCaseNamingTheField(string e, string field, string reason)
    {
        var rejected = ReadCases(CaseLine("E-3", $",\"events\":[{e}]")).Single().Rejected.ShouldNotBeNull();

        (rejected.Field, rejected.Reason).ShouldBe((field, reason));
    }

    [Fact]
    public void Read_MisspeltEventField_IsAWarningWithTheNameMeant()
    {
        var result = ReadCases(CaseLine("E-4", ",\"events\":[{\"at\":\"2026-11-10T09:10:00+01:00\",\"status\":\"x\",\"pubilc\":true}]")).Single();

        result.Record.ShouldNotBeNull();
        result.Warnings.ShouldHaveSingleItem().Message.ShouldContain("did you mean `public`?");
    }

    private static string Write(CaseRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            writer.Write(record);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
