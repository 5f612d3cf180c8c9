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
