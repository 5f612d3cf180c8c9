using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace SlaPolicy.Tests.Clocks;

/// <summary>Properties of clocks and calendars over random cases, calendars and evaluation times.</summary>
public class SlaClockProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"];
    private static readonly string[] Statuses = ["waiting_on_customer", "waiting_on_third_party", "in_progress", "new"];

    /// <summary>A random case and target with the calendar it uses (null for 24x7) and an evaluation time.</summary>
    public sealed record Scenario(TargetTerm Target, CaseRecord Ticket, BusinessCalendar? Calendar, DateTimeOffset AsOf)
    {
        public override string ToString() =>
            $"{Target.Clock} {Target.Metric} within {Target.Within} cal {Calendar?.TimeZone} opened {Ticket.OpenedAt:o} " +
            $"resp {Ticket.FirstResponseAt:o} res {Ticket.ResolvedAt:o} asOf {AsOf:o} events " +
            string.Join(";", Ticket.Events.Select(e => $"{e.Status}@{e.At:o}"));
    }

    private static Gen<BusinessCalendar> CalendarGen =>
        from zone in Gen.Elements(Zones)
        from days in Gen.ListOf(Gen.Choose(0, 2), 7)
        from hours in Gen.ListOf(Gen.Choose(0, 24), 28)
        from holidays in Gen.ListOf(Gen.Choose(0, 400), 3)
        select Build(zone, days.ToArray(), hours.ToArray(), holidays.ToArray());

    private static Gen<Scenario> ScenarioGen =>
        from business in Gen.Elements(true, false)
        from calendar in CalendarGen
        from metric in Gen.Elements(TargetMetric.FirstResponse, TargetMetric.Resolution)
        from within in Gen.Choose(0, 3000)
        from opened in Gen.Choose(0, 300 * 24 * 60)
        from response in Gen.OneOf(Gen.Choose(-30, 20000).Select(m => (int?)m), Gen.Constant((int?)null))
        from resolved in Gen.OneOf(Gen.Choose(-30, 40000).Select(m => (int?)m), Gen.Constant((int?)null))
        from count in Gen.Choose(0, 8)
        from events in Gen.ListOf(Gen.Zip(Gen.Choose(-120, 30000), Gen.Elements(Statuses)), count)
        from asOf in Gen.Choose(-60, 50000)
        select new Scenario(
            new TargetTerm("t", metric, [], TimeSpan.FromMinutes(within), business ? ClockKind.Business : ClockKind.TwentyFourSeven, SourceLocation.None, "p"),
            new CaseRecord(
                "C",
                "c",
                "t",
                "r",
                "s",
                1,
                Origin.AddMinutes(opened),
                response is { } r ? Origin.AddMinutes(opened + r) : null,
                resolved is { } s ? Origin.AddMinutes(opened + s) : null,
                [],
                [.. events.Select(e => new StatusEvent(Origin.AddMinutes(opened + e.Item1), e.Item2)).OrderBy(e => e.At)]),
            business ? calendar : null,
            Origin.AddMinutes(opened + asOf));

    [Property(MaxTest = 300)]
    public Property Compute_AnyCase_ElapsedPlusPausedNeverExceedsRealTime() => Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
    {
        var result = Compute(s);
        var real = TimeSpan.FromTicks(Math.Max(0, (s.AsOf - s.Ticket.OpenedAt).Ticks));
        return result.Elapsed >= TimeSpan.Zero && result.Paused >= TimeSpan.Zero && result.Elapsed + result.Paused <= real;
    });

    [Property(MaxTest = 300)]
    public Property Compute_AddingAPause_NeverRaisesElapsed() => Prop.ForAll(
        ScenarioGen.ToArbitrary(),
        Gen.Choose(-120, 30000).ToArbitrary(),
        (s, minute) =>
        {
            // A single pause status only grows the paused set: it lasts until the next status not in pauseOn.
            var pause = new StatusEvent(s.Ticket.OpenedAt.AddMinutes(minute), "waiting_on_customer");
            var paused = s with { Ticket = s.Ticket with { Events = [.. s.Ticket.Events.Append(pause).OrderBy(e => e.At)] } };
            return Compute(paused).Elapsed <= Compute(s).Elapsed;
        });

    [Property(MaxTest = 300)]
    public Property Compute_AnyCase_DueAtNeverBeforeOpened() => Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
        Compute(s).DueAt is not { } due || due >= s.Ticket.OpenedAt);

    [Property(MaxTest = 300)]
    public Property Compute_AnyCase_StatusAgreesWithElapsedAgainstWithin() => Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
    {
        var result = Compute(s);
        return result.Status switch
        {
            ClockStatus.Breached => result.Elapsed > result.Within,
            ClockStatus.Met => result.IsStopped && result.Elapsed <= result.Within,
            ClockStatus.Paused => !result.IsStopped && result.Elapsed <= result.Within && result.DueAt is null,
            _ => !result.IsStopped && result.Elapsed <= result.Within && result.DueAt is not null,
        };
    });

    [Property(MaxTest = 300)]
    public Property Compute_AnyCase_DueAtIsWhereElapsedReachesWithin() => Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
    {
        // Reached already: due is no later than the end of counting; not reached: due lies ahead of it.
        var result = Compute(s);
        var trace = SlaClock.Trace(s.Target, s.Ticket, ClockCases.PauseOn, s.Calendar, s.AsOf);
        return trace.Result == result && (result.DueAt is not { } due
            || (result.Elapsed >= result.Within) == (due <= trace.CountedUntil));
    });

    [Property(MaxTest = 300)]
    public Property AddBusinessTime_AnyAmount_IsInverseOfBusinessTimeBetween() => Prop.ForAll(
        CalendarGen.ToArbitrary(),
        Gen.Choose(0, 400 * 24 * 60).ToArbitrary(),
        Gen.Choose(0, 200_000).ToArbitrary(),
        (calendar, start, minutes) =>
        {
            var from = Origin.AddMinutes(start).AddSeconds(start % 60);
            var amount = TimeSpan.FromMinutes(minutes);
            var end = calendar.AddBusinessTime(from, amount);
            var justBefore = end.AddTicks(-1);
            return calendar.BusinessTimeBetween(from, end) == amount
                && (minutes == 0 ? end == from : calendar.BusinessTimeBetween(from, justBefore) < amount);
        });

    [Property(MaxTest = 300)]
    public Property BusinessTimeBetween_SplitAnywhere_IsAdditive() => Prop.ForAll(
        CalendarGen.ToArbitrary(),
        Gen.ArrayOf(Gen.Choose(0, 800 * 24 * 60), 3).ToArbitrary(),
        (calendar, minutes) =>
        {
            var points = minutes.Order().Select(m => Origin.AddMinutes(m)).ToArray();
            var (a, b, c) = (points[0], points[1], points[2]);
            return calendar.BusinessTimeBetween(a, c) == calendar.BusinessTimeBetween(a, b) + calendar.BusinessTimeBetween(b, c)
                && calendar.BusinessTimeBetween(a, c) <= c - a;
        });

    [Property(MaxTest = 100)]
    public Property OpenIntervals_AnyWindow_SumToBusinessTime() => Prop.ForAll(
        CalendarGen.ToArbitrary(),
        Gen.ArrayOf(Gen.Choose(0, 100 * 24 * 60), 2).ToArbitrary(),
        (calendar, minutes) =>
        {
            var (a, b) = (Origin.AddMinutes(minutes.Min()), Origin.AddMinutes(minutes.Max()));
            var intervals = calendar.OpenIntervals(a, b).ToList();
            var sum = TimeSpan.FromTicks(intervals.Sum(i => (i.End - i.Start).Ticks));
            return sum == calendar.BusinessTimeBetween(a, b) && intervals.Zip(intervals.Skip(1)).All(p => p.First.End < p.Second.Start);
        });

    private static ClockResult Compute(Scenario s) => SlaClock.Compute(s.Target, s.Ticket, ClockCases.PauseOn, s.Calendar, s.AsOf);

    /// <summary>Each weekday gets 0 to 2 ranges cut from sorted hour marks; holidays are days of 2026-27.</summary>
    private static BusinessCalendar Build(string zone, int[] rangesPerDay, int[] hourMarks, int[] holidayOffsets)
    {
        var hours = ImmutableArray.CreateBuilder<BusinessHoursRange>();
        for (var day = 0; day < 7; day++)
        {
            var marks = hourMarks.Skip(day * 4).Take(4).Order().ToArray();
            for (var r = 0; r < rangesPerDay[day]; r++)
            {
                var (start, end) = (marks[r * 2], marks[(r * 2) + 1]);
                if (end > start)
                {
                    hours.Add(new BusinessHoursRange((DayOfWeek)day, new TimeOnly(start, 0), end == 24 ? TimeOnly.MinValue : new TimeOnly(end, 0)));
                }
            }
        }

        if (hours.Count == 0)
        {
            hours.Add(new BusinessHoursRange(DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(17, 0)));
        }

        var holidays = holidayOffsets.Select(d => DateOnly.FromDateTime(Origin.UtcDateTime).AddDays(d)).ToImmutableArray();
        return BusinessCalendar.Create(new CalendarDefinition("random", zone, hours.ToImmutable(), holidays, SourceLocation.None));
    }
}
