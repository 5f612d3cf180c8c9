using System.Globalization;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>Parsers of the value formats of policy files. Each returns null and an error text on failure.</summary>
internal static class ValueParsers
{
    /// <summary>
    /// A whole, positive number followed by <c>m</c> (minutes), <c>h</c> (hours) or <c>d</c> (24 hours of the
    /// target's clock): <c>15m</c>, <c>4h</c>, <c>2d</c>.
    /// </summary>
    public static TimeSpan? ParseDuration(string text, out string error)
    {
        error = string.Empty;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            error = "write a whole number followed by `m`, `h` or `d`";
            return null;
        }

        if (amount == 0)
        {
            error = "it must be longer than zero";
            return null;
        }

        var minutes = text[^1] switch
        {
            'm' => amount,
            'h' => amount * 60,
            'd' => amount * 24 * 60,
            _ => -1,
        };
        if (minutes < 0)
        {
            error = "the unit must be `m`, `h` or `d`";
            return null;
        }

        // Ten years is far beyond any service target; larger numbers are typos.
        if (minutes > 10L * 366 * 24 * 60)
        {
            error = "it is longer than ten years";
            return null;
        }

        return TimeSpan.FromMinutes(minutes);
    }

    /// <summary>A decimal number followed by <c>%</c>: <c>99.9%</c>. At most 100 unless <paramref name="allowOver100"/>.</summary>
    public static decimal? ParsePercentage(string text, bool allowOver100, out string error)
    {
        error = string.Empty;
        if (text.Length < 2 || text[^1] != '%'
            || !decimal.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = "write a number followed by `%`";
            return null;
        }

        if (!allowOver100 && value > 100m)
        {
            error = "it must not exceed 100%";
            return null;
        }

        return value;
    }

    /// <summary>An ISO calendar date, <c>YYYY-MM-DD</c>.</summary>
    public static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>
    /// A key of <c>hours</c>: one day (<c>mon</c>), a range of days in week order (<c>mon-fri</c>), or a
    /// comma-separated list of those (<c>mon,wed-thu</c>).
    /// </summary>
    public static IReadOnlyList<DayOfWeek>? ParseDays(string key, out string error)
    {
        error = string.Empty;
        var days = new List<DayOfWeek>();
        foreach (var part in key.Split(','))
        {
            var bounds = part.Trim().Split('-');
            if (bounds.Length is < 1 or > 2)
            {
                error = $"`{part}` is not a day or a range of days";
                return null;
            }

            var first = System.Array.IndexOf(DayNames, bounds[0].ToLowerInvariant());
            var last = bounds.Length == 2 ? System.Array.IndexOf(DayNames, bounds[1].ToLowerInvariant()) : first;
            if (first < 0 || last < 0)
            {
                error = $"`{part}` is not a day; use `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`";
                return null;
            }

            if (last < first)
            {
                error = $"`{part}` runs backwards; write days in week order, e.g. `mon-fri`";
                return null;
            }

            for (var d = first; d <= last; d++)
            {
                // DayNames starts at Monday; DayOfWeek starts at Sunday.
                days.Add((DayOfWeek)((d + 1) % 7));
            }
        }

        return days;
    }

    /// <summary>
    /// A value of <c>hours</c>: comma-separated <c>HH:MM-HH:MM</c> ranges in ascending order that do not
    /// overlap; <c>24:00</c> is allowed as an end and is returned as 00:00.
    /// </summary>
    public static IReadOnlyList<(TimeOnly Start, TimeOnly End)>? ParseRanges(string value, out string error)
    {
        error = string.Empty;
        var ranges = new List<(TimeOnly, TimeOnly)>();
        var previousEnd = TimeSpan.Zero;
        foreach (var part in value.Split(','))
        {
            var bounds = part.Trim().Split('-');
            if (bounds.Length != 2 || ParseClock(bounds[0], allow24: false) is not { } start || ParseClock(bounds[1], allow24: true) is not { } end)
            {
                error = $"`{part.Trim()}` is not a range of the form `HH:MM-HH:MM`";
                return null;
            }

            if (end <= start)
            {
                error = $"`{part.Trim()}` ends before it starts";
                return null;
            }

            if (start < previousEnd)
            {
                error = $"`{part.Trim()}` overlaps or precedes the range before it; list ranges in order without overlap";
                return null;
            }

            previousEnd = end;
            ranges.Add((TimeOnly.FromTimeSpan(start), end == TimeSpan.FromDays(1) ? TimeOnly.MinValue : TimeOnly.FromTimeSpan(end)));
        }

        return ranges;
    }

    private static TimeSpan? ParseClock(string text, bool allow24)
    {
        text = text.Trim();
        if (text.Length != 5 || text[2] != ':'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            return null;
        }

        if (allow24 && hours == 24 && minutes == 0)
        {
            return TimeSpan.FromDays(1);
        }

        return hours < 24 && minutes < 60 ? new TimeSpan(hours, minutes, 0) : null;
    }
}
