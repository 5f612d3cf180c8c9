using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

public class CaseCsvReaderTests
{
    private const string Header = "id,customer,tier,region,service,severity,openedAt,firstResponseAt,resolvedAt,tags";

    private static List<InputResult<CaseRecord>> Read(string text) => [.. CaseCsvReader.Read(Utf8(text), "cases.csv")];

    [Fact]
    public void Read_GoodRows_ReadEveryColumn()
    {
        var text = Header + "\n"
            + "C-1,acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,2026-11-20T16:41:00+01:00,,vip;regulated\n"
            + "\"C-2\",\"globex, inc\",silver,us-east,crm,4,2026-11-20T10:00:00-05:00,,2026-11-21T10:00:00-05:00,\n";

        var results = Read(text);

        results.Select(r => r.LineNumber).ShouldBe([2L, 3L]);
        var first = results[0].Record.ShouldNotBeNull();
        first.Id.ShouldBe("C-1");
        first.ShouldBeTheWorkedExample();
        first.Tags.ShouldBe(["vip", "regulated"]);
        first.Events.ShouldBeEmpty();
        var second = results[1].Record.ShouldNotBeNull();

        // A quoted field may hold a comma.
        second.Customer.ShouldBe("globex, inc");
        second.FirstResponseAt.ShouldBeNull();
        second.Tags.ShouldBeEmpty();
    }

    [Fact]
    public void Read_ColumnsInAnotherOrderAndUnknownColumns_ReadByName()
    {
        var text = "severity,id,openedAt,region,note,service,tier,customer\r\n2,C-9,2026-11-20T10:00:00Z,eu-west,hello,crm,gold,acme\r\n";

        var record = Read(text).ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.Id.ShouldBe("C-9");
        record.Severity.ShouldBe(2);
        record.Customer.ShouldBe("acme");
    }

    [Theory]
    [InlineData("C-1,acme,gold,eu-west,email,5,2026-11-20T16:30:00+01:00,,,", "severity", "unknown severity `5`; severities are 1, 2, 3 and 4")]
    [InlineData("C-1,acme,gold,eu-west,email,high,2026-11-20T16:30:00+01:00,,,", "severity", "`severity` must be a whole number, not `high`")]
    [InlineData("C-1,acme,gold,eu-west,email,1,2026-11-20T16:30:00,,,", "openedAt", "`openedAt` timestamp `2026-11-20T16:30:00` has no offset")]
    [InlineData("C-1,acme,gold,eu-west,email,1,,,,", "openedAt", "required field `openedAt` is missing")]
    [InlineData("C-1,,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,", "customer", "required field `customer` is missing")]
    [InlineData("C-1,acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,2026-11-20T15:00:00+01:00,", "resolvedAt", "`resolvedAt` `2026-11-20T15:00:00+01:00` is before `openedAt` `2026-11-20T16:30:00+01:00`")]
    [InlineData("C-1,\"acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,", null, "malformed CSV: a quoted field is not closed before the end of the line")]
    public void Read_BadRow_RejectedWithLineAndFieldAndTheOthersKept(string bad, string? field, string reason)
    {
        var good = "C-0,acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,";

        var results = Read(Header + "\n" + good + "\n" + bad + "\n" + good + "\n");

        results.Count.ShouldBe(3);
        results[0].IsAccepted.ShouldBeTrue();
        results[2].IsAccepted.ShouldBeTrue();
        var rejected = results[1].Rejected.ShouldNotBeNull();
        rejected.LineNumber.ShouldBe(3);
        rejected.Field.ShouldBe(field);
        rejected.Reason.ShouldStartWith(reason);
        rejected.RawText.ShouldBe(bad);
    }

    [Fact]
    public void Read_HeaderWithoutARequiredColumn_HeaderAndEveryRowRejected()
    {
        // Without `openedAt` no row can be judged; each is rejected so the quarantine holds all of them.
        var results = Read("id,customer,tier,region,service,severity\nC-1,acme,gold,eu-west,email,1\nC-2,acme,gold,eu-west,email,1");

        results.Select(r => (r.LineNumber, r.Rejected!.Field)).ShouldBe([(1L, "openedAt"), (2L, "openedAt"), (3L, "openedAt")]);
        results[0].Rejected!.Reason.ShouldStartWith("the header has no `openedAt` column");
    }

    [Fact]
    public void ReadFile_CsvExtension_ReadAsCsv()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slapolicy-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, Header + "\nC-1,acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,vip\n");
        try
        {
            var result = CaseReader.ReadFile(path).ToList().ShouldHaveSingleItem();

            result.Record.ShouldNotBeNull().Tags.ShouldBe(["vip"]);
            result.LineNumber.ShouldBe(2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    // The second line of a quoted field that went over a line break: one record a line does not allow it.
    [InlineData("x\",acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,", "malformed CSV at column 2: a quote inside a field that does not start with one")]
    [InlineData("C-9,acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,vip,extra", "malformed CSV: the row has 11 fields and the header 10")]
    [InlineData("C-9,acme \"the\" corp,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,", "malformed CSV at column 10: a quote inside a field that does not start with one")]
    public void Read_MalformedRow_RejectedTheOthersRead(string row, string reason)
    {
        var good = "C-1,acme,gold,eu-west,email,1,2026-11-20T16:30:00+01:00,,,";

        var results = Read(Header + "\n" + good + "\n" + row + "\n" + good.Replace("C-1", "C-2", StringComparison.Ordinal) + "\n");

        results.Select(r => r.IsAccepted).ShouldBe([true, false, true]);
        results[1].Rejected.ShouldNotBeNull().Reason.ShouldBe(reason);
        results[1].Rejected!.LineNumber.ShouldBe(3);
    }
}
