namespace SlaPolicy.Tests.Policies;

public class LayeringTests
{
    private const string Calendar = """
        { "id": "office", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" } }
        """;

    private const string BaseV1 = """
        {
          "id": "base", "version": "1",
          "effective": { "from": "2026-01-01", "to": "2026-07-01" },
          "calendar": "office",
          "pauseOn": ["waiting_on_customer"],
          "targets": [
            { "id": "sev1-response", "metric": "firstResponse", "severity": [1], "within": "15m" },
            { "id": "sev1-resolution", "metric": "resolution", "severity": [1], "within": "4h" }
          ],
          "escalations": [
            { "id": "notify", "at": "50%", "action": "notify", "to": "team-lead" },
            { "at": "100%", "action": "escalate", "level": 3, "to": "duty-manager" }
          ],
          "rules": [ { "RuleName": "vip", "Expression": "ticket.Tags.Contains(\"vip\")", "SuccessEvent": "escalate:3" } ]
        }
        """;

    private const string BaseV2 = """
        {
          "id": "base", "version": "2",
          "effective": { "from": "2026-07-01" },
          "targets": [ { "id": "sev1-response", "metric": "firstResponse", "severity": [1], "within": "5m" } ]
        }
        """;

    private const string Child = """
        {
          "id": "child", "version": "1",
          "effective": { "from": "2026-03-01" },
          "extends": "base",
          "appliesTo": { "tiers": ["gold"] },
          "targets": [
            { "id": "sev1-resolution", "metric": "resolution", "severity": [1], "within": "2h" },
            { "id": "sev2-resolution", "metric": "resolution", "severity": [2], "within": "8h", "clock": "business" }
          ],
          "escalations": [
            { "id": "notify", "at": "40%", "action": "notify", "to": "account-manager" },
            { "at": "100%", "action": "escalate", "level": 2, "to": "l2-oncall" }
          ],
          "rules": [ { "RuleName": "vip", "Expression": "ticket.Severity <= 2", "SuccessEvent": "escalate:3" } ]
        }
        """;

    [Fact]
    public void Load_ChildOverridesSameIdTermsAndKeepsTheRest()
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendar), ("base-1.json", BaseV1), ("base-2.json", BaseV2), ("child.json", Child));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var child = result.Set.Policies.Single(p => p.Id == "child");
        // Parent order first (sev1-response inherited, sev1-resolution replaced in place), then the child's new target.
        child.Targets.Select(t => (t.Id, t.Within, t.DefinedBy)).ShouldBe(
        [
            ("sev1-response", TimeSpan.FromMinutes(15), "base"),
            ("sev1-resolution", TimeSpan.FromHours(2), "child"),
            ("sev2-resolution", TimeSpan.FromHours(8), "child"),
        ]);
        child.Targets[0].Location.File.ShouldBe(Path.Join(dir.Path, "base-1.json"));
        child.Targets[0].Location.Line.ShouldBe(7);
        child.Targets[1].Location.File.ShouldBe(Path.Join(dir.Path, "child.json"));
        child.Extends.ShouldBe("base");
        child.File.ShouldBe(Path.Join(dir.Path, "child.json"));
        child.IsAbstract.ShouldBeFalse();
    }

    [Fact]
    public void Load_EscalationsOverrideByIdOrByThreshold()
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendar), ("base-1.json", BaseV1), ("child.json", Child));

        var child = PolicyLoader.Load(dir.Path).Set.Policies.Single(p => p.Id == "child");

        // `notify` is replaced by id (50% -> 40%); the id-less 100% step is replaced by threshold (level 3 -> 2).
        child.Escalations.Select(e => (e.AtPercent, e.To, e.Level, e.DefinedBy)).ShouldBe(
        [
            (40m, "account-manager", (int?)null, "child"),
            (100m, "l2-oncall", (int?)2, "child"),
        ]);
    }

    [Fact]
    public void Load_RulesOverrideByNameAndScalarsInheritWhenAbsent()
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendar), ("base-1.json", BaseV1), ("child.json", Child));

        var child = PolicyLoader.Load(dir.Path).Set.Policies.Single(p => p.Id == "child");

        child.Rules.Single().Expression.ShouldBe("ticket.Severity <= 2");
        child.Rules.Single().DefinedBy.ShouldBe("child");
        child.Calendar.ShouldBe("office");
        child.PauseOn.ShouldBe(["waiting_on_customer"]);
    }

    [Fact]
    public void Load_InheritsTheParentVersionInEffectOnTheChildsStart()
    {
        var laterChild = Child.Replace("\"id\": \"child\"", "\"id\": \"late\"").Replace("2026-03-01", "2026-08-01")
            .Replace("\"appliesTo\": { \"tiers\": [\"gold\"] }", "\"appliesTo\": { \"tiers\": [\"silver\"] }, \"calendar\": \"office\"");
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendar), ("base-1.json", BaseV1), ("base-2.json", BaseV2), ("child.json", Child), ("late.json", laterChild));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        // child starts 2026-03-01, within base 1 (15m); late starts 2026-08-01, within base 2 (5m).
        result.Set.Policies.Single(p => p.Id == "child").Targets[0].Within.ShouldBe(TimeSpan.FromMinutes(15));
        var late = result.Set.Policies.Single(p => p.Id == "late");
        late.Targets[0].Within.ShouldBe(TimeSpan.FromMinutes(5));
        late.Targets.Select(t => t.Id).ShouldBe(["sev1-response", "sev1-resolution", "sev2-resolution"]);
    }

    [Fact]
    public void Load_BaselineWithoutAppliesTo_IsAbstract()
    {
        using var dir = new TempPolicyDirectory(("calendars/office.json", Calendar), ("base-1.json", BaseV1));

        PolicyLoader.Load(dir.Path).Set.Policies.Single().IsAbstract.ShouldBeTrue();
    }

    [Fact]
    public void Load_RuleExpressionLocation_PointsAtTheFirstCharacterOfTheExpressionText()
    {
        const string json = """
            {
              "id": "rules", "version": "1", "effective": { "from": "2026-01-01" },
              "rules": [
                { "RuleName": "r", "Expression": "ticket.Severity == 1",
                  "LocalParams": [ { "Name": "p", "Expression": "clock.PercentUsed" } ] }
              ]
            }
            """;
        using var dir = new TempPolicyDirectory(("rules.json", json));

        var rule = PolicyLoader.Load(dir.Path).Set.Policies.Single().Rules.Single();

        // Line 4 is `    { "RuleName": "r", "Expression": "ticket...`: the opening quote of the value is column 38,
        // so the `t` of `ticket` is column 39.
        rule.ExpressionLocation.ShouldBe(new SourceLocation(Path.Join(dir.Path, "rules.json"), 4, 39));
        // Line 5 is `      "LocalParams": [ { "Name": "p", "Expression": "clock...`: quote at 53, `c` at 54.
        rule.LocalParams.Single().ExpressionLocation.ShouldBe(new SourceLocation(Path.Join(dir.Path, "rules.json"), 5, 54));
        rule.Location.Line.ShouldBe(4);
        rule.Location.Column.ShouldBe(5);
    }

    [Fact]
    public void Load_ErrorsInSeveralFiles_AreAllReportedInOneRun()
    {
        using var dir = new TempPolicyDirectory(
            ("a.json", """{ "id": "a", "version": "1", "effective": { "from": "2026-01-01" }, "extends": "nobody" }"""),
            ("b.json", """{ "id": "b", "version": "1", "effective": { "from": "2026-01-01" }, "targets": [ { "id": "t", "metric": "resolution", "within": "4x" } ] }"""),
            ("c.json", """{ "id": "c" """));

        var codes = PolicyLoader.Load(dir.Path).Diagnostics.Select(d => d.Code);

        codes.ShouldBe(["SLA2006", "SLA2001", "SLA1001"]);
    }
}
