using System.Collections.Immutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NodaTime;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>Reads one calendar file (<c>calendars/*.json</c>) into a <see cref="CalendarDefinition"/>.</summary>
internal static class CalendarReader
{
    internal static readonly string[] Properties = ["$schema", "id", "description", "timeZone", "hours", "holidays", "dates", "closures"];

    public static CalendarDefinition? Read(JsonSource source, DiagnosticBag bag) => Read(source, bag, out _);

    /// <summary>
    /// Reads a calendar; <paramref name="files"/> are the holiday files it names (entries of <c>holidays</c> ending in
    /// <c>.json</c> or <c>.ics</c>) and the iCalendar files of <c>closures</c> (<c>Closures</c> true), with where each
    /// is named, for the loader to read.
    /// </summary>
    public static CalendarDefinition? Read(JsonSource source, DiagnosticBag bag, out List<(string File, SourceLocation Where, bool Closures)> files)
    {
        files = [];
        if (source.TryParse(bag) is not { } root)
        {
            return null;
        }

        var reader = ObjectReader.Open(root, source, bag, string.Empty, Properties);
        if (reader is null)
        {
            return null;
        }

        var id = reader.String("id", required: true);
        reader.String("description");
        var zone = reader.String("timeZone", required: true);
        var ok = id is not null && zone is not null;
        if (zone is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            var suggestion = ObjectReader.Suggest(zone, DateTimeZoneProviders.Tzdb.Ids);
            bag.Add(DiagnosticCatalog.UnknownTimeZone, reader.LocationOf("timeZone"), $"`{zone}` is not an IANA time zone", suggestion is null ? null : $"did you mean `{suggestion}`?");
            ok = false;
        }

        var hours = ReadHours(reader, ref ok);
        var holidays = ImmutableArray.CreateBuilder<DateOnly>();
        var rules = ImmutableArray.CreateBuilder<DateRule>();
        if (reader.Array("holidays") is { } list)
        {
            foreach (var item in list)
            {
                if (item.Type != JTokenType.String)
                {
                    bag.Add(DiagnosticCatalog.WrongType, source.Start(item), "`holidays` must hold dates written as strings");
                    ok = false;
                }
                else if (ValueParsers.ParseDate((string)item!) is { } date)
                {
                    if (!holidays.Contains(date))
                    {
                        holidays.Add(date);
                    }
                }
                else if (IsHolidayFile((string)item!))
                {
                    files.Add(((string)item!, source.StringContentStart(item), false));
                }
                else if (DateRule.Parse((string)item!, source.StringContentStart(item), out var error, out var suggestion) is { } rule)
                {
                    rules.Add(rule);
                }
                else
                {
                    bag.Add(DiagnosticCatalog.BadDate, source.Start(item), error, suggestion);
                    ok = false;
                }
            }
        }

        if (reader.Array("closures") is { } closures)
        {
            foreach (var item in closures)
            {
                if (item.Type != JTokenType.String)
                {
                    bag.Add(DiagnosticCatalog.WrongType, source.Start(item), "`closures` must hold iCalendar file names written as strings, such as `\"closures/office.ics\"`");
                    ok = false;
                }
                else if (!((string)item!).EndsWith(".ics", StringComparison.OrdinalIgnoreCase))
                {
                    bag.Add(
                        DiagnosticCatalog.ClosureFileNotIcs,
                        source.StringContentStart(item),
                        $"`{(string)item!}` in `closures` is not an iCalendar file",
                        "name an `.ics` file here; days and yearly rules belong in `holidays`");
                    ok = false;
                }
                else
                {
                    files.Add(((string)item!, source.StringContentStart(item), true));
                }
            }
        }

        var dates = ReadDates(reader, ref ok);
        holidays.Sort();
        var definition = new CalendarDefinition(id!, zone!, hours, holidays.ToImmutable(), reader.LocationOf("id"))
        {
            HolidayRules = rules.Count == 0 ? default : rules.ToImmutable(),
            DateHours = dates.IsEmpty ? default : dates,
            HolidayFiles = files.Any(f => !f.Closures) ? [.. files.Where(f => !f.Closures).Select(f => f.File)] : default,
            ClosureFiles = files.Any(f => f.Closures) ? [.. files.Where(f => f.Closures).Select(f => f.File)] : default,
        };
        return ok ? definition : null;
    }

    /// <summary>A <c>holidays</c> entry that names a holiday file rather than a day.</summary>
    internal static bool IsHolidayFile(string entry) =>
        entry.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || entry.EndsWith(".ics", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>dates</c>: an object from a day or yearly rule to that day's own opening hours.</summary>
    private static ImmutableArray<DateHours> ReadDates(ObjectReader reader, ref bool ok)
    {
        var token = reader.Get("dates");
        if (token is null)
        {
            return [];
        }

        if (token is not JObject dates)
        {
            reader.Bag.Add(DiagnosticCatalog.WrongType, reader.Source.Start(token), "`dates` must be an object such as `{ \"12-24\": \"09:00-13:00\" }`");
            ok = false;
            return [];
        }

        var result = ImmutableArray.CreateBuilder<DateHours>();
        foreach (var property in dates.Properties())
        {
            var rule = DateRule.Parse(property.Name, reader.Source.Start(property), out var error, out var suggestion);
            if (rule is null)
            {
                reader.Bag.Add(DiagnosticCatalog.BadDate, reader.Source.Start(property), error, suggestion);
                ok = false;
                continue;
            }

            if (property.Value.Type != JTokenType.String)
            {
                reader.Bag.Add(DiagnosticCatalog.WrongType, reader.Source.Start(property.Value), $"hours of `{property.Name}` must be a string such as `09:00-13:00`");
                ok = false;
                continue;
            }

            var ranges = ValueParsers.ParseRanges((string)property.Value!, out var rangeError);
            if (ranges is null)
            {
                reader.Bag.Add(DiagnosticCatalog.InvalidHours, reader.Source.Start(property.Value), rangeError, "write the day's hours such as `09:00-13:00`; a closed day is a holiday");
                ok = false;
                continue;
            }

            result.Add(new DateHours(rule, [.. ranges.Select(r => new LocalRange(r.Start.ToTimeSpan(), r.End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : r.End.ToTimeSpan()))]));
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<BusinessHoursRange> ReadHours(ObjectReader reader, ref bool ok)
    {
        var token = reader.Get("hours");
        if (token is null)
        {
            reader.Missing("hours");
            ok = false;
            return [];
        }

        if (token is not JObject hours)
        {
            reader.Bag.Add(DiagnosticCatalog.WrongType, reader.Source.Start(token), "`hours` must be an object such as `{ \"mon-fri\": \"09:00-17:00\" }`");
            ok = false;
            return [];
        }

        var result = new List<(BusinessHoursRange Range, JToken Token)>();
        foreach (var property in hours.Properties())
        {
            var days = ValueParsers.ParseDays(property.Name, out var dayError);
            if (days is null)
            {
                reader.Bag.Add(DiagnosticCatalog.InvalidHours, reader.Source.Start(property), $"`{property.Name}`: {dayError}");
                ok = false;
                continue;
            }

            if (property.Value.Type != JTokenType.String)
            {
                reader.Bag.Add(DiagnosticCatalog.WrongType, reader.Source.Start(property.Value), $"hours of `{property.Name}` must be a string such as `09:00-17:00`");
                ok = false;
                continue;
            }

            var ranges = ValueParsers.ParseRanges((string)property.Value!, out var rangeError);
            if (ranges is null)
            {
                reader.Bag.Add(DiagnosticCatalog.InvalidHours, reader.Source.Start(property.Value), rangeError);
                ok = false;
                continue;
            }

            var candidates = days.SelectMany(day => ranges.Select(r => new BusinessHoursRange(day, r.Start, r.End))).ToList();
            var clash = candidates
                .SelectMany(c => result.Where(r => r.Range.Day == c.Day && r.Range.StartOffset < c.EndOfDayOffset && c.StartOffset < r.Range.EndOfDayOffset)
                    .Select(r => (Day: c.Day, Other: ((JProperty)r.Token).Name)))
                .FirstOrDefault();
            if (clash.Other is not null)
            {
                reader.Bag.Add(DiagnosticCatalog.InvalidHours, reader.Source.Start(property), $"`{property.Name}` gives {clash.Day} hours that overlap those of `{clash.Other}`");
                ok = false;
                continue;
            }

            result.AddRange(candidates.Select(c => (c, (JToken)property)));
        }

        return [.. result.Select(r => r.Range).OrderBy(r => ((int)r.Day + 6) % 7).ThenBy(r => r.Start)];
    }
}
