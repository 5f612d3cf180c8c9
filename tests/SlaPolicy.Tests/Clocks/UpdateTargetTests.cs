using static SlaPolicy.Tests.Clocks.ClockCases;

namespace SlaPolicy.Tests.Clocks;

/// <summary>
/// Update targets (docs/CLOCKS.md "Update targets"), worked by hand: gaps from the start or an update to the next update,
/// the last to the resolution or still open at asOf. Instants are UTC; 4 h (240 min) on the 24x7 clock unless
/// berlin-office is named (Mon-Fri 08:00-17:00 Berlin, 07:00-16:00 UTC in November).
/// </summary>
public class UpdateTargetTests
{
    private static readonly DateTimeOffset AsOf = At("2026-11-20T12:00:00Z");

    private static readonly ClockCondition PublicReply = new([], "reply", true, null, SourceLocation.None);

    private static TargetTerm Updates(string calendar = "") => Target(calendar, TargetMetric.Update, 240) with { Stop = PublicReply };

    private static StatusEvent Reply(string at) => new(At(at), "in_progress") { Type = "reply", Public = true };

    private static StatusEvent Status(string at, string status) => new(At(at), status);

    private static CaseRecord Ticket(string opened, string? resolved, params StatusEvent[] events) =>
        Case(opened, null, resolved, string.Empty) with { Events = [.. events] };

    /// <summary>An expected result: status, the worst gap's elapsed and paused minutes, the due time, and each gap's minutes.</summary>
    public sealed record Row(string Name, TargetTerm Target, CaseRecord Ticket, ClockStatus Status, double Elapsed, double Paused, string? Due, double[] Gaps)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Row> Rows => new()
    {
        // A reply every 3 h, resolved 2 h after the last: gaps 08-11, 11-14, 14-17 (180 each) and 17-19 (120), all
        // within 240: met. The worst is the first of the 180s (the earliest of equal gaps), due 08:00 + 4 h = 12:00.
        new("a reply every 3h", Updates(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T19:00:00Z", Reply("2026-11-16T11:00:00Z"), Reply("2026-11-16T14:00:00Z"), Reply("2026-11-16T17:00:00Z")),
            ClockStatus.Met, 180, 0, "2026-11-16T12:00:00Z", [180, 180, 180, 120]),
        // One 5 h gap: 08-10 (120), 10-15 (300 > 240, breached when it passed 240 at 10:00 + 4 h = 14:00), 15-16 (60).
        new("one 5h gap", Updates(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T16:00:00Z", Reply("2026-11-16T10:00:00Z"), Reply("2026-11-16T15:00:00Z")),
            ClockStatus.Breached, 300, 0, "2026-11-16T14:00:00Z", [120, 300, 60]),
        // A pause inside a gap: 09:00-14:00 is 300 min, 10:00-12:00 waiting on the customer, so 180 counted and 120 paused;
        // due 09:00 + 240 + 120 paused = 15:00. Gaps 08-09 (60), 180, 14-15 (60): met.
        new("a pause inside a gap", Updates(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T15:00:00Z", Reply("2026-11-16T09:00:00Z"), Status("2026-11-16T10:00:00Z", "waiting_on_customer"),
                Status("2026-11-16T12:00:00Z", "in_progress"), Reply("2026-11-16T14:00:00Z")),
            ClockStatus.Met, 180, 120, "2026-11-16T15:00:00Z", [60, 180, 60]),
        // Business clock over a night: opened Mon 16 Nov 14:00 Berlin, replies at 15:00 and Tue 10:00, resolved Tue 11:00.
        // Gap 2 counts Mon 15:00-17:00 (120) + Tue 08:00-10:00 (120) = 240: exactly the target, met (a stop at the due time
        // is met), due Tue 10:00 Berlin = 09:00 UTC. Gaps 60, 240, 60.
        new("business clock over a night", Updates("berlin-office"),
            Ticket("2026-11-16T13:00:00Z", "2026-11-17T10:00:00Z", Reply("2026-11-16T14:00:00Z"), Reply("2026-11-17T09:00:00Z")),
            ClockStatus.Met, 240, 0, "2026-11-17T09:00:00Z", [60, 240, 60]),
        // Open: gap 1 08:00-09:00 (60), gap 2 from 09:00 still counting at asOf 12:00 (180): running, due 09:00 + 4 h = 13:00.
        new("open gap still counting", Updates(),
            Ticket("2026-11-20T08:00:00Z", null, Reply("2026-11-20T09:00:00Z")),
            ClockStatus.Running, 180, 0, "2026-11-20T13:00:00Z", [60, 180]),
        // Open with a longer gap behind it: 06:00-09:30 (210) is the worst, the open gap 09:30-12:00 has 150; the due time
        // is the open gap's, 09:30 + 4 h = 13:30.
        new("worst gap behind, due of the open gap", Updates(),
            Ticket("2026-11-20T06:00:00Z", null, Reply("2026-11-20T09:30:00Z")),
            ClockStatus.Running, 210, 0, "2026-11-20T13:30:00Z", [210, 150]),
        // Paused at asOf: gap 2 counts 08:30-10:00 (90) and is paused 10:00-12:00 (120): paused, no due time.
        new("open gap paused", Updates(),
            Ticket("2026-11-20T08:00:00Z", null, Reply("2026-11-20T08:30:00Z"), Status("2026-11-20T10:00:00Z", "waiting_on_customer")),
            ClockStatus.Paused, 90, 120, null, [30, 90]),
        // No stop written: any public event is an update, a reply that is not public is not. 08-11 (a public status change
        // at 11:00; the private reply at 10:00 ends nothing) = 180, 11-13 = 120: met, due 12:00.
        new("default update condition", Target("", TargetMetric.Update, 240),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T13:00:00Z", new StatusEvent(At("2026-11-16T10:00:00Z"), "in_progress") { Type = "reply", Public = false },
                new StatusEvent(At("2026-11-16T11:00:00Z"), "waiting_on_customer_reply") { Public = true }),
            ClockStatus.Met, 180, 0, "2026-11-16T12:00:00Z", [180, 120]),
        // Replies after the resolution end nothing: one gap 08:00-10:00 (120), met, due 12:00.
        new("update after the resolution", Updates(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T10:00:00Z", Reply("2026-11-16T11:00:00Z")),
            ClockStatus.Met, 120, 0, "2026-11-16T12:00:00Z", [120]),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Compute_Row(Row row)
    {
        var ruled = RuledClock.Compute(row.Target, row.Ticket, PauseOn, Calendar(row.Target.Clock == ClockKind.Business ? "berlin-office" : ""), AsOf, _ => null);

        ruled.Result.Status.ShouldBe(row.Status);
        ruled.Result.Elapsed.TotalMinutes.ShouldBe(row.Elapsed, 1e-9);
        ruled.Result.Paused.TotalMinutes.ShouldBe(row.Paused, 1e-9);
        ruled.Result.DueAt.ShouldBe(row.Due is null ? null : At(row.Due));
        ruled.Cycles.Select(c => c.Result.Elapsed.TotalMinutes).ShouldBe(row.Gaps);
    }

    [Fact]
    public void Compute_Breached_ReportsTheWorstGapAndTheResolution()
    {
        // The 5 h gap of "one 5h gap": gap 2 (10:00-15:00) is the decisive one; the target stops at the resolution, 16:00.
        var ticket = Ticket("2026-11-16T08:00:00Z", "2026-11-16T16:00:00Z", Reply("2026-11-16T10:00:00Z"), Reply("2026-11-16T15:00:00Z"));

        var ruled = RuledClock.Compute(Updates(), ticket, PauseOn, null, AsOf, _ => null);

        ruled.Decisive.ShouldBe(1);
        (ruled.DecisiveCycle!.Start, ruled.DecisiveCycle.Stop).ShouldBe((At("2026-11-16T10:00:00Z"), (DateTimeOffset?)At("2026-11-16T15:00:00Z")));
        ruled.Result.StoppedAt.ShouldBe(At("2026-11-16T16:00:00Z"));
        ruled.Cycles.Select(c => c.Result.Status).ShouldBe([ClockStatus.Met, ClockStatus.Breached, ClockStatus.Met]);
    }
}
