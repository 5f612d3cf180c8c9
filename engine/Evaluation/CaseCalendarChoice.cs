using System.Collections.Immutable;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>
/// The calendar and clock one case counts on, and why (docs/CLOCKS.md "Calendars and clocks chosen by the case").
/// </summary>
/// <param name="Calendar">The calendar business clocks count on; null when the policy has none.</param>
/// <param name="CalendarBy">Why: "the case is tagged `site:berlin`", "the case's customer is initech", "calendarFrom matches no tag or customer of the case, so the policy's calendar eu-office".</param>
/// <param name="CalendarLocation">The <c>calendarFrom</c> entry that chose it; unknown for the policy's own calendar.</param>
/// <param name="Clock">The clock every target counts on (business-day targets excepted); null: each target's own.</param>
/// <param name="ClockBy">Why the clock was chosen; null when it was not.</param>
/// <param name="ClockLocation">The <c>clockFrom</c> entry that chose it.</param>
public readonly record struct CaseCalendarChoice(
    BusinessCalendar? Calendar,
    string? CalendarBy,
    SourceLocation CalendarLocation,
    ClockKind? Clock,
    string? ClockBy,
    SourceLocation ClockLocation)
{
    /// <summary>
    /// Follow-the-sun (<c>calendarFrom.teams</c>): who held the case, as known at the evaluation time, in time order,
    /// each with the calendar counted meanwhile; the first from the start. Empty when the policy has no teams or the
    /// case no assignment; then <see cref="Calendar"/> is an ordinary calendar.
    /// </summary>
    public ImmutableArray<CalendarHolder> Holders { get; init; } = [];

    /// <summary>Follow-the-sun: the calendar chosen without the holders (before any assignment, and for a team with none); null otherwise.</summary>
    public BusinessCalendar? Home { get; init; }

    /// <summary>True when the case's calendar follows the teams that held it.</summary>
    public bool FollowsTheSun => !Holders.IsDefaultOrEmpty;
}
