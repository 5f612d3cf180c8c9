using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaPolicy.Tests.Calendars;

namespace SlaPolicy.Tests.Clocks;

/// <summary>Properties of update targets over random cases (docs/CLOCKS.md "Update targets"): an added update never makes the worst gap longer.</summary>
public class UpdateTargetProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly BusinessCalendar Berlin = CalendarSpec.Create("Europe/Berlin", "mon-fri=08:00-17:00", "2026-04-03", "2026-04-06");
    private static readonly string[] Statuses = ["new", "assigned", "in_progress", "waiting_on_customer", "on_hold"];
    private static readonly ImmutableArray<string> PauseOn = ["waiting_on_customer", "on_hold"];

    /// <summary>A random case with status events, some of them public replies, an update target and an evaluation time.</summary>
    public sealed record Scenario(TargetTerm Target, CaseRecord Ticket, BusinessCalendar? Calendar, DateTimeOffset AsOf)
    {
        public override string ToString() =>
            $"{Target.Clock} within {Target.Within} opened {Ticket.OpenedAt:o} res {Ticket.ResolvedAt:o} asOf {AsOf:o} events " +
            string.Join(";", Ticket.Events.Select(e => $"{e.Status}{(e.Public == true ? "(public)" : string.Empty)}@{e.At:o}"));
    }

    private static readonly Gen<Scenario> Scenarios =
        from business in Gen.Elements(true, false)
        from within in Gen.Choose(1, 3000)
        from opened in Gen.Choose(0, 60 * 24 * 60)
        from resolved in Gen.OneOf(Gen.Choose(0, 20000).Select(m => (int?)m), Gen.Constant((int?)null))
        from count in Gen.Choose(0, 10)
        from events in Gen.ListOf(Gen.Zip(Gen.Choose(-60, 20000), Gen.Zip(Gen.Elements(Statuses), Gen.Elements(true, false))), count)
        from asOf in Gen.Choose(0, 40000)
        select new Scenario(
            new TargetTerm("t", TargetMetric.Update, [], TimeSpan.FromMinutes(within), business ? ClockKind.Business : ClockKind.TwentyFourSeven, SourceLocation.None, "p"),
            new CaseRecord(
                "C", "c", "t", "r", "s", 2,
                Origin.AddMinutes(opened),
                null,
                resolved is { } r ? Origin.AddMinutes(opened + r) : null,
                [],
                [.. events.Select(e => new StatusEvent(Origin.AddMinutes(opened + e.Item1), e.Item2.Item1) { Public = e.Item2.Item2 }).OrderBy(e => e.At)]),
            business ? Berlin : null,
            Origin.AddMinutes(opened + asOf));

    [Property(MaxTest = 300)]
    public Property Compute_AddingAnUpdate_NeverMakesTheWorstGapLonger() => Prop.ForAll(
        Scenarios.ToArbitrary(),
        Gen.Choose(-60, 20000).ToArbitrary(),
        (s, minute) =>
        {
            // The added update carries the status in force at its instant, so it pauses or resumes nothing: it only splits
            // the gap it falls in, and each part counts no more than the whole.
            var at = s.Ticket.OpenedAt.AddMinutes(minute);
            var inForce = s.Ticket.Events.LastOrDefault(e => e.At <= at)?.Status ?? "new";
            var update = new StatusEvent(at, inForce) { Public = true };
            var more = s.Ticket with { Events = [.. s.Ticket.Events.Append(update).OrderBy(e => e.At)] };

            var before = RuledClock.Compute(s.Target, s.Ticket, PauseOn, s.Calendar, s.AsOf, _ => null);
            var after = RuledClock.Compute(s.Target, more, PauseOn, s.Calendar, s.AsOf, _ => null);

            return (after.Result.Elapsed <= before.Result.Elapsed).Label($"worst gap {before.Result.Elapsed} became {after.Result.Elapsed}");
        });
}
