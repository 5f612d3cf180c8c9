using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Calendars;

/// <summary>How a <see cref="DateRule"/> names its days.</summary>
public enum DateRuleKind
{
    /// <summary>One date, <c>2026-12-24</c>.</summary>
    Date,

    /// <summary>The same day every year, <c>12-25</c> (<c>02-29</c> only in leap years).</summary>
    EveryYear,

    /// <summary>The nth (or last) weekday of a month, <c>4th thu of nov</c>, <c>last mon of may</c>.</summary>
    NthWeekday,

    /// <summary>Days from Western (Gregorian) Easter Sunday, <c>easter-2</c>, <c>easter+1</c>.</summary>
    Easter,
}

/// <summary>
/// A day or a yearly rule for days of a calendar, as written in a calendar or holiday file (docs/CLOCKS.md
/// "Holidays and special days"). <see cref="Nth"/> is 1-5, or -1 for the last one of the month.
/// </summary>
public sealed record DateRule(string Text, DateRuleKind Kind, DateOnly Date, int Month, int Day, DayOfWeek Weekday, int Nth, int EasterOffset, SourceLocation Location)
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private static readonly string[] Ordinals = ["1st", "2nd", "3rd", "4th", "5th", "last"];

    /// <summary>The holiday's name, from a holiday file (<c>name</c>) or an iCalendar event (<c>SUMMARY</c>); null when unnamed.</summary>
    public string? Name { get; init; }

    /// <summary>The words a rule may use, for suggestions.</summary>
    internal static IEnumerable<string> Words => Months.Concat(Days).Concat(Ordinals).Append("of").Append("easter");

    /// <summary>The day the rule names in <paramref name="year"/>, or null when it names none that year.</summary>
    public DateOnly? InYear(int year)
    {
        switch (Kind)
        {
            case DateRuleKind.Date:
                return Date.Year == year ? Date : null;
            case DateRuleKind.EveryYear:
                return Day <= DateTime.DaysInMonth(year, Month) ? new DateOnly(year, Month, Day) : null;
            case DateRuleKind.NthWeekday when Nth > 0:
                var first = new DateOnly(year, Month, 1);
                var day = first.AddDays(((int)Weekday - (int)first.DayOfWeek + 7) % 7 + (7 * (Nth - 1)));
                return day.Month == Month ? day : null;
            case DateRuleKind.NthWeekday:
                var last = new DateOnly(year, Month, DateTime.DaysInMonth(year, Month));
                return last.AddDays(-(((int)last.DayOfWeek - (int)Weekday + 7) % 7));
            default:
                var easter = EasterSunday(year).AddDays(EasterOffset);
                return easter.Year == year ? easter : null;
        }
    }

    /// <summary>Western Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = ((19 * a) + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + (2 * e) + (2 * i) - h - k) % 7, m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>
    /// Reads a rule: <c>YYYY-MM-DD</c>, <c>MM-DD</c>, <c>Nth DAY of MON</c> (<c>1st</c>…<c>5th</c> or <c>last</c>;
    /// <c>mon</c>…<c>sun</c>; <c>jan</c>…<c>dec</c>) or <c>easter</c> with an optional <c>+N</c>/<c>-N</c> days.
    /// Returns null with an error, and a suggestion for a misspelt word.
    /// </summary>
    internal static DateRule? Parse(string text, SourceLocation location, out string error, out string? suggestion)
    {
        error = string.Empty;
        suggestion = null;
        var t = text.Trim().ToLowerInvariant();
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateRule(text, DateRuleKind.Date, date, date.Month, date.Day, default, 0, 0, location);
        }

        if (t.Length == 5 && t[2] == '-' && int.TryParse(t.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(t.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var dayOfMonth))
        {
            if (month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(2024, month))
            {
                error = $"`{text}` is not a day of the year (`MM-DD`)";
                return null;
            }

            return new DateRule(text, DateRuleKind.EveryYear, default, month, dayOfMonth, default, 0, 0, location);
        }

        if (t.StartsWith("easter", StringComparison.Ordinal))
        {
            var rest = t[6..];
            if (rest.Length == 0)
            {
                return new DateRule(text, DateRuleKind.Easter, default, 0, 0, DayOfWeek.Sunday, 0, 0, location);
            }

            if (rest[0] is '+' or '-' && rest.Length <= 4 && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= 200)
            {
                return new DateRule(text, DateRuleKind.Easter, default, 0, 0, DayOfWeek.Sunday, 0, rest[0] == '-' ? -offset : offset, location);
            }

            error = $"`{text}` is not a day relative to Easter; write `easter`, `easter-2` or `easter+1` (at most 200 days)";
            return null;
        }

        var words = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 4)
        {
            var nth = Array.IndexOf(Ordinals, words[0]);
            var weekday = Array.IndexOf(Days, words[1]);
            var ofMonth = Array.IndexOf(Months, words[3]);
            if (nth >= 0 && weekday >= 0 && words[2] == "of" && ofMonth >= 0)
            {
                return new DateRule(text, DateRuleKind.NthWeekday, default, ofMonth + 1, 0, (DayOfWeek)weekday, nth == 5 ? -1 : nth + 1, 0, location);
            }

            var (wrong, known) = nth < 0 ? (words[0], Ordinals) : weekday < 0 ? (words[1], Days) : words[2] != "of" ? (words[2], ["of"]) : (words[3], Months);
            error = $"`{text}`: `{wrong}` is not one of {string.Join(", ", known.Select(k => $"`{k}`"))}";
            suggestion = Policies.Reading.ObjectReader.Suggest(wrong, known) is { } s ? $"did you mean `{s}`?" : null;
            return null;
        }

        error = $"`{text}` is not a day: write `YYYY-MM-DD`, `MM-DD` (every year), `4th thu of nov`, `last mon of may`, or `easter-2`";
        suggestion = words.Length == 1 && Policies.Reading.ObjectReader.Suggest(t.TrimEnd('+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), ["easter"]) is not null
            ? "did you mean `easter`?"
            : null;
        return null;
    }
}

/// <summary>Opening hours of particular days, replacing the weekday's hours and any holiday on them: <c>"12-24": "09:00-13:00"</c>.</summary>
/// <param name="When">The day or yearly rule.</param>
/// <param name="Ranges">Local ranges since midnight, start inclusive, end exclusive; an end of 24 hours is midnight at the end of the day.</param>
public sealed record DateHours(DateRule When, ImmutableArray<LocalRange> Ranges)
{
    /// <summary>The ranges as written, <c>09:00-13:00</c>.</summary>
    public string HoursText => string.Join(",", Ranges.Select(r => $"{r.Start:hh\\:mm}-{(r.End == TimeSpan.FromDays(1) ? "24:00" : r.End.ToString("hh\\:mm", CultureInfo.InvariantCulture))}"));
}

/// <summary>A local range of one day since its midnight: start inclusive, end exclusive (24 hours: midnight at its end).</summary>
public readonly record struct LocalRange(TimeSpan Start, TimeSpan End);
