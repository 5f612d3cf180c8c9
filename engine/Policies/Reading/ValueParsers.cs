using System.Globalization;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>Parsers of the value formats of policy files. Each returns null and an error text on failure.</summary>
internal static class ValueParsers
{
    /// <summary>
    /// A positive duration: whole numbers each followed by a unit, largest unit first and each unit at most once:
    /// <c>d</c> (24 hours of the target's clock), <c>h</c>, <c>m</c>, <c>s</c> (<c>15m</c>, <c>30s</c>,
    /// <c>1h30m</c>, <c>1d12h</c>). A business-day duration (<c>2bd</c>) is not a fixed length: use
    /// <see cref="ParseWithin"/> where one is allowed.
    /// </summary>
    public static TimeSpan? ParseDuration(string text, out string error)
    {
        var value = ParseWithin(text, out var businessDays, out error);
        if (value is not null && businessDays > 0)
        {
            error = "a business-day duration (`bd`) is not allowed here";
            return null;
        }

        return value;
    }

    /// <summary>
    /// A target's <c>within</c>: a duration as <see cref="ParseDuration"/> reads it, or a whole number of business
    /// days, <c>2bd</c>, returned as <see cref="TimeSpan.Zero"/> with <paramref name="businessDays"/> set (a business
    /// day is never combined with other units). <paramref name="businessDays"/> is 0 for every other duration.
    /// </summary>
    public static TimeSpan? ParseWithin(string text, out int businessDays, out string error)
    {
        error = string.Empty;
        businessDays = 0;
        const string Form = "write a whole number followed by `s`, `m`, `h`, `d` or `bd` (e.g. `30s`, `15m`, `1h30m`, `2bd`)";
        if (text.EndsWith("bd", StringComparison.Ordinal))
        {
            if (text.Length < 3 || !long.TryParse(text.AsSpan(0, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            {
                error = "write a business-day duration as a whole number followed by `bd`, e.g. `2bd`; it is not combined with other units";
                return null;
            }

            if (days == 0)
            {
                error = "it must be longer than zero";
                return null;
            }

            // Ten years hold about 2,600 business days; larger numbers are typos.
            if (days > 2600)
            {
                error = "it is longer than ten years (at most `2600bd`)";
                return null;
            }

            businessDays = (int)days;
            return TimeSpan.Zero;
        }

        var seconds = 0L;
        var lastRank = -1;
        var i = 0;
        if (text.Length < 2)
        {
            error = Form;
            return null;
        }

        while (i < text.Length)
        {
            var digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == digits || i == text.Length || i - digits > 12)
            {
                error = Form;
                return null;
            }

            var (rank, unit) = text[i] switch
            {
                'd' => (0, 86_400L),
                'h' => (1, 3_600L),
                'm' => (2, 60L),
                's' => (3, 1L),
                _ => (-1, 0L),
            };
            if (rank < 0)
            {
                error = char.IsAsciiLetter(text[i]) ? "the unit must be `s`, `m`, `h`, `d` or `bd`" : Form;
                return null;
            }

            if (rank <= lastRank)
            {
                error = "write each unit once, largest first, e.g. `1h30m`";
                return null;
            }

            lastRank = rank;
            seconds += long.Parse(text.AsSpan(digits, i - digits), NumberStyles.None, CultureInfo.InvariantCulture) * unit;
            i++;

            // Ten years is far beyond any service target; larger numbers are typos.
            if (seconds > 10L * 366 * 24 * 3600)
            {
                error = "it is longer than ten years";
                return null;
            }
        }

        if (seconds == 0)
        {
            error = "it must be longer than zero";
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
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
