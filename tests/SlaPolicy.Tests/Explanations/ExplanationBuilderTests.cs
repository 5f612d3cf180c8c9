using System.Text.RegularExpressions;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Tests.Explanations;

/// <summary>
/// The explanation as a support lead reads it: the outcome and the reason for the level first, then the story in time
/// order, in the case's own zone, in plain sentences.
/// </summary>
public sealed partial class ExplanationBuilderTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static IReadOnlyList<Decision> Explain(CaseRecord ticket, DateTimeOffset asOf) =>
        SamplePolicyEvaluator.Provider.Current.Evaluate(ticket, asOf, explain: true);

    private static CaseRecord C1001() => new(
        "C-1001", "acme", "gold", "eu-west", "email", 1, DateTimeOffset.Parse("2026-11-20T16:30:00+01:00"),
        DateTimeOffset.Parse("2026-11-20T16:41:00+01:00"), null, ["vip"],
        [new StatusEvent(DateTimeOffset.Parse("2026-11-20T17:00:00+01:00"), "waiting_on_customer"),
         new StatusEvent(DateTimeOffset.Parse("2026-11-21T09:00:00+01:00"), "in_progress")]);

    [Fact]
    public void ForTarget_C1001Resolution_TellsTheStoryInTimeOrderWithTheReasonFirst()
    {
        var steps = Explain(C1001(), AsOf).Single(d => d.Target == "sev1-resolution").Explanation;

        steps.Select(s => s.Kind).ShouldBe(
            ["status", "policy", "target", "clock", "counted", "pause", "counted", "escalation", "escalation", "escalation", "stop", "rule"]);
        // 30 min before the pause + 1080 after it (09:00 on the 21st to 03:00+01:00 on the 22nd) = 1110 of 240; the
        // 100% step was crossed at 240 counted minutes: 30 + 210 after 09:00, so 12:30 on the 21st, Berlin time.
        steps[0].Text.ShouldBe(
            "breached: 1110 min of 4h (240 min) used (462.5%); it was due at 2026-11-21 12:30 +01:00; escalated to level 3 by the 100% step "
            + "of the ladder (duty-manager) and by rule vip-sev2-straight-to-l3");
        steps[5].Text.ShouldBe("paused from 2026-11-20 17:00 to 2026-11-21 09:00 +01:00 while the status was waiting_on_customer: 16h (960 min) not counted");
        steps[6].Text.ShouldBe("18h (1080 min) counted from 2026-11-21 09:00 to 2026-11-22 03:00 +01:00");
        var timed = steps.Where(s => s.At is not null).Select(s => s.At!.Value).ToList();
        timed.ShouldBe(timed.Order().ToList(), "steps with an instant come in time order");
        timed.ShouldAllBe(at => at.Offset == TimeSpan.FromHours(1));
    }

    [Fact]
    public void ForTarget_MetButEscalatedByARule_SaysSoUpFront()
    {
        var response = Explain(C1001(), AsOf).Single(d => d.Target == "sev1-response");

        response.Explanation[0].ShouldBe(new ExplanationStep(
            "status", "met: 11 min of 15 min used (73.3%), but escalated to level 3 by rule vip-sev2-straight-to-l3"));
    }

    [Fact]
    public void ForTarget_BusinessHoursWithWeekendAndPause_TilesCountedPausedAndClosedTime()
    {
        // Severity 4, resolution within 16h of eu-office hours (Mon-Fri 08:00-17:00 Berlin). Opened Friday 15:00, paused
        // Monday 09:00-11:00, evaluated Tuesday 10:00: Fri 15-17 (120) + Mon 08-09 (60) + Mon 11-17 (360) + Tue 08-10
        // (120) = 660 of 960 min, 68.75%. 50% (480 min) fell at Monday 16:00 (180 by 09:00, 300 more after 11:00); 75%
        // (720) falls at Tuesday 11:00 and 100% at Tuesday 15:00, if nothing pauses it.
        var ticket = new CaseRecord(
            "C-4", "acme", "gold", "eu-west", "email", 4, DateTimeOffset.Parse("2026-11-20T15:00:00+01:00"), null, null, [],
            [new StatusEvent(DateTimeOffset.Parse("2026-11-23T09:00:00+01:00"), "waiting_on_customer"),
             new StatusEvent(DateTimeOffset.Parse("2026-11-23T11:00:00+01:00"), "in_progress")]);

        var decision = Explain(ticket, DateTimeOffset.Parse("2026-11-24T09:00:00Z")).Single(d => d.Target == "sev4-resolution");

        decision.ElapsedMinutes.ShouldBe(660);
        decision.DueAt.ShouldBe(DateTimeOffset.Parse("2026-11-24T15:00:00+01:00"));
        var steps = decision.Explanation;
        steps[0].Text.ShouldBe(
            "running: 11h (660 min) of 16h (960 min) used (68.8%); due at 2026-11-24 15:00 +01:00; next: escalate to level 2 (l2-oncall) at 75% at 2026-11-24 11:00 +01:00");
        var periods = steps.Where(s => s.Kind is "counted" or "pause" or "closed").Select(s => (s.Kind, s.Text)).ToList();
        periods.ShouldBe(
        [
            ("counted", "2h (120 min) counted from 2026-11-20 15:00 to 17:00 +01:00"),
            ("closed", "not counted from 2026-11-20 17:00 to 2026-11-23 08:00 +01:00: outside the opening hours of calendar eu-office (Europe/Berlin)"),
            ("counted", "1h (60 min) counted from 2026-11-23 08:00 to 09:00 +01:00"),
            ("pause", "paused from 2026-11-23 09:00 to 11:00 +01:00 while the status was waiting_on_customer: 2h (120 min) not counted"),
            ("counted", "6h (360 min) counted from 2026-11-23 11:00 to 17:00 +01:00"),
            ("closed", "not counted from 2026-11-23 17:00 to 2026-11-24 08:00 +01:00: outside the opening hours of calendar eu-office (Europe/Berlin)"),
            ("counted", "2h (120 min) counted from 2026-11-24 08:00 to 10:00 +01:00"),
        ]);
        steps.Single(s => s.Kind == "escalation").At.ShouldBe(DateTimeOffset.Parse("2026-11-23T16:00:00+01:00"));
    }

    [Fact]
    public void ForTarget_EverySampleDecision_ReadsAsPlainSentences()
    {
        var cases = CaseReader.ReadFile(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl")).Where(r => r.Record is not null).Select(r => r.Record!);

        foreach (var decision in cases.SelectMany(c => Explain(c, AsOf)))
        {
            foreach (var step in decision.Explanation)
            {
                var where = $"{decision.CaseId} {decision.Target} {step.Kind}: {step.Text}";
                step.Text.ShouldNotContain("`", customMessage: where);
                DoubledWord().IsMatch(step.Text).ShouldBeFalse(where);
                step.Text.StartsWith(step.Kind + " ", StringComparison.OrdinalIgnoreCase).ShouldBeFalse($"a page showing the kind beside it would double it: {where}");
            }

            var timed = decision.Explanation.Where(s => s.At is not null).Select(s => s.At!.Value).ToList();
            timed.ShouldBe(timed.Order().ToList(), $"{decision.CaseId} {decision.Target}: steps in time order");
        }
    }

    [GeneratedRegex(@"\b([a-z]+) \1\b", RegexOptions.IgnoreCase)]
    private static partial Regex DoubledWord();
}
