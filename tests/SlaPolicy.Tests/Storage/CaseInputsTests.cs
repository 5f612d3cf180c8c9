using System.Security.Cryptography;

namespace SlaPolicy.Tests.Storage;

/// <summary>
/// The hash of a case record that tells a night it changed (<see cref="CaseInputs"/>): the stores keep it, so it must stay
/// what it was when they stored it, or every stored case would look changed after an upgrade. It is taken over each
/// stored value's text, written into one reused buffer; these tests compare it with the joined text's SHA-256, the form
/// it has always been defined by.
/// </summary>
public class CaseInputsTests
{
    private static readonly DateTimeOffset Opened = DateTimeOffset.Parse("2026-11-20T09:15:00+05:30");

    /// <summary>The definition: each stored value's invariant text (absent: U+0000) followed by U+001F, as UTF-8, SHA-256, first 8 bytes.</summary>
    private static long Joined(CaseRecord ticket)
    {
        var text = new StringBuilder();
        foreach (var field in InputDescriptions.Cases.Fields)
        {
            text.Append(field.StoredValue(ticket) is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) : "\u0000").Append('\u001f');
        }

        return BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static CaseRecord Case(string id, string customer = "acme", ImmutableArray<string> tags = default, ImmutableArray<StatusEvent> events = default) =>
        new(id, customer, "gold", "eu-west", "email", 2, Opened, null, Opened.AddHours(3), tags.IsDefault ? [] : tags, events.IsDefault ? [] : events);

    [Fact]
    public void Hash_HandPickedTexts_EqualsTheJoinedTextsHash()
    {
        CaseRecord[] cases =
        [
            Case("C-1"),
            Case("C-2", tags: ["vip", "a\"b\\c", "line\nbreak", "<tag>&'", "`+"]),
            Case("C-3", customer: "Zürich AG — 東京"),
            Case("C-4", tags: ["emoji 😀", "\u0001\u001f"]),

            // Lone surrogates become U+FFFD in UTF-8; a value always ends before a U+001F, so value by value gives the same bytes.
            Case("C-5\ud800", tags: ["\udc00x", "y\ud83d"]),
            Case("C-6", events: [new StatusEvent(Opened.AddMinutes(5), "waiting_on_customer"), new StatusEvent(Opened.AddMinutes(65), null!)]),
            Case("C-7") with { FirstResponseAt = Opened.AddMinutes(1).ToOffset(TimeSpan.FromHours(-7)), ResolvedAt = null, Severity = 4 },
            Case(new string('x', 5_000), tags: [new string('é', 3_000)]),
        ];

        foreach (var ticket in cases)
        {
            CaseInputs.Hash(ticket).ShouldBe(Joined(ticket), ticket.Id[..Math.Min(8, ticket.Id.Length)]);
        }

        // Any one stored value changed changes the hash (the separator keeps "ab" + "c" apart from "a" + "bc").
        CaseInputs.Hash(Case("C-1", tags: ["ab", "c"])).ShouldNotBe(CaseInputs.Hash(Case("C-1", tags: ["a", "bc"])));
        CaseInputs.Hash(Case("C-1")).ShouldNotBe(CaseInputs.Hash(Case("C-1") with { Severity = 3 }));
    }

    [Fact]
    public void Hash_GeneratedCasesOfBothProfiles_EqualsTheJoinedTextsHash()
    {
        foreach (var profile in new[] { GenerationProfile.Synthetic, GenerationProfile.Realistic })
        {
            foreach (var ticket in new CaseGenerator(20261203, profile).Generate(3_000))
            {
                CaseInputs.Hash(ticket).ShouldBe(Joined(ticket), ticket.Id);
            }
        }
    }
}
