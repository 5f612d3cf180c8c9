using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Evaluation;

/// <summary>
/// The sample cases of umbrella's platinum agreement (C-7201 to C-7215) under policies/customers/umbrella-platinum-2026.1.json:
/// start, stop, pause and cancel conditions, reopens resumed and as new cycles, severity changes, update and next-reply
/// targets. Worked by hand; every
/// instant is Berlin time (+01:00 in November), the evaluation time is Sun 22 Nov 03:00.
/// </summary>
public class UmbrellaSampleTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture);

    private static readonly Lazy<(CaseEvaluator Evaluator, List<CaseRecord> Cases)> Samples = new(() =>
    {
        var compilation = PolicyPipeline.LoadAndCompile(PolicyTestFiles.SamplePolicies);
        compilation.Diagnostics.ShouldBeEmpty();
        var cases = CaseReader.ReadFile(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl"))
            .Select(r => r.Record!).Where(c => c.Id.StartsWith("C-72", StringComparison.Ordinal)).ToList();
        return (compilation.CreateEvaluator(), cases);
    });

    /// <summary>One expected decision: case, target, status, due (local ISO, or null), elapsed and paused minutes.</summary>
    public sealed record Row(string Case, string Target, DecisionStatus Status, string? Due, double Elapsed, double Paused)
    {
        public override string ToString() => $"{Case} {Target}";
    }

    public static TheoryData<Row> Rows => new()
    {
        // C-7201: assigned 09:20, an internal note at 09:40 (the case's firstResponseAt), the public reply at 10:05.
        // first-reply starts at assignment and stops at the public reply: 45 of 60 min, due 09:20 + 1h = 10:20.
        new("C-7201", "first-reply", DecisionStatus.Met, "2026-11-16T10:20:00+01:00", 45, 0),
        // No condition on the resolution clock but the reopen rule, never used: 09:00-14:00, 300 of 480 min, due 17:00.
        new("C-7201", "urgent-resolution", DecisionStatus.Met, "2026-11-16T17:00:00+01:00", 300, 0),

        // C-7202: assigned 10:10, marked duplicate 10:30: both targets cancelled, with the time they had counted.
        new("C-7202", "first-reply", DecisionStatus.Cancelled, null, 20, 0),
        new("C-7202", "urgent-resolution", DecisionStatus.Cancelled, null, 30, 0),

        // C-7203: resolved 11:00, reopened 13:00, resolved 15:00; reopen = resume: 08:00-11:00 (180) + 13:00-15:00 (120)
        // = 300 min; the 120 min resolved are not counted (paused). Due: 180 at 11:00, 300 more from 13:00 = 18:00.
        new("C-7203", "first-reply", DecisionStatus.Met, "2026-11-18T09:05:00+01:00", 25, 0),
        new("C-7203", "urgent-resolution", DecisionStatus.Met, "2026-11-18T18:00:00+01:00", 300, 120),

        // C-7204 (severity 3): reopen = newCycle. Cycle 1 Thu 12 09:00 to Fri 13 09:00 = 1440 of 1440 min, met (a stop at
        // the due time is met); cycle 2 Mon 16 10:00 to Tue 17 12:00 = 26 h = 1560 min, breached at Tue 10:00. The
        // decision carries the first breached cycle.
        new("C-7204", "standard-resolution", DecisionStatus.Breached, "2026-11-17T10:00:00+01:00", 1560, 0),
        // fix-plan: 2bd from triage (Thu 09:45, 1 h 45 into the 08:00-17:00 day), so due Mon 16 09:45 (Thu, Fri, Mon);
        // stopped by plan_agreed Thu 16:00: 09:45-16:00 = 375 min.
        new("C-7204", "fix-plan", DecisionStatus.Met, "2026-11-16T09:45:00+01:00", 375, 0),

        // C-7205: opened severity 3 at 09:00, raised to 1 at 15:00, resolved 20:00; severityChange = fromChange.
        // 09:00-15:00 is 360 min of standard-resolution's 1440: 25% used. The rest, 75% of urgent-resolution's 480 min, is
        // 360 min: the case's length is 360 + 360 = 720 min, due 21:00. Resolved at 660 min: met (fromOpening: breached).
        new("C-7205", "urgent-resolution", DecisionStatus.Met, "2026-11-19T21:00:00+01:00", 660, 0),
        // fix-plan follows the case's opening severity (no severityChange): triaged Thu 09:20, 1 h 20 into the day, so
        // due Mon 23 09:20; Thu 09:20-17:00 (460) + Fri 08:00-17:00 (540) = 1000 of 1080 min by Sunday.
        new("C-7205", "fix-plan", DecisionStatus.Running, "2026-11-23T09:20:00+01:00", 1000, 0),

        // C-7206: waiting on the customer 09:00-11:00, severity 2 -> 1 at 12:00 (the same 8 h target): the 120 min paused
        // are kept. 08:00-09:00 (60) + 11:00-15:00 (240) = 300 min; due 08:00 + 8 h + 2 h paused = 18:00.
        new("C-7206", "urgent-resolution", DecisionStatus.Met, "2026-11-20T18:00:00+01:00", 300, 120),

        // C-7207: never assigned nor triaged: first-reply and fix-plan are pending; standard-resolution runs from Sat 10:00:
        // 17 h = 1020 min by Sun 03:00, due Sun 10:00.
        new("C-7207", "first-reply", DecisionStatus.Pending, null, 0, 0),
        new("C-7207", "standard-resolution", DecisionStatus.Running, "2026-11-22T10:00:00+01:00", 1020, 0),
        new("C-7207", "fix-plan", DecisionStatus.Pending, null, 0, 0),

        // C-7208: a reply that is not public at 14:20 does not stop first-reply; the public reply at 16:00 does: 120 of 60 min,
        // breached at 15:00. fix-plan: triaged Wed 14:30 (6 h 30 into the day), due Fri 20 14:30; plan agreed Thu 09:00:
        // Wed 14:30-17:00 (150) + Thu 08:00-09:00 (60) = 210 min.
        new("C-7208", "first-reply", DecisionStatus.Breached, "2026-11-18T15:00:00+01:00", 120, 0),
        new("C-7208", "fix-plan", DecisionStatus.Met, "2026-11-20T14:30:00+01:00", 210, 0),

        // C-7209: marked duplicate the morning after its resolution: a cancel after the stop changes nothing, and is no
        // reopen. 13:00-16:00 = 180 min, due 21:00.
        new("C-7209", "urgent-resolution", DecisionStatus.Met, "2026-11-19T21:00:00+01:00", 180, 0),

        // C-7210: resolved Fri 18:00 (resolvedAt cleared by the reopen), reopened Sat 09:00, waiting on the customer from
        // 10:00: 16:00-18:00 (120) + 09:00-10:00 (60) = 180 min; paused 18:00-09:00 (900) + 10:00-03:00 (1020) = 1920.
        new("C-7210", "urgent-resolution", DecisionStatus.Paused, null, 180, 1920),

        // customer-updates (severity 1-2, a gap of at most 4 business hours = 240 min between public replies, until the
        // resolution, on eu-office: Mon-Fri 08:00-17:00; every gap below but C-7209's and C-7210's is inside one working day).
        // C-7201: 09:00-10:05 (65), 10:05-14:00 (235, the worst): met, due 10:05 + 4 h = 14:05.
        new("C-7201", "customer-updates", DecisionStatus.Met, "2026-11-16T14:05:00+01:00", 235, 0),
        // C-7202: marked duplicate at 10:30, in the first gap: cancelled after 30 min, no due time.
        new("C-7202", "customer-updates", DecisionStatus.Cancelled, null, 30, 0),
        // C-7203: 08:00-08:30 (30), then no public reply until the resolution at 15:00 (the resolved/reopened events are no
        // resolution of the case): 08:30-15:00 = 390 min, breached at 12:30.
        new("C-7203", "customer-updates", DecisionStatus.Breached, "2026-11-18T12:30:00+01:00", 390, 0),
        // C-7206: 08:00-08:15 (15), 08:15-15:00 = 405 min less 09:00-11:00 waiting on the customer (120) = 285: breached at
        // 08:15 + 240 + 120 paused = 14:15.
        new("C-7206", "customer-updates", DecisionStatus.Breached, "2026-11-20T14:15:00+01:00", 285, 120),
        // C-7209 (Thu 19): 13:00-13:30 (30), 13:30-16:00 (150, the worst): met; due 13:30 + 4 business h = Thu 13:30-17:00
        // (210) + Fri 08:00-08:30 (30) = Fri 08:30. The duplicate after the resolution changes nothing.
        new("C-7209", "customer-updates", DecisionStatus.Met, "2026-11-20T08:30:00+01:00", 150, 0),
        // C-7210, open: Fri 20 16:00-16:10 (10), then from Fri 16:10: 16:10-17:00 (50) counted, the weekend closed, waiting
        // on the customer from Sat 10:00 (no business time paused by Sun 03:00): paused at asOf, 50 min, no due time.
        new("C-7210", "customer-updates", DecisionStatus.Paused, null, 50, 0),

        // next-reply (severity 1-2, each customer message answered by a public agent reply within 2 business hours = 120
        // min on eu-office, Mon-Fri 08:00-17:00; messages before the first response wait with the opening).
        // C-7201 to C-7210 have no author on their events: no customer message waited. Resolved: met with nothing counted
        // and no due time; C-7210, open: pending; C-7202, marked duplicate: cancelled.
        new("C-7201", "next-reply", DecisionStatus.Met, null, 0, 0),
        new("C-7202", "next-reply", DecisionStatus.Cancelled, null, 0, 0),
        new("C-7210", "next-reply", DecisionStatus.Pending, null, 0, 0),
        // C-7211 (Mon 16): the opening message at 09:00 is answered at 09:30 (the first response); waits 10:00-11:15 (75)
        // and 13:00-14:30 (90, the worst): met, due 13:00 + 2 h = 15:00.
        new("C-7211", "next-reply", DecisionStatus.Met, "2026-11-16T15:00:00+01:00", 90, 0),
        // C-7212 (Tue 17): messages at 09:00 and 10:30 before any reply are one wait from the oldest; the internal note at
        // 11:00 (not public) is no reply; the public reply at 11:40 ends it: 160 min, breached at 09:00 + 2 h = 11:00.
        new("C-7212", "next-reply", DecisionStatus.Breached, "2026-11-17T11:00:00+01:00", 160, 0),
        // C-7213: the message of Wed 18 16:30 waits over the night to the reply Thu 09:00: 16:30-17:00 (30) + 08:00-09:00
        // (60) = 90; met, due 30 min into Wednesday's close + 90 on Thursday = Thu 09:30.
        new("C-7213", "next-reply", DecisionStatus.Met, "2026-11-19T09:30:00+01:00", 90, 0),
        // C-7214, open: the message of Fri 20 15:30 has no reply by Sun 03:00: 15:30-17:00 = 90 counted, the weekend
        // closed; running, due Mon 23 08:30 (30 min left).
        new("C-7214", "next-reply", DecisionStatus.Running, "2026-11-23T08:30:00+01:00", 90, 0),
        // C-7215, open: the message at 11:10 came before the first response (11:45) and waits with the opening; the one at
        // 13:00 is answered at 13:20 (20 min). Nothing waits at asOf: pending, with the worst wait's 20 min, no due time.
        new("C-7215", "next-reply", DecisionStatus.Pending, null, 20, 0),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_UmbrellaSampleCase(Row row)
    {
        var (evaluator, cases) = Samples.Value;
        var decision = evaluator.Evaluate(cases.Single(c => c.Id == row.Case), AsOf, explain: false).Single(d => d.Target == row.Target);

        decision.Policy.ShouldBe("umbrella-platinum");
        decision.Status.ShouldBe(row.Status);
        decision.DueAt.ShouldBe(row.Due is null ? null : DateTimeOffset.Parse(row.Due, CultureInfo.InvariantCulture));
        decision.ElapsedMinutes.ShouldBe(row.Elapsed, 1e-9);
        decision.PausedMinutes.ShouldBe(row.Paused, 1e-9);
    }

    [Fact]
    public void Evaluate_SeverityRaised_ChoosesTheTargetOfTheSeverityInForce()
    {
        // C-7205 opened severity 3 and was raised to 1: urgent-resolution (severity 1-2, with severityChange) replaces
        // standard-resolution; fix-plan, which has no severityChange, follows the case's severity field as before.
        var (evaluator, cases) = Samples.Value;

        var decisions = evaluator.Evaluate(cases.Single(c => c.Id == "C-7205"), AsOf, explain: false);

        decisions.Select(d => d.Target).ShouldBe(["first-reply", "urgent-resolution", "fix-plan"]);
        decisions.Single(d => d.Target == "urgent-resolution").Severity.ShouldBe(1);
        decisions.Single(d => d.Target == "urgent-resolution").SeverityHistory.ShouldBe(
            "severity 3 (standard-resolution, 1d (1440 min)) from 2026-11-19 09:00 +01:00, 6h (360 min) counted, 25% of it used; " +
            "severity 1 (urgent-resolution, 8h (480 min)) from 2026-11-19 15:00 +01:00");
    }

    [Fact]
    public void Evaluate_NewCycle_CarriesEveryCycle()
    {
        var (evaluator, cases) = Samples.Value;

        var decision = evaluator.Evaluate(cases.Single(c => c.Id == "C-7204"), AsOf, explain: false).Single(d => d.Target == "standard-resolution");

        decision.Cycles.Select(c => (c.Number, c.Start, c.Stop, c.ElapsedMinutes, c.Status)).ShouldBe(
        [
            (1, At("2026-11-12T09:00:00+01:00"), At("2026-11-12T09:00:00+01:00").AddDays(1), 1440.0, DecisionStatus.Met),
            (2, At("2026-11-16T10:00:00+01:00"), (DateTimeOffset?)At("2026-11-17T12:00:00+01:00"), 1560.0, DecisionStatus.Breached),
        ]);
    }

    [Fact]
    public void Explain_EveryRuleStepPointsAtItsTerm()
    {
        var (evaluator, cases) = Samples.Value;

        var reply = evaluator.Evaluate(cases.Single(c => c.Id == "C-7201"), AsOf, explain: true).Single(d => d.Target == "first-reply");
        var cycles = evaluator.Evaluate(cases.Single(c => c.Id == "C-7204"), AsOf, explain: true).Single(d => d.Target == "standard-resolution");
        var severity = evaluator.Evaluate(cases.Single(c => c.Id == "C-7205"), AsOf, explain: true).Single(d => d.Target == "urgent-resolution");
        var cancelled = evaluator.Evaluate(cases.Single(c => c.Id == "C-7202"), AsOf, explain: true).Single(d => d.Target == "first-reply");
        var pending = evaluator.Evaluate(cases.Single(c => c.Id == "C-7207"), AsOf, explain: true).Single(d => d.Target == "fix-plan");

        // Lines and columns of policies/customers/umbrella-platinum-2026.1.json: start and stop of first-reply on line 12.
        Step(reply, "clock").ShouldBe(("case opened at 2026-11-16 09:00 +01:00; the clock starts at 2026-11-16 09:20 +01:00, when the start condition (status assigned) was met", 12, 16));
        Step(reply, "stop").ShouldBe(("clock stopped at 2026-11-16 10:05 +01:00 by the stop condition (type reply, public)", 12, 50));
        cycles.Explanation.Where(s => s.Kind == "cycle").Select(s => s.Text).ShouldBe(
        [
            "in cycle 1, from 2026-11-12 09:00 +01:00 to 2026-11-13 09:00 +01:00: 1d (1440 min) of 1d (1440 min), met",
            "in cycle 2, from 2026-11-16 10:00 +01:00 to 2026-11-17 12:00 +01:00: 26h (1560 min) of 1d (1440 min), breached (the cycle this decision reports)",
        ]);
        Step(cycles, "reopen").ShouldBe(("resolved at 2026-11-13 09:00 +01:00 and reopened at 2026-11-16 10:00 +01:00: a new cycle starts with the whole target", 19, 54));
        Step(severity, "severity").ShouldBe((
            "the severity changed from 3 to 1 at 2026-11-19 15:00 +01:00: 25% of the earlier targets used carries over; urgent-resolution (8h (480 min)) counts the rest; pauses already counted are kept",
            16, 45));
        Step(cancelled, "stop").ShouldBe(("target cancelled at 2026-11-17 10:30 +01:00, when the cancel condition (status duplicate) was met: not judged", 12, 97));
        Step(pending, "start").ShouldBe(("the start condition (status triaged) was not met by the evaluation time, 2026-11-22 03:00 +01:00", 22, 16));
        pending.Explanation[0].Text.ShouldBe("pending: the start condition has not been met by 2026-11-22 03:00 +01:00; nothing is counted yet");
    }

    [Fact]
    public void DecisionJson_CyclesAndSeverityHistoryOnlyWhenTheyHappened()
    {
        var (evaluator, cases) = Samples.Value;

        var cycles = Json(evaluator.Evaluate(cases.Single(c => c.Id == "C-7204"), AsOf, explain: false).Single(d => d.Target == "standard-resolution"));
        var plain = Json(evaluator.Evaluate(cases.Single(c => c.Id == "C-7201"), AsOf, explain: false).Single(d => d.Target == "urgent-resolution"));

        using var document = JsonDocument.Parse(cycles);
        var first = document.RootElement.GetProperty("cycles")[0];
        (first.GetProperty("cycle").GetInt32(), first.GetProperty("start").GetString(), first.GetProperty("stop").GetString(), first.GetProperty("elapsedMinutes").GetDouble(), first.GetProperty("status").GetString())
            .ShouldBe((1, "2026-11-12T09:00:00+01:00", "2026-11-13T09:00:00+01:00", 1440.0, "met"));
        document.RootElement.GetProperty("cycles").GetArrayLength().ShouldBe(2);
        plain.ShouldNotContain("cycles");
        plain.ShouldNotContain("severityHistory");
    }

    [Fact]
    public void Explain_UpdateTarget_HasAStepPerGapAndNamesTheWorst()
    {
        var (evaluator, cases) = Samples.Value;

        var decision = evaluator.Evaluate(cases.Single(c => c.Id == "C-7206"), AsOf, explain: true).Single(d => d.Target == "customer-updates");

        // The target's stop ({ "type": "reply", "public": true }) is on line 25, column 15 of the policy file.
        var gaps = decision.Explanation.Where(s => s.Kind == "gap").ToList();
        gaps.Select(s => s.Text).ShouldBe(
        [
            "from 2026-11-20 08:00 +01:00 to 2026-11-20 08:15 +01:00 (an update): 15 min counted of 4h (240 min), met (gap 1)",
            "from 2026-11-20 08:15 +01:00 to 2026-11-20 15:00 +01:00 (the resolution): 285 min counted of 4h (240 min), breached (gap 2, the worst, which this decision reports)",
        ]);
        gaps.Select(s => (s.Location!.Value.Line, s.Location.Value.Column)).ShouldBe([(25, 15), (25, 15)]);
        Step(decision, "stop").ShouldBe((
            "the worst gap is gap 2, from 2026-11-20 08:15 +01:00 to 2026-11-20 15:00 +01:00; updates judged until the resolution at 2026-11-20 15:00 +01:00", 25, 15));
        decision.Explanation.Single(s => s.Kind == "pause").Text.ShouldBe("paused from 2026-11-20 09:00 to 11:00 +01:00 while the status was waiting_on_customer: 2h (120 min) not counted");
        decision.Gaps.Select(g => (g.Number, g.ElapsedMinutes, g.Status)).ShouldBe([(1, 15.0, DecisionStatus.Met), (2, 285.0, DecisionStatus.Breached)]);
        var json = Json(decision);
        json.ShouldContain("\"gaps\":[{\"gap\":1,");

        // Gap 2 starts at 08:15, and so do the 45 minutes counted up to the pause: the gap is told first, then what is
        // counted in it.
        var kinds = decision.Explanation.Select(s => s.Kind).ToList();
        var secondGap = kinds.IndexOf("gap", kinds.IndexOf("gap") + 1);
        var counted = decision.Explanation.Select((s, i) => (s, i)).First(x => x.s.Text.StartsWith("45 min counted from 2026-11-20 08:15", StringComparison.Ordinal)).i;
        secondGap.ShouldBeLessThan(counted);
    }

    [Fact]
    public void Explain_NextReplyTarget_HasAStepPerWaitAndNamesTheWorst()
    {
        var (evaluator, cases) = Samples.Value;

        var two = evaluator.Evaluate(cases.Single(c => c.Id == "C-7211"), AsOf, explain: true).Single(d => d.Target == "next-reply");
        var open = evaluator.Evaluate(cases.Single(c => c.Id == "C-7214"), AsOf, explain: true).Single(d => d.Target == "next-reply");
        var none = evaluator.Evaluate(cases.Single(c => c.Id == "C-7201"), AsOf, explain: true).Single(d => d.Target == "next-reply");
        var pending = evaluator.Evaluate(cases.Single(c => c.Id == "C-7215"), AsOf, explain: true).Single(d => d.Target == "next-reply");

        // The target's start ({ "author": "customer" }) is on line 28, column 16 of the policy file; its stop at column 50.
        var waits = two.Explanation.Where(s => s.Kind == "wait").ToList();
        waits.Select(s => s.Text).ShouldBe(
        [
            "a customer message waited from 2026-11-16 10:00 +01:00 to 2026-11-16 11:15 +01:00 (a reply): 75 min counted of 2h (120 min), met (wait 1)",
            "a customer message waited from 2026-11-16 13:00 +01:00 to 2026-11-16 14:30 +01:00 (a reply): 90 min counted of 2h (120 min), met (wait 2, the worst, which this decision reports)",
        ]);
        waits.Select(s => (s.Location!.Value.Line, s.Location.Value.Column)).ShouldBe([(28, 16), (28, 16)]);
        Step(two, "stop").ShouldBe((
            "the worst wait is wait 2, from 2026-11-16 13:00 +01:00 to 2026-11-16 14:30 +01:00; replies judged until the resolution at 2026-11-16 16:00 +01:00", 28, 50));
        two.Gaps.Select(g => (g.Number, g.Start, g.Stop, g.ElapsedMinutes, g.Status)).ShouldBe(
        [
            (1, At("2026-11-16T10:00:00+01:00"), (DateTimeOffset?)At("2026-11-16T11:15:00+01:00"), 75.0, DecisionStatus.Met),
            (2, At("2026-11-16T13:00:00+01:00"), (DateTimeOffset?)At("2026-11-16T14:30:00+01:00"), 90.0, DecisionStatus.Met),
        ]);
        Json(two).ShouldContain("\"gaps\":[{\"gap\":1,\"start\":\"2026-11-16T10:00:00+01:00\",\"end\":\"2026-11-16T11:15:00+01:00\",\"elapsedMinutes\":75,\"status\":\"met\"}");

        // Wait 2 starts at 13:00, and so do the 90 minutes counted in it: the wait is told first, then what is counted.
        var kinds = two.Explanation.Select(s => s.Kind).ToList();
        var counted = two.Explanation.Select((s, i) => (s, i)).First(x => x.s.Text.StartsWith("90 min counted from 2026-11-16 13:00", StringComparison.Ordinal)).i;
        kinds.IndexOf("wait", kinds.IndexOf("wait") + 1).ShouldBeLessThan(counted);

        Step(open, "wait").Text.ShouldBe("a customer message waited from 2026-11-20 15:30 +01:00 and still waits: 90 min counted of 2h (120 min), running (wait 1, the worst, which this decision reports)");
        open.Gaps.ShouldHaveSingleItem().Stop.ShouldBeNull();
        Json(open).ShouldContain("\"end\":null");

        Step(none, "stop").ShouldBe(("no customer message waited for a reply; replies judged until the resolution at 2026-11-16 14:00 +01:00", 28, 50));
        none.Explanation.ShouldNotContain(s => s.Kind == "counted" || s.Kind == "wait");
        Json(none).ShouldNotContain("gaps");

        pending.Explanation[0].Text.ShouldBe("pending: no customer message is waiting for a reply; the longest wait so far: 20 min of 2h (120 min) used (16.7%)");
        Step(pending, "stop").Text.ShouldEndWith("the case is open and no customer message waits for a reply at the evaluation time, 2026-11-22 03:00 +01:00");
        pending.EscalationLevel.ShouldBe(0);
    }

    private static (string Text, int Line, int Column) Step(Decision decision, string kind)
    {
        var step = decision.Explanation.Single(s => s.Kind == kind);
        step.Location!.Value.File.ShouldEndWith("umbrella-platinum-2026.1.json");
        return (step.Text, step.Location.Value.Line, step.Location.Value.Column);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static string Json(Decision decision)
    {
        // Written as the decision store writes it (a `+` of an offset kept as it is).
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            DecisionJson.Write(writer, decision);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
