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

    public static ImmutableArray<DateRule>? Read(string display, string text, DiagnosticBag bag) =>
        display.EndsWith(".ics", StringComparison.OrdinalIgnoreCase) ? ReadIcs(display, text, bag) : ReadJson(new JsonSource(display, text), bag);

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
    /// a time of day are reported (SLA2022) and left out.
    /// </summary>
    private static ImmutableArray<DateRule>? ReadIcs(string display, string text, DiagnosticBag bag)
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

            if (e.DtStart.HasTime)
            {
                bag.Add(
                    DiagnosticCatalog.TimedIcsEvent,
                    where,
                    $"event `{e.Summary}` starts at a time of day ({e.DtStart}); only whole-day events close a calendar, so it is left out",
                    "write it as a whole-day event (`DTSTART;VALUE=DATE:20261224`), or give the day its hours in the calendar's `dates`");
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

        return ok ? days.ToImmutable() : null;
    }

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
