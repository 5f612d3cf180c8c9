using static SlaPolicy.Tests.Clocks.ClockCases;

namespace SlaPolicy.Tests.Clocks;

/// <summary>
/// Targets with start, stop, pause and cancel conditions, reopen rules and severity changes (docs/CLOCKS.md), worked by
/// hand. Instants are UTC; the 24x7 clock unless a calendar is named (berlin-office: Mon-Fri 08:00-17:00 Berlin).
/// </summary>
public class RuledClockTests
{
    private static readonly DateTimeOffset AsOf = At("2026-11-20T12:00:00Z");

    private static ClockCondition On(params string[] statuses) => new([.. statuses], null, null, null, SourceLocation.None);

    private static ClockCondition OnField(string field) => new([], null, null, field, SourceLocation.None);

    public sealed record Row(string Name, TargetTerm Target, CaseRecord Ticket, ClockStatus Status, double Elapsed, double Paused, string? Due)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Row> Rows => new()
    {
        // Start at the first response, a case field: 10:30 to the resolution at 12:00 = 90 of 120 min, due 12:30.
        new("start on a field", Target("", TargetMetric.Resolution, 120) with { Start = OnField("firstResponseAt") },
            Case("2026-11-16T10:00:00Z", "2026-11-16T10:30:00Z", "2026-11-16T12:00:00Z", ""), ClockStatus.Met, 90, 0, "2026-11-16T12:30:00Z"),
        // Stop at a field other than the metric's: a first-response target stopped only by the resolution, 10:00-12:00.
        new("stop on a field", Target("", TargetMetric.FirstResponse, 60) with { Stop = OnField("resolvedAt") },
            Case("2026-11-16T10:00:00Z", "2026-11-16T10:30:00Z", "2026-11-16T12:00:00Z", ""), ClockStatus.Breached, 120, 0, "2026-11-16T11:00:00Z"),
        // The start condition met only after the stop: nothing counted, met at once (due = start + 60 min).
        new("stop before start", Target("", TargetMetric.Resolution, 60) with { Start = On("assigned") },
            Case("2026-11-16T10:00:00Z", null, "2026-11-16T11:00:00Z", "assigned@2026-11-16T12:00:00Z"), ClockStatus.Met, 0, 0, "2026-11-16T13:00:00Z"),
        // A start event before the opening counts as at the opening: 10:00-11:00.
        new("start before opening", Target("", TargetMetric.Resolution, 120) with { Start = On("assigned") },
            Case("2026-11-16T10:00:00Z", null, "2026-11-16T11:00:00Z", "assigned@2026-11-16T09:00:00Z"), ClockStatus.Met, 60, 0, "2026-11-16T12:00:00Z"),
        // A start event later than asOf is not known yet: pending.
        new("start after asOf", Target("", TargetMetric.Resolution, 120) with { Start = On("assigned") },
            Case("2026-11-20T10:00:00Z", null, null, "assigned@2026-11-20T13:00:00Z"), ClockStatus.Pending, 0, 0, null),
        // A business clock started by an event at Saturday 10:00 Berlin counts from Monday 08:00: Mon 08:00-10:00 = 120.
        new("business start at the weekend", Target("berlin-office", TargetMetric.Resolution, 240) with { Start = On("assigned") },
            Case("2026-11-13T15:00:00Z", null, "2026-11-16T09:00:00Z", "assigned@2026-11-14T09:00:00Z"), ClockStatus.Met, 120, 0, "2026-11-16T11:00:00Z"),
        // The target's own pause replaces the policy's pauseOn: on_hold pauses 11:00-12:00, and waiting_on_customer (in
        // pauseOn, not in the target's pause) counts: 10:00-11:00 (60) + 12:00-13:00 (60) = 120 counted, 60 paused; due
        // 10:00 + 240 + 60 paused = 15:00.
        new("own pause", Target("", TargetMetric.Resolution, 240) with { Pause = On("on_hold") },
            Case("2026-11-16T10:00:00Z", null, "2026-11-16T13:00:00Z", "on_hold@2026-11-16T11:00:00Z;waiting_on_customer@2026-11-16T12:00:00Z"), ClockStatus.Met, 120, 60, "2026-11-16T15:00:00Z"),
        // A cancel after the breach: stays breached (60 min target, cancelled at 11:30 after 90 min).
        new("cancel after breach", Target("", TargetMetric.Resolution, 60) with { Cancel = On("duplicate") },
            Case("2026-11-16T10:00:00Z", null, null, "duplicate@2026-11-16T11:30:00Z"), ClockStatus.Breached, 90, 0, "2026-11-16T11:00:00Z"),
        // A cancel while paused: cancelled, the pause ends there: 10:00-10:30 counted, 10:30-11:00 paused.
        new("cancel while paused", Target("", TargetMetric.Resolution, 60) with { Cancel = On("duplicate") },
            Case("2026-11-16T10:00:00Z", null, null, "waiting_on_customer@2026-11-16T10:30:00Z;duplicate@2026-11-16T11:00:00Z"), ClockStatus.Cancelled, 30, 30, null),
        // newCycle with the case reopened and still open: cycle 1 10:00-11:00 (60, met); cycle 2 from 12:00 to asOf
        // 2026-11-20 12:00 = 96 h: breached, reported.
        new("new cycle still open", Target("", TargetMetric.Resolution, 120) with { Reopen = ReopenRule.NewCycle },
            Case("2026-11-16T10:00:00Z", null, null, "resolved@2026-11-16T11:00:00Z;reopened@2026-11-16T12:00:00Z"), ClockStatus.Breached, 5760, 0, "2026-11-16T14:00:00Z"),
        // A note written after the resolution with a resolution status (closed) is no reopen: stops at 11:00.
        new("closed is no reopen", Target("", TargetMetric.Resolution, 120) with { Reopen = ReopenRule.Resume },
            Case("2026-11-16T10:00:00Z", null, "2026-11-16T11:00:00Z", "resolved@2026-11-16T11:00:00Z;closed@2026-11-16T12:00:00Z"), ClockStatus.Met, 60, 0, "2026-11-16T12:00:00Z"),
        // resume with the reopen after asOf: not known yet, the clock stopped at the resolution.
        new("reopen after asOf", Target("", TargetMetric.Resolution, 120) with { Reopen = ReopenRule.Resume },
            Case("2026-11-20T09:00:00Z", null, "2026-11-20T10:00:00Z", "resolved@2026-11-20T10:00:00Z;reopened@2026-11-20T13:00:00Z"), ClockStatus.Met, 60, 0, "2026-11-20T11:00:00Z"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Compute_Row(Row row)
    {
        var result = RuledClock.Compute(row.Target, row.Ticket, PauseOn, Calendar(row.Target.Clock == ClockKind.Business ? "berlin-office" : ""), AsOf, _ => null).Result;

        result.Status.ShouldBe(row.Status);
        result.Elapsed.TotalMinutes.ShouldBe(row.Elapsed, 1e-9);
        result.Paused.TotalMinutes.ShouldBe(row.Paused, 1e-9);
        result.DueAt.ShouldBe(row.Due is null ? null : At(row.Due));
    }

    [Fact]
    public void Compute_SeverityChange_KeepsThePausesAlreadyCounted()
    {
        // Opened 08:00, waiting on the customer 09:00-11:00, raised from severity 3 (8 h) to 1 (4 h) at 12:00, still open
        // at 14:00. Counted 08:00-09:00 + 11:00-14:00 = 240 min, paused 120, with or without the change (a priority
        // change that restarted the walk would lose the 120 paused minutes, as GLPI users reported).
        var sev3 = Target("", TargetMetric.Resolution, 480) with { Id = "sev3", Severities = [3], SeverityChange = SeverityChangeRule.FromChange };
        var sev1 = sev3 with { Id = "sev1", Severities = [1], Within = TimeSpan.FromHours(4) };
        var ticket = Case("2026-11-16T08:00:00Z", null, null, "waiting_on_customer@2026-11-16T09:00:00Z;in_progress@2026-11-16T11:00:00Z") with { Severity = 3 };
        var raised = ticket with { Events = [.. ticket.Events, new StatusEvent(At("2026-11-16T12:00:00Z"), "in_progress") { Severity = 1 }] };
        var asOf = At("2026-11-16T14:00:00Z");
        TargetTerm? For(int severity) => severity == 3 ? sev3 : severity == 1 ? sev1 : null;

        var unchanged = RuledClock.Compute(sev3, ticket, PauseOn, null, asOf, For);
        var fromChange = RuledClock.Compute(sev1, raised, PauseOn, null, asOf, For);
        var fromOpening = RuledClock.Compute(sev1 with { SeverityChange = SeverityChangeRule.FromOpening }, raised, PauseOn, null, asOf, For);

        (unchanged.Result.Elapsed.TotalMinutes, unchanged.Result.Paused.TotalMinutes).ShouldBe((240, 120));
        (fromChange.Result.Elapsed.TotalMinutes, fromChange.Result.Paused.TotalMinutes).ShouldBe((240, 120));
        (fromOpening.Result.Elapsed.TotalMinutes, fromOpening.Result.Paused.TotalMinutes).ShouldBe((240, 120));

        // fromChange: by 12:00, 60 + 60 = 120 of sev3's 480 min (25%); 75% of sev1's 240 = 180 more: 300 min in all,
        // reached at 15:00 (120 at 12:00 + 180). fromOpening: 240 of 240 at 14:00, due 14:00 (met once stopped there).
        fromChange.Result.Within.TotalMinutes.ShouldBe(300);
        fromChange.Result.DueAt.ShouldBe(At("2026-11-16T15:00:00Z"));
        fromChange.DecisiveCycle!.Severities.Select(p => (p.Severity, p.TargetId, p.Share)).ShouldBe([(3, "sev3", 0.25), (1, "sev1", 0.0)]);
        fromOpening.Result.Within.TotalMinutes.ShouldBe(240);
        fromOpening.Result.DueAt.ShouldBe(At("2026-11-16T14:00:00Z"));
    }

    [Fact]
    public void Compute_SeverityShareSpentBeforeTheChange_BreachesAtTheOldDueTime()
    {
        // Severity 3 (60 min) from 08:00, raised to 1 (240 min) at 10:00: the 60 min ran out at 09:00, 200% used before
        // the change. The length is where the shares reach 100%: 60 min, due 09:00, breached.
        var sev3 = Target("", TargetMetric.Resolution, 60) with { Id = "sev3", Severities = [3], SeverityChange = SeverityChangeRule.FromChange };
        var sev1 = sev3 with { Id = "sev1", Severities = [1], Within = TimeSpan.FromHours(4) };
        var raised = Case("2026-11-16T08:00:00Z", null, null, "") with
        {
            Severity = 3,
            Events = [new StatusEvent(At("2026-11-16T10:00:00Z"), "in_progress") { Severity = 1 }],
        };

        var result = RuledClock.Compute(sev1, raised, PauseOn, null, At("2026-11-16T11:00:00Z"), s => s == 3 ? sev3 : sev1).Result;

        (result.Status, result.Within.TotalMinutes, result.DueAt).ShouldBe((ClockStatus.Breached, 60, At("2026-11-16T09:00:00Z")));
    }
}
