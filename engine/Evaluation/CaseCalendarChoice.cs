using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>
/// The calendar and clock one case counts on, and why (docs/CLOCKS.md "Calendars and clocks chosen by the case").
/// </summary>
/// <param name="Calendar">The calendar business clocks count on; null when the policy has none.</param>
/// <param name="CalendarBy">Why: "the case is tagged `site:berlin`", "the case's customer is initech", "the policy's calendar eu-office".</param>
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
    SourceLocation ClockLocation);
