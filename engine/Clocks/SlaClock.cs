using System.Collections.Immutable;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Clocks;

/// <summary>
/// Counts a target's clock for a case as of an evaluation time: start, pauses, stop and status, as docs/CLOCKS.md
/// states them.
/// </summary>
/// <remarks>
/// <para>
/// The clock starts at <c>openedAt</c>. A <see cref="TargetMetric.FirstResponse"/> clock stops at the earlier of
/// <c>firstResponseAt</c> and <c>resolvedAt</c>; a <see cref="TargetMetric.Resolution"/> clock at <c>resolvedAt</c>.
/// Only what is known at <c>asOf</c> counts: a stop later than <c>asOf</c> is ignored (the clock runs to
/// <c>asOf</c>), and so are status events later than <c>asOf</c>. A stop earlier than <c>openedAt</c> is taken
/// as <c>openedAt</c>.
/// </para>
/// <para>
/// A pause runs from a status event in <c>pauseOn</c> (compared ordinally) to the next status event not in
/// <c>pauseOn</c>; further pause statuses in between continue the same pause. Status events before
/// <c>openedAt</c> set the state the case opens in. Events are read in time order; events at the same instant in
/// their given order (an unsorted list is sorted stably first, which costs an allocation).
/// </para>
/// <para>
/// All methods are thread-safe and, for a case whose events are in order, allocate nothing except
/// <see cref="Trace"/>.
/// </para>
/// </remarks>
public static class SlaClock
{
    /// <summary>
    /// The clock of <paramref name="target"/> for <paramref name="ticket"/> as of <paramref name="asOf"/>:
    /// elapsed and paused time on the target's clock, the stop (if known at <paramref name="asOf"/>), the due
    /// instant and the status.
    /// </summary>
    /// <remarks>
    /// Status: <see cref="ClockStatus.Breached"/> when elapsed &gt; within (stopped or not);
    /// <see cref="ClockStatus.Met"/> when stopped and elapsed &lt;= within (a stop exactly at the due time is met);
    /// <see cref="ClockStatus.Paused"/> when not stopped and paused at <paramref name="asOf"/>;
    /// <see cref="ClockStatus.Running"/> otherwise.
    /// DueAt is the earliest instant at which elapsed reaches within, given the pauses known at
    /// <paramref name="asOf"/> and no further ones: a past instant when already reached, a prediction otherwise.
    /// It is null when the status is <see cref="ClockStatus.Paused"/>. For a stopped clock pauses after the stop
    /// are ignored and a pause still open at the stop ends there, so a met case shows when it would have been due.
    /// </remarks>
    /// <exception cref="ArgumentException">A business target with no calendar.</exception>
    public static ClockResult Compute(
        TargetTerm target,
        CaseRecord ticket,
        ImmutableArray<string> pauseOn,
        BusinessCalendar? calendar,
        DateTimeOffset asOf)
    {
        var sink = default(NoTrace);
        var walk = Walk(target, ticket, pauseOn, calendar, asOf, target.Within.Ticks, ref sink);
        return ToResult(target, ticket, walk);
    }

    /// <summary>
    /// The instant at which the clock's elapsed time reached <paramref name="elapsed"/>, or will reach it if the
    /// clock keeps running with no further pauses (for a stopped clock: had it kept running after the stop).
    /// Null when the clock is paused at <paramref name="asOf"/>, not stopped, and had not reached it before the pause.
    /// Used for escalation crossing times (e.g. 75% of within) and for <see cref="ClockResult.DueAt"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A business target with no calendar.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elapsed"/> is negative.</exception>
    public static DateTimeOffset? InstantWhenElapsed(
        TargetTerm target,
        CaseRecord ticket,
        ImmutableArray<string> pauseOn,
        BusinessCalendar? calendar,
        DateTimeOffset asOf,
        TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elapsed.Ticks, nameof(elapsed));
        var sink = default(NoTrace);
        var walk = Walk(target, ticket, pauseOn, calendar, asOf, elapsed.Ticks, ref sink);
        return walk.Crossing is { } ticks ? Utc(ticks) : null;
    }

    /// <summary>
    /// The same computation as <see cref="Compute"/>, with the segments counted, the pauses excluded, the
    /// holidays and closed time skipped and the stop recorded, for explanations. Allocates; keep it off the hot path.
    /// </summary>
    /// <exception cref="ArgumentException">A business target with no calendar.</exception>
    public static ClockTrace Trace(
        TargetTerm target,
        CaseRecord ticket,
        ImmutableArray<string> pauseOn,
        BusinessCalendar? calendar,
        DateTimeOffset asOf)
    {
        var recorder = new TraceRecorder(target.Clock == ClockKind.Business ? calendar : null);
        var sink = new RecordingTrace(recorder);
        var walk = Walk(target, ticket, pauseOn, calendar, asOf, target.Within.Ticks, ref sink);
        var result = ToResult(target, ticket, walk);
        var holidays = recorder.Calendar is { } cal
            ? recorder.Running.SelectMany(r => cal.HolidaysBetween(Utc(r.Start), Utc(r.End))).Distinct().ToImmutableArray()
            : [];
        var eventsAfterAsOf = ticket.Events.IsDefaultOrEmpty ? 0 : ticket.Events.Count(e => e.At > asOf);
        return new ClockTrace(
            target.Id,
            target.Clock,
            recorder.Calendar?.Id,
            recorder.Calendar?.TimeZone,
            result,
            ticket.OpenedAt,
            Utc(walk.End),
            walk.StopEvent,
            walk.StopEvent == ClockStopEvent.None,
            walk.StopAfterAsOf,
            eventsAfterAsOf,
            [.. recorder.Segments],
            [.. recorder.Pauses],
            holidays,
            new TimeSpan(recorder.ClosedTicks));
    }

    private static ClockResult ToResult(TargetTerm target, CaseRecord ticket, in WalkResult walk)
    {
        var within = target.Within;
        var stopped = walk.StopEvent != ClockStopEvent.None;
        ClockStatus status;
        if (walk.ElapsedTicks > within.Ticks)
        {
            status = ClockStatus.Breached;
        }
        else if (stopped)
        {
            status = ClockStatus.Met;
        }
        else
        {
            status = walk.PausedAtEnd ? ClockStatus.Paused : ClockStatus.Running;
        }

        DateTimeOffset? dueAt = status == ClockStatus.Paused || walk.Crossing is not { } crossing ? null : Utc(crossing);
        DateTimeOffset? stoppedAt = walk.StopEvent switch
        {
            ClockStopEvent.FirstResponse => Max(ticket.FirstResponseAt!.Value, ticket.OpenedAt),
            ClockStopEvent.Resolution => Max(ticket.ResolvedAt!.Value, ticket.OpenedAt),
            _ => null,
        };
        return new ClockResult(new TimeSpan(walk.ElapsedTicks), new TimeSpan(walk.PausedTicks), within, dueAt, stoppedAt, status);
    }

    /// <summary>
    /// The one walk over a case's clock that <see cref="Compute"/>, <see cref="InstantWhenElapsed"/> and
    /// <see cref="Trace"/> share. <paramref name="sink"/> is a struct so that the no-trace case compiles to nothing.
    /// </summary>
    private static WalkResult Walk<TSink>(
        TargetTerm target,
        CaseRecord ticket,
        ImmutableArray<string> pauseOn,
        BusinessCalendar? calendar,
        DateTimeOffset asOf,
        long threshold,
        ref TSink sink)
        where TSink : struct, IClockSink
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ticket);
        BusinessCalendar? counter = null;
        if (target.Clock == ClockKind.Business)
        {
            counter = calendar ?? throw new ArgumentException(
                $"target `{target.Id}` counts business time but its policy has no calendar", nameof(calendar));
        }

        var asOfTicks = asOf.UtcTicks;
        var start = ticket.OpenedAt.UtcTicks;
        var (stopEvent, stopTicks, stopAfterAsOf) = FindStop(target.Metric, ticket, asOfTicks);
        var end = stopEvent == ClockStopEvent.None ? asOfTicks : stopTicks;
        if (end < start)
        {
            end = start;
        }

        var walk = new Walker<TSink>(counter, threshold, start);
        var events = ticket.Events;
        if (!events.IsDefaultOrEmpty)
        {
            if (!IsInOrder(events))
            {
                events = [.. events.OrderBy(e => e.At.UtcTicks)];
            }

            foreach (var e in events)
            {
                var at = e.At.UtcTicks;
                if (at > asOfTicks || at > end)
                {
                    // In order: everything further is later than asOf (not known yet) or after the stop (irrelevant).
                    break;
                }

                walk.Status(e.Status, Contains(pauseOn, e.Status), at < start ? start : at, ref sink);
            }
        }

        walk.Finish(end, stopEvent != ClockStopEvent.None, ref sink);
        return new WalkResult(walk.Elapsed, walk.PausedTotal, walk.Paused, walk.Crossing, end, stopEvent, stopAfterAsOf);
    }

    private static (ClockStopEvent Event, long Ticks, bool StopAfterAsOf) FindStop(TargetMetric metric, CaseRecord ticket, long asOf)
    {
        var resolved = ticket.ResolvedAt?.UtcTicks;
        var response = metric == TargetMetric.FirstResponse ? ticket.FirstResponseAt?.UtcTicks : null;
        var later = (resolved > asOf) || (response > asOf);
        var knownResolved = resolved <= asOf ? resolved : null;
        var knownResponse = response <= asOf ? response : null;
        if (knownResponse is { } r && (knownResolved is null || r <= knownResolved.Value))
        {
            return (ClockStopEvent.FirstResponse, r, false);
        }

        if (knownResolved is { } s)
        {
            return (ClockStopEvent.Resolution, s, false);
        }

        return (ClockStopEvent.None, 0, later);
    }

    private static bool IsInOrder(ImmutableArray<StatusEvent> events)
    {
        for (var i = 1; i < events.Length; i++)
        {
            if (events[i].At.UtcTicks < events[i - 1].At.UtcTicks)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(ImmutableArray<string> pauseOn, string status)
    {
        if (pauseOn.IsDefault)
        {
            return false;
        }

        foreach (var candidate in pauseOn)
        {
            if (string.Equals(candidate, status, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private readonly record struct WalkResult(
        long ElapsedTicks,
        long PausedTicks,
        bool PausedAtEnd,
        long? Crossing,
        long End,
        ClockStopEvent StopEvent,
        bool StopAfterAsOf);

    /// <summary>The running/paused state machine; counts on the target's clock and finds the threshold crossing.</summary>
    private struct Walker<TSink>(BusinessCalendar? calendar, long threshold, long start)
        where TSink : struct, IClockSink
    {
        private long _segmentStart = start;
        private string _pauseStatus = string.Empty;

        public long Elapsed { get; private set; }

        public long PausedTotal { get; private set; }

        public bool Paused { get; private set; }

        public long? Crossing { get; private set; } = threshold == 0 ? start : null;

        public void Status(string status, bool pauses, long at, ref TSink sink)
        {
            if (pauses == Paused)
            {
                return;
            }

            if (pauses)
            {
                CloseRunning(at, ref sink);
                _pauseStatus = status;
            }
            else
            {
                ClosePause(at, openAtEnd: false, ref sink);
            }

            _segmentStart = at;
            Paused = pauses;
        }

        public void Finish(long end, bool stopped, ref TSink sink)
        {
            if (Paused)
            {
                ClosePause(end, openAtEnd: true, ref sink);
            }
            else
            {
                CloseRunning(end, ref sink);
            }

            // Not reached yet: predict with no further pauses, unless paused at asOf (resumption unknown).
            if (Crossing is null && (stopped || !Paused))
            {
                Crossing = Add(end, threshold - Elapsed);
            }
        }

        private void CloseRunning(long end, ref TSink sink)
        {
            if (end <= _segmentStart)
            {
                return;
            }

            var counted = Between(_segmentStart, end);
            if (Crossing is null && Elapsed + counted >= threshold)
            {
                Crossing = Add(_segmentStart, threshold - Elapsed);
            }

            Elapsed += counted;
            sink.Running(_segmentStart, end, counted);
        }

        private void ClosePause(long end, bool openAtEnd, ref TSink sink)
        {
            var counted = Between(_segmentStart, end);
            PausedTotal += counted;

            // A pause closed at the instant it began excluded nothing; one still open at the end explains the status.
            if (end > _segmentStart || openAtEnd)
            {
                sink.Pause(_pauseStatus, _segmentStart, end, counted, openAtEnd);
            }
        }

        private readonly long Between(long a, long b) => calendar is null ? Math.Max(0, b - a) : calendar.BusinessTicksBetween(a, b);

        private readonly long Add(long a, long amount) => calendar is null ? a + amount : calendar.AddBusinessTicks(a, amount);
    }

    private interface IClockSink
    {
        void Running(long start, long end, long counted);

        void Pause(string status, long start, long end, long counted, bool openAtEnd);
    }

    private readonly struct NoTrace : IClockSink
    {
        public void Running(long start, long end, long counted)
        {
        }

        public void Pause(string status, long start, long end, long counted, bool openAtEnd)
        {
        }
    }

    private readonly struct RecordingTrace(TraceRecorder recorder) : IClockSink
    {
        public void Running(long start, long end, long counted) => recorder.AddRunning(start, end, counted);

        public void Pause(string status, long start, long end, long counted, bool openAtEnd) =>
            recorder.Pauses.Add(new ExcludedPause(status, Utc(start), Utc(end), new TimeSpan(counted), openAtEnd));
    }

    private sealed class TraceRecorder(BusinessCalendar? calendar)
    {
        public BusinessCalendar? Calendar { get; } = calendar;

        public List<CountedSegment> Segments { get; } = [];

        public List<ExcludedPause> Pauses { get; } = [];

        public List<(long Start, long End)> Running { get; } = [];

        public long ClosedTicks { get; private set; }

        public void AddRunning(long start, long end, long counted)
        {
            Running.Add((start, end));
            if (Calendar is null)
            {
                Segments.Add(new CountedSegment(Utc(start), Utc(end), new TimeSpan(counted)));
                return;
            }

            // A business stretch is listed as the calendar's open intervals inside it: those are what was counted.
            foreach (var (openStart, openEnd) in Calendar.OpenIntervals(Utc(start), Utc(end)))
            {
                Segments.Add(new CountedSegment(openStart, openEnd, openEnd - openStart));
            }

            ClosedTicks += end - start - counted;
        }
    }
}
