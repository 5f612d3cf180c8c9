using System.Collections.Immutable;
using Ical.Net.CalendarComponents;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>
/// Reads the holiday files a calendar names: a JSON holiday list (<c>holidays/de.json</c>) or an iCalendar file
/// (<c>.ics</c>), each into holiday days with their names and the <c>file:line:col</c> that gave them.
/// </summary>
internal static class HolidayFileReader
{
    internal static readonly string[] Properties = ["$schema", "id", "description", "holidays"];
    private static readonly string[] EntryProperties = ["day", "name"];

    /// <summary>At most this many days from one file: a daily rule without an end would otherwise run to 2199.</summary>
    internal const int MaxDays = 20_000;

    /// <summary>
    /// The days (and, for a file named in <c>closures</c>, the timed closures) of one holiday file; null when it cannot
    /// be used (reported).
    /// </summary>
    public static (ImmutableArray<DateRule> Days, ImmutableArray<TimedClosure> Closures)? Read(string display, string text, DiagnosticBag bag, bool closures = false)
    {
        if (display.EndsWith(".ics", StringComparison.OrdinalIgnoreCase))
        {
            return ReadIcs(display, text, bag, closures);
        }

        return ReadJson(new JsonSource(display, text), bag) is { } days ? (days, []) : null;
    }

    private static ImmutableArray<DateRule>? ReadJson(JsonSource source, DiagnosticBag bag)
    {
        if (source.TryParse(bag) is not { } root)
        {
            return null;
        }

        var reader = ObjectReader.Open(root, source, bag, string.Empty, Properties);
        if (reader is null)
        {
            return null;
        }

        reader.String("id");
        reader.String("description");
        var list = reader.Array("holidays");
        if (list is null)
        {
            if (!reader.Has("holidays"))
            {
                reader.Missing("holidays");
            }

            return null;
        }

        var ok = true;
        var days = ImmutableArray.CreateBuilder<DateRule>();
        foreach (var item in list)
        {
            JToken? day = item;
            string? name = null;
            if (item is JObject)
            {
                var entry = ObjectReader.Open(item, source, bag, "holidays[]", EntryProperties)!;
                day = entry.Get("day");
                name = entry.String("name");
                if (day is null)
                {
                    entry.Missing("day");
                    ok = false;
                    continue;
                }
            }

            if (day.Type != JTokenType.String)
            {
                bag.Add(DiagnosticCatalog.WrongType, source.Start(day), "a holiday must be a day written as a string, or an object `{ \"day\": \"12-25\", \"name\": \"Christmas Day\" }`");
                ok = false;
                continue;
            }

            var text = (string)day!;
            if (CalendarReader.IsHolidayFile(text))
            {
                bag.Add(DiagnosticCatalog.BadHolidayFile, source.StringContentStart(day), $"`{text}`: a holiday file cannot name another holiday file; name both in the calendar");
                ok = false;
                continue;
            }

            if (DateRule.Parse(text, source.StringContentStart(day), out var error, out var suggestion) is { } rule)
            {
                days.Add(rule with { Name = name });
            }
            else
            {
                bag.Add(DiagnosticCatalog.BadDate, source.Start(day), error, suggestion);
                ok = false;
            }
        }

        return ok ? days.ToImmutable() : null;
    }

    /// <summary>
    /// An iCalendar file: every <c>VEVENT</c> that lasts whole days (<c>DTSTART;VALUE=DATE</c>) closes each of its
    /// days, with its recurrences (<c>RRULE</c>, <c>RDATE</c>, less <c>EXDATE</c>) up to the last covered year. Events with
    /// a time of day close their span when the file is named in <c>closures</c> (<paramref name="closures"/>), each
    /// occurrence in its <c>TZID</c>, in UTC, or floating (read in the calendar's zone); otherwise, and when their time
    /// zone is unknown or they last no time, they are reported (SLA2023) and left out.
    /// </summary>
    private static (ImmutableArray<DateRule> Days, ImmutableArray<TimedClosure> Closures)? ReadIcs(string display, string text, DiagnosticBag bag, bool closures)
    {
        var lines = text.Split('\n');
        var events = new List<int>();
        var depth = new Stack<(string Name, int Line)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line[0] is ' ' or '\t')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                bag.Add(DiagnosticCatalog.BadIcs, new SourceLocation(display, i + 1, 1), $"`{Cut(line)}` is not an iCalendar content line (`NAME:value`)");
                return null;
            }

            var name = line[..colon].ToUpperInvariant();
            var value = line[(colon + 1)..].Trim().ToUpperInvariant();
            if (name == "BEGIN")
            {
                depth.Push((value, i + 1));
                if (value == "VEVENT")
                {
                    events.Add(i + 1);
                }
            }
            else if (name == "END")
            {
                if (depth.Count == 0 || depth.Peek().Name != value)
                {
                    var open = depth.Count == 0 ? "nothing is open" : $"`BEGIN:{depth.Peek().Name}` of line {depth.Peek().Line} is open";
                    bag.Add(DiagnosticCatalog.BadIcs, new SourceLocation(display, i + 1, 1), $"`END:{value}` does not close anything: {open}");
                    return null;
                }

                depth.Pop();
            }
        }

        if (depth.Count > 0)
        {
            bag.Add(DiagnosticCatalog.BadIcs, new SourceLocation(display, depth.Peek().Line, 1), $"`BEGIN:{depth.Peek().Name}` is never closed by `END:{depth.Peek().Name}`");
            return null;
        }

        Ical.Net.Calendar? calendar;
        try
        {
            calendar = Ical.Net.Calendar.Load(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            bag.Add(DiagnosticCatalog.BadIcs, new SourceLocation(display, 1, 1), $"the file cannot be read as iCalendar: {Cut(e.Message)}");
            return null;
        }

        if (calendar is null)
        {
            bag.Add(DiagnosticCatalog.BadIcs, new SourceLocation(display, 1, 1), "the file holds no `BEGIN:VCALENDAR`");
            return null;
        }

        var days = ImmutableArray.CreateBuilder<DateRule>();
        var spans = ImmutableArray.CreateBuilder<TimedClosure>();
        var ok = true;
        var index = 0;
        foreach (var e in calendar.Events)
        {
            var where = new SourceLocation(display, index < events.Count ? events[index] : 1, 1);
            index++;
            if (e.DtStart is null)
            {
                bag.Add(DiagnosticCatalog.BadIcs, where, $"event `{e.Summary}` has no `DTSTART`");
                ok = false;
                continue;
            }

            if (e.DtStart.HasTime && !closures)
            {
                bag.Add(
                    DiagnosticCatalog.TimedIcsEvent,
                    where,
                    $"event `{e.Summary}` starts at a time of day ({e.DtStart}); a file in `holidays` closes whole days only, so it is left out",
                    "name the file in the calendar's `closures` to close the event's span, or write it as a whole-day event (`DTSTART;VALUE=DATE:20261224`)");
                continue;
            }

            if (e.DtStart.HasTime)
            {
                switch (ReadTimed(e, where, spans, bag))
                {
                    case false:
                        ok = false;
                        break;
                    case null:
                        return null;
                }

                continue;
            }

            try
            {
                foreach (var occurrence in e.GetOccurrences(null, null))
                {
                    var start = occurrence.Period.StartTime.Date;
                    if (start.Year > BusinessCalendar.MaxYear)
                    {
                        break;
                    }

                    var end = occurrence.Period.EffectiveEndTime?.Date ?? start.AddDays(1);
                    for (var day = start; day < end || day == start; day = day.AddDays(1))
                    {
                        days.Add(new DateRule(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), DateRuleKind.Date, day, day.Month, day.Day, default, 0, 0, where)
                        {
                            Name = e.Summary,
                        });
                    }

                    if (days.Count > MaxDays)
                    {
                        bag.Add(DiagnosticCatalog.BadIcs, where, $"event `{e.Summary}` names more than {MaxDays:N0} days; give its `RRULE` a `COUNT` or an `UNTIL`");
                        return null;
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                bag.Add(DiagnosticCatalog.BadIcs, where, $"the recurrences of event `{e.Summary}` cannot be worked out: {Cut(ex.Message)}");
                ok = false;
            }
        }

        return ok ? (days.ToImmutable(), spans.ToImmutable()) : null;
    }

    /// <summary>
    /// The occurrences of a timed event as closures: true when read (or left out with a warning), false when its
    /// recurrences cannot be worked out, null when the file names too many (both reported).
    /// </summary>
    private static bool? ReadTimed(CalendarEvent e, SourceLocation where, ImmutableArray<TimedClosure>.Builder spans, DiagnosticBag bag)
    {
        var floating = e.DtStart!.IsFloating;
        if (!floating)
        {
            try
            {
                _ = e.DtStart.AsUtc;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NodaTime.TimeZones.DateTimeZoneNotFoundException)
            {
                bag.Add(
                    DiagnosticCatalog.TimedIcsEvent,
                    where,
                    $"event `{e.Summary}` names time zone `{e.DtStart.TzId}`, which is not known, so it is left out",
                    "write an IANA time zone (`TZID=Europe/London`) or the time in UTC (`DTSTART:20261224T130000Z`)");
                return true;
            }
        }

        var added = 0;
        try
        {
            foreach (var occurrence in e.GetOccurrences(null, null))
            {
                var start = occurrence.Period.StartTime;
                if (start.Year > BusinessCalendar.MaxYear)
                {
                    break;
                }

                var end = occurrence.Period.EffectiveEndTime ?? start;
                var (from, to) = floating ? (start.Value, end.Value) : (start.AsUtc, end.AsUtc);
                if (to <= from)
                {
                    bag.Add(
                        DiagnosticCatalog.TimedIcsEvent,
                        where,
                        $"event `{e.Summary}` lasts no time ({e.DtStart}, no `DTEND` or `DURATION` after it), so it closes nothing and is left out",
                        "give the event a `DTEND` or a `DURATION` (`DURATION:PT4H`)");
                    return true;
                }

                spans.Add(new TimedClosure(from, to, floating, where) { Name = e.Summary });
                if (++added > MaxDays)
                {
                    bag.Add(DiagnosticCatalog.BadIcs, where, $"event `{e.Summary}` recurs more than {MaxDays:N0} times; give its `RRULE` a `COUNT` or an `UNTIL`");
                    return null;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            bag.Add(DiagnosticCatalog.BadIcs, where, $"the recurrences of event `{e.Summary}` cannot be worked out: {Cut(ex.Message)}");
            return false;
        }

        return true;
    }

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
