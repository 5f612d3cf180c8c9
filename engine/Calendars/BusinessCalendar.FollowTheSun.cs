using System.Collections.Immutable;

namespace SlaPolicy.Engine.Calendars;

/// <summary>One holder of a follow-the-sun calendar: <see cref="Calendar"/> counts from <see cref="From"/> until the next holder's <see cref="From"/>.</summary>
/// <param name="From">When the holder took the case; <see cref="DateTimeOffset.MinValue"/> for the holder the calendar starts with.</param>
/// <param name="Team">The team, as written in the case; null for the case's own calendar before any assignment.</param>
/// <param name="Calendar">The calendar counted while the holder has the case.</param>
public readonly record struct CalendarHolder(DateTimeOffset From, string? Team, BusinessCalendar Calendar)
{
    /// <summary>Why this calendar counts for the holder ("team amer holds the case"); null when not said.</summary>
    public string? Why { get; init; }

    /// <summary>The policy entry that maps the team to its calendar (or chose the case's calendar); unknown when none.</summary>
    public SlaPolicy.Engine.Diagnostics.SourceLocation Location { get; init; }
}

public sealed partial class BusinessCalendar
{
    /// <summary>The id every follow-the-sun calendar carries.</summary>
    public const string FollowTheSunId = "follow-the-sun";

    // Follow-the-sun: holder i counts from _holderStarts[i] (UTC ticks) to _holderStarts[i + 1]; the last one for ever.
    private readonly CalendarHolder[]? _holders;
    private readonly long[] _holderStarts = [];

    private BusinessCalendar(BusinessCalendar home, CalendarHolder[] holders)
    {
        Id = FollowTheSunId;
        _zone = home._zone;
        _hours = home._hours;
        _holidays = home._holidays;
        _holidayRules = home._holidayRules;
        _dateHours = home._dateHours;
        _years = home._years;
        _yearStarts = home._yearStarts;
        _holders = holders;
        _holderStarts = [.. holders.Select(h => h.From.UtcTicks)];
    }

    /// <summary>
    /// The holders of a follow-the-sun calendar, in time order (the first from <see cref="DateTimeOffset.MinValue"/>);
    /// empty for an ordinary calendar.
    /// </summary>
    public ImmutableArray<CalendarHolder> Holders => _holders is null ? [] : [.. _holders];

    /// <summary>True for a calendar made by <see cref="FollowTheSun"/>.</summary>
    public bool IsFollowTheSun => _holders is not null;

    /// <summary>
    /// A calendar that is, at each instant, the calendar of whoever holds the case then: <paramref name="first"/> until
    /// the first handover, then each handover's calendar until the next (docs/CLOCKS.md "Follow-the-sun"). Its business
    /// time over a span is the sum of each holder's business time over its part of the span, so a clock, a due-time
    /// prediction (the last holder's calendar from then on) and pauses count on it unchanged. A handover to the same
    /// team on the same calendar continues the holder: splitting an assignment changes nothing. Its
    /// <see cref="TimeZone"/> is <paramref name="first"/>'s. With no handover left, <paramref name="first"/>'s calendar
    /// itself is returned.
    /// </summary>
    /// <param name="first">The holder before the first handover (its <see cref="CalendarHolder.From"/> is ignored).</param>
    /// <param name="handovers">When a team took the case, and its calendar, in time order (at one instant, the last wins).</param>
    public static BusinessCalendar FollowTheSun(CalendarHolder first, IEnumerable<CalendarHolder> handovers)
    {
        ArgumentNullException.ThrowIfNull(first.Calendar);
        ArgumentNullException.ThrowIfNull(handovers);
        if (first.Calendar._holders is not null)
        {
            throw new ArgumentException("a follow-the-sun calendar cannot start on another one", nameof(first));
        }

        var holders = new List<CalendarHolder> { first with { From = DateTimeOffset.MinValue } };
        foreach (var handover in handovers)
        {
            ArgumentNullException.ThrowIfNull(handover.Calendar, nameof(handovers));
            if (handover.Calendar._holders is not null)
            {
                throw new ArgumentException("a team's calendar cannot be a follow-the-sun calendar", nameof(handovers));
            }

            var from = handover.From.ToUniversalTime();
            if (from < holders[^1].From)
            {
                throw new ArgumentException("handovers must be in time order", nameof(handovers));
            }

            if (from == holders[^1].From && holders.Count > 1)
            {
                holders.RemoveAt(holders.Count - 1);
            }

            var last = holders[^1];
            if (ReferenceEquals(last.Calendar, handover.Calendar) && string.Equals(last.Team, handover.Team, StringComparison.Ordinal))
            {
                continue;
            }

            holders.Add(handover with { From = from });
        }

        return holders.Count == 1 ? first.Calendar : new BusinessCalendar(first.Calendar, [.. holders]);
    }

    /// <summary>The holder whose part of the timeline holds <paramref name="from"/>, and the parts of [from, to) each holder has.</summary>
    public IEnumerable<(CalendarHolder Holder, DateTimeOffset From, DateTimeOffset To)> HoldersBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (_holders is null)
        {
            if (to > from)
            {
                yield return (new CalendarHolder(DateTimeOffset.MinValue, null, this), from, to);
            }

            yield break;
        }

        long a = from.UtcTicks, b = to.UtcTicks;
        for (var i = HolderIndexAt(a); i < _holders.Length && (i == 0 || _holderStarts[i] < b); i++)
        {
            var start = Math.Max(a, _holderStarts[i]);
            var end = i + 1 < _holders.Length ? Math.Min(b, _holderStarts[i + 1]) : b;
            if (end > start)
            {
                yield return (_holders[i], new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero));
            }
        }
    }

    private BusinessCalendar HolderAt(long ticks) => _holders![HolderIndexAt(ticks)].Calendar;

    /// <summary>The index of the last holder that took the case at or before <paramref name="ticks"/> (0 before any).</summary>
    private int HolderIndexAt(long ticks)
    {
        var starts = _holderStarts;
        int lo = 1, hi = starts.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (starts[mid] <= ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return hi < 0 ? 0 : hi;
    }

    private long PiecewiseTicksBetween(long a, long b)
    {
        var holders = _holders!;
        long total = 0;
        for (var i = HolderIndexAt(a); i < holders.Length; i++)
        {
            var start = Math.Max(a, _holderStarts[i]);
            var end = i + 1 < holders.Length ? Math.Min(b, _holderStarts[i + 1]) : b;
            if (start >= b)
            {
                break;
            }

            total += holders[i].Calendar.BusinessTicksBetween(start, end);
        }

        return total;
    }

    private long PiecewiseAddTicks(long a, long amount)
    {
        var holders = _holders!;
        var i = HolderIndexAt(a);
        var at = a;
        for (; i + 1 < holders.Length; i++)
        {
            var end = _holderStarts[i + 1];
            var capacity = holders[i].Calendar.BusinessTicksBetween(at, end);
            if (amount <= capacity)
            {
                return holders[i].Calendar.AddBusinessTicks(at, amount);
            }

            amount -= capacity;
            at = Math.Max(at, end);
        }

        // The last holder keeps the case from then on: the prediction counts on its calendar.
        return holders[i].Calendar.AddBusinessTicks(at, amount);
    }

    private IEnumerable<T> Piecewise<T>(DateTimeOffset from, DateTimeOffset to, Func<BusinessCalendar, DateTimeOffset, DateTimeOffset, IEnumerable<T>> each)
    {
        foreach (var (holder, start, end) in HoldersBetween(from, to))
        {
            foreach (var item in each(holder.Calendar, start, end))
            {
                yield return item;
            }
        }
    }
}
