using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Clocks;

/// <summary>
/// What the plain clock (<see cref="SlaClock"/>) walks for one cycle of a target with clock rules: a view of the case
/// whose <c>openedAt</c> is the cycle's start and whose <c>resolvedAt</c> is its stop, whose events carry the pause
/// statuses of <see cref="PauseOn"/> where the target pauses (and an empty status elsewhere), and the target to walk
/// (with the length in force for this case).
/// </summary>
public sealed record ClockView(CaseRecord Ticket, ImmutableArray<string> PauseOn, TargetTerm Target);

/// <summary>One stretch of a severity history: from <see cref="From"/> the case had <see cref="Severity"/>, under <see cref="TargetId"/> (null: no target of the metric).</summary>
public sealed record SeverityPeriod(DateTimeOffset From, int Severity, string? TargetId, TimeSpan Within, TimeSpan Counted, double Share);

/// <summary>One cycle of a target with clock rules: its start and stop, the view the clock walked and the result.</summary>
public sealed record RuledCycle(int Number, DateTimeOffset Start, DateTimeOffset? Stop, ClockView View, ClockResult Result, ImmutableArray<SeverityPeriod> Severities);

/// <summary>
/// The clock of a target with <c>start</c>, <c>stop</c>, <c>pause</c>, <c>cancel</c>, <c>reopen</c> or
/// <c>severityChange</c> (docs/CLOCKS.md "Start, stop, pause and cancel conditions" and the sections after it):
/// <see cref="Result"/> is what the decision says; <see cref="Cycles"/> the cycles (one unless reopened under
/// <c>newCycle</c>); <see cref="Decisive"/> the index of the cycle whose figures the decision carries.
/// </summary>
public sealed record RuledClockResult(
    ClockResult Result,
    ImmutableArray<RuledCycle> Cycles,
    int Decisive,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedByCondition,
    DateTimeOffset? CancelledAt,
    ImmutableArray<(DateTimeOffset Resolved, DateTimeOffset Reopened)> Reopens)
{
    /// <summary>The cycle whose figures the decision carries; null while pending.</summary>
    public RuledCycle? DecisiveCycle => Cycles.IsDefaultOrEmpty ? null : Cycles[Decisive];
}

/// <summary>
/// Counts a target with clock rules by building, for each cycle, a view of the case that the plain clock walks
/// unchanged: so pauses, calendars, business days, due times and traces follow exactly the rules of the plain clock.
/// </summary>
public static class RuledClock
{
    /// <summary>Statuses that resolve a case for reopens, besides whatever the target's <c>stop</c> matches.</summary>
    public static readonly ImmutableArray<string> ResolutionStatuses = ["resolved", "closed"];

    /// <summary>The status a resolved stretch is paused under when the clock resumes after a reopen.</summary>
    public const string ResolvedPause = "resolved";

    /// <summary>
    /// The clock of <paramref name="target"/> for <paramref name="ticket"/> as of <paramref name="asOf"/>.
    /// <paramref name="targetFor"/> gives the policy's target of the same metric for a severity (for <c>fromChange</c>).
    /// </summary>
    public static RuledClockResult Compute(
        TargetTerm target,
        CaseRecord ticket,
        ImmutableArray<string> pauseOn,
        BusinessCalendar? calendar,
        DateTimeOffset asOf,
        Func<int, TargetTerm?> targetFor)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(targetFor);
        var events = Known(ticket, asOf);
        if (target.Metric == TargetMetric.NextReply)
        {
            // Its start and stop say what a customer message and a reply are; the target itself runs from the opening.
            return NextReplies(target, ticket, events, pauseOn, calendar, asOf);
        }

        // Start: the first event (or the field) the start condition matches, known at asOf; not before the opening.
        DateTimeOffset? start = ticket.OpenedAt;
        if (target.Start is { } startCondition)
        {
            start = First(startCondition, ticket, events, asOf, from: null);
            if (start is { } s && s < ticket.OpenedAt)
            {
                start = ticket.OpenedAt;
            }
        }

        if (start is null)
        {
            var within = BusinessDays(target, ticket, calendar);
            return new RuledClockResult(new ClockResult(TimeSpan.Zero, TimeSpan.Zero, within, null, null, ClockStatus.Pending), [], 0, null, null, null, []);
        }

        if (target.Metric == TargetMetric.Update)
        {
            return Updates(target, ticket, events, start.Value, pauseOn, calendar, asOf);
        }

        // Stop: the stop condition's first match from the start on; otherwise the metric's own stop, as the plain clock has it.
        var hasStop = target.Stop is not null;
        var stop = target.Stop is { } stopCondition ? First(stopCondition, ticket, events, asOf, from: start) : DefaultStop(target.Metric, ticket, asOf);

        var cancelled = target.Cancel is { } cancelCondition ? First(cancelCondition, ticket, events, asOf, from: start) : null;

        // Cycles: each runs from its start to a resolution; a status event after a resolution that is not a resolution reopens.
        var cycles = new List<(DateTimeOffset Start, DateTimeOffset? Stop)>();
        var reopens = ImmutableArray.CreateBuilder<(DateTimeOffset, DateTimeOffset)>();
        if (target.Reopen == ReopenRule.None)
        {
            cycles.Add((start.Value, stop));
        }
        else
        {
            var cycleStart = start.Value;
            DateTimeOffset? resolvedAt = null;
            foreach (var (at, isResolution) in Resolutions(target, ticket, events, stop))
            {
                if (at < cycleStart)
                {
                    continue;
                }

                if (resolvedAt is null && isResolution)
                {
                    resolvedAt = at;
                }
                else if (resolvedAt is { } resolved && !isResolution)
                {
                    cycles.Add((cycleStart, resolved));
                    reopens.Add((resolved, at));
                    cycleStart = at;
                    resolvedAt = null;
                }
            }

            cycles.Add((cycleStart, resolvedAt));
        }

        // A cancel before the clock stops ends the target there; later cycles are not counted.
        var cancelCycle = -1;
        if (cancelled is { } cancelAt)
        {
            for (var i = 0; i < cycles.Count; i++)
            {
                if (cancelAt >= cycles[i].Start && (cycles[i].Stop is not { } end || cancelAt < end))
                {
                    cancelCycle = i;
                    cycles[i] = (cycles[i].Start, cancelAt);
                    cycles.RemoveRange(i + 1, cycles.Count - i - 1);
                    break;
                }
            }
        }

        var walkTarget = target with { Metric = TargetMetric.Resolution };
        var views = new List<ClockView>();
        if (target.Reopen == ReopenRule.Resume && cycles.Count > 1)
        {
            // One clock: the stretches between a resolution and its reopen are paused under `resolved`.
            var gaps = reopens.ToImmutable();
            views.Add(View(target, walkTarget, ticket, events, pauseOn, cycles[0].Start, cycles[^1].Stop, gaps));
        }
        else
        {
            foreach (var (cycleStart, cycleStop) in cycles)
            {
                views.Add(View(target, walkTarget, ticket, events, pauseOn, cycleStart, cycleStop, []));
            }
        }

        var results = ImmutableArray.CreateBuilder<RuledCycle>();
        for (var i = 0; i < views.Count; i++)
        {
            var view = views[i];
            var (walked, severities) = Severity(target, view, ticket, calendar, asOf, targetFor);
            view = view with { Target = walked };
            var result = SlaClock.Compute(view.Target, view.Ticket, view.PauseOn, calendar, asOf);
            var isCancelled = i == views.Count - 1 && cancelCycle >= 0;
            if (isCancelled && result.Status != ClockStatus.Breached)
            {
                result = result with { Status = ClockStatus.Cancelled, DueAt = null };
            }

            var cycleStart = view.Ticket.OpenedAt;
            results.Add(new RuledCycle(i + 1, cycleStart, result.StoppedAt, view, result, severities));
        }

        var decisive = results.Count - 1;
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Result.Status == ClockStatus.Breached)
            {
                decisive = i;
                break;
            }
        }

        return new RuledClockResult(
            results[decisive].Result,
            results.ToImmutable(),
            decisive,
            start,
            hasStop ? stop : null,
            cancelCycle >= 0 ? cancelled : null,
            reopens.ToImmutable());
    }

    /// <summary>
    /// An update target (docs/CLOCKS.md "Update targets"): one gap from the start (or the last update) to the next
    /// update, the last one to the resolution (or a cancel), or still open at <paramref name="asOf"/>; each gap is a
    /// clock of its own. The decision carries the worst gap's figures (the due time of the open gap while it runs);
    /// it is breached when any gap is, met when resolved with every gap within.
    /// </summary>
    private static RuledClockResult Updates(
        TargetTerm target, CaseRecord ticket, ImmutableArray<StatusEvent> events, DateTimeOffset start, ImmutableArray<string> pauseOn, BusinessCalendar? calendar, DateTimeOffset asOf)
    {
        var (cancelled, end) = Ends(target, ticket, events, start, asOf);
        var update = target.UpdateCondition;
        var bounds = new List<(DateTimeOffset Start, DateTimeOffset? Stop)>();
        var gapStart = start;
        foreach (var e in events)
        {
            if (e.At <= gapStart)
            {
                continue;
            }

            if (end is { } stopAt && e.At >= stopAt)
            {
                break;
            }

            if (update.Matches(e))
            {
                bounds.Add((gapStart, e.At));
                gapStart = e.At;
            }
        }

        if (bounds.Count == 0 || end is not { } last || last > gapStart)
        {
            bounds.Add((gapStart, end));
        }

        var walk = Walk(target, ticket, events, bounds, pauseOn, calendar, asOf, cancelled);
        return Judged(target, ticket, calendar, walk, walk.AnyBreached ? ClockStatus.Breached : walk.Stretches[^1].Result.Status, start, cancelled, end);
    }

    /// <summary>
    /// A next-reply target (docs/CLOCKS.md "Next reply targets"): one wait from each customer message that finds no
    /// message waiting (the oldest unanswered one) to the next reply, the resolution or a cancel, or still open at
    /// <paramref name="asOf"/>; each wait is a clock of its own. Messages before the first response wait with the
    /// opening, which the first-response target judges. Breached when any wait is; met when resolved with every wait
    /// within (none at all included); while open, the open wait's status, or pending when no message waits.
    /// </summary>
    private static RuledClockResult NextReplies(
        TargetTerm target, CaseRecord ticket, ImmutableArray<StatusEvent> events, ImmutableArray<string> pauseOn, BusinessCalendar? calendar, DateTimeOffset asOf)
    {
        var start = ticket.OpenedAt;
        var (cancelled, end) = Ends(target, ticket, events, start, asOf);
        var message = target.CustomerMessage;
        var reply = target.Reply;
        DateTimeOffset? firstResponse = ticket.FirstResponseAt is { } f && f <= asOf ? f : null;
        var openingAnswered = false;
        DateTimeOffset? waiting = null;
        var bounds = new List<(DateTimeOffset Start, DateTimeOffset? Stop)>();
        foreach (var e in events)
        {
            if (e.At < start)
            {
                continue;
            }

            if (end is { } stopAt && e.At >= stopAt)
            {
                break;
            }

            if (!openingAnswered)
            {
                // The opening waits until the first response (the case's firstResponseAt or the first reply, whichever is first).
                openingAnswered = firstResponse is { } answered && e.At >= answered;
                if (!openingAnswered)
                {
                    openingAnswered = reply.Matches(e);
                    continue;
                }
            }

            if (waiting is { } since)
            {
                if (reply.Matches(e))
                {
                    bounds.Add((since, e.At));
                    waiting = null;
                }
            }
            else if (message.Matches(e))
            {
                waiting = e.At;
            }
        }

        if (waiting is { } open)
        {
            bounds.Add((open, end));
        }

        var walk = Walk(target, ticket, events, bounds, pauseOn, calendar, asOf, cancelled);
        var status = walk.AnyBreached ? ClockStatus.Breached
            : cancelled is not null ? ClockStatus.Cancelled
            : waiting is not null && end is null ? walk.Stretches[^1].Result.Status
            : end is not null ? ClockStatus.Met
            : ClockStatus.Pending;
        return Judged(target, ticket, calendar, walk, status, start, cancelled, end);
    }

    /// <summary>Where a target of many stretches ends: a cancel from the start on, unless after the resolution; else the resolution known at <paramref name="asOf"/>.</summary>
    private static (DateTimeOffset? Cancelled, DateTimeOffset? End) Ends(TargetTerm target, CaseRecord ticket, ImmutableArray<StatusEvent> events, DateTimeOffset start, DateTimeOffset asOf)
    {
        DateTimeOffset? resolved = ticket.ResolvedAt is { } r && r <= asOf ? (r < start ? start : r) : null;
        var cancelled = target.Cancel is { } cancelCondition ? First(cancelCondition, ticket, events, asOf, from: start) : null;
        if (cancelled is { } c && resolved is { } e0 && c >= e0)
        {
            cancelled = null;
        }

        return (cancelled, cancelled ?? resolved);
    }

    /// <summary>
    /// Each stretch (an update target's gap, a next-reply target's wait) counted as a clock opened at its start and stopped
    /// at its end, with the target's pauses; the one ended by <paramref name="cancelled"/> is cancelled unless breached.
    /// The worst is the one with the highest share of the target (the earliest of equal ones).
    /// </summary>
    private static (ImmutableArray<RuledCycle> Stretches, int Worst, bool AnyBreached) Walk(
        TargetTerm target, CaseRecord ticket, ImmutableArray<StatusEvent> events, List<(DateTimeOffset Start, DateTimeOffset? Stop)> bounds, ImmutableArray<string> pauseOn, BusinessCalendar? calendar, DateTimeOffset asOf, DateTimeOffset? cancelled)
    {
        var walkTarget = target with { Metric = TargetMetric.Resolution };
        var stretches = ImmutableArray.CreateBuilder<RuledCycle>(bounds.Count);
        var worst = 0;
        var anyBreached = false;
        for (var i = 0; i < bounds.Count; i++)
        {
            var view = View(target, walkTarget, ticket, events, pauseOn, bounds[i].Start, bounds[i].Stop, []);
            view = view with { Target = BusinessDayTargets.ForCase(view.Target, view.Ticket, target.Clock == ClockKind.Business ? calendar : null) };
            var result = SlaClock.Compute(view.Target, view.Ticket, view.PauseOn, calendar, asOf);
            if (cancelled is { } c && bounds[i].Stop == c && result.Status != ClockStatus.Breached)
            {
                result = result with { Status = ClockStatus.Cancelled, DueAt = null };
            }

            anyBreached |= result.Status == ClockStatus.Breached;
            if (i == 0 || result.PercentUsed > stretches[worst].Result.PercentUsed)
            {
                worst = i;
            }

            stretches.Add(new RuledCycle(i + 1, bounds[i].Start, result.StoppedAt, view, result, []));
        }

        return (stretches.ToImmutable(), worst, anyBreached);
    }

    /// <summary>
    /// The result of a target of many stretches: the worst one's figures under <paramref name="status"/>; the due time of
    /// the last (open) one while it runs, none while cancelled or pending, else the worst one's; stopped at the end.
    /// </summary>
    private static RuledClockResult Judged(
        TargetTerm target, CaseRecord ticket, BusinessCalendar? calendar, (ImmutableArray<RuledCycle> Stretches, int Worst, bool AnyBreached) walk, ClockStatus status, DateTimeOffset start, DateTimeOffset? cancelled, DateTimeOffset? end)
    {
        if (walk.Stretches.IsEmpty)
        {
            var none = new ClockResult(TimeSpan.Zero, TimeSpan.Zero, BusinessDays(target, ticket, calendar), null, end, status);
            return new RuledClockResult(none, [], 0, start, null, cancelled, []);
        }

        var figures = walk.Stretches[walk.Worst].Result;
        var due = status switch
        {
            ClockStatus.Running or ClockStatus.Paused => walk.Stretches[^1].Result.DueAt,
            ClockStatus.Cancelled or ClockStatus.Pending => null,
            _ => figures.DueAt,
        };

        return new RuledClockResult(figures with { Status = status, DueAt = due, StoppedAt = end }, walk.Stretches, walk.Worst, start, null, cancelled, []);
    }

    /// <summary>The severity in force at <paramref name="at"/>: that of the last event at or before it carrying one, else the case's.</summary>
    public static int SeverityAt(CaseRecord ticket, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var severity = ticket.Severity;
        if (!ticket.Events.IsDefaultOrEmpty)
        {
            foreach (var e in ticket.Events)
            {
                if (e.At > at)
                {
                    break;
                }

                severity = e.Severity ?? severity;
            }
        }

        return severity;
    }

    /// <summary>The plain clock's stop known at <paramref name="asOf"/>: the first response or, if earlier or none, the resolution.</summary>
    private static DateTimeOffset? DefaultStop(TargetMetric metric, CaseRecord ticket, DateTimeOffset asOf)
    {
        var resolved = ticket.ResolvedAt <= asOf ? ticket.ResolvedAt : null;
        var response = metric == TargetMetric.FirstResponse && ticket.FirstResponseAt <= asOf ? ticket.FirstResponseAt : null;
        return response is { } r && (resolved is null || r <= resolved.Value) ? r : resolved;
    }

    private static TimeSpan BusinessDays(TargetTerm target, CaseRecord ticket, BusinessCalendar? calendar) =>
        target.BusinessDays > 0 && calendar is not null ? BusinessDayTargets.ForCase(target, ticket, calendar).Within : target.Within;

    /// <summary>The case's events known at <paramref name="asOf"/>, in time order (stable among equal instants).</summary>
    private static ImmutableArray<StatusEvent> Known(CaseRecord ticket, DateTimeOffset asOf)
    {
        if (ticket.Events.IsDefaultOrEmpty)
        {
            return [];
        }

        return [.. ticket.Events.Where(e => e.At <= asOf).OrderBy(e => e.At.UtcTicks)];
    }

    /// <summary>The first instant at or after <paramref name="from"/> that <paramref name="condition"/> matches, known at <paramref name="asOf"/>.</summary>
    private static DateTimeOffset? First(ClockCondition condition, CaseRecord ticket, ImmutableArray<StatusEvent> events, DateTimeOffset asOf, DateTimeOffset? from)
    {
        if (condition.Field is not null)
        {
            if (condition.FieldInstant(ticket) is not { } at || at > asOf)
            {
                return null;
            }

            return from is { } f && at < f ? f : at;
        }

        foreach (var e in events)
        {
            if ((from is null || e.At >= from.Value) && condition.Matches(e))
            {
                return e.At;
            }
        }

        return null;
    }

    /// <summary>Resolutions and other events from the start on, in time order; the case's <c>resolvedAt</c> (or the stop) counts as a resolution.</summary>
    private static IEnumerable<(DateTimeOffset At, bool IsResolution)> Resolutions(TargetTerm target, CaseRecord ticket, ImmutableArray<StatusEvent> events, DateTimeOffset? stop)
    {
        var marks = new List<(DateTimeOffset At, bool IsResolution)>();
        foreach (var e in events)
        {
            if (target.Cancel?.Matches(e) == true)
            {
                // A cancel is no reopen: after a resolution it changes nothing, before one the cancel rule ends the target.
                continue;
            }

            var resolves = target.Stop is { } condition
                ? condition.Matches(e) || ResolutionStatuses.Contains(e.Status, StringComparer.Ordinal)
                : ResolutionStatuses.Contains(e.Status, StringComparer.Ordinal);
            marks.Add((e.At, resolves));
        }

        if (stop is { } s)
        {
            // Before the events of its instant: an event listed at the same instant that is no resolution reopens after it.
            var index = marks.FindIndex(m => m.At >= s);
            marks.Insert(index < 0 ? marks.Count : index, (s, true));
        }

        return marks;
    }

    private static ClockView View(
        TargetTerm target,
        TargetTerm walkTarget,
        CaseRecord ticket,
        ImmutableArray<StatusEvent> events,
        ImmutableArray<string> pauseOn,
        DateTimeOffset start,
        DateTimeOffset? stop,
        ImmutableArray<(DateTimeOffset Resolved, DateTimeOffset Reopened)> gaps)
    {
        // The events with the target's own pauses (or the policy's pauseOn) under their status and the others under an
        // empty one; from a resolution to its reopen, `resolved` (also at the resolution itself, which may be no event).
        var marks = new List<(DateTimeOffset At, int Order, string Status)>(events.Length + gaps.Length);
        var pauses = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < gaps.Length; i++)
        {
            marks.Add((gaps[i].Resolved, -1, ResolvedPause));
            pauses.Add(ResolvedPause);
        }

        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var inGap = gaps.Any(g => g.Resolved <= e.At && e.At < g.Reopened);
            var pausesHere = target.Pause is { } pause ? pause.Matches(e) : pauseOn.Contains(e.Status, StringComparer.Ordinal);
            var status = inGap ? ResolvedPause : pausesHere ? e.Status : string.Empty;
            marks.Add((e.At, i, status));
            if (status.Length > 0)
            {
                pauses.Add(status);
            }
        }

        var mapped = marks.OrderBy(m => m.At.UtcTicks).ThenBy(m => m.Order).Select(m => new StatusEvent(m.At, m.Status)).ToImmutableArray();
        var view = ticket with { OpenedAt = start, FirstResponseAt = null, ResolvedAt = stop, Events = mapped };
        return new ClockView(view, [.. pauses.Order(StringComparer.Ordinal)], walkTarget);
    }

    /// <summary>
    /// The target walked for <paramref name="view"/>: its business days counted from the view's start, and under
    /// <c>fromChange</c> the length at which the shares of the severity history add up to 100%.
    /// </summary>
    private static (TargetTerm Target, ImmutableArray<SeverityPeriod> Periods) Severity(
        TargetTerm target, ClockView view, CaseRecord ticket, BusinessCalendar? calendar, DateTimeOffset asOf, Func<int, TargetTerm?> targetFor)
    {
        var walked = BusinessDayTargets.ForCase(view.Target, view.Ticket, target.Clock == ClockKind.Business ? calendar : null);
        if (target.SeverityChange == SeverityChangeRule.None || ticket.Events.IsDefaultOrEmpty)
        {
            return (walked, []);
        }

        var start = view.Ticket.OpenedAt;
        var changes = new List<(DateTimeOffset At, int Severity)> { (start, SeverityAt(ticket, start)) };
        foreach (var e in ticket.Events)
        {
            if (e.Severity is { } severity && e.At > start && e.At <= asOf && severity != changes[^1].Severity)
            {
                changes.Add((e.At, severity));
            }
        }

        if (changes.Count == 1)
        {
            return (walked, []);
        }

        var periods = ImmutableArray.CreateBuilder<SeverityPeriod>(changes.Count);
        if (target.SeverityChange == SeverityChangeRule.FromOpening)
        {
            for (var i = 0; i < changes.Count; i++)
            {
                var other = i == changes.Count - 1 ? target : targetFor(changes[i].Severity);
                periods.Add(new SeverityPeriod(changes[i].At, changes[i].Severity, other?.Id, other?.Within ?? TimeSpan.Zero, TimeSpan.Zero, 0));
            }

            return (walked, periods.ToImmutable());
        }

        // fromChange: the share of each earlier severity's target used carries over; due when the shares reach 100%.
        var share = 0.0;
        var elapsedBefore = TimeSpan.Zero;
        TimeSpan? length = null;
        for (var i = 0; i < changes.Count; i++)
        {
            var last = i == changes.Count - 1;
            var other = last ? walked : targetFor(changes[i].Severity) is { } found ? BusinessDayTargets.ForCase(found, view.Ticket, found.Clock == ClockKind.Business ? calendar : null) : null;
            var elapsedAtEnd = last ? (TimeSpan?)null : SlaClock.Compute(walked, view.Ticket, view.PauseOn, calendar, changes[i + 1].At).Elapsed;
            var counted = elapsedAtEnd is { } e ? e - elapsedBefore : TimeSpan.Zero;
            var within = other?.Within ?? TimeSpan.Zero;
            var periodShare = within > TimeSpan.Zero ? counted / within : 0;
            if (length is null && other is not null && (last || share + periodShare >= 1))
            {
                // The length: what was counted before this period plus the rest of this period's target.
                length = elapsedBefore + ((1 - share) * within);
            }

            periods.Add(new SeverityPeriod(changes[i].At, changes[i].Severity, other?.Id, within, counted, periodShare));
            share += periodShare;
            elapsedBefore = elapsedAtEnd ?? elapsedBefore;
        }

        return (walked with { Within = length ?? elapsedBefore }, periods.ToImmutable());
    }

    /// <summary>A number as the explanations write it.</summary>
    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
