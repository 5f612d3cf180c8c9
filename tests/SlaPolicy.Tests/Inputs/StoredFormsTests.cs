using System.Collections.Immutable;
using System.Text.Json;
using SlaPolicy.Engine.Inputs.Generation;

namespace SlaPolicy.Tests.Inputs;

/// <summary>
/// The stored lists of a case (tags and status events) are written and read without the serializer's reflection, and
/// must stay byte for byte what it writes: the record's hash (what tells a changed case at ingestion) is taken over
/// that text, so any difference would make every stored case look changed once.
/// </summary>
public class StoredFormsTests
{
    /// <summary>
    /// Instants at the edges of what the store keeps: the ends of the calendar, leap days, a tick before a second,
    /// offsets at their limits and of half and quarter hours.
    /// </summary>
    private static readonly DateTimeOffset[] Instants =
    [
        new(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
        new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromMinutes(330)).AddTicks(1),
        new(2026, 3, 29, 1, 59, 59, 500, TimeSpan.FromHours(-12)),
        new(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(14)),
        new(2026, 12, 31, 23, 45, 0, TimeSpan.FromMinutes(345)),
        new(987, 6, 5, 4, 3, 2, 10, TimeSpan.FromMinutes(-570)),
    ];

    /// <summary>
    /// The fixed-width UTC text is written digit by digit: it must be what the custom format gives, character for
    /// character (its text order is the time order the store's range queries rely on). Random instants too.
    /// </summary>
    [Fact]
    public void Utc_WrittenAsTheCustomFormatWritesIt()
    {
        var random = new Random(19);
        var instants = Instants.Concat(Enumerable.Range(0, 2_000).Select(_ => new DateTimeOffset(random.NextInt64(DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay) + TimeSpan.TicksPerDay, TimeSpan.Zero)
            .ToOffset(TimeSpan.FromMinutes(random.Next(-56, 57) * 15))));
        foreach (var instant in instants)
        {
            StoredForms.Utc(instant).ShouldBe(instant.UtcDateTime.ToString(StoredForms.UtcFormat, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// A store lends its texts as UTF-8: an instant read from the bytes of either stored form is the instant and offset
    /// read from the text, and a form only the text reader accepts is read by it.
    /// </summary>
    [Fact]
    public void ParseInstant_FromUtf8_AsFromTheText()
    {
        var texts = Instants.SelectMany(i => new[] { StoredForms.Utc(i), StoredForms.Instant(i) })
            .Append("2026-11-03 09:00:00Z").Append("2026-11-03T09:00:00.123456789+01:00").Append("2026-11-03T09:00Z");
        foreach (var text in texts)
        {
            var fromUtf8 = StoredForms.ParseInstant(Encoding.UTF8.GetBytes(text));
            var fromText = StoredForms.ParseInstant(text);
            (fromUtf8, fromUtf8.Offset).ShouldBe((fromText, fromText.Offset), text);
        }
    }

    /// <summary>
    /// Lists read from UTF-8 with a pool: the same as from the text, escaped texts unescaped, a repeated status one
    /// string; a value of the wrong kind still fails as it did.
    /// </summary>
    [Fact]
    public void ParseList_FromUtf8WithAPool_AsFromTheText()
    {
        const string events = """[{"at":"2026-11-03T09:00:00+05:30","status":"in_progress","team":"amer"},{"at":"2026-11-03T09:00:00.5+00:00","status":"waiting\u003Con\u003Ecustomer","type":"reply","public":false,"severity":2,"author":"agent"},{"at":"2026-11-04T00:00:00-08:00","status":"in_progress","team":"amer"},null]""";
        const string tags = """["vip","r\u00E9-ouvert","","vip"]""";
        var pool = new StringPool();

        var read = StoredForms.ParseList<StatusEvent>(Encoding.UTF8.GetBytes(events), pool);
        read.ShouldBe(StoredForms.ParseList<StatusEvent>(events));
        read[1].Status.ShouldBe("waiting<on>customer");
        read[0].Status.ShouldBeSameAs(read[2].Status);
        read[0].Team.ShouldBeSameAs(read[2].Team);
        var texts = StoredForms.ParseList<string>(Encoding.UTF8.GetBytes(tags), pool);
        texts.ShouldBe(["vip", "ré-ouvert", "", "vip"]);
        texts[0].ShouldBeSameAs(texts[3]);
        Should.Throw<InvalidOperationException>(() => StoredForms.ParseList<StatusEvent>("""[{"at":"2026-11-03T09:00:00Z","status":7}]"""u8.ToArray(), pool));
        Should.Throw<InvalidOperationException>(() => StoredForms.ParseList<StatusEvent>("""[{"at":"2026-11-03T09:00:00Z","status":7}]"""));
    }

    public static TheoryData<string[]> Tags => new()
    {
        // Hand-picked: the escaping the serializer's default encoder applies (HTML-sensitive characters, non-ASCII,
        // control characters, quotes and backslashes) must come out the same.
        Array.Empty<string>(),
        new[] { "vip" },
        new[] { "a<b>&'c\"d\\e", "é ü 中文", "tab\there", "`+", "emoji 😀" },
    };

    [Theory, MemberData(nameof(Tags))]
    public void Tags_WrittenAndReadAsTheSerializerDoes(string[] tags)
    {
        var values = tags.ToImmutableArray();
        var written = StoredForms.List(values);

        written.ShouldBe(JsonSerializer.Serialize(values, StoredForms.Json));
        StoredForms.ParseList<string>(written).ShouldBe(JsonSerializer.Deserialize<ImmutableArray<string>>(written, StoredForms.Json));
        StoredForms.ParseList<string>(written).ShouldBe(values);
    }

    [Fact]
    public void StatusEvents_HandPicked_WrittenAndReadAsTheSerializerDoes()
    {
        // Offsets kept (+05:30), fractional seconds trimmed as the serializer trims them (.5 and .1234567), a status
        // needing escapes, and a null status, which the serializer leaves out.
        ImmutableArray<StatusEvent> events =
        [
            new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromMinutes(330)), "in_progress"),
            new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, 500, TimeSpan.Zero), "waiting<on>customer"),
            new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567), "ré-ouvert"),
            new(new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.FromHours(-8)), null!),
        ];
        var written = StoredForms.List(events);

        written.ShouldBe(JsonSerializer.Serialize(events, StoredForms.Json));
        written.ShouldBe("""[{"at":"2026-11-03T09:00:00+05:30","status":"in_progress"},{"at":"2026-11-03T09:00:00.5+00:00","status":"waiting\u003Con\u003Ecustomer"},{"at":"2026-11-03T09:00:00.1234567+00:00","status":"r\u00E9-ouvert"},{"at":"2026-11-04T00:00:00-08:00"}]""");
        StoredForms.ParseList<StatusEvent>(written).ShouldBe(events);
        StoredForms.ParseList<StatusEvent>(written).Select(e => e.At.Offset).ShouldBe(events.Select(e => e.At.Offset));
    }

    [Fact]
    public void StatusEvents_WithTypePublicSeverityTeamAndAuthor_KeptThroughTheStore()
    {
        // The optional parts of an event (what start/stop conditions, severity changes, follow-the-sun and next-reply
        // targets read) must survive the store: a stored case that lost them would count its clocks differently from the
        // file it came from. Each part alone, all together, and `public: false` (a value, not an absence).
        var at = new DateTimeOffset(2026, 11, 16, 10, 5, 0, TimeSpan.FromHours(1));
        ImmutableArray<StatusEvent> events =
        [
            new(at, "in_progress") { Type = "reply", Public = true },
            new(at.AddMinutes(5), "in_progress") { Type = "note", Public = false },
            new(at.AddMinutes(10), "in_progress") { Severity = 1 },
            new(at.AddMinutes(15), "in_progress") { Team = "amer" },
            new(at.AddMinutes(20), "assigned") { Type = "assignment", Public = false, Severity = 2, Team = "emea" },
            new(at.AddMinutes(25), "in_progress") { Author = "customer" },
            new(at.AddMinutes(30), "in_progress") { Type = "reply", Public = true, Severity = 1, Team = "amer", Author = "agent" },
        ];
        var written = StoredForms.List(events);

        written.ShouldBe(JsonSerializer.Serialize(events, StoredForms.Json));
        written.ShouldContain("""{"at":"2026-11-16T10:10:00+01:00","status":"in_progress","type":"note","public":false}""");
        written.ShouldContain("""{"at":"2026-11-16T10:30:00+01:00","status":"in_progress","author":"customer"}""");
        StoredForms.ParseList<StatusEvent>(written).ShouldBe(events);
        StoredForms.ParseList<StatusEvent>(written).ShouldBe(JsonSerializer.Deserialize<ImmutableArray<StatusEvent>>(written, StoredForms.Json));
    }

    [Fact]
    public void StatusEvents_ReadInAnyCaseOfTheNamesAndOtherPropertiesSkipped_AsTheSerializerReadsThem()
    {
        const string stored = """[{"AT":"2026-11-03T09:00:00Z","extra":{"x":[1,2]},"Status":"paused"},{"status":"in_progress","at":"2026-11-03T10:00:00+01:00"}]""";

        StoredForms.ParseList<StatusEvent>(stored).ShouldBe(JsonSerializer.Deserialize<ImmutableArray<StatusEvent>>(stored, StoredForms.Json));
    }

    [Fact]
    public void GeneratedCases_ListsWrittenAndReadAsTheSerializerDoes()
    {
        foreach (var profile in new[] { GenerationProfile.Realistic, GenerationProfile.Synthetic })
        {
            foreach (var ticket in new CaseGenerator(20261202, profile).Generate(2_000))
            {
                var events = StoredForms.List(ticket.Events);
                var tags = StoredForms.List(ticket.Tags);
                events.ShouldBe(JsonSerializer.Serialize(ticket.Events, StoredForms.Json), ticket.Id);
                tags.ShouldBe(JsonSerializer.Serialize(ticket.Tags, StoredForms.Json), ticket.Id);
                StoredForms.ParseList<StatusEvent>(events).ShouldBe(ticket.Events, ticket.Id);
                StoredForms.ParseList<string>(tags).ShouldBe(ticket.Tags, ticket.Id);
            }
        }
    }
}
