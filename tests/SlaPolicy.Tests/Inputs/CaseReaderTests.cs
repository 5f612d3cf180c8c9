using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

public class CaseReaderTests
{
    [Fact]
    public void Read_WorkedExampleFromDesign_ReadsEveryField()
    {
        // The case C-1001 exactly as the README writes it.
        const string line = """{"id":"C-1001","customer":"acme","tier":"gold","region":"eu-west","service":"email","severity":1,"openedAt":"2026-11-20T16:30:00+01:00","firstResponseAt":"2026-11-20T16:41:00+01:00","resolvedAt":null,"tags":["vip"],"events":[{"at":"2026-11-20T17:00:00+01:00","status":"waiting_on_customer"},{"at":"2026-11-21T09:00:00+01:00","status":"in_progress"}]}""";

        var result = ReadCases(line).ShouldHaveSingleItem();

        result.LineNumber.ShouldBe(1);
        var record = result.Record.ShouldNotBeNull();
        record.Id.ShouldBe("C-1001");
        record.Customer.ShouldBe("acme");
        record.Tier.ShouldBe("gold");
        record.Region.ShouldBe("eu-west");
        record.Service.ShouldBe("email");
        record.Severity.ShouldBe(1);
        record.OpenedAt.ShouldBe(new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.FromHours(1)));
        record.OpenedAt.Offset.ShouldBe(TimeSpan.FromHours(1));
        record.FirstResponseAt.ShouldBe(new DateTimeOffset(2026, 11, 20, 16, 41, 0, TimeSpan.FromHours(1)));
        record.ResolvedAt.ShouldBeNull();
        record.Tags.ShouldBe(["vip"]);
        record.Events.Select(e => (e.At, e.Status)).ShouldBe(
        [
            (new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.FromHours(1)), "waiting_on_customer"),
            (new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.FromHours(1)), "in_progress"),
        ]);
    }

    public static TheoryData<string, string, string> BadRecords => new()
    {
        // line text, expected field, a part of the expected reason
        // The line is 26 bytes and ends inside the string `acme`: the reader fails just past its end, column 27.
        { """{"id":"X","customer":"acme""", "customer", "malformed JSON at column 27" },
        { CaseLine("X").Replace("\"severity\":2", "\"severity\":\"2\""), "severity", "`severity` must be a whole number, not a string" },
        { CaseLine("X").Replace("\"severity\":2", "\"severity\":2.5"), "severity", "`severity` must be a whole number, not `2.5`" },
        { CaseLine("X").Replace("\"customer\":\"acme\"", "\"customer\":7"), "customer", "`customer` must be a string, not a number" },
        { CaseLine("X").Replace(",\"openedAt\":\"2026-11-10T09:00:00+01:00\"", ""), "openedAt", "required field `openedAt` is missing" },
        { CaseLine("X").Replace("\"id\":\"X\",", ""), "id", "required field `id` is missing" },
        { CaseLine("X").Replace("\"tier\":\"gold\"", "\"tier\":null"), "tier", "required field `tier` is null" },
        { CaseLine("X").Replace("+01:00", ""), "openedAt", "`openedAt` timestamp `2026-11-10T09:00:00` has no offset" },
        { CaseLine("X").Replace("2026-11-10T09:00:00+01:00", "2026-11-10"), "openedAt", "has no offset" },
        { CaseLine("X").Replace("2026-11-10T09:00:00+01:00", "2026-02-30T09:00:00+01:00"), "openedAt", "`openedAt` value `2026-02-30T09:00:00+01:00` is not an ISO 8601 timestamp" },
        { CaseLine("X", ",\"resolvedAt\":\"2026-11-10T08:59:00+01:00\""), "resolvedAt", "`resolvedAt` `2026-11-10T08:59:00+01:00` is before `openedAt` `2026-11-10T09:00:00+01:00`" },
        { CaseLine("X", ",\"firstResponseAt\":\"2026-11-10T07:00:00Z\""), "firstResponseAt", "`firstResponseAt` `2026-11-10T07:00:00+00:00` is before `openedAt`" },
        { CaseLine("X").Replace("\"severity\":2", "\"severity\":0"), "severity", "unknown severity `0`; severities are 1, 2, 3 and 4" },
        { CaseLine("X").Replace("\"severity\":2", "\"severity\":5"), "severity", "unknown severity `5`" },
        { CaseLine("X", ",\"tags\":\"vip\""), "tags", "`tags` must be an array, not a string" },
        { CaseLine("X", ",\"tags\":[1]"), "tags", "`tags` must be a string, not a number" },
        { CaseLine("X", ",\"events\":[{\"status\":\"in_progress\"}]"), "events[0].at", "required field `events[0].at` is missing" },
        { CaseLine("X", ",\"events\":[{\"at\":\"2026-11-10T10:00:00+01:00\",\"status\":\"new\"},{\"at\":\"2026-11-10T10:00:00+01:00\"}]"), "events[1].status", "required field `events[1].status` is missing" },
        { CaseLine("X", ",\"events\":[{\"at\":\"2026-11-10T10:00:00\",\"status\":\"new\"}]"), "events[0].at", "`events[0].at` timestamp `2026-11-10T10:00:00` has no offset" },
        { CaseLine("X", ",\"id\":\"Y\""), "id", "field `id` appears more than once" },
        { "[1,2,3]", "", "line is not a JSON object" },
        { "\"C-1\"", "", "line is not a JSON object" },
        { CaseLine("X", ",\"resolvedAt\":\"2026-11-10T10:00:00+01:00\" \"tags\":[]"), "", "malformed JSON at column" },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public void Read_BadRecordBetweenGoodOnes_RejectsItWithLineAndFieldAndKeepsTheOthers(string bad, string field, string reason)
    {
        var text = CaseLine("G-1") + "\n" + bad + "\n" + CaseLine("G-3") + "\n";

        var results = ReadCases(text);

        results.Count.ShouldBe(3);
        results[0].Record.ShouldNotBeNull().Id.ShouldBe("G-1");
        results[2].Record.ShouldNotBeNull().Id.ShouldBe("G-3");
        results[2].LineNumber.ShouldBe(3);
        var rejected = results[1].Rejected.ShouldNotBeNull();
        results[1].Record.ShouldBeNull();
        rejected.LineNumber.ShouldBe(2);
        rejected.Source.ShouldBe("cases.jsonl");
        (rejected.Field ?? "").ShouldBe(field);
        rejected.Reason.ShouldContain(reason);
        rejected.RawText.ShouldBe(bad);
        RejectionStyle.ShouldFollowMessageStyle(rejected.Reason);
    }

    [Fact]
    public void Read_TrailingValueAfterObject_RejectedAsMalformed()
    {
        // Two objects on one line are two records glued together: the line is rejected, not half read.
        var rejected = ReadCases(CaseLine("X") + " {}").ShouldHaveSingleItem().Rejected.ShouldNotBeNull();

        rejected.Reason.ShouldStartWith("malformed JSON at column");
    }

    [Fact]
    public void Read_InvalidUtf8_RejectedWithTheByteAndItsColumn()
    {
        // `"service":"e` then 0xFF: 0xFF can never occur in UTF-8.
        var good = Encoding.UTF8.GetBytes(CaseLine("G-1") + "\n");
        var bad = Encoding.UTF8.GetBytes("{\"service\":\"e").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("mail\"}\n")).ToArray();

        var results = ReadCases([.. good, .. bad, .. good]);

        results.Count.ShouldBe(3);
        results[0].IsAccepted.ShouldBeTrue();
        results[2].IsAccepted.ShouldBeTrue();
        var rejected = results[1].Rejected.ShouldNotBeNull();
        rejected.LineNumber.ShouldBe(2);
        rejected.Field.ShouldBeNull();

        // `{"service":"e` is 13 bytes, so the bad byte is the 14th.
        rejected.Reason.ShouldBe("line is not valid UTF-8: invalid byte 0xFF at column 14");
        rejected.RawText.ShouldBe("{\"service\":\"e\uFFFDmail\"}");
    }

    [Fact]
    public void Read_TruncatedUtf8Sequence_Rejected()
    {
        // 0xC3 starts a two-byte sequence (é is C3 A9); a quote after it is not a continuation byte.
        var bytes = Encoding.UTF8.GetBytes("{\"id\":\"caf").Concat(new byte[] { 0xC3 }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray();

        ReadCases(bytes).ShouldHaveSingleItem().Rejected.ShouldNotBeNull().Reason.ShouldBe("line is not valid UTF-8: invalid byte 0xC3 at column 11");
    }

    [Fact]
    public void Read_LineOverTheDefaultLimit_RejectedAndTheNextLineRead()
    {
        // One line of 1 MiB + 100 bytes: over the 1,048,576-byte default, so rejected whole without being parsed.
        var huge = CaseLine("H", ",\"note\":\"" + new string('x', InputLimits.DefaultMaxLineBytes) + "\"");
        var text = CaseLine("G-1") + "\n" + huge + "\n" + CaseLine("G-3") + "\n";

        var results = ReadCases(text);

        results.Count.ShouldBe(3);
        results[0].Record.ShouldNotBeNull().Id.ShouldBe("G-1");
        var rejected = results[1].Rejected.ShouldNotBeNull();
        rejected.LineNumber.ShouldBe(2);
        rejected.Reason.ShouldBe($"line is {huge.Length} bytes long, over the limit of 1048576 bytes");
        rejected.RawText.Length.ShouldBeLessThan(5000);
        results[2].Record.ShouldNotBeNull().Id.ShouldBe("G-3");
        results[2].LineNumber.ShouldBe(3);
    }

    [Fact]
    public void Read_LongLineUnderTheLimit_Accepted()
    {
        // 200 KB of an unknown property: bigger than the first read buffer (64 KiB), well under the 1 MiB limit.
        var line = CaseLine("L", ",\"note\":\"" + new string('x', 200_000) + "\"");

        ReadCases(line + "\n").ShouldHaveSingleItem().Record.ShouldNotBeNull().Id.ShouldBe("L");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(4096)]
    public void Read_LineOverASmallLimitAtTheEndWithoutNewline_Rejected(int limit)
    {
        var line = CaseLine("L", ",\"note\":\"" + new string('x', limit) + "\"");

        var rejected = ReadCases(line, new InputLimits(MaxLineBytes: limit)).ShouldHaveSingleItem().Rejected.ShouldNotBeNull();

        rejected.Reason.ShouldBe($"line is {line.Length} bytes long, over the limit of {limit} bytes");
    }

    [Fact]
    public void Read_StringFieldOfAbsurdSize_Rejected()
    {
        // 4,097 bytes is one over the 4 KiB default for a string.
        var line = CaseLine("X").Replace("\"acme\"", "\"" + new string('a', 4097) + "\"");

        var rejected = ReadCases(line).ShouldHaveSingleItem().Rejected.ShouldNotBeNull();

        rejected.Field.ShouldBe("customer");
        rejected.Reason.ShouldBe("`customer` is 4097 bytes long, over the limit of 4096 bytes");
    }

    [Fact]
    public void Read_StringAtTheLimit_Accepted()
    {
        var line = CaseLine("X").Replace("\"acme\"", "\"" + new string('a', 4096) + "\"");

        ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull().Customer.Length.ShouldBe(4096);
    }

    [Fact]
    public void Read_CrLfLineEndings_ReadLikeLf()
    {
        var text = CaseLine("A") + "\r\n" + CaseLine("B") + "\r\n";

        var results = ReadCases(text);

        results.Select(r => (r.Record!.Id, r.LineNumber)).ShouldBe([("A", 1L), ("B", 2L)]);
    }

    [Fact]
    public void Read_NoFinalNewline_LastRecordKept()
    {
        var results = ReadCases(CaseLine("A") + "\n" + CaseLine("B"));

        results.Select(r => r.Record!.Id).ShouldBe(["A", "B"]);
    }

    [Fact]
    public void Read_BlankLinesAndByteOrderMark_SkippedButCountedInLineNumbers()
    {
        var text = "\uFEFF" + CaseLine("A") + "\n\n   \n\t\r\n" + CaseLine("B") + "\n\n";

        var results = ReadCases(text);

        // A is on line 1 (after the BOM), lines 2-4 are blank, B is on line 5.
        results.Select(r => (r.Record!.Id, r.LineNumber)).ShouldBe([("A", 1L), ("B", 5L)]);
    }

    [Fact]
    public void Read_EmptyStream_NoResults() => ReadCases("").ShouldBeEmpty();

    [Fact]
    public void Read_UnknownProperties_IgnoredForForwardCompatibility()
    {
        var line = CaseLine("X", ",\"channel\":\"phone\",\"sla\":{\"nested\":[1,{\"deep\":true}]},\"score\":0.5");

        var record = ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.Id.ShouldBe("X");
        record.Severity.ShouldBe(2);
    }

    [Fact]
    public void Read_EventsOutOfOrder_SortedByTimeKeepingFileOrderForEqualTimes()
    {
        var line = CaseLine("X", ""","events":[{"at":"2026-11-10T12:00:00+01:00","status":"resolved"},{"at":"2026-11-10T10:00:00+01:00","status":"waiting_on_customer"},{"at":"2026-11-10T09:00:00Z","status":"in_progress"},{"at":"2026-11-10T10:00:00+01:00","status":"in_progress"}]""");

        var record = ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        // 09:00Z is 10:00+01:00: three events share that instant and keep the order they were written in.
        record.Events.Select(e => e.Status).ShouldBe(["waiting_on_customer", "in_progress", "in_progress", "resolved"]);
    }

    [Fact]
    public void Read_DuplicateIds_BothPassedThroughInFileOrder()
    {
        // The reader does not drop either: the store upserts, so the later line replaces the earlier one.
        var results = ReadCases(CaseLine("D", ",\"tags\":[\"first\"]") + "\n" + CaseLine("D", ",\"tags\":[\"second\"]"));

        results.Select(r => r.Record!.Tags.Single()).ShouldBe(["first", "second"]);
    }

    [Fact]
    public void Read_EscapedStrings_Unescaped()
    {
        var line = CaseLine("A\\u002D1").Replace("\"email\"", "\"e\\u006Dail\"").Replace("+01:00", "\\u002B01:00");

        var record = ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.Id.ShouldBe("A-1");
        record.Service.ShouldBe("email");
        record.OpenedAt.Offset.ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void Read_NullOptionalFields_Absent()
    {
        var line = CaseLine("X", ",\"firstResponseAt\":null,\"resolvedAt\":null,\"tags\":null,\"events\":null");

        var record = ReadCases(line).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.FirstResponseAt.ShouldBeNull();
        record.ResolvedAt.ShouldBeNull();
        record.Tags.ShouldBeEmpty();
        record.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Read_RepeatedNames_ShareOneString()
    {
        // Customers, regions and the like come from a pool: a million cases hold a few region strings.
        var results = ReadCases(CaseLine("A") + "\n" + CaseLine("B"));

        ReferenceEquals(results[0].Record!.Region, results[1].Record!.Region).ShouldBeTrue();
        ReferenceEquals(results[0].Record!.Id, results[1].Record!.Id).ShouldBeFalse();
    }
}
