using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Tests.Evaluation;

public sealed class CaseEvaluatorTests : IDisposable
{
    private const string Calendar = """
        { "id": "eu-office", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" },
          "holidays": ["2026-12-24", "2026-12-25"] }
        """;

    private const string Baseline = """
        {
          "id": "baseline", "version": "1", "effective": { "from": "2026-01-01" },
          "pauseOn": ["waiting_on_customer"],
          "escalations": [
            { "at": "50%", "action": "notify", "to": "team-lead" },
            { "at": "75%", "action": "escalate", "level": 2, "to": "l2-oncall" },
            { "at": "100%", "action": "escalate", "level": 3, "to": "duty-manager" }
          ]
        }
        """;

    private const string Gold = """
        {
          "id": "acme-gold", "version": "2026.2", "effective": { "from": "2026-01-01" },
          "extends": "baseline",
          "appliesTo": { "customers": ["acme"], "tiers": ["gold"] },
          "calendar": "eu-office",
          "targets": [
            { "id": "sev1-response", "metric": "firstResponse", "severity": [1], "within": "15m", "clock": "24x7" },
            { "id": "sev1-resolution", "metric": "resolution", "severity": [1], "within": "4h", "clock": "24x7" },
            { "id": "sev4-resolution", "metric": "resolution", "severity": [4], "within": "16h", "clock": "business" }
          ],
          "rules": [
            { "RuleName": "vip-sev2-straight-to-l3", "Expression": "ticket.Severity <= 2 && ticket.Tags.Contains(\"vip\")", "SuccessEvent": "escalate:3" }
          ]
        }
        """;

    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly PolicyDirectory _policies = new(new Dictionary<string, string>
    {
        ["calendars/eu-office.json"] = Calendar,
        ["baseline.json"] = Baseline,
        ["acme-gold.json"] = Gold,
    });

    private readonly CaseEvaluator _evaluator;

    public CaseEvaluatorTests()
    {
        var compilation = PolicyPipeline.LoadAndCompile(_policies.Path);
        compilation.Diagnostics.ShouldBeEmpty();
        _evaluator = compilation.CreateEvaluator();
    }

    public void Dispose() => _policies.Dispose();

    private static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static CaseRecord C1001(params string[] tags) => new(
        "C-1001", "acme", "gold", "eu-west", "email", 1,
        T("2026-11-20T16:30:00+01:00"), T("2026-11-20T16:41:00+01:00"), null,
        [.. tags],
        [new StatusEvent(T("2026-11-20T17:00:00+01:00"), "waiting_on_customer"), new StatusEvent(T("2026-11-21T09:00:00+01:00"), "in_progress")]);

    [Fact]
    public void Evaluate_DesignExampleCase_BreachesResolutionWithPauseExcluded()
    {
        var decisions = _evaluator.Evaluate(C1001(), AsOf, explain: false);

        decisions.Select(d => d.Target).ShouldBe(["sev1-response", "sev1-resolution"]);
        var resolution = decisions.Single(d => d.Target == "sev1-resolution");
        // Counted: 16:30-17:00 (30 min) + 21st 09:00 to 22nd 03:00 local (18 h = 1080 min) = 1110 min;
        // paused 17:00-09:00 = 16 h = 960 min; due = 09:00 + (240 - 30) min = 12:30 on the 21st.
        resolution.Status.ShouldBe(DecisionStatus.Breached);
        resolution.ElapsedMinutes.ShouldBe(1110);
        resolution.PausedMinutes.ShouldBe(960);
        resolution.PercentUsed.ShouldBe(462.5);
        resolution.DueAt.ShouldBe(T("2026-11-21T12:30:00+01:00"));
        resolution.DueAt!.Value.Offset.ShouldBe(TimeSpan.FromHours(1));
        resolution.EscalationLevel.ShouldBe(3);
        resolution.Policy.ShouldBe("acme-gold");
        resolution.PolicyVersion.ShouldBe("2026.2");
        resolution.PolicyFile!.ShouldEndWith("acme-gold.json");
        resolution.PolicyLine.ShouldBe(8); // the sev1-resolution target's line in acme-gold.json

        // First response at 16:41: 11 minutes against 15, stopped before the pause.
        var response = decisions.Single(d => d.Target == "sev1-response");
        response.Status.ShouldBe(DecisionStatus.Met);
        response.ElapsedMinutes.ShouldBe(11);
        response.EscalationLevel.ShouldBe(0); // 11/15 = 73% < 75%: only the notify step, which has no level
    }

    [Fact]
    public void Evaluate_VipTag_CustomRuleEscalatesToLevelThree()
    {
        // The response target used 73%: no escalation step with a level is reached, but the custom rule
        // for vip cases of severity <= 2 raises the level to 3.
        var response = _evaluator.Evaluate(C1001("vip"), AsOf, explain: false).Single(d => d.Target == "sev1-response");
        response.EscalationLevel.ShouldBe(3);
    }

    [Fact]
    public void Evaluate_UncoveredCase_GivesNoPolicyDecision()
    {
        var ticket = C1001() with { Id = "C-9", Customer = "unknown" };

        var decision = _evaluator.Evaluate(ticket, AsOf, explain: true).ShouldHaveSingleItem();

        decision.Status.ShouldBe(DecisionStatus.NoPolicy);
        decision.Explanation.ShouldHaveSingleItem().Text.ShouldContain("no policy covers customer unknown,");
    }

    [Fact]
    public void Evaluate_WithExplanation_NamesPolicyFileLinePausesAndEscalations()
    {
        var resolution = _evaluator.Evaluate(C1001("vip"), AsOf, explain: true).Single(d => d.Target == "sev1-resolution");

        var kinds = resolution.Explanation.Select(s => s.Kind).ToList();
        kinds.ShouldContain("policy");
        kinds.ShouldContain("pause");
        kinds.ShouldContain("rule");
        resolution.Explanation.Single(s => s.Kind == "target").Location!.Value.Line.ShouldBe(8);
        var escalations = resolution.Explanation.Where(s => s.Kind == "escalation").ToList();
        escalations.Count.ShouldBe(3);
        // 75% of 240 min = 180 min: 30 before the pause, 150 after 09:00 -> 11:30 local on the 21st.
        escalations[1].At.ShouldBe(T("2026-11-21T11:30:00+01:00"));
        escalations[1].Location!.Value.File.ShouldEndWith("baseline.json");
    }

    [Fact]
    public void Evaluate_BusinessTarget_CountsOnlyOfficeHours()
    {
        // Severity 4 opened Friday 2026-11-20 16:00 Berlin: Friday 16:00-17:00 = 60 min, Monday 08:00-17:00 = 540,
        // Tuesday 08:00-10:00 = 120 -> 720 min at Tuesday 10:00 local (09:00Z) of 960 within.
        var ticket = new CaseRecord("C-4", "acme", "gold", "eu-west", "crm", 4, T("2026-11-20T16:00:00+01:00"), null, null, [], []);

        var decision = _evaluator.Evaluate(ticket, T("2026-11-24T09:00:00Z"), explain: false).ShouldHaveSingleItem();

        decision.Status.ShouldBe(DecisionStatus.Running);
        decision.ElapsedMinutes.ShouldBe(720);
        // 240 min left from Tuesday 10:00: due Tuesday 14:00 local.
        decision.DueAt.ShouldBe(T("2026-11-24T14:00:00+01:00"));
        decision.EscalationLevel.ShouldBe(2);
    }

    [Fact]
    public void Evaluate_IsDeterministic_ForSameInputs()
    {
        var first = _evaluator.Evaluate(C1001("vip"), AsOf, explain: true);
        var second = _evaluator.Evaluate(C1001("vip"), AsOf, explain: true);

        first.Select(d => (d.Target, d.Status, d.ElapsedMinutes, d.Explanation.Length))
            .ShouldBe(second.Select(d => (d.Target, d.Status, d.ElapsedMinutes, d.Explanation.Length)));
    }
}
