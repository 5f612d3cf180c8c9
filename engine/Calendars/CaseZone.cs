using System.Globalization;
using NodaTime;

namespace SlaPolicy.Engine.Calendars;

/// <summary>
/// The zone a case is told in: the time zone of the calendar of the policy that governs it, or, when that policy has
/// no calendar, the fixed offset the case was opened with. Every instant a person reads about a case (due time,
/// explanation steps, escalation crossings) is shown in this zone, written one way (<see cref="Format"/>), with the
/// UTC instant beside it where a page can hold it (<see cref="FormatUtc"/>).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class CaseZone
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly DateTimeZone? _zone;
    private readonly TimeSpan _offset;

    private CaseZone(DateTimeZone? zone, TimeSpan offset, string id)
    {
        _zone = zone;
        _offset = offset;
        Id = id;
    }

    /// <summary>UTC, for instants that belong to no case (a run's asOf, a notification's creation).</summary>
    public static CaseZone Utc { get; } = new(null, TimeSpan.Zero, "+00:00");

    /// <summary>The IANA time zone id (e.g. <c>Europe/Berlin</c>), or the fixed offset (<c>+01:00</c>).</summary>
    public string Id { get; }

    /// <summary>
    /// The zone of a case: <paramref name="timeZoneId"/> (an IANA id, the calendar's) when it is given and known,
    /// else the offset of <paramref name="openedAt"/>.
    /// </summary>
    public static CaseZone Of(string? timeZoneId, DateTimeOffset openedAt)
    {
        if (timeZoneId is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) is { } zone)
        {
            return new CaseZone(zone, TimeSpan.Zero, zone.Id);
        }

        return Fixed(openedAt.Offset);
    }

    /// <summary>A zone that is one offset all year.</summary>
    public static CaseZone Fixed(TimeSpan offset) =>
        new(null, offset, (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", Invariant));

    /// <summary>The same instant with the offset this zone has at it.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) =>
        _zone is null ? instant.ToOffset(_offset) : Instant.FromDateTimeOffset(instant).InZone(_zone).ToDateTimeOffset();

    /// <summary>The instant at local midnight starting <paramref name="date"/> in this zone.</summary>
    public DateTimeOffset StartOfDay(DateOnly date) => _zone is null
        ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), _offset)
        : LocalDate.FromDateOnly(date).AtStartOfDayInZone(_zone).ToDateTimeOffset();

    /// <summary>An instant as a person reads it: <c>2026-11-21 12:30 +01:00</c>, in this zone.</summary>
    public string Format(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd HH:mm zzz", Invariant);

    /// <summary>
    /// A period in this zone, the date and offset written once where both ends share them:
    /// <c>2026-11-20 16:30 to 17:00 +01:00</c>, <c>2026-11-20 17:00 to 2026-11-21 09:00 +01:00</c>.
    /// </summary>
    public string FormatRange(DateTimeOffset from, DateTimeOffset to)
    {
        var (a, b) = (Local(from), Local(to));
        if (a.Offset != b.Offset)
        {
            return $"{Format(from)} to {Format(to)}";
        }

        var end = a.Date == b.Date ? b.ToString("HH:mm", Invariant) : b.ToString("yyyy-MM-dd HH:mm", Invariant);
        return $"{a.ToString("yyyy-MM-dd HH:mm", Invariant)} to {end} {b.ToString("zzz", Invariant)}";
    }

    /// <summary>The same instant in UTC, for a hover text: <c>2026-11-21 11:30 UTC</c>.</summary>
    public static string FormatUtc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);
}
