using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaPolicy.Tests.Calendars;

namespace SlaPolicy.Tests.Clocks;

/// <summary>
/// Properties of next-reply targets over random cases (docs/CLOCKS.md "Next reply targets"): an agent reply added after
/// the first response never makes the worst wait longer; a customer message added while one waits changes nothing.
/// </summary>
public class NextReplyTargetProperties
{
    private static readonly DateTimeOffset Origin = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly BusinessCalendar Berlin = CalendarSpec.Create("Europe/Berlin", "mon-fri=08:00-17:00", "2026-04-03", "2026-04-06");
    private static readonly string[] Statuses = ["new", "assigned", "in_progress", "waiting_on_customer", "on_hold"];
    private static readonly string?[] Authors = ["customer", "agent", "bot", null];
    private static readonly bool?[] Flags = [true, false, null];
    private static readonly ImmutableArray<string> PauseOn = ["on_hold"];

    /// <summary>A random case with events by customers, agents and others, a next-reply target and an evaluation time.</summary>
    public sealed record Scenario(TargetTerm Target, CaseRecord Ticket, BusinessCalendar? Calendar, DateTimeOffset AsOf)
    {
        public override string ToString() =>
            $"{Target.Clock} within {Target.Within} opened {Ticket.OpenedAt:o} fr {Ticket.FirstResponseAt:o} res {Ticket.ResolvedAt:o} asOf {AsOf:o} events " +
            string.Join(";", Ticket.Events.Select(e => $"{e.Status}({e.Author},{e.Public})@{e.At:o}"));
    }

    private static readonly Gen<Scenario> Scenarios =
        from business in Gen.Elements(true, false)
        from within in Gen.Choose(1, 3000)
        from opened in Gen.Choose(0, 60 * 24 * 60)
        from response in Gen.OneOf(Gen.Choose(0, 3000).Select(m => (int?)m), Gen.Constant((int?)null))
        from resolved in Gen.OneOf(Gen.Choose(0, 20000).Select(m => (int?)m), Gen.Constant((int?)null))
        from count in Gen.Choose(0, 12)
        from events in Gen.ListOf(Gen.Zip(Gen.Choose(-60, 20000), Gen.Zip(Gen.Elements(Statuses), Gen.Zip(Gen.Elements(Authors), Gen.Elements(Flags)))), count)
        from asOf in Gen.Choose(0, 40000)
        select new Scenario(
            new TargetTerm("t", TargetMetric.NextReply, [], TimeSpan.FromMinutes(within), business ? ClockKind.Business : ClockKind.TwentyFourSeven, SourceLocation.None, "p"),
            new CaseRecord(
                "C", "c", "t", "r", "s", 2,
                Origin.AddMinutes(opened),
                response is { } f ? Origin.AddMinutes(opened + f) : null,
                resolved is { } r ? Origin.AddMinutes(opened + r) : null,
                [],
                [.. events.Select(e => new StatusEvent(Origin.AddMinutes(opened + e.Item1), e.Item2.Item1) { Author = e.Item2.Item2.Item1, Public = e.Item2.Item2.Item2 }).OrderBy(e => e.At)]),
            business ? Berlin : null,
            Origin.AddMinutes(opened + asOf));

    /// <summary>The case with an event by <paramref name="author"/> at <paramref name="at"/>, after the events of its instant; it carries the status in force there, so it pauses or resumes nothing.</summary>
    private static CaseRecord With(CaseRecord ticket, DateTimeOffset at, string author)
    {
        var inForce = ticket.Events.LastOrDefault(e => e.At <= at)?.Status ?? "new";
        var added = new StatusEvent(at, inForce) { Author = author };
        return ticket with { Events = [.. ticket.Events.Append(added).OrderBy(e => e.At)] };
    }

    /// <summary>When the opening is answered: the case's firstResponseAt or the first reply, whichever is first (known at asOf).</summary>
    private static DateTimeOffset? FirstResponse(Scenario s)
    {
        var reply = s.Ticket.Events.FirstOrDefault(e => e.At >= s.Ticket.OpenedAt && e.At <= s.AsOf && s.Target.Reply.Matches(e))?.At;
        var recorded = s.Ticket.FirstResponseAt <= s.AsOf ? s.Ticket.FirstResponseAt : null;
        return reply is { } r && (recorded is null || r < recorded) ? r : recorded;
    }

    [Property(MaxTest = 300)]
    public Property Compute_AddingAnAgentReplyAfterTheFirstResponse_NeverMakesTheWorstWaitLonger() => Prop.ForAll(
        Scenarios.ToArbitrary(),
        Gen.Choose(0, 20000).ToArbitrary(),
        (s, minute) =>
        {
            // A reply only ends a wait sooner: the messages after it that wait again wait inside the old wait, and each part
            // counts no more than the whole. Before the first response a reply would answer the opening sooner, and the
            // messages after it would then wait (the rule of the opening), so the added reply comes after it.
            if (FirstResponse(s) is not { } answered)
            {
                return true.Label("no first response: the opening still waits");
            }

            var more = With(s.Ticket, answered.AddMinutes(minute), "agent");

            var before = RuledClock.Compute(s.Target, s.Ticket, PauseOn, s.Calendar, s.AsOf, _ => null);
            var after = RuledClock.Compute(s.Target, more, PauseOn, s.Calendar, s.AsOf, _ => null);

            return (after.Result.Elapsed <= before.Result.Elapsed)
                .Label($"worst wait {before.Result.Elapsed} became {after.Result.Elapsed}");
        });

    [Property(MaxTest = 300)]
    public Property Compute_AddingACustomerMessageWhileOneWaits_ChangesNothing() => Prop.ForAll(
        Scenarios.ToArbitrary(),
        Gen.Choose(0, 1000).ToArbitrary(),
        Gen.Choose(0, 1000).ToArbitrary(),
        (s, pick, permille) =>
        {
            var before = RuledClock.Compute(s.Target, s.Ticket, PauseOn, s.Calendar, s.AsOf, _ => null);
            if (before.Cycles.IsEmpty)
            {
                return true.Label("no wait to add a message to");
            }

            // An instant inside a wait, from its message (listed after it) to just before what ended it.
            var wait = before.Cycles[pick % before.Cycles.Length];
            var end = wait.Stop ?? s.AsOf;
            if (end == wait.Start)
            {
                return true.Label("a wait of no time: answered at the instant of its message");
            }

            var at = wait.Start + ((end - wait.Start) * (permille / 1000.0));
            if (at >= end && wait.Stop is not null)
            {
                at = wait.Start;
            }

            var after = RuledClock.Compute(s.Target, With(s.Ticket, at, "customer"), PauseOn, s.Calendar, s.AsOf, _ => null);

            return (after.Result == before.Result && after.Cycles.Select(c => (c.Start, c.Stop)).SequenceEqual(before.Cycles.Select(c => (c.Start, c.Stop))))
                .Label($"added at {at:o}: {before.Result} became {after.Result}");
        });
}
