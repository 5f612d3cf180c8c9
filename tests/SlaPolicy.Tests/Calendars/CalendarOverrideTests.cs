using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaPolicy.Tests.Clocks;
using SlaPolicy.Tests.Policies;
using static SlaPolicy.Tests.Calendars.CalendarSpec;

namespace SlaPolicy.Tests.Calendars;

/// <summary>Date-specific hours (<c>dates</c>) and yearly holiday rules, worked by hand.</summary>
public class CalendarOverrideTests
{
    private const string Office = "mon-fri=08:00-17:00";

    private static DateRule Rule(string text) =>
        DateRule.Parse(text, SourceLocation.None, out var error, out _) ?? throw new ArgumentException(error);

    private static BusinessCalendar WithOverrides(string hours, string[] holidays, string[] rules, params (string When, string Hours)[] dates)
    {
        var definition = Definition("Europe/Berlin", hours, holidays) with { };
        return BusinessCalendar.Create(definition with
        {
            HolidayRules = [.. rules.Select(Rule)],
            DateHours = [.. dates.Select(d => new DateHours(Rule(d.When), [.. d.Hours.Split(',').Select(Range)]))],
        });
    }

    private static LocalRange Range(string text)
    {
        var bounds = text.Split('-');
        return new LocalRange(TimeSpan.Parse(bounds[0], CultureInfo.InvariantCulture), bounds[1] == "24:00" ? TimeSpan.FromDays(1) : TimeSpan.Parse(bounds[1], CultureInfo.InvariantCulture));
    }

    private static double Minutes(BusinessCalendar calendar, string day) =>
        calendar.BusinessTimeBetween(At(day + "T00:00:00+01:00"), At(day + "T00:00:00+01:00").AddDays(1)).TotalMinutes;

    // rule, year, expected day (empty: none that year)
    public static TheoryData<string, int, string> RuleCases => new()
    {
        { "12-25", 2026, "2026-12-25" },          // the same day every year
        { "02-29", 2027, "" },                    // 29 February only in leap years
        { "02-29", 2028, "2028-02-29" },
        { "4th thu of nov", 2026, "2026-11-26" }, // 1 Nov 2026 is a Sunday: Thursdays 5, 12, 19, 26 (US Thanksgiving)
        { "4th thu of nov", 2027, "2027-11-25" }, // 1 Nov 2027 is a Monday: Thursdays 4, 11, 18, 25
        { "1st mon of sep", 2026, "2026-09-07" }, // 1 Sep 2026 is a Tuesday: first Monday the 7th (US Labor Day)
        { "last mon of may", 2026, "2026-05-25" },// 31 May 2026 is a Sunday: last Monday the 25th (US Memorial Day)
        { "5th fri of jan", 2026, "2026-01-30" }, // Fridays 2, 9, 16, 23, 30
        { "5th fri of feb", 2026, "" },           // February 2026 has four Fridays
        { "easter", 2026, "2026-04-05" },         // Western Easter 2026: 5 April
        { "easter-2", 2026, "2026-04-03" },       // Good Friday
        { "easter+1", 2026, "2026-04-06" },       // Easter Monday
        { "easter+39", 2026, "2026-05-14" },      // Ascension Day
        { "easter", 2027, "2027-03-28" },
        { "easter", 2038, "2038-04-25" },         // the latest possible Easter
        { "easter", 2285, "2285-03-22" },         // the earliest possible Easter
        { "2026-12-24", 2027, "" },               // a date names only its own year
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public void DateRule_InYear(string text, int year, string expected) =>
        Rule(text).InYear(year).ShouldBe(expected.Length == 0 ? null : DateOnly.Parse(expected, CultureInfo.InvariantCulture));

    [Fact]
    public void Dates_ShortDayAndOpenSunday()
    {
        var calendar = WithOverrides(Office, [], [], ("2026-12-24", "09:00-13:00"), ("2026-12-27", "10:00-14:00"));

        Minutes(calendar, "2026-12-24").ShouldBe(240);  // Thursday 09:00-13:00 instead of 08:00-17:00
        Minutes(calendar, "2026-12-27").ShouldBe(240);  // a Sunday, normally closed, open 10:00-14:00
        Minutes(calendar, "2026-12-23").ShouldBe(540);  // an ordinary Wednesday
        Minutes(calendar, "2026-12-20").ShouldBe(0);    // an ordinary Sunday
    }

    [Fact]
    public void Dates_BeatHolidays_AndDatesBeatYearlyRules()
    {
        // 24 Dec 2026 is a holiday written as a date and by a rule, yet has hours of its own; the exact date wins over
        // the yearly `12-24` entry in 2026, the rule gives 2027's (a Friday).
        var calendar = WithOverrides(Office, ["2026-12-24"], ["12-24"], ("12-24", "09:00-13:00"), ("2026-12-24", "10:00-12:00"));

        Minutes(calendar, "2026-12-24").ShouldBe(120);
        Minutes(calendar, "2027-12-24").ShouldBe(240);
        calendar.HolidaysBetween(At("2026-12-01T00:00:00+01:00"), At("2028-01-01T00:00:00+01:00")).ShouldBeEmpty();
        calendar.SpecialDaysBetween(At("2026-12-01T00:00:00+01:00"), At("2028-01-01T00:00:00+01:00"))
            .Select(d => (d.Date, d.Hours.HoursText)).ShouldBe([(new DateOnly(2026, 12, 24), "10:00-12:00"), (new DateOnly(2027, 12, 24), "09:00-13:00")]);
    }

    [Fact]
    public void HolidayRules_CloseTheirDayEveryYear_AndAreListed()
    {
        var calendar = WithOverrides(Office, [], ["12-25", "easter+1"]);

        Minutes(calendar, "2026-12-25").ShouldBe(0);    // Friday, every 25 December
        Minutes(calendar, "2028-12-25").ShouldBe(0);    // Monday
        Minutes(calendar, "2028-12-26").ShouldBe(540);  // Tuesday, open
        Minutes(calendar, "2026-04-06").ShouldBe(0);    // Easter Monday 2026
        // 25 Dec 2027 is a Saturday, closed anyway, so it skips nothing and is not listed.
        calendar.HolidaysBetween(At("2026-01-01T00:00:00+01:00"), At("2029-01-01T00:00:00+01:00"))
            .ShouldBe([new(2026, 4, 6), new(2026, 12, 25), new(2027, 3, 29), new(2028, 4, 17), new(2028, 12, 25)]);
        calendar.HolidayRuleFor(new DateOnly(2028, 12, 25))!.Text.ShouldBe("12-25");
    }

    [Fact]
    public void Clock_ShortDay_MovesTheDueTime()
    {
        // 4 h business target opened Thu 24 Dec 2026 11:00 with 24 Dec open 09:00-13:00 and 25-26 Dec closed by rule:
        // Thu 11:00-13:00 = 2 h, then Mon 28 Dec 08:00-10:00 = 2 h, due Mon 10:00.
        var calendar = WithOverrides(Office, [], ["12-25", "12-26"], ("12-24", "09:00-13:00"));
        var target = ClockCases.Target("berlin-office", TargetMetric.Resolution, 240);

        var clock = SlaClock.Compute(target, ClockCases.Case("2026-12-24T11:00:00+01:00", null, null, ""), [], calendar, At("2026-12-24T12:00:00+01:00"));

        clock.Elapsed.ShouldBe(TimeSpan.FromHours(1));
        clock.DueAt.ShouldBe(At("2026-12-28T10:00:00+01:00"));
    }

    // file text, expected code, line, column
    public static TheoryData<string, string, int, int> BadFiles => new()
    {
        // A misspelt weekday: an error with a suggestion, at the entry's text.
        { """{ "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" }, "holidays": ["4th thurs of nov"] }""", "SLA2009", 1, 95 },
        // Month 13.
        { """{ "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" }, "holidays": ["13-01"] }""", "SLA2009", 1, 95 },
        // A closed day in `dates`: hours only; a closed day is a holiday.
        { """{ "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" }, "dates": { "12-24": "closed" } }""", "SLA2004", 1, 102 },
        // A key of `dates` that is no day.
        { """{ "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" }, "dates": { "xmas": "09:00-12:00" } }""", "SLA2009", 1, 93 },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Load_BadCalendar_PointsAtTheEntry(string json, string code, int line, int column)
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", json));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((code, line, column));
    }

    [Fact]
    public void Load_MisspeltWeekday_SuggestsTheName()
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", """{ "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" }, "holidays": ["4th thurs of nov"] }"""));

        PolicyLoader.Load(dir.Path).Diagnostics.Single().Help.ShouldBe("did you mean `thu`?");
    }

    [Fact]
    public void Load_DatesAndRules_AreRead()
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", """
            { "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" },
              "holidays": ["2026-12-25", "12-26", "easter-2"],
              "dates": { "12-24": "09:00-13:00", "2026-12-27": "10:00-12:00,13:00-14:00" } }
            """));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var calendar = result.Set.Calendars["c"];
        calendar.Holidays.ShouldBe([new DateOnly(2026, 12, 25)]);
        calendar.HolidayRules.Select(r => r.Text).ShouldBe(["12-26", "easter-2"]);
        calendar.HolidayRules[0].Location.Line.ShouldBe(2);
        calendar.DateHours.Select(d => (d.When.Text, d.HoursText)).ShouldBe([("12-24", "09:00-13:00"), ("2026-12-27", "10:00-12:00,13:00-14:00")]);
        Minutes(BusinessCalendar.Create(calendar), "2026-12-27").ShouldBe(180);  // Sunday 10-12 and 13-14
    }

    [Fact]
    public void OldCalendar_KeepsItsFingerprintFields()
    {
        // A calendar without the new parts serializes exactly as before: the optional parts are left default.
        var json = JsonSerializer.Serialize(Definition("Europe/Berlin", Office, "2026-12-25"));

        json.ShouldNotContain("HolidayRules");
        json.ShouldNotContain("DateHours");
        json.ShouldNotContain("HolidayFiles");
    }

    private static Gen<(string Zone, int Open, int Close, int Split, int[] Holidays, int From, int Length, int Amount)> RangeGen =>
        from zone in Gen.Elements("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
        from open in Gen.Choose(0, 22)
        from length in Gen.Choose(2, 24)
        from split in Gen.Choose(1, 23)
        from holidays in Gen.ListOf(Gen.Choose(0, 400), 3)
        from start in Gen.Choose(0, 360 * 24 * 60)
        from span in Gen.Choose(0, 40 * 24 * 60)
        from amount in Gen.Choose(0, 9000)
        select (zone, open, Math.Min(24, open + length), split, holidays.ToArray(), start, span, amount);

    private static string Clock(int hours) => hours == 24 ? "24:00" : $"{hours:00}:00";

    /// <summary>Splitting a range in two (<c>08:00-17:00</c> as <c>08:00-12:00,12:00-17:00</c>), weekly or on a date, changes nothing.</summary>
    [Property(MaxTest = 200)]
    public Property SplittingARange_ChangesNothing() => Prop.ForAll(RangeGen.ToArbitrary(), g =>
    {
        var at = Math.Clamp(g.Open + (g.Split % Math.Max(1, g.Close - g.Open - 1)) + 1, g.Open + 1, g.Close - 1);
        string[] holidays = [.. g.Holidays.Select(d => new DateOnly(2026, 1, 1).AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))];
        var date = new DateOnly(2026, 1, 1).AddDays(g.From / 1440 + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var whole = BusinessCalendar.Create(Definition(g.Zone, $"mon-fri={Clock(g.Open)}-{Clock(g.Close)}", holidays) with
        {
            DateHours = [new DateHours(Rule(date), [new LocalRange(TimeSpan.FromHours(g.Open), TimeSpan.FromHours(g.Close))])],
        });
        var split = BusinessCalendar.Create(Definition(g.Zone, $"mon-fri={Clock(g.Open)}-{Clock(at)},{Clock(at)}-{Clock(g.Close)}", holidays) with
        {
            DateHours = [new DateHours(Rule(date), [new LocalRange(TimeSpan.FromHours(g.Open), TimeSpan.FromHours(at)), new LocalRange(TimeSpan.FromHours(at), TimeSpan.FromHours(g.Close))])],
        });
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(g.From);
        var to = from.AddMinutes(g.Length);
        return whole.BusinessTimeBetween(from, to) == split.BusinessTimeBetween(from, to)
            && whole.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount)) == split.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount))
            && whole.OpenIntervals(from, to).SequenceEqual(split.OpenIntervals(from, to));
    });

    private static Gen<(int Open, int Close, int Opened, int Within, int Holiday, bool Yearly, bool BusinessDays, int Pause, int PauseLength)> ClockGen =>
        from open in Gen.Choose(0, 20)
        from length in Gen.Choose(1, 12)
        from opened in Gen.Choose(0, 300 * 24 * 60)
        from within in Gen.Choose(1, 5000)
        from holiday in Gen.Choose(0, 40)
        from yearly in Gen.Elements(true, false)
        from businessDays in Gen.Elements(true, false)
        from pause in Gen.Choose(0, 3000)
        from pauseLength in Gen.Choose(0, 3000)
        select (open, Math.Min(24, open + length), opened, within, holiday, yearly, businessDays, pause, pauseLength);

    /// <summary>Adding a holiday (a date or a yearly rule) never makes a business clock due earlier, business days included.</summary>
    [Property(MaxTest = 300)]
    public Property AddingAHoliday_NeverMakesTheClockDueEarlier() => Prop.ForAll(ClockGen.ToArbitrary(), g =>
    {
        var hours = $"mon-sat={Clock(g.Open)}-{Clock(g.Close)}";
        var opened = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(g.Opened);
        var holiday = DateOnly.FromDateTime(opened.UtcDateTime).AddDays(g.Holiday - 2);
        var before = BusinessCalendar.Create(Definition("Europe/Berlin", hours));
        var definition = Definition("Europe/Berlin", hours);
        var after = BusinessCalendar.Create(g.Yearly
            ? definition with { HolidayRules = [Rule(holiday.ToString("MM-dd", CultureInfo.InvariantCulture))] }
            : definition with { Holidays = [holiday] });
        var target = new TargetTerm("t", TargetMetric.Resolution, [], TimeSpan.FromMinutes(g.Within), ClockKind.Business, SourceLocation.None, "p")
        {
            BusinessDays = g.BusinessDays ? 1 + (g.Within % 5) : 0,
        };
        var ticket = new CaseRecord("C", "c", "t", "r", "s", 1, opened, null, null, [], [
            new StatusEvent(opened.AddMinutes(g.Pause), "waiting_on_customer"),
            new StatusEvent(opened.AddMinutes(g.Pause + g.PauseLength), "in_progress"),
        ]);
        var asOf = opened.AddDays(60);
        var dueBefore = SlaClock.Compute(BusinessDayTargets.ForCase(target, ticket, before), ticket, ClockCases.PauseOn, before, asOf).DueAt;
        var dueAfter = SlaClock.Compute(BusinessDayTargets.ForCase(target, ticket, after), ticket, ClockCases.PauseOn, after, asOf).DueAt;
        return (dueAfter >= dueBefore).Label($"{dueBefore:o} -> {dueAfter:o}");
    });
}
