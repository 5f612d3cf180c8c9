using System.Collections.Immutable;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Clocks;

/// <summary>Which event stopped a clock.</summary>
public enum ClockStopEvent
{
    /// <summary>Not stopped as of the evaluation time: the clock runs to <c>asOf</c>.</summary>
    None,

    /// <summary>Stopped at the case's <c>firstResponseAt</c>.</summary>
    FirstResponse,

    /// <summary>Stopped at the case's <c>resolvedAt</c>.</summary>
    Resolution,
}

/// <summary>
/// A stretch of time counted on a target's clock: [<see cref="Start"/>, <see cref="End"/>), with
/// <see cref="Counted"/> the time it added to elapsed (real time for 24x7; for a business clock each segment is
/// one open interval of the calendar, so <see cref="Counted"/> equals its length).
/// </summary>
public readonly record struct CountedSegment(DateTimeOffset Start, DateTimeOffset End, TimeSpan Counted)
{
    /// <summary>Counted time in minutes (fractional when seconds are present).</summary>
    public double Minutes => Counted.TotalMinutes;
}

/// <summary>
/// A pause excluded from elapsed time: from the status event in <c>pauseOn</c> (<see cref="Status"/>, the status
/// that started it) to the next status event not in <c>pauseOn</c>, clipped to [opened, stop or asOf).
/// <see cref="Counted"/> is the time it would have added on the target's clock (business time for a calendar
/// clock). <see cref="OpenAtEnd"/> is true when the pause had not ended by the stop or <c>asOf</c>.
/// </summary>
public readonly record struct ExcludedPause(string Status, DateTimeOffset Start, DateTimeOffset End, TimeSpan Counted, bool OpenAtEnd)
{
    /// <summary>Paused time on the target's clock, in minutes (fractional when seconds are present).</summary>
    public double Minutes => Counted.TotalMinutes;
}

/// <summary>
/// How one target's clock was counted for one case, for explanations ("why"). Produced by
/// <see cref="SlaClock.Trace"/> from the same walk as <see cref="SlaClock.Compute"/>, so it always agrees with
/// <see cref="Result"/>. Instants are in UTC.
/// </summary>
/// <param name="TargetId">The target's id.</param>
/// <param name="Clock">The target's clock kind.</param>
/// <param name="CalendarId">The calendar used by a business clock; null for 24x7.</param>
/// <param name="TimeZone">The calendar's IANA zone; null for 24x7.</param>
/// <param name="Result">The clock's result, identical to <see cref="SlaClock.Compute"/>.</param>
/// <param name="StartedAt">The case's <c>openedAt</c>: the clock starts here (a business clock counts from the next opening).</param>
/// <param name="CountedUntil">Where counting ended: the stop, or <c>asOf</c> when not stopped.</param>
/// <param name="StopEvent">The event that stopped the clock, or <see cref="ClockStopEvent.None"/>.</param>
/// <param name="CutByAsOf">True when the clock was not stopped and was counted up to <c>asOf</c>.</param>
/// <param name="StopAfterAsOfIgnored">True when the case records a stop later than <c>asOf</c>, which is not known yet at <c>asOf</c>.</param>
/// <param name="EventsAfterAsOfIgnored">How many status events later than <c>asOf</c> were ignored.</param>
/// <param name="Segments">The stretches counted, in order.</param>
/// <param name="Pauses">The pauses excluded, in order.</param>
/// <param name="HolidaysSkipped">Holidays met by the running (not paused) stretches that would otherwise have been open; empty for 24x7.</param>
/// <param name="ClosedTimeSkipped">Real time outside opening hours (nights, weekends, holidays) inside the running stretches; zero for 24x7.</param>
public sealed record ClockTrace(
    string TargetId,
    ClockKind Clock,
    string? CalendarId,
    string? TimeZone,
    ClockResult Result,
    DateTimeOffset StartedAt,
    DateTimeOffset CountedUntil,
    ClockStopEvent StopEvent,
    bool CutByAsOf,
    bool StopAfterAsOfIgnored,
    int EventsAfterAsOfIgnored,
    ImmutableArray<CountedSegment> Segments,
    ImmutableArray<ExcludedPause> Pauses,
    ImmutableArray<DateOnly> HolidaysSkipped,
    TimeSpan ClosedTimeSkipped);
