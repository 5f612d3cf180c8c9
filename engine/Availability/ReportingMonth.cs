using System.Globalization;

namespace SlaPolicy.Engine.Availability;

/// <summary>
/// A calendar month in UTC, the reporting period of availability, performance and attainment.
/// <see cref="Start"/> is inclusive, <see cref="End"/> exclusive.
/// </summary>
public readonly record struct ReportingMonth
{
    public ReportingMonth(int year, int month)
    {
        if (year is < 1 or > 9998 || month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), $"`{year:D4}-{month:D2}` is not a month");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    /// <summary>First instant of the month, 00:00 UTC on day 1 (inclusive).</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>First instant of the next month (exclusive).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>The first day of the month; the date on which the governing policy version is chosen.</summary>
    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>
    /// The measured window: [<see cref="Start"/>, min(<see cref="End"/>, <paramref name="asOf"/>)).
    /// Null when <paramref name="asOf"/> is at or before the start (the month has not begun).
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End)? WindowAsOf(DateTimeOffset asOf)
    {
        var end = asOf < End ? asOf.ToUniversalTime() : End;
        return end > Start ? (Start, end) : null;
    }

    /// <summary>True when <paramref name="instant"/> lies in [Start, End).</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>Parses <c>YYYY-MM</c>.</summary>
    public static bool TryParse(string? text, out ReportingMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || y < 1 || y > 9998 || m < 1 || m > 12)
        {
            return false;
        }

        month = new ReportingMonth(y, m);
        return true;
    }

    /// <summary>The month as <c>YYYY-MM</c>, the <c>period</c> field of outputs.</summary>
    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
