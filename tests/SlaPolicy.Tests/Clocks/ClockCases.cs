using SlaPolicy.Tests.Calendars;

namespace SlaPolicy.Tests.Clocks;

/// <summary>Builders for targets, cases and the calendars the clock tests use.</summary>
internal static class ClockCases
{
    public static readonly ImmutableArray<string> PauseOn = ["waiting_on_customer", "waiting_on_third_party"];

    private static readonly Dictionary<string, BusinessCalendar> Calendars = new()
    {
        ["berlin-office"] = CalendarSpec.Create("Europe/Berlin", "mon-fri=08:00-17:00"),
        ["berlin-split"] = CalendarSpec.Create("Europe/Berlin", "mon-fri=09:00-12:00,13:00-18:00"),
        ["berlin-xmas"] = CalendarSpec.Create("Europe/Berlin", "mon-fri=08:00-17:00", "2026-12-24", "2026-12-25"),
        ["kolkata"] = CalendarSpec.Create("Asia/Kolkata", "mon-fri=09:00-18:00"),
        ["new-york"] = CalendarSpec.Create("America/New_York", "mon-fri=09:00-17:00"),
    };

    /// <summary>An empty name is a 24x7 clock; otherwise the name of one of the calendars above.</summary>
    public static BusinessCalendar? Calendar(string name) => name.Length == 0 ? null : Calendars[name];

    public static TargetTerm Target(string calendar, TargetMetric metric, double withinMinutes) => new(
        "target",
        metric,
        [],
        TimeSpan.FromMinutes(withinMinutes),
        calendar.Length == 0 ? ClockKind.TwentyFourSeven : ClockKind.Business,
        SourceLocation.None,
        "test-policy");

    public static CaseRecord Case(string opened, string? response, string? resolved, string events) => new(
        "C-1",
        "acme",
        "gold",
        "eu-west",
        "email",
        1,
        At(opened),
        response is null ? null : At(response),
        resolved is null ? null : At(resolved),
        [],
        Events(events));

    /// <summary>"status@instant;status@instant" in the order written.</summary>
    public static ImmutableArray<StatusEvent> Events(string events) =>
    [
        .. events.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => new StatusEvent(At(e.Split('@')[1]), e.Split('@')[0])),
    ];

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
