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
    public DateTimeOffset Local(DateTimeOffset instant)
    {
        if (_zone is null)
        {
            return instant.ToOffset(_offset);
        }

        // The zone's offset at the instant; a whole number of minutes (every offset of this century) is what
        // InZone(...).ToDateTimeOffset() gives, without the zoned value's calendar arithmetic.
        var offset = _zone.GetUtcOffset(Instant.FromDateTimeOffset(instant));
        return offset.Seconds % 60 == 0
            ? instant.ToOffset(offset.ToTimeSpan())
            : Instant.FromDateTimeOffset(instant).InZone(_zone).ToDateTimeOffset();
    }

    /// <summary>The instant at local midnight starting <paramref name="date"/> in this zone.</summary>
    public DateTimeOffset StartOfDay(DateOnly date) => _zone is null
        ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), _offset)
        : LocalDate.FromDateOnly(date).AtStartOfDayInZone(_zone).ToDateTimeOffset();

    /// <summary>An instant as a person reads it: <c>2026-11-21 12:30 +01:00</c>, in this zone.</summary>
    public string Format(DateTimeOffset instant) => Stamp(instant).ToString();

    /// <summary>
    /// The instant as <see cref="Format"/> writes it, as a value that formats itself straight into an interpolated
    /// string or a span (no string of its own).
    /// </summary>
    public LocalStamp Stamp(DateTimeOffset instant) => new(Local(instant));

    /// <summary>
    /// A period in this zone, the date and offset written once where both ends share them:
    /// <c>2026-11-20 16:30 to 17:00 +01:00</c>, <c>2026-11-20 17:00 to 2026-11-21 09:00 +01:00</c>.
    /// </summary>
    public string FormatRange(DateTimeOffset from, DateTimeOffset to) => Range(from, to).ToString();

    /// <summary>The period as <see cref="FormatRange"/> writes it, formatting itself straight into an interpolated string or a span.</summary>
    public LocalPeriod Range(DateTimeOffset from, DateTimeOffset to) => new(Local(from), Local(to));

    /// <summary>The same instant in UTC, for a hover text: <c>2026-11-21 11:30 UTC</c>.</summary>
    public static string FormatUtc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);
}

/// <summary>
/// A local instant written <c>2026-11-21 12:30 +01:00</c> (<c>yyyy-MM-dd HH:mm zzz</c>, invariant), digit by digit
/// into the destination: what <see cref="CaseZone.Format"/> returns, without the custom date format's parsing.
/// </summary>
/// <param name="Local">The instant with the offset it is told in.</param>
public readonly record struct LocalStamp(DateTimeOffset Local) : ISpanFormattable
{
    /// <summary>The length of every stamp.</summary>
    public const int Length = 23;

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < Length)
        {
            charsWritten = 0;
            return false;
        }

        StampDigits.DateTime(destination, Local.DateTime);
        destination[16] = ' ';
        StampDigits.Offset(destination[17..], Local.Offset);
        charsWritten = Length;
        return true;
    }

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public override string ToString() => string.Create(Length, Local, static (span, local) => new LocalStamp(local).TryFormat(span, out _, default, null));
}

/// <summary>
/// A period in one zone, the date and offset written once where both ends share them: <c>2026-11-20 16:30 to 17:00
/// +01:00</c>, <c>2026-11-20 17:00 to 2026-11-21 09:00 +01:00</c>; each end in full when their offsets differ. What
/// <see cref="CaseZone.FormatRange"/> returns.
/// </summary>
/// <param name="From">The start with its local offset.</param>
/// <param name="To">The end with its local offset.</param>
public readonly record struct LocalPeriod(DateTimeOffset From, DateTimeOffset To) : ISpanFormattable
{
    /// <summary>The characters this period takes.</summary>
    public int Length => From.Offset != To.Offset ? (2 * LocalStamp.Length) + 4 : From.Date == To.Date ? 16 + 4 + 5 + 7 : 16 + 4 + 16 + 7;

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        var length = Length;
        if (destination.Length < length)
        {
            charsWritten = 0;
            return false;
        }

        if (From.Offset != To.Offset)
        {
            new LocalStamp(From).TryFormat(destination, out _, default, null);
            " to ".CopyTo(destination[LocalStamp.Length..]);
            new LocalStamp(To).TryFormat(destination[(LocalStamp.Length + 4)..], out _, default, null);
        }
        else
        {
            StampDigits.DateTime(destination, From.DateTime);
            " to ".CopyTo(destination[16..]);
            var at = 20;
            if (From.Date == To.Date)
            {
                StampDigits.Time(destination[at..], To.DateTime);
                at += 5;
            }
            else
            {
                StampDigits.DateTime(destination[at..], To.DateTime);
                at += 16;
            }

            destination[at] = ' ';
            StampDigits.Offset(destination[(at + 1)..], To.Offset);
        }

        charsWritten = length;
        return true;
    }

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public override string ToString() => string.Create(Length, this, static (span, range) => range.TryFormat(span, out _, default, null));
}

/// <summary>The digits of <see cref="LocalStamp"/> and <see cref="LocalPeriod"/>: the invariant culture's <c>yyyy-MM-dd</c>, <c>HH:mm</c> and <c>zzz</c>.</summary>
internal static class StampDigits
{
    /// <summary><c>yyyy-MM-dd HH:mm</c>: 16 characters.</summary>
    public static void DateTime(Span<char> to, System.DateTime value)
    {
        var year = value.Year;
        Two(to, year / 100);
        Two(to[2..], year % 100);
        to[4] = '-';
        Two(to[5..], value.Month);
        to[7] = '-';
        Two(to[8..], value.Day);
        to[10] = ' ';
        Time(to[11..], value);
    }

    /// <summary><c>HH:mm</c>: 5 characters.</summary>
    public static void Time(Span<char> to, System.DateTime value)
    {
        Two(to, value.Hour);
        to[2] = ':';
        Two(to[3..], value.Minute);
    }

    /// <summary><c>zzz</c>, <c>+01:00</c>: 6 characters (an offset is whole minutes, within 14 hours).</summary>
    public static void Offset(Span<char> to, TimeSpan offset)
    {
        to[0] = offset < TimeSpan.Zero ? '-' : '+';
        var minutes = (int)Math.Abs(offset.Ticks / TimeSpan.TicksPerMinute);
        Two(to[1..], minutes / 60);
        to[3] = ':';
        Two(to[4..], minutes % 60);
    }

    private static void Two(Span<char> to, int value)
    {
        to[0] = (char)('0' + (value / 10));
        to[1] = (char)('0' + (value % 10));
    }
}
