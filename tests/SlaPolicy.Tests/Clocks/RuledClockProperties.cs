using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaPolicy.Tests.Calendars;

namespace SlaPolicy.Tests.Clocks;

/// <summary>
/// Properties of clocks with conditions, reopens and pauses over random cases: adding a pause never makes a clock due
/// earlier, and a reopen never shortens counted time (docs/CLOCKS.md "Reopens and cycles").
/// </summary>
public class RuledClockProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly BusinessCalendar Berlin = CalendarSpec.Create("Europe/Berlin", "mon-fri=08:00-17:00", "2026-04-03", "2026-04-06");
    private static readonly string[] Statuses = ["new", "assigned", "in_progress", "waiting_on_customer", "on_hold"];

    /// <summary>A random case with events, a resolution target with an optional start and pause condition, and an evaluation time.</summary>
    public sealed record Scenario(TargetTerm Target, CaseRecord Ticket, BusinessCalendar? Calendar, DateTimeOffset AsOf)
    {
        public override string ToString() =>
            $"{Target.Clock} within {Target.Within} start {Target.Start?.Describe()} pause {Target.Pause?.Describe()} reopen {Target.Reopen} " +
            $"opened {Ticket.OpenedAt:o} res {Ticket.ResolvedAt:o} asOf {AsOf:o} events " +
            string.Join(";", Ticket.Events.Select(e => $"{e.Status}@{e.At:o}"));
    }

    private static Gen<Scenario> ScenarioGen(ReopenRule reopen) =>
        from business in Gen.Elements(true, false)
        from within in Gen.Choose(0, 3000)
        from opened in Gen.Choose(0, 60 * 24 * 60)
        from resolved in Gen.OneOf(Gen.Choose(0, 20000).Select(m => (int?)m), Gen.Constant((int?)null))
        from count in Gen.Choose(0, 8)
        from events in Gen.ListOf(Gen.Zip(Gen.Choose(-60, 20000), Gen.Elements(Statuses)), count)
        from asOf in Gen.Choose(0, 40000)
        from withStart in Gen.Elements(true, false)
        from withPause in Gen.Elements(true, false)
        select new Scenario(
            new TargetTerm("t", TargetMetric.Resolution, [], TimeSpan.FromMinutes(within), business ? ClockKind.Business : ClockKind.TwentyFourSeven, SourceLocation.None, "p")
            {
                Start = withStart ? new ClockCondition(["assigned"], null, null, null, SourceLocation.None) : null,
                Pause = withPause ? new ClockCondition(["waiting_on_customer", "on_hold"], null, null, null, SourceLocation.None) : null,
                Reopen = reopen,
            },
            new CaseRecord(
                "C", "c", "t", "r", "s", 2,
                Origin.AddMinutes(opened),
                null,
                resolved is { } r ? Origin.AddMinutes(opened + r) : null,
                [],
                [.. events.Select(e => new StatusEvent(Origin.AddMinutes(opened + e.Item1), e.Item2)).OrderBy(e => e.At)]),
            business ? Berlin : null,
            Origin.AddMinutes(opened + asOf));

    [Property(MaxTest = 300)]
    public Property Compute_AddingAPause_NeverMakesTheClockDueEarlier() => Prop.ForAll(
        ScenarioGen(ReopenRule.None).ToArbitrary(),
        Gen.Choose(-60, 20000).ToArbitrary(),
        (s, minute) =>
        {
            // A pause status at `minute` only grows the paused time: it lasts until the next status that does not pause
            // (ending it with an event of its own could cut short a pause already there). A due time that becomes unknown
            // (paused at asOf) is not earlier either.
            var pause = new StatusEvent(s.Ticket.OpenedAt.AddMinutes(minute), "waiting_on_customer");
            var paused = s.Ticket with { Events = [.. s.Ticket.Events.Append(pause).OrderBy(e => e.At)] };
            var target = s.Target with { Pause = new ClockCondition(["waiting_on_customer", "on_hold"], null, null, null, SourceLocation.None) };
            var before = Compute(s with { Target = target });
            var after = Compute(s with { Target = target, Ticket = paused });
            var plainBefore = SlaClock.Compute(s.Target with { Start = null, Pause = null }, s.Ticket, ClockCases.PauseOn, s.Calendar, s.AsOf);
            var plainAfter = SlaClock.Compute(s.Target with { Start = null, Pause = null }, paused, ClockCases.PauseOn, s.Calendar, s.AsOf);
            return NotEarlier(before.Result.DueAt, after.Result.DueAt) && NotEarlier(plainBefore.DueAt, plainAfter.DueAt)
                && after.Result.Elapsed <= before.Result.Elapsed;
        });

    [Property(MaxTest = 300)]
    public Property Compute_Reopen_NeverShortensCountedTime() => Prop.ForAll(
        Gen.Elements(ReopenRule.Resume, ReopenRule.NewCycle).SelectMany(ScenarioGen).ToArbitrary(),
        (from resolvedAfter in Gen.Choose(0, 20000)
         from reopenAfter in Gen.Choose(1, 20000)
         from again in Gen.OneOf(Gen.Choose(1, 20000).Select(m => (int?)m), Gen.Constant((int?)null))
         select (resolvedAfter, reopenAfter, again)).ToArbitrary(),
        (s, times) =>
        {
            var (resolvedAfter, reopenAfter, resolvedAgainAfter) = times;
            // The same case resolved once, then resolved, reopened and perhaps resolved again.
            var resolved = s.Ticket.OpenedAt.AddMinutes(resolvedAfter);
            var once = s.Ticket with { ResolvedAt = resolved, Events = [.. s.Ticket.Events.Where(e => e.At < resolved)] };
            var reopened = resolved.AddMinutes(reopenAfter);
            var again = resolvedAgainAfter is { } m ? reopened.AddMinutes(m) : (DateTimeOffset?)null;
            var events = once.Events.Append(new StatusEvent(resolved, "resolved")).Append(new StatusEvent(reopened, "reopened"));
            var twice = once with { ResolvedAt = again, Events = [.. (again is { } a ? events.Append(new StatusEvent(a, "resolved")) : events)] };
            return Counted(Compute(s with { Ticket = twice })) >= Counted(Compute(s with { Ticket = once }));
        });

    private static TimeSpan Counted(RuledClockResult result) => result.Cycles.Aggregate(TimeSpan.Zero, (sum, c) => sum + c.Result.Elapsed);

    private static bool NotEarlier(DateTimeOffset? before, DateTimeOffset? after) => before is not { } b || after is not { } a || a >= b;

    private static RuledClockResult Compute(Scenario s) => RuledClock.Compute(s.Target, s.Ticket, ClockCases.PauseOn, s.Calendar, s.AsOf, _ => null);
}
