using static SlaPolicy.Tests.Clocks.ClockCases;

namespace SlaPolicy.Tests.Clocks;

/// <summary>
/// Next-reply targets (docs/CLOCKS.md "Next reply targets"), worked by hand: a wait from each customer message that finds
/// none waiting to the next agent reply, the resolution or a cancel, or still open at asOf; messages before the first
/// response wait with the opening. Instants are UTC; 4 h (240 min) on the 24x7 clock unless berlin-office is named
/// (Mon-Fri 08:00-17:00 Berlin, 07:00-16:00 UTC in November).
/// </summary>
public class NextReplyTargetTests
{
    private static readonly DateTimeOffset AsOf = At("2026-11-20T12:00:00Z");

    private static TargetTerm NextReply(string calendar = "") => Target(calendar, TargetMetric.NextReply, 240);

    private static StatusEvent Customer(string at) => new(At(at), "in_progress") { Type = "reply", Author = "customer" };

    /// <summary>An agent's reply with no <c>public</c> flag: a reply by default (only <c>public: false</c> is not).</summary>
    private static StatusEvent Agent(string at) => new(At(at), "in_progress") { Type = "reply", Author = "agent" };

    private static StatusEvent Note(string at) => new(At(at), "in_progress") { Type = "note", Public = false, Author = "agent" };

    private static StatusEvent Status(string at, string status) => new(At(at), status);

    private static CaseRecord Ticket(string opened, string? resolved, params StatusEvent[] events) =>
        Case(opened, null, resolved, string.Empty) with { Events = [.. events] };

    /// <summary>An expected result: status, the worst wait's elapsed and paused minutes, the due time, and each wait's minutes.</summary>
    public sealed record Row(string Name, TargetTerm Target, CaseRecord Ticket, ClockStatus Status, double Elapsed, double Paused, string? Due, double[] Waits)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Row> Rows => new()
    {
        // First reply 08:30 answers the opening. Waits 09:00-10:00 (60) and 11:00-14:00 (180), both within 240; resolved:
        // met. The worst is the second, due 11:00 + 4 h = 15:00.
        new("two waits answered", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T15:00:00Z", Agent("2026-11-16T08:30:00Z"), Customer("2026-11-16T09:00:00Z"), Agent("2026-11-16T10:00:00Z"),
                Customer("2026-11-16T11:00:00Z"), Agent("2026-11-16T14:00:00Z")),
            ClockStatus.Met, 180, 0, "2026-11-16T15:00:00Z", [60, 180]),
        // Three messages before a reply are one wait from the oldest: 09:00-13:30 = 270 > 240, breached when it passed 240
        // at 09:00 + 4 h = 13:00. The messages at 10:00 and 12:00 start nothing.
        new("several messages, one wait from the oldest", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T16:00:00Z", Agent("2026-11-16T08:10:00Z"), Customer("2026-11-16T09:00:00Z"), Customer("2026-11-16T10:00:00Z"),
                Customer("2026-11-16T12:00:00Z"), Agent("2026-11-16T13:30:00Z")),
            ClockStatus.Breached, 270, 0, "2026-11-16T13:00:00Z", [270]),
        // The message at 08:20 comes before the first reply (09:00): it waits with the opening, which the first-response
        // target judges. One wait, 09:30-10:00 = 30: met, due 09:30 + 4 h = 13:30.
        new("a message before the first response waits with the opening", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T11:00:00Z", Customer("2026-11-16T08:20:00Z"), Agent("2026-11-16T09:00:00Z"), Customer("2026-11-16T09:30:00Z"),
                Agent("2026-11-16T10:00:00Z")),
            ClockStatus.Met, 30, 0, "2026-11-16T13:30:00Z", [30]),
        // The case's firstResponseAt (08:30) answers the opening even with no agent event: the message at 09:00 waits to
        // the agent's reply at 09:45, 45 minutes; met, due 13:00.
        new("firstResponseAt answers the opening", NextReply(),
            Case("2026-11-16T08:00:00Z", "2026-11-16T08:30:00Z", "2026-11-16T10:00:00Z", string.Empty) with { Events = [Customer("2026-11-16T09:00:00Z"), Agent("2026-11-16T09:45:00Z")] },
            ClockStatus.Met, 45, 0, "2026-11-16T13:00:00Z", [45]),
        // The same events without firstResponseAt: the agent's reply at 09:45 is the first response, and the message at
        // 09:00 was before it. No wait; resolved: met with nothing counted and no due time.
        new("without firstResponseAt the first reply answers the opening", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T10:00:00Z", Customer("2026-11-16T09:00:00Z"), Agent("2026-11-16T09:45:00Z")),
            ClockStatus.Met, 0, 0, null, []),
        // An internal note (public: false) is no reply: the wait runs 09:00-11:00 = 120; met, due 13:00.
        new("an internal note is no reply", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T12:00:00Z", Agent("2026-11-16T08:05:00Z"), Customer("2026-11-16T09:00:00Z"), Note("2026-11-16T10:00:00Z"),
                Agent("2026-11-16T11:00:00Z")),
            ClockStatus.Met, 120, 0, "2026-11-16T13:00:00Z", [120]),
        // Open with a message waiting since 10:00: 120 at asOf 12:00, running, due 10:00 + 4 h = 14:00.
        new("open wait counting", NextReply(),
            Ticket("2026-11-20T08:00:00Z", null, Agent("2026-11-20T08:15:00Z"), Customer("2026-11-20T10:00:00Z")),
            ClockStatus.Running, 120, 0, "2026-11-20T14:00:00Z", [120]),
        // Open, the one wait (07:00-10:00, 180) answered: nothing waits at asOf, pending with the worst wait's figures
        // and no due time.
        new("open, nothing waiting: pending", NextReply(),
            Ticket("2026-11-20T06:00:00Z", null, Agent("2026-11-20T06:10:00Z"), Customer("2026-11-20T07:00:00Z"), Agent("2026-11-20T10:00:00Z")),
            ClockStatus.Pending, 180, 0, null, [180]),
        // Open with no customer message at all: pending, nothing counted.
        new("open, no message: pending", NextReply(),
            Ticket("2026-11-20T08:00:00Z", null),
            ClockStatus.Pending, 0, 0, null, []),
        // Resolved with no customer message after the first reply: met with no wait.
        new("resolved, no message: met", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T10:00:00Z", Agent("2026-11-16T08:30:00Z")),
            ClockStatus.Met, 0, 0, null, []),
        // Resolved without answering the message of 09:00: the wait ends at the resolution, 11:00 = 120; met, due 13:00.
        // The message after the resolution (11:30) starts nothing.
        new("the resolution ends a wait", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T11:00:00Z", Agent("2026-11-16T08:10:00Z"), Customer("2026-11-16T09:00:00Z"), Customer("2026-11-16T11:30:00Z")),
            ClockStatus.Met, 120, 0, "2026-11-16T13:00:00Z", [120]),
        // Business clock over a night: message Mon 16 Nov 16:00 Berlin (15:00 UTC), reply Tue 11:00 Berlin (10:00 UTC):
        // Mon 16:00-17:00 (60) + Tue 08:00-11:00 (180) = 240, exactly the target: met, due Tue 10:00 UTC.
        new("business clock over a night, exactly within", NextReply("berlin-office"),
            Ticket("2026-11-16T08:00:00Z", "2026-11-17T11:00:00Z", Agent("2026-11-16T08:30:00Z"), Customer("2026-11-16T15:00:00Z"), Agent("2026-11-17T10:00:00Z")),
            ClockStatus.Met, 240, 0, "2026-11-17T10:00:00Z", [240]),
        // Waiting on a third party 10:00-12:00 inside the wait 09:00-14:00: 300 - 120 paused = 180; due 09:00 + 240 + 120
        // paused = 15:00; met.
        new("a pause inside a wait", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T15:00:00Z", Agent("2026-11-16T08:10:00Z"), Customer("2026-11-16T09:00:00Z"),
                Status("2026-11-16T10:00:00Z", "waiting_on_third_party"), Status("2026-11-16T12:00:00Z", "in_progress"), Agent("2026-11-16T14:00:00Z")),
            ClockStatus.Met, 180, 120, "2026-11-16T15:00:00Z", [180]),
        // A reply listed after a message at the same instant answers it: a wait of 0 minutes, met, due 13:00.
        new("a reply at the instant of the message", NextReply(),
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T10:00:00Z", Agent("2026-11-16T08:10:00Z"), Customer("2026-11-16T09:00:00Z"), Agent("2026-11-16T09:00:00Z")),
            ClockStatus.Met, 0, 0, "2026-11-16T13:00:00Z", [0]),
        // A stop that asks for public: true: the agent's reply without the flag (10:00) is no reply, the public one
        // (11:00) is. Wait 09:00-11:00 = 120; met, due 13:00.
        new("a stop asking for public replies", NextReply() with { Stop = new ClockCondition([], null, true, null, SourceLocation.None) { Author = "agent" } },
            Ticket("2026-11-16T08:00:00Z", "2026-11-16T12:00:00Z", Agent("2026-11-16T08:10:00Z") with { Public = true }, Customer("2026-11-16T09:00:00Z"), Agent("2026-11-16T10:00:00Z"),
                Agent("2026-11-16T11:00:00Z") with { Public = true }),
            ClockStatus.Met, 120, 0, "2026-11-16T13:00:00Z", [120]),
        // Marked duplicate at 10:00 while the message of 09:00 waits: the wait ends there after 60 minutes, cancelled, no
        // due time.
        new("a cancel ends the open wait", NextReply() with { Cancel = new ClockCondition(["duplicate"], null, null, null, SourceLocation.None) },
            Ticket("2026-11-20T08:00:00Z", null, Agent("2026-11-20T08:10:00Z"), Customer("2026-11-20T09:00:00Z"), Status("2026-11-20T10:00:00Z", "duplicate")),
            ClockStatus.Cancelled, 60, 0, null, [60]),
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
        ruled.Cycles.Select(c => c.Result.Elapsed.TotalMinutes).ShouldBe(row.Waits);
    }

    [Fact]
    public void Compute_Breached_ReportsTheWorstWaitAndTheResolution()
    {
        // "two waits answered" with the second reply at 16:00: waits 09:00-10:00 (60, met) and 11:00-16:00 (300, breached
        // at 15:00); the second is decisive and the target stops at the resolution, 17:00.
        var ticket = Ticket("2026-11-16T08:00:00Z", "2026-11-16T17:00:00Z", Agent("2026-11-16T08:30:00Z"), Customer("2026-11-16T09:00:00Z"), Agent("2026-11-16T10:00:00Z"),
            Customer("2026-11-16T11:00:00Z"), Agent("2026-11-16T16:00:00Z"));

        var ruled = RuledClock.Compute(NextReply(), ticket, PauseOn, null, AsOf, _ => null);

        ruled.Decisive.ShouldBe(1);
        (ruled.DecisiveCycle!.Start, ruled.DecisiveCycle.Stop).ShouldBe((At("2026-11-16T11:00:00Z"), (DateTimeOffset?)At("2026-11-16T16:00:00Z")));
        ruled.Result.StoppedAt.ShouldBe(At("2026-11-16T17:00:00Z"));
        ruled.Result.DueAt.ShouldBe(At("2026-11-16T15:00:00Z"));
        ruled.Cycles.Select(c => c.Result.Status).ShouldBe([ClockStatus.Met, ClockStatus.Breached]);
    }

    [Fact]
    public void Compute_EventsAfterAsOf_AreNotKnownYet()
    {
        // The reply at 13:00 is after asOf 12:00: the message of 10:00 still waits, 120 minutes, running, due 14:00.
        var ticket = Ticket("2026-11-20T08:00:00Z", null, Agent("2026-11-20T08:15:00Z"), Customer("2026-11-20T10:00:00Z"), Agent("2026-11-20T13:00:00Z"));

        var ruled = RuledClock.Compute(NextReply(), ticket, PauseOn, null, AsOf, _ => null);

        (ruled.Result.Status, ruled.Result.ElapsedMinutes, ruled.Result.DueAt).ShouldBe((ClockStatus.Running, 120.0, (DateTimeOffset?)At("2026-11-20T14:00:00Z")));
    }
}
