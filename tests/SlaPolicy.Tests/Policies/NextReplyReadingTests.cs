namespace SlaPolicy.Tests.Policies;

/// <summary>
/// Reading a next-reply target (<c>"metric": "nextReply"</c>, docs/CLOCKS.md "Next reply targets") and the <c>author</c> of
/// a condition: what is read, and each mistake at its <c>file:line:col</c>.
/// </summary>
public class NextReplyReadingTests
{
    // The target's own properties go on line 4 (the line numbers below count from this text's first line).
    private static string Policy(string metric, string rules) => $$"""
        {
          "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "tiers": ["gold"] }, "pauseOn": ["waiting_on_customer"],
          "targets": [ { "id": "a", "metric": "{{metric}}", "within": "4h",
            {{rules}} } ]
        }
        """;

    [Fact]
    public void Load_NextReplyTarget_IsReadWithItsConditions()
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy("nextReply", "\"start\": { \"author\": \"customer\", \"type\": \"email\" }, \"stop\": { \"author\": \"agent\", \"public\": true }")));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var target = result.Set.Policies.Single().Targets.Single();
        target.Metric.ShouldBe(TargetMetric.NextReply);
        target.HasClockRules.ShouldBeTrue();
        (target.CustomerMessage.Author, target.CustomerMessage.Type).ShouldBe(("customer", "email"));
        (target.Reply.Author, target.Reply.Public, target.Reply.NotPrivate).ShouldBe(("agent", (bool?)true, false));
        (target.CustomerMessage.Location.Line, target.CustomerMessage.Location.Column).ShouldBe((4, 14));
        target.CustomerMessage.Describe().ShouldBe("type email, author customer");
    }

    [Fact]
    public void Load_NextReplyTargetWithoutConditions_WaitsFromCustomerMessagesToAgentReplies()
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy("nextReply", "\"clock\": \"24x7\"")));

        var target = PolicyLoader.Load(dir.Path).Set.Policies.Single().Targets.Single();

        // No start: a customer message is any event by the customer; no stop: a reply is any event by an agent that is
        // not marked public: false (an agent's event without the flag is a reply).
        (target.CustomerMessage.Author, target.CustomerMessage.Public, target.CustomerMessage.NotPrivate).ShouldBe(("customer", (bool?)null, false));
        (target.Reply.Author, target.Reply.Public, target.Reply.NotPrivate).ShouldBe(("agent", (bool?)null, true));
        target.Reply.Matches(new StatusEvent(DateTimeOffset.UnixEpoch, "in_progress") { Author = "agent" }).ShouldBeTrue();
        target.Reply.Matches(new StatusEvent(DateTimeOffset.UnixEpoch, "in_progress") { Author = "agent", Public = false }).ShouldBeFalse();
        target.Reply.Matches(new StatusEvent(DateTimeOffset.UnixEpoch, "in_progress") { Author = "Agent" }).ShouldBeFalse();
        target.Reply.Describe().ShouldBe("author agent, not marked private");
    }

    [Fact]
    public void Load_AuthorOnAnyTargetsCondition_IsRead()
    {
        // `author` is a condition property like `type`: a first-response target can stop at the first agent reply.
        using var dir = new TempPolicyDirectory(("p.json", Policy("firstResponse", "\"stop\": { \"author\": \"agent\" }")));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        result.Set.Policies.Single().Targets.Single().Stop!.Author.ShouldBe("agent");
    }

    // metric, rules, expected code, line, column, help
    public static TheoryData<string, string, string, int, int, string?> Mistakes => new()
    {
        // reopen and severityChange belong to resolution clocks: at the value.
        { "nextReply", "\"reopen\": \"newCycle\"", "SLA2036", 4, 15, "remove `reopen`, or set `\"metric\": \"resolution\"`" },
        { "nextReply", "\"severityChange\": \"fromOpening\"", "SLA2036", 4, 23, "remove `severityChange`, or set `\"metric\": \"resolution\"`" },
        // Messages and replies on a case timestamp happen once: at the condition's brace.
        { "nextReply", "\"start\": { \"field\": \"openedAt\" }", "SLA2037", 4, 14, null },
        { "nextReply", "\"stop\": { \"field\": \"firstResponseAt\" }", "SLA2037", 4, 13, null },
        // An author that is not a string is a value of the wrong type, at the value.
        { "nextReply", "\"stop\": { \"author\": 7 }", "SLA1003", 4, 25, null },
        // A misspelt metric is a bad value with the close one.
        { "nextreply", "\"clock\": \"24x7\"", "SLA2010", 3, 39, "did you mean `nextReply`?" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Load_Mistake_IsReportedAtItsPlace(string metric, string rules, string code, int line, int column, string? help)
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy(metric, rules)));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Help).ShouldBe((code, line, column, help));
    }
}
