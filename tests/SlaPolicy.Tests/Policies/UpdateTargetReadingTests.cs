namespace SlaPolicy.Tests.Policies;

/// <summary>Reading an update target (<c>"metric": "update"</c>, docs/CLOCKS.md "Update targets"): what is read, and each mistake at its <c>file:line:col</c>.</summary>
public class UpdateTargetReadingTests
{
    // The target's own properties go on line 4 (the line numbers below count from this text's first line).
    private static string Policy(string metric, string within, string rules) => $$"""
        {
          "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "tiers": ["gold"] }, "pauseOn": ["waiting_on_customer"],
          "targets": [ { "id": "a", "metric": "{{metric}}", "within": "{{within}}",
            {{rules}} } ]
        }
        """;

    [Fact]
    public void Load_UpdateTarget_IsReadWithItsUpdateCondition()
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy("update", "4h", "\"stop\": { \"type\": \"reply\", \"public\": true }")));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var target = result.Set.Policies.Single().Targets.Single();
        target.Metric.ShouldBe(TargetMetric.Update);
        target.HasClockRules.ShouldBeTrue();
        (target.UpdateCondition.Type, target.UpdateCondition.Public).ShouldBe(("reply", (bool?)true));
        (target.UpdateCondition.Location.Line, target.UpdateCondition.Location.Column).ShouldBe((4, 13));
    }

    [Fact]
    public void Load_UpdateTargetWithoutStop_CountsAnyPublicEvent()
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy("update", "4h", "\"clock\": \"24x7\"")));

        var target = PolicyLoader.Load(dir.Path).Set.Policies.Single().Targets.Single();

        // No stop: an update is any event with public: true, whatever its type and status.
        target.UpdateCondition.Statuses.ShouldBeEmpty();
        (target.UpdateCondition.Type, target.UpdateCondition.Public, target.UpdateCondition.Field).ShouldBe((null, (bool?)true, null));
    }

    // metric, within, rules, expected code, line, column, help
    public static TheoryData<string, string, string, string, int, int, string?> Mistakes => new()
    {
        // reopen and severityChange belong to resolution clocks: at the value.
        { "update", "4h", "\"reopen\": \"resume\"", "SLA2034", 4, 15, "remove `reopen`, or set `\"metric\": \"resolution\"`" },
        { "update", "4h", "\"severityChange\": \"fromChange\"", "SLA2034", 4, 23, "remove `severityChange`, or set `\"metric\": \"resolution\"`" },
        // An update on a case timestamp happens once: at the stop's brace.
        { "update", "4h", "\"stop\": { \"field\": \"firstResponseAt\" }", "SLA2035", 4, 13, null },
        // A misspelt metric is a bad value with the close one.
        { "updte", "4h", "\"clock\": \"24x7\"", "SLA2010", 3, 39, "did you mean `update`?" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Load_Mistake_IsReportedAtItsPlace(string metric, string within, string rules, string code, int line, int column, string? help)
    {
        using var dir = new TempPolicyDirectory(("p.json", Policy(metric, within, rules)));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column, diagnostic.Help).ShouldBe((code, line, column, help));
    }
}
