using static SlaPolicy.Tests.Calendars.CalendarSpec;

namespace SlaPolicy.Tests.Calendars;

public class BusinessCalendarTests
{
    private const string Office = "mon-fri=08:00-17:00";

    // zone, hours, holidays (comma separated), from, to, expected business minutes
    public static TheoryData<string, string, string, string, string, double> BetweenCases => new()
    {
        // Fri 16:00-17:00 = 60, weekend of the spring-forward (Sun 29 March) closed, Mon 08:00-09:00 CEST = 60.
        { "Europe/Berlin", Office, "", "2026-03-27T16:00:00+01:00", "2026-03-30T09:00:00+02:00", 120 },

        // Hours spanning the change: Sun 29 March 01:00 CET (00:00Z) to 04:00 CEST (02:00Z) is 2 real hours, not 3.
        { "Europe/Berlin", "sun=01:00-04:00", "", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", 120 },

        // Fall-back, Sun 25 October: 01:00 CEST (23:00Z) to 04:00 CET (03:00Z) is 4 real hours, not 3.
        { "Europe/Berlin", "sun=01:00-04:00", "", "2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00", 240 },

        // 02:00-03:00 does not exist on the spring-forward day: both ends resolve to 03:00 CEST, nothing is open.
        { "Europe/Berlin", "sun=02:00-03:00", "", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", 0 },

        // 02:30 is skipped, so opening is at the end of the gap, 03:00 CEST (01:00Z); closing 03:30 CEST (01:30Z): 30.
        { "Europe/Berlin", "sun=02:30-03:30", "", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", 30 },

        // 02:00-03:00 happens twice on the fall-back day: 02:00 CEST (00:00Z) to 03:00 CET (02:00Z) = 120.
        { "Europe/Berlin", "sun=02:00-03:00", "", "2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00", 120 },

        // Weekdays around the fall-back: Fri 16:00-17:00 CEST = 60, Mon 08:00-09:00 CET = 60.
        { "Europe/Berlin", Office, "", "2026-10-23T16:00:00+02:00", "2026-10-26T09:00:00+01:00", 120 },

        // New York spring-forward Sun 8 March: 00:00 EST (05:00Z) to 06:00 EDT (10:00Z) = 5 real hours.
        { "America/New_York", "sun=00:00-06:00", "", "2026-03-08T00:00:00-05:00", "2026-03-08T12:00:00-04:00", 300 },

        // New York fall-back Sun 1 November: 00:00 EDT (04:00Z) to 06:00 EST (11:00Z) = 7 real hours.
        { "America/New_York", "sun=00:00-06:00", "", "2026-11-01T00:00:00-04:00", "2026-11-01T12:00:00-05:00", 420 },

        // 01:00 is ambiguous on 1 November: opening at its first occurrence 01:00 EDT (05:00Z), closing 02:00 EST (07:00Z).
        { "America/New_York", "sun=01:00-02:00", "", "2026-11-01T00:00:00-04:00", "2026-11-01T12:00:00-05:00", 120 },

        // Fri 6 March 16:00-17:00 EST = 60, Mon 9 March 09:00-10:00 EDT = 60.
        { "America/New_York", "mon-fri=09:00-17:00", "", "2026-03-06T16:00:00-05:00", "2026-03-09T10:00:00-04:00", 120 },

        // Kolkata (+05:30, no DST), given in UTC: Mon 11:30Z = 17:00 IST to Tue 04:30Z = 10:00 IST: 17-18 + 09-10 = 120.
        { "Asia/Kolkata", "mon-fri=09:00-18:00", "", "2026-03-02T11:30:00Z", "2026-03-03T04:30:00Z", 120 },

        // Holidays Thu 24 and Fri 25 December: Wed 16:00-17:00 = 60, Mon 28 08:00-10:00 = 120.
        { "Europe/Berlin", Office, "2026-12-24,2026-12-25", "2026-12-23T16:00:00+01:00", "2026-12-28T10:00:00+01:00", 180 },

        // Split day: 11:00-12:00 = 60 and 13:00-14:00 = 60; lunch is closed.
        { "Europe/Berlin", "mon-fri=09:00-12:00,13:00-18:00", "", "2026-06-01T11:00:00+02:00", "2026-06-01T14:00:00+02:00", 120 },

        // A whole split day: 3 h + 5 h = 480.
        { "Europe/Berlin", "mon-fri=09:00-12:00,13:00-18:00", "", "2026-06-01T00:00:00+02:00", "2026-06-02T00:00:00+02:00", 480 },

        // June 2026: Mon 1 to Tue 30 = 22 weekdays × 540 = 11880.
        { "Europe/Berlin", Office, "", "2026-06-01T00:00:00+02:00", "2026-07-01T00:00:00+02:00", 11880 },

        // Across the new year with holiday Fri 1 January 2027: Thu 31 Dec 16:00-17:00 = 60, Mon 4 Jan 08:00-09:00 = 60.
        { "Europe/Berlin", Office, "2027-01-01", "2026-12-31T16:00:00+01:00", "2027-01-04T09:00:00+01:00", 120 },

        // A range to 24:00 followed by one from 00:00 counts as one stretch: Sat 22:00 to Sun 02:00 = 240.
        { "Europe/Berlin", "sat=20:00-24:00;sun=00:00-06:00", "", "2026-06-06T22:00:00+02:00", "2026-06-07T02:00:00+02:00", 240 },

        // An empty or reversed window holds no business time.
        { "Europe/Berlin", Office, "", "2026-06-01T12:00:00+02:00", "2026-06-01T10:00:00+02:00", 0 },
    };

    [Theory]
    [MemberData(nameof(BetweenCases))]
    public void BusinessTimeBetween_HandWorkedWindows_CountsOpenRealTime(string zone, string hours, string holidays, string from, string to, double minutes)
    {
        var calendar = Create(zone, hours, Split(holidays));
        calendar.BusinessTimeBetween(At(from), At(to)).ShouldBe(TimeSpan.FromMinutes(minutes));
    }

    // zone, hours, holidays, from, amount in minutes, expected instant
    public static TheoryData<string, string, string, string, double, string> AddCases => new()
    {
        // Fri 16:00 + 2 h: 60 on Friday, 60 on Monday after the spring-forward weekend: Mon 09:00 CEST = 07:00Z.
        { "Europe/Berlin", Office, "", "2026-03-27T16:00:00+01:00", 120, "2026-03-30T07:00:00Z" },

        // Exactly the rest of the day ends at the close (17:00 CET = 16:00Z), not at the next opening.
        { "Europe/Berlin", Office, "", "2026-03-27T16:00:00+01:00", 60, "2026-03-27T16:00:00Z" },

        // Zero from a Saturday is the instant itself.
        { "Europe/Berlin", Office, "", "2026-03-28T10:00:00+01:00", 0, "2026-03-28T09:00:00Z" },

        // One minute from a Saturday: Monday 08:01 CEST = 06:01Z (the clock starts at the next opening).
        { "Europe/Berlin", Office, "", "2026-03-28T10:00:00+01:00", 1, "2026-03-30T06:01:00Z" },

        // A whole Kolkata day, 9 h from 09:00 IST, ends at 18:00 IST = 12:30Z.
        { "Asia/Kolkata", "mon-fri=09:00-18:00", "", "2026-03-02T09:00:00+05:30", 540, "2026-03-02T12:30:00Z" },

        // 16 h from Wed 23 Dec 16:00 over two holidays: Wed 1 h, Mon 9 h, Tue 6 h → Tue 29 Dec 14:00 CET = 13:00Z.
        { "Europe/Berlin", Office, "2026-12-24,2026-12-25", "2026-12-23T16:00:00+01:00", 960, "2026-12-29T13:00:00Z" },

        // Split day: 4 h from Mon 10:00 = 10-12 (2 h) + 13-15 (2 h) → 15:00 CEST = 13:00Z.
        { "Europe/Berlin", "mon-fri=09:00-12:00,13:00-18:00", "", "2026-06-01T10:00:00+02:00", 240, "2026-06-01T13:00:00Z" },

        // 13 months of office time from 1 June 2026 (a long span walks years, not minutes): 22 weekdays in June 2026,
        // so 22 × 540 minutes end at the close of Tue 30 June, 17:00 CEST = 15:00Z.
        { "Europe/Berlin", Office, "", "2026-06-01T00:00:00+02:00", 11880, "2026-06-30T15:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(AddCases))]
    public void AddBusinessTime_HandWorkedAmounts_ReturnsEarliestInstant(string zone, string hours, string holidays, string from, double minutes, string expected)
    {
        var calendar = Create(zone, hours, Split(holidays));
        calendar.AddBusinessTime(At(from), TimeSpan.FromMinutes(minutes)).ShouldBe(At(expected));
    }

    [Fact]
    public void AddBusinessTime_AcrossYears_WalksWholeYears()
    {
        // 2026 has 261 weekdays (365 days = 52 weeks + Thu 1 Jan); 2027 has 261 (52 weeks + Fri 1 Jan).
        // From 1 Jan 2026 00:00, 522 weekdays × 540 minutes end at the close of Fri 31 Dec 2027, 17:00 CET = 16:00Z.
        var calendar = Create("Europe/Berlin", Office);
        var from = At("2026-01-01T00:00:00+01:00");
        var end = calendar.AddBusinessTime(from, TimeSpan.FromMinutes(522 * 540));
        end.ShouldBe(At("2027-12-31T16:00:00Z"));
        calendar.BusinessTimeBetween(from, end).ShouldBe(TimeSpan.FromMinutes(522 * 540));
    }

    [Fact]
    public void OpenIntervals_SplitDay_ListsClippedRangesInOrder()
    {
        var calendar = Create("Europe/Berlin", "mon-fri=09:00-12:00,13:00-18:00");

        var intervals = calendar.OpenIntervals(At("2026-06-01T10:00:00+02:00"), At("2026-06-01T14:00:00+02:00")).ToList();

        // 10:00-12:00 and 13:00-14:00 CEST, in UTC.
        intervals.ShouldBe(
        [
            (At("2026-06-01T08:00:00Z"), At("2026-06-01T10:00:00Z")),
            (At("2026-06-01T11:00:00Z"), At("2026-06-01T12:00:00Z")),
        ]);
    }

    [Fact]
    public void HolidaysBetween_ChristmasWeek_ListsHolidaysOnOpenWeekdaysOnly()
    {
        // 26 December 2026 is a Saturday: the office is closed anyway, so it skips nothing.
        var calendar = Create("Europe/Berlin", Office, "2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01");

        var holidays = calendar.HolidaysBetween(At("2026-12-23T16:00:00+01:00"), At("2026-12-28T10:00:00+01:00")).ToList();

        holidays.ShouldBe([new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);
    }

    [Fact]
    public void Create_UnknownTimeZone_ThrowsNamingTheZone()
    {
        var error = Should.Throw<ArgumentException>(() => Create("Europe/Atlantis", Office));
        error.Message.ShouldContain("`Europe/Atlantis`");
    }

    [Fact]
    public void Create_NoOpeningHours_Throws()
    {
        Should.Throw<ArgumentException>(() => BusinessCalendarFromNoHours()).Message.ShouldContain("no opening hours");
    }

    [Fact]
    public void Create_RangeEndingBeforeItStarts_Throws()
    {
        Should.Throw<ArgumentException>(() => Create("Europe/Berlin", "mon=17:00-08:00")).Message.ShouldContain("end is not after its start");
    }

    private static SlaPolicy.Engine.Calendars.BusinessCalendar BusinessCalendarFromNoHours() =>
        SlaPolicy.Engine.Calendars.BusinessCalendar.Create(Definition("Europe/Berlin", string.Empty));

    private static string[] Split(string holidays) => holidays.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
