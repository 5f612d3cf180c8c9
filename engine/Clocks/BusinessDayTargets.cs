using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Clocks;

/// <summary>
/// Gives a business-day target (<c>within: "2bd"</c>) its length for one case: the business time from the
/// clock's start to the same point of the opening hours N business days later (docs/CLOCKS.md "Business days").
/// Every other target is returned as it is.
/// </summary>
public static class BusinessDayTargets
{
    /// <summary>
    /// <paramref name="target"/> itself when it is not a business-day target; otherwise a copy whose
    /// <see cref="TargetTerm.Within"/> is the business time of its business days for <paramref name="ticket"/>,
    /// counted from <c>openedAt</c> on <paramref name="calendar"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A business-day target with no calendar.</exception>
    public static TargetTerm ForCase(TargetTerm target, CaseRecord ticket, BusinessCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ticket);
        return target.BusinessDays <= 0 ? target : target with { Within = Span(target, ticket, calendar).Within };
    }

    /// <summary>How the business days of <paramref name="target"/> are counted for <paramref name="ticket"/>.</summary>
    /// <exception cref="ArgumentException">A business-day target with no calendar, or not a business-day target.</exception>
    public static BusinessDaySpan Span(TargetTerm target, CaseRecord ticket, BusinessCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(ticket);
        if (target.BusinessDays <= 0 || target.Clock != ClockKind.Business)
        {
            throw new ArgumentException($"target `{target.Id}` does not count business days on a business clock", nameof(target));
        }

        if (calendar is null)
        {
            throw new ArgumentException($"target `{target.Id}` counts business days but its policy has no calendar", nameof(calendar));
        }

        return calendar.BusinessDays(ticket.OpenedAt, target.BusinessDays);
    }
}
