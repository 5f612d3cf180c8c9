using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

/// <summary>The descriptions of the input records and what they drive: the readers, the writer, CSV and the docs.</summary>
public class RecordDescriptionTests
{
    private const string Outage = """{"service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T02:45:00Z","kind":"unplanned"}""";

    private static readonly DateTimeOffset At = new(2026, 11, 3, 2, 0, 0, TimeSpan.FromHours(1));

    private static OutageRecord ReadOutage(string line) =>
        OutageReader.Read(Utf8(line), "outages.jsonl").ToList().ShouldHaveSingleItem().Record.ShouldNotBeNull();

    private static RejectedRecord RejectOutage(string line) =>
        OutageReader.Read(Utf8(line), "outages.jsonl").ToList().ShouldHaveSingleItem().Rejected.ShouldNotBeNull();

    [Fact]
    public void ReadOutage_Resource_IsRead()
    {
        ReadOutage(Outage.Replace("}", ""","resource":"mx-03"}""", StringComparison.Ordinal)).Resource.ShouldBe("mx-03");
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"resource\":null")]
    public void ReadOutage_ResourceAbsentOrNull_IsNone(string extra)
    {
        ReadOutage(Outage.Replace("}", extra + "}", StringComparison.Ordinal)).Resource.ShouldBeNull();
    }

    [Theory]
    [InlineData(",\"resource\":7", "`resource` must be a string, not a number")]
    [InlineData(",\"resource\":\"a\",\"resource\":\"b\"", "field `resource` appears more than once")]
    [InlineData(",\"resource\":\"\\u0000\"", "`resource` contains the character U+0000, which no text field may hold")]
    public void ReadOutage_BadResource_RejectedWithFieldAndReason(string extra, string reason)
    {
        var rejected = RejectOutage(Outage.Replace("}", extra + "}", StringComparison.Ordinal));

        rejected.Field.ShouldBe("resource");
        rejected.Reason.ShouldBe(reason);
    }

    [Theory]
    [InlineData(",\"affected\":25", 25.0)]
    [InlineData(",\"affected\":12.5", 12.5)]
    [InlineData(",\"affected\":100", 100.0)]
    [InlineData(",\"affected\":0", 0.0)]
    [InlineData("", null)]
    [InlineData(",\"affected\":null", null)]
    public void ReadOutage_Affected_IsAPercentOrNone(string extra, double? affected)
    {
        ReadOutage(Outage.Replace("}", extra + "}", StringComparison.Ordinal)).Affected.ShouldBe((decimal?)affected);
    }

    [Theory]
    [InlineData(",\"affected\":100.5", "`affected` `100.5` is outside the accepted range, from 0 to 100")]
    [InlineData(",\"affected\":-1", "`affected` must not be negative")]
    [InlineData(",\"affected\":\"25%\"", "`affected` must be a number, not a string")]
    public void ReadOutage_BadAffected_RejectedWithFieldAndReason(string extra, string reason)
    {
        var rejected = RejectOutage(Outage.Replace("}", extra + "}", StringComparison.Ordinal));

        rejected.Field.ShouldBe("affected");
        rejected.Reason.ShouldBe(reason);
    }

    [Fact]
    public void ReadOutage_ResourceOverTheStringLimit_RejectedWithTheLimit()
    {
        var limits = InputLimits.Default with { MaxStringBytes = 12 };

        var rejected = OutageReader.Read(Utf8(Outage.Replace("}", ""","resource":"eu-west-1b-rack-17"}""", StringComparison.Ordinal)), "o", limits)
            .ToList().ShouldHaveSingleItem().Rejected.ShouldNotBeNull();

        rejected.Field.ShouldBe("resource");
        rejected.Reason.ShouldBe("`resource` is 18 bytes long, over the limit of 12 bytes");
    }

    [Fact]
    public void ReadOutage_ResourceMisspelt_AcceptedWithADidYouMean()
    {
        var result = OutageReader.Read(Utf8(Outage.Replace("}", ""","resourse":"mx-03"}""", StringComparison.Ordinal)), "o").ToList().ShouldHaveSingleItem();

        result.Record.ShouldNotBeNull().Resource.ShouldBeNull();
        result.Warnings.ShouldHaveSingleItem().Message.ShouldBe("unknown property `resourse` ignored (did you mean `resource`?)");
    }

    [Fact]
    public void Writer_EveryKind_ReadsBackEqual()
    {
        var ticket = new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 2, At, At.AddMinutes(5), null, ["vip"], [new StatusEvent(At.AddMinutes(1), "in_progress")]);
        var outages = new[] { new OutageRecord("email", "eu-west", At, At.AddHours(1), "unplanned", "O-1", "mx-03") { Affected = 12.5m }, new OutageRecord("email", "eu-west", At, At, "maintenance") };
        var subscription = new SubscriptionRecord("acme", "gold", "eu-west", "email", 1200.00m, "EUR");
        var measurement = new MeasurementRecord("email", "eu-west", At, "latencyMs", 41.5);

        var cases = RoundTrip(w => w.Write(ticket), s => CaseReader.Read(s, "c"));
        var readOutages = RoundTrip(w => Array.ForEach(outages, w.Write), s => OutageReader.Read(s, "o"));
        var subscriptions = RoundTrip(w => w.Write(subscription), s => SubscriptionReader.Read(s, "s"));
        var measurements = RoundTrip(w => w.Write(measurement), s => MeasurementReader.Read(s, "m"));

        SameCase(cases.ShouldHaveSingleItem(), ticket);
        readOutages.ShouldBe(outages);
        subscriptions.ShouldHaveSingleItem().ShouldBe(subscription);
        subscriptions[0].MonthlyFee.ToString().ShouldBe("1200.00");
        measurements.ShouldHaveSingleItem().ShouldBe(measurement);
    }

    [Fact]
    public void Writer_OptionalFieldsAbsent_LeftOutOrNullAsTheDescriptionSays()
    {
        var line = Line(w => w.Write(new OutageRecord("email", "eu-west", At, At.AddHours(1), "unplanned")));
        var caseLine = Line(w => w.Write(new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 2, At, null, null, [], [])));

        line.ShouldNotContain("resource");
        line.ShouldNotContain("\"id\"");
        caseLine.ShouldContain("\"resolvedAt\":null");
    }

    [Fact]
    public void CsvColumns_AreTheCaseFieldsCsvCanHold()
    {
        CaseCsvReader.Columns.ShouldBe(InputDescriptions.Cases.Fields.Where(f => f.Type is not FieldType.StatusEvents).Select(f => f.Name));
    }

    [Fact]
    public void Descriptions_KeysAndColumns_AreTheStoresKeys()
    {
        static string Keys<T>(RecordDescription<T> d)
            where T : class => string.Join(",", d.Fields.Where(f => f.Key).Select(f => f.Column));

        Keys(InputDescriptions.Cases).ShouldBe("id");
        Keys(InputDescriptions.Outages).ShouldBe("service,region,start_at,kind");
        // Store migration 15: a subscription and a measurement name the resource they are of, which joins their keys.
        Keys(InputDescriptions.Subscriptions).ShouldBe("customer,region,service,resource");
        Keys(InputDescriptions.Measurements).ShouldBe("service,region,at,metric,resource");
        // Store migration 17: outages carry the share of users affected.
        InputDescriptions.Outages.Columns.ShouldBe("service, region, start_at, end_at, kind, outage_id, resource, affected");
    }

    [Fact]
    public void Descriptions_EveryFieldAndWhetherItIsRequired_AreInTheDocs()
    {
        var doc = File.ReadAllText(Path.Join(PolicyTestFiles.RepoRoot, "docs", "INPUTS.md"));

        Documented(doc, "## Outages", InputDescriptions.Outages);
        Documented(doc, "## Subscriptions", InputDescriptions.Subscriptions);
        Documented(doc, "## Measurements", InputDescriptions.Measurements);
        Documented(doc, "## Cases", InputDescriptions.Cases);
    }

    private static void Documented<T>(string doc, string heading, RecordDescription<T> description)
        where T : class
    {
        var start = doc.IndexOf(heading + "\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, heading);
        var end = doc.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var section = doc[start..(end < 0 ? doc.Length : end)];
        foreach (var field in description.Fields)
        {
            section.ShouldContain($"`{field.Name}`", customMessage: $"{heading} names `{field.Name}`");
        }
    }

    /// <summary>Records compare their arrays by reference: the case's fields, then its tags and events element by element.</summary>
    internal static void SameCase(CaseRecord? actual, CaseRecord expected)
    {
        actual.ShouldNotBeNull();
        (actual with { Tags = default, Events = default }).ShouldBe(expected with { Tags = default, Events = default });
        actual.Tags.ShouldBe(expected.Tags);
        actual.Events.ShouldBe(expected.Events);
    }

    private static string Line(Action<JsonLinesWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            write(writer);
        }

        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        JsonDocument.Parse(text).Dispose();
        return text;
    }

    private static List<T> RoundTrip<T>(Action<JsonLinesWriter> write, Func<Stream, IEnumerable<InputResult<T>>> read)
        where T : class
    {
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            write(writer);
        }

        stream.Position = 0;
        var results = read(stream).ToList();
        results.ShouldAllBe(r => r.IsAccepted);
        return [.. results.Select(r => r.Record!)];
    }
}
