namespace SlaPolicy.Tests.Calendars;

/// <summary>
/// Builds calendars for tests from a compact text: <c>"mon-fri=08:00-17:00;sat=10:00-12:00"</c>, ranges of a day
/// separated by commas as in policy files. Day groups: a single day (<c>sun</c>) or a span (<c>mon-fri</c>).
/// </summary>
internal static class CalendarSpec
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static BusinessCalendar Create(string zone, string hours, params string[] holidays) =>
        BusinessCalendar.Create(Definition(zone, hours, holidays));

    public static CalendarDefinition Definition(string zone, string hours, params string[] holidays)
    {
        var ranges = ImmutableArray.CreateBuilder<BusinessHoursRange>();
        foreach (var group in hours.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (days, times) = (group.Split('=')[0], group.Split('=')[1]);
            var dayBounds = days.Split('-');
            var first = Array.IndexOf(DayNames, dayBounds[0]);
            var last = Array.IndexOf(DayNames, dayBounds[^1]);
            for (var day = first; day <= last; day++)
            {
                foreach (var range in times.Split(','))
                {
                    var bounds = range.Split('-');
                    ranges.Add(new BusinessHoursRange(
                        (DayOfWeek)day,
                        TimeOnly.Parse(bounds[0], CultureInfo.InvariantCulture),
                        bounds[1] == "24:00" ? TimeOnly.MinValue : TimeOnly.Parse(bounds[1], CultureInfo.InvariantCulture)));
                }
            }
        }

        return new CalendarDefinition(
            "test-" + zone,
            zone,
            ranges.ToImmutable(),
            [.. holidays.Select(h => DateOnly.Parse(h, CultureInfo.InvariantCulture))],
            SourceLocation.None);
    }

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
