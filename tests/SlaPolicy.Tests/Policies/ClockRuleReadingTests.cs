namespace SlaPolicy.Tests.Policies;

/// <summary>
/// Reading a target's <c>start</c>, <c>stop</c>, <c>pause</c>, <c>cancel</c>, <c>reopen</c> and <c>severityChange</c>:
/// what is read, and each mistake at its <c>file:line:col</c>.
/// </summary>
public class ClockRuleReadingTests
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
    public void Load_Conditions_AreReadAsWritten()
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy("resolution", """
            "start": { "status": "assigned" }, "stop": { "status": ["resolved", "closed"], "type": "reply", "public": true },
                "pause": { "status": "on_hold" }, "cancel": { "field": "resolvedAt" }, "reopen": "newCycle", "severityChange": "fromChange"
            """)));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var target = result.Set.Policies.Single().Targets.Single();
        target.Start!.Statuses.ShouldBe(["assigned"]);
        (target.Start.Location.Line, target.Start.Location.Column).ShouldBe((4, 14));
        target.Stop!.Statuses.ShouldBe(["resolved", "closed"]);
        (target.Stop.Type, target.Stop.Public).ShouldBe(("reply", (bool?)true));
        target.Pause!.Statuses.ShouldBe(["on_hold"]);
        target.Cancel!.Field.ShouldBe("resolvedAt");
        target.Reopen.ShouldBe(ReopenRule.NewCycle);
        target.SeverityChange.ShouldBe(SeverityChangeRule.FromChange);
        target.HasClockRules.ShouldBeTrue();
    }

    [Fact]
    public void Load_NoRules_LeavesTheTargetAsBefore()
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy("resolution", "\"clock\": \"24x7\"")));

        var target = PolicyLoader.Load(dir.Path).Set.Policies.Single().Targets.Single();

        target.HasClockRules.ShouldBeFalse();
        (target.Start, target.Stop, target.Pause, target.Cancel).ShouldBe((null, null, null, null));
    }

    // metric, rules, expected code, line, column, help
    public static TheoryData<string, string, string, int, int, string?> Mistakes => new()
    {
        // An empty condition would match every event: at its brace.
        { "resolution", "\"start\": { }", "SLA2030", 4, 14, null },
        // A field that is no case timestamp, with the close one.
        { "resolution", "\"stop\": { \"field\": \"resolvedat\" }", "SLA2030", 4, 24, "did you mean `resolvedAt`?" },
        // A field and event properties together.
        { "resolution", "\"stop\": { \"field\": \"resolvedAt\", \"public\": true }", "SLA2030", 4, 13, "write two targets, or keep only `field` or only `status`, `type`, `public` and `author`" },
        // reopen on a first-response target.
        { "firstResponse", "\"reopen\": \"resume\"", "SLA2031", 4, 15, "remove `reopen`, or set `\"metric\": \"resolution\"`" },
        // A status a small edit away from a known one is a warning naming it.
        { "resolution", "\"stop\": { \"status\": \"resovled\" }", "SLA2032", 4, 13, "did you mean `resolved`? statuses compare exactly" },
        // A pause on a timestamp.
        { "resolution", "\"pause\": { \"field\": \"openedAt\" }", "SLA2033", 4, 14, null },
        // A misspelt word of reopen or severityChange, and a misspelt property of a condition.
        { "resolution", "\"reopen\": \"newcycle\"", "SLA2010", 4, 15, "did you mean `newCycle`?" },
        { "resolution", "\"severityChange\": \"fromchange\"", "SLA2010", 4, 23, "did you mean `fromChange`?" },
        { "resolution", "\"start\": { \"stauts\": \"assigned\" }", "SLA1002", 4, 16, "did you mean `status`?" },
        // A misspelt rule name is an unknown property of the target.
        { "resolution", "\"reopne\": \"resume\"", "SLA1002", 4, 5, "did you mean `reopen`?" },
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
