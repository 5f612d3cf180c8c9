using SlaPolicy.Tests.Policies;
using static SlaPolicy.Tests.Calendars.CalendarSpec;

namespace SlaPolicy.Tests.Calendars;

/// <summary>Holiday files a calendar names: JSON holiday lists and iCalendar (.ics) files, worked by hand.</summary>
public class HolidayFileTests
{
    private const string Calendar = """{ "id": "c", "timeZone": "Europe/London", "hours": { "mon-fri": "09:00-17:00" }, "holidays": ["holidays/h.ics"] }""";

    private static string Ics(params string[] lines) =>
        string.Join("\r\n", ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", .. lines, "END:VCALENDAR", ""]);

    private static double Minutes(BusinessCalendar calendar, string day) =>
        calendar.BusinessTimeBetween(At(day + "T00:00:00Z").AddHours(-3), At(day + "T00:00:00Z").AddHours(27)).TotalMinutes;

    // day, expected business minutes of the sample uk-office (09:00-17:30 = 510), and why
    public static TheoryData<string, double> UkOfficeDays => new()
    {
        { "2026-01-01", 0 },    // New Year's Day, RRULE yearly
        { "2027-01-01", 0 },    // the same rule a year later
        { "2026-04-03", 0 },    // Good Friday 2026 (DTSTART)
        { "2027-03-26", 0 },    // Good Friday 2027 (RDATE)
        { "2026-05-04", 0 },    // first Monday of May 2026 (RRULE BYDAY=1MO)
        { "2027-05-03", 0 },    // first Monday of May 2027: 1 May 2027 is a Saturday
        { "2027-05-31", 0 },    // last Monday of May 2027 (BYDAY=-1MO)
        { "2026-08-31", 0 },    // last Monday of August 2026
        { "2026-11-12", 0 },    // the two-day closure: DTEND 14 November is exclusive
        { "2026-11-13", 0 },
        { "2026-12-14", 510 },  // an ordinary Monday
        { "2026-12-24", 240 },  // a short day from the calendar's `dates`: 09:00-13:00
        { "2026-12-28", 0 },    // Boxing Day's substitute day
        { "2026-12-29", 510 },  // open
    };

    [Theory]
    [MemberData(nameof(UkOfficeDays))]
    public void SampleUkOffice_ClosesTheDaysOfItsIcsFile(string day, double minutes)
    {
        var calendar = BusinessCalendar.Create(PolicyLoader.Load(PolicyTestFiles.SamplePolicies).Set.Calendars["uk-office"]);

        Minutes(calendar, day).ShouldBe(minutes);
    }

    [Fact]
    public void SampleBerlinSite_ReadsTheJsonHolidayFileWithNames()
    {
        var definition = PolicyLoader.Load(PolicyTestFiles.SamplePolicies).Set.Calendars["berlin-site"];
        var calendar = BusinessCalendar.Create(definition);

        // Whit Monday 2026 is Easter (5 April) + 50 = 25 May; 8 March 2027 is a Monday (Berlin's own rule, written in
        // the calendar itself); Saturday 5 December 2026 is open 10:00-14:00.
        calendar.BusinessTimeBetween(At("2026-05-25T00:00:00+02:00"), At("2026-05-26T00:00:00+02:00")).ShouldBe(TimeSpan.Zero);
        calendar.BusinessTimeBetween(At("2027-03-08T00:00:00+01:00"), At("2027-03-09T00:00:00+01:00")).ShouldBe(TimeSpan.Zero);
        calendar.BusinessTimeBetween(At("2026-12-05T00:00:00+01:00"), At("2026-12-06T00:00:00+01:00")).ShouldBe(TimeSpan.FromHours(4));
        var whit = calendar.HolidayRuleFor(new DateOnly(2026, 5, 25)).ShouldNotBeNull();
        whit.Name.ShouldBe("Whit Monday");
        whit.Location.File.ShouldEndWith(Path.Join("calendars", "holidays", "de.json"));
        whit.Location.Line.ShouldBe(11);
    }

    [Fact]
    public void Ics_EventLocationAndName_AreKept()
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar), ("calendars/holidays/h.ics", Ics(
            "BEGIN:VEVENT", "UID:a", "DTSTAMP:20260101T000000Z", "SUMMARY:Founders' Day", "DTSTART;VALUE=DATE:20260615", "RRULE:FREQ=YEARLY;COUNT=3", "END:VEVENT")));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var rules = result.Set.Calendars["c"].HolidayRules;
        // COUNT=3: 2026, 2027, 2028; no DTEND on a date event means one day.
        rules.Select(r => r.Text).ShouldBe(["2026-06-15", "2027-06-15", "2028-06-15"]);
        rules[0].Name.ShouldBe("Founders' Day");
        rules[0].Location.Line.ShouldBe(4);  // the event's BEGIN:VEVENT line
    }

    [Fact]
    public void Ics_TimedEvent_IsAWarningAndTheRestIsRead()
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar), ("calendars/holidays/h.ics", Ics(
            "BEGIN:VEVENT", "UID:a", "DTSTAMP:20260101T000000Z", "SUMMARY:Meeting", "DTSTART:20260615T100000Z", "DTEND:20260615T110000Z", "END:VEVENT",
            "BEGIN:VEVENT", "UID:b", "DTSTAMP:20260101T000000Z", "SUMMARY:Closed", "DTSTART;VALUE=DATE:20260616", "END:VEVENT")));

        var result = PolicyLoader.Load(dir.Path);

        var warning = result.Diagnostics.ShouldHaveSingleItem();
        (warning.Descriptor.Code, warning.Descriptor.Severity, warning.Location.Line).ShouldBe(("SLA2023", DiagnosticSeverity.Warning, 4));
        result.Set.Calendars["c"].HolidayRules.Select(r => r.Text).ShouldBe(["2026-06-16"]);
    }

    // holiday file name, its text, expected code, file the diagnostic names, line
    public static TheoryData<string, string, string, string, int> BadFiles => new()
    {
        // END that closes nothing open: the line of the END.
        { "h.ics", Ics("BEGIN:VEVENT", "DTSTART;VALUE=DATE:20260616", "END:VTODO"), "SLA2022", "h.ics", 6 },
        // A line that is no content line.
        { "h.ics", Ics("BEGIN:VEVENT", "this is not ical", "END:VEVENT"), "SLA2022", "h.ics", 5 },
        // A BEGIN never closed: the line of the BEGIN.
        { "h.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260616\r\nEND:VCALENDAR\r\n", "SLA2022", "h.ics", 5 },
        // A JSON holiday file with a misspelt month: at the entry in the holiday file.
        { "h.json", """
            { "holidays": [
                "12-25",
                { "day": "1st mon of sepp", "name": "Labor Day" } ] }
            """, "SLA2009", "h.json", 3 },
        // A holiday file naming another one.
        { "h.json", """{ "holidays": ["other.json"] }""", "SLA2021", "h.json", 1 },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Load_BadHolidayFile_PointsAtTheLine(string name, string text, string code, string file, int line)
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar.Replace("holidays/h.ics", "holidays/" + name, StringComparison.Ordinal)), ("calendars/holidays/" + name, text));

        var result = PolicyLoader.Load(dir.Path);

        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        (diagnostic.Descriptor.Code, Path.GetFileName(diagnostic.Location.File), diagnostic.Location.Line).ShouldBe((code, file, line));
        result.Set.Calendars.ShouldNotContainKey("c");
    }

    [Theory]
    [InlineData("holidays/missing.ics")]     // no such file
    [InlineData("../../outside.json")]       // outside the policy directory
    public void Load_HolidayFileThatCannotBeUsed_IsSla2021AtTheEntry(string entry)
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar.Replace("holidays/h.ics", entry, StringComparison.Ordinal)));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        diagnostic.Descriptor.Code.ShouldBe("SLA2021");
        diagnostic.Location.File.ShouldEndWith(Path.Join("calendars", "c.json"));
        (diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((1, 96));  // the text of the entry
    }
}
