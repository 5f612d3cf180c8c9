using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

/// <summary>
/// Hostile values in every field of every record kind: each bad line is rejected with its line, field and reason, and
/// the lines around it are read as usual (docs/INPUTS.md "Common rules").
/// </summary>
public class HostileInputTests
{
    private const string Case = """{"id":"C-1","customer":"acme","tier":"gold","region":"eu-west","service":"email","severity":2,"openedAt":"2026-11-10T09:00:00+01:00","firstResponseAt":"2026-11-10T09:05:00+01:00","resolvedAt":"2026-11-10T10:00:00+01:00","tags":["vip"],"events":[{"at":"2026-11-10T09:10:00+01:00","status":"in_progress"}]}""";
    private const string Outage = """{"id":"O-1","service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T02:45:00Z","kind":"unplanned"}""";
    private const string Subscription = """{"customer":"acme","tier":"gold","region":"eu-west","service":"email","monthlyFee":1200.00,"currency":"EUR"}""";
    private const string Measurement = """{"service":"email","region":"eu-west","at":"2026-11-03T02:00:00Z","metric":"latencyMs","value":41.5}""";
    private const string CsvHeader = "id,customer,tier,region,service,severity,openedAt,firstResponseAt,resolvedAt,tags";
    private const string CsvRow = "C-1,acme,gold,eu-west,email,2,2026-11-10T09:00:00+01:00,2026-11-10T09:05:00+01:00,,vip";

    public enum Kind
    {
        Cases,
        Outages,
        Subscriptions,
        Measurements,
    }

    private static string Good(Kind kind) => kind switch
    {
        Kind.Cases => Case,
        Kind.Outages => Outage,
        Kind.Subscriptions => Subscription,
        _ => Measurement,
    };

    /// <summary>Reads good, bad, good; returns the middle line's rejection after checking that its neighbours were read.</summary>
    private static RejectedRecord MiddleRejected(Kind kind, string bad)
    {
        var text = Good(kind) + "\n" + bad + "\n" + Good(kind);
        var results = Read(kind, text);
        results.Count.ShouldBe(3);
        results[0].Accepted.ShouldBeTrue();
        results[2].Accepted.ShouldBeTrue();
        results[1].Accepted.ShouldBeFalse($"line 2 was accepted: {bad}");
        var rejected = results[1].Rejected!;
        rejected.LineNumber.ShouldBe(2);
        rejected.RawText.ShouldNotBeEmpty();
        return rejected;
    }

    /// <summary>
    /// Writes <paramref name="to"/> for <paramref name="from"/> in a good record of <paramref name="kind"/>, reads it
    /// between two good ones and checks that it is rejected for <paramref name="field"/>; returns the reason.
    /// </summary>
    private static string ReasonRejected(Kind kind, string from, string to, string field)
    {
        var rejected = MiddleRejected(kind, Good(kind).Replace(from, to, StringComparison.Ordinal));
        rejected.Field.ShouldBe(field);
        return rejected.Reason;
    }

    private static List<(bool Accepted, RejectedRecord? Rejected)> Read(Kind kind, string text)
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return kind switch
        {
            Kind.Cases => [.. CaseReader.Read(stream, "s").Select(r => (r.IsAccepted, r.Rejected))],
            Kind.Outages => [.. OutageReader.Read(stream, "s").Select(r => (r.IsAccepted, r.Rejected))],
            Kind.Subscriptions => [.. SubscriptionReader.Read(stream, "s").Select(r => (r.IsAccepted, r.Rejected))],
            _ => [.. MeasurementReader.Read(stream, "s").Select(r => (r.IsAccepted, r.Rejected))],
        };
    }

    public static TheoryData<Kind, string, string> StringFields => new()
    {
        { Kind.Cases, "\"id\":\"C-1\"", "id" },
        { Kind.Cases, "\"customer\":\"acme\"", "customer" },
        { Kind.Cases, "\"tier\":\"gold\"", "tier" },
        { Kind.Cases, "\"region\":\"eu-west\"", "region" },
        { Kind.Cases, "\"service\":\"email\"", "service" },
        { Kind.Cases, "\"tags\":[\"vip\"]", "tags" },
        { Kind.Cases, "\"status\":\"in_progress\"", "events[0].status" },
        { Kind.Outages, "\"id\":\"O-1\"", "id" },
        { Kind.Outages, "\"service\":\"email\"", "service" },
        { Kind.Outages, "\"region\":\"eu-west\"", "region" },
        { Kind.Outages, "\"kind\":\"unplanned\"", "kind" },
        { Kind.Subscriptions, "\"customer\":\"acme\"", "customer" },
        { Kind.Subscriptions, "\"tier\":\"gold\"", "tier" },
        { Kind.Subscriptions, "\"region\":\"eu-west\"", "region" },
        { Kind.Subscriptions, "\"service\":\"email\"", "service" },
        { Kind.Subscriptions, "\"currency\":\"EUR\"", "currency" },
        { Kind.Measurements, "\"service\":\"email\"", "service" },
        { Kind.Measurements, "\"region\":\"eu-west\"", "region" },
        { Kind.Measurements, "\"metric\":\"latencyMs\"", "metric" },
    };

    [Theory]
    [MemberData(nameof(StringFields))]
    public void LoneSurrogate_InAnyStringField_RejectsTheLineWithTheField(Kind kind, string property, string field)
    {
        foreach (var surrogate in new[] { "\\ud800", "\\udc00", "\\uDBFF x", "\\udc00\\ud800" })
        {
            var value = property[..^1] + surrogate + "\"";
            if (property.EndsWith(']'))
            {
                value = property.Replace("\"vip\"", $"\"vip{surrogate}\"", StringComparison.Ordinal);
            }

            var rejected = MiddleRejected(kind, Good(kind).Replace(property, value, StringComparison.Ordinal));

            rejected.Field.ShouldBe(field);
            rejected.Reason.ShouldBe($"`{field}` contains an unpaired surrogate (a lone `\\uD800`-`\\uDFFF` escape), which is not text");
        }
    }

    [Theory]
    [InlineData(Kind.Cases, "\"openedAt\":\"2026-11-10T09:00:00+01:00\"", "\"openedAt\":\"\\ud800\"", "openedAt")]
    [InlineData(Kind.Cases, "\"customer\":\"acme\"", "\"\\ud800\":\"acme\",\"customer\":\"acme\"", null)]
    public void LoneSurrogate_InTimestampsAndPropertyNames_RejectsTheLine(Kind kind, string from, string to, string? field)
    {
        var rejected = MiddleRejected(kind, Good(kind).Replace(from, to, StringComparison.Ordinal));

        if (field is not null)
        {
            rejected.Field.ShouldBe(field);
        }
    }

    [Fact]
    public void LoneSurrogate_InsideAnIgnoredProperty_IgnoredWithIt()
    {
        var text = Measurement.Replace("\"value\":41.5", "\"value\":41.5,\"note\":{\"\\udc00\":[\"\\ud800\"]}", StringComparison.Ordinal);

        Read(Kind.Measurements, text).ShouldHaveSingleItem().Accepted.ShouldBeTrue();
    }

    [Fact]
    public void LoneSurrogate_InCsvRow_RejectedAsInvalidUtf8OrText()
    {
        // CSV has no escapes; a surrogate can only come as its (invalid) UTF-8 encoding, ED A0 80.
        var bytes = Encoding.UTF8.GetBytes(CsvHeader + "\n" + CsvRow + "\nC-2,acme").Concat(new byte[] { 0xED, 0xA0, 0x80 })
            .Concat(Encoding.UTF8.GetBytes(",gold,eu-west,email,2,2026-11-10T09:00:00+01:00,,,\n" + CsvRow.Replace("C-1", "C-3", StringComparison.Ordinal))).ToArray();

        var results = CaseCsvReader.Read(new MemoryStream(bytes), "c.csv").ToList();

        results.Select(r => r.IsAccepted).ShouldBe([true, false, true]);
        results[1].LineNumber.ShouldBe(3);
    }

    [Theory]
    [InlineData(Kind.Cases, "\"openedAt\":\"2026-11-10T09:00:00+01:00\"", "\"openedAt\":\"9999-12-31T23:59:59Z\"", "openedAt")]
    [InlineData(Kind.Cases, "\"openedAt\":\"2026-11-10T09:00:00+01:00\"", "\"openedAt\":\"0001-01-01T00:00:00Z\"", "openedAt")]
    [InlineData(Kind.Cases, "\"openedAt\":\"2026-11-10T09:00:00+01:00\"", "\"openedAt\":\"1969-12-31T23:59:59Z\"", "openedAt")]
    [InlineData(Kind.Cases, "\"resolvedAt\":\"2026-11-10T10:00:00+01:00\"", "\"resolvedAt\":\"9999-12-31T23:59:59+14:00\"", "resolvedAt")]
    [InlineData(Kind.Cases, "\"firstResponseAt\":\"2026-11-10T09:05:00+01:00\"", "\"firstResponseAt\":\"2200-01-01T00:00:00Z\"", "firstResponseAt")]
    [InlineData(Kind.Cases, "\"at\":\"2026-11-10T09:10:00+01:00\"", "\"at\":\"9999-01-01T00:00:00Z\"", "events[0].at")]
    [InlineData(Kind.Outages, "\"end\":\"2026-11-03T02:45:00Z\"", "\"end\":\"9999-12-31T23:59:59Z\"", "end")]
    [InlineData(Kind.Outages, "\"start\":\"2026-11-03T02:00:00Z\"", "\"start\":\"1900-01-01T00:00:00Z\"", "start")]
    [InlineData(Kind.Measurements, "\"at\":\"2026-11-03T02:00:00Z\"", "\"at\":\"2345-01-01T00:00:00Z\"", "at")]
    public void Timestamp_OutsideTheWindow_Rejected(Kind kind, string from, string to, string field) =>
        ReasonRejected(kind, from, to, field).ShouldContain("outside the accepted window, from 1970-01-01T00:00:00Z up to 2200-01-01T00:00:00Z");

    [Theory]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("1970-01-01T01:00:00+01:00")]
    [InlineData("2199-12-31T23:59:59.9999999Z")]
    public void Timestamp_AtTheEdgesOfTheWindow_Accepted(string at)
    {
        var results = Read(Kind.Measurements, Measurement.Replace("2026-11-03T02:00:00Z", at, StringComparison.Ordinal));

        results.ShouldHaveSingleItem().Accepted.ShouldBeTrue();
    }

    [Fact]
    public void Timestamp_OutsideTheWindow_RejectedInCsv()
    {
        var text = CsvHeader + "\n" + CsvRow + "\n" + CsvRow.Replace("2026-11-10T09:00:00+01:00", "9999-12-31T23:59:59Z", StringComparison.Ordinal);

        var results = CaseCsvReader.Read(Utf8(text), "c.csv").ToList();

        results[1].Rejected.ShouldNotBeNull().Field.ShouldBe("openedAt");
    }

    [Theory]
    [InlineData(Kind.Cases, "\"id\":\"C-1\"", "\"id\":\"\"", "id")]
    [InlineData(Kind.Cases, "\"customer\":\"acme\"", "\"customer\":\"   \"", "customer")]
    [InlineData(Kind.Cases, "\"status\":\"in_progress\"", "\"status\":\"\"", "events[0].status")]
    [InlineData(Kind.Outages, "\"service\":\"email\"", "\"service\":\"\"", "service")]
    [InlineData(Kind.Subscriptions, "\"region\":\"eu-west\"", "\"region\":\"\\t\"", "region")]
    [InlineData(Kind.Measurements, "\"metric\":\"latencyMs\"", "\"metric\":\"\"", "metric")]
    public void RequiredText_EmptyOrBlank_Rejected(Kind kind, string from, string to, string field)
    {
        // An empty case id was stored and could never be asked for; an empty customer or status means nothing.
        ReasonRejected(kind, from, to, field).ShouldBe($"required field `{field}` is empty");
    }

    [Theory]
    [InlineData(Kind.Cases, "\"status\":\"in_progress\"", "\"status\":\"in_progress\",\"status\":\"waiting_on_customer\"", "events[0].status")]
    [InlineData(Kind.Cases, "\"status\":\"in_progress\"", "\"status\":\"in_progress\",\"at\":\"2026-11-10T09:20:00+01:00\"", "events[0].at")]
    [InlineData(Kind.Cases, "\"service\":\"email\"", "\"service\":\"email\",\"note\":1,\"note\":2", "note")]
    [InlineData(Kind.Cases, "\"status\":\"in_progress\"", "\"status\":\"in_progress\",\"by\":\"a\",\"by\":\"b\"", "events[0].by")]
    [InlineData(Kind.Outages, "\"kind\":\"unplanned\"", "\"kind\":\"unplanned\",\"kind\":\"maintenance\"", "kind")]
    [InlineData(Kind.Subscriptions, "\"currency\":\"EUR\"", "\"currency\":\"EUR\",\"monthlyFee\":1", "monthlyFee")]
    [InlineData(Kind.Measurements, "\"value\":41.5", "\"value\":41.5,\"value\":42", "value")]
    public void DuplicateKey_InAnyObject_Rejected(Kind kind, string from, string to, string field) =>
        ReasonRejected(kind, from, to, field).ShouldBe($"field `{field}` appears more than once");

    [Theory]
    [InlineData(Kind.Subscriptions, "1200.00", "1e20", "monthlyFee", "0 to 1000000000000")]
    [InlineData(Kind.Subscriptions, "1200.00", "79228162514264337593543950335", "monthlyFee", "0 to 1000000000000")]
    [InlineData(Kind.Subscriptions, "1200.00", "1234567890123456.78", "monthlyFee", "0 to 1000000000000")]
    [InlineData(Kind.Subscriptions, "1200.00", "1000000000000.01", "monthlyFee", "0 to 1000000000000")]
    [InlineData(Kind.Measurements, "41.5", "7.8e27", "value", "-1000000000000000 to 1000000000000000")]
    [InlineData(Kind.Measurements, "41.5", "-7.8e27", "value", "-1000000000000000 to 1000000000000000")]
    [InlineData(Kind.Measurements, "41.5", "1e16", "value", "-1000000000000000 to 1000000000000000")]
    [InlineData(Kind.Measurements, "41.5", "1.7976931348623157e308", "value", "-1000000000000000 to 1000000000000000")]
    public void MonthlyFeeOrMeasurementValue_OverTheRange_Rejected(Kind kind, string from, string value, string field, string range) =>
        ReasonRejected(kind, from, value, field).ShouldBe($"`{field}` `{value}` is outside the accepted range, from {range}");

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1000000000000", "1000000000000")]
    [InlineData("987654321098.7654", "987654321098.7654")]
    public void MonthlyFee_InTheRange_ReadExactly(string fee, string expected)
    {
        var text = Subscription.Replace("1200.00", fee, StringComparison.Ordinal);

        var record = SubscriptionReader.Read(Utf8(text), "s").ToList().ShouldHaveSingleItem().Record.ShouldNotBeNull();

        record.MonthlyFee.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("7.8e27")]
    [InlineData("-7.8e27")]
    [InlineData("1e16")]
    [InlineData("1.7976931348623157e308")]
    public void MeasurementValue_OverTheRange_Rejected(string value)
    {
        var rejected = MiddleRejected(Kind.Measurements, Measurement.Replace("41.5", value, StringComparison.Ordinal));

        rejected.Field.ShouldBe("value");
        rejected.Reason.ShouldBe($"`value` `{value}` is outside the accepted range, from -1000000000000000 to 1000000000000000");
    }

    [Theory]
    [InlineData("\"severity\":2", "\"severity\":99999999999999999999", "severity")]
    [InlineData("\"severity\":2", "\"severity\":2.5", "severity")]
    [InlineData("\"severity\":2", "\"severity\":-1", "severity")]
    [InlineData("\"severity\":2", "\"severity\":1e400", "severity")]
    public void Severity_HugeOrFractional_Rejected(string from, string to, string field)
    {
        MiddleRejected(Kind.Cases, Case.Replace(from, to, StringComparison.Ordinal)).Field.ShouldBe(field);
    }

    [Theory]
    [InlineData(Kind.Cases, "\"firstResponseAt\"", "\"firstresponseAt\"", "firstresponseAt", "firstResponseAt")]
    [InlineData(Kind.Cases, "\"resolvedAt\"", "\"resolved_at\"", "resolved_at", "resolvedAt")]
    [InlineData(Kind.Cases, "\"tags\"", "\"Tags\"", "Tags", "tags")]
    [InlineData(Kind.Cases, "\"status\"", "\"stauts\"", "events[0].stauts", "status")]
    [InlineData(Kind.Outages, "\"kind\"", "\"kinds\"", "kinds", "kind")]
    [InlineData(Kind.Subscriptions, "\"monthlyFee\"", "\"monthlyfee\"", "monthlyfee", "monthlyFee")]
    [InlineData(Kind.Subscriptions, "\"currency\"", "\"curency\"", "curency", "currency")]
    [InlineData(Kind.Measurements, "\"metric\"", "\"metrics\"", "metrics", "metric")]
    public void UnknownProperty_NearAKnownOne_Warned(Kind kind, string from, string to, string field, string known)
    {
        var text = Good(kind).Replace(from, to, StringComparison.Ordinal);
        if (kind is Kind.Cases && known == "status")
        {
            // An event without status is rejected; give it one so that only the near miss is left.
            text = text.Replace("\"stauts\":\"in_progress\"", "\"stauts\":\"in_progress\",\"status\":\"in_progress\"", StringComparison.Ordinal);
        }

        var warnings = ReadWarnings(kind, text);

        var warning = warnings.ShouldHaveSingleItem();
        warning.Source.ShouldBe("s");
        warning.LineNumber.ShouldBe(1);
        warning.Field.ShouldBe(field);
        warning.Message.ShouldBe($"unknown property `{field.Split('.')[^1]}` ignored (did you mean `{known}`?)");
    }

    [Fact]
    public void UnknownProperty_FarFromAnyKnownOne_NoWarning()
    {
        ReadWarnings(Kind.Cases, Case.Replace("\"tags\"", "\"assignee\":\"bob\",\"tags\"", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public void UnknownColumn_NearAKnownOne_WarnedOnTheHeaderLine()
    {
        var text = CsvHeader.Replace("firstResponseAt", "firstresponseAt", StringComparison.Ordinal) + "\n" + CsvRow;

        var results = CaseCsvReader.Read(Utf8(text), "c.csv").ToList();

        var warning = results.SelectMany(r => r.Warnings).ShouldHaveSingleItem();
        warning.LineNumber.ShouldBe(1);
        warning.Field.ShouldBe("firstresponseAt");
        warning.Message.ShouldBe("unknown column `firstresponseAt` ignored (did you mean `firstResponseAt`?)");
    }

    private static List<InputWarning> ReadWarnings(Kind kind, string text)
    {
        var stream = Utf8(text);
        IEnumerable<(bool Accepted, IEnumerable<InputWarning> Warnings)> results = kind switch
        {
            Kind.Cases => CaseReader.Read(stream, "s").Select(r => (r.IsAccepted, (IEnumerable<InputWarning>)r.Warnings)),
            Kind.Outages => OutageReader.Read(stream, "s").Select(r => (r.IsAccepted, (IEnumerable<InputWarning>)r.Warnings)),
            Kind.Subscriptions => SubscriptionReader.Read(stream, "s").Select(r => (r.IsAccepted, (IEnumerable<InputWarning>)r.Warnings)),
            _ => MeasurementReader.Read(stream, "s").Select(r => (r.IsAccepted, (IEnumerable<InputWarning>)r.Warnings)),
        };
        // A near miss of a required field leaves the record without it, so it is rejected too; the warning says why.
        return [.. results.SelectMany(r => r.Warnings)];
    }
}
