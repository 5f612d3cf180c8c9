using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaPolicy.Engine.Policies.Reading;
using SlaPolicy.Tests.Clocks;
using SlaPolicy.Tests.Policies;
using static SlaPolicy.Tests.Calendars.CalendarSpec;

namespace SlaPolicy.Tests.Calendars;

/// <summary>Business-day targets (<c>2bd</c>) and durations with seconds and combined units, worked by hand.</summary>
public class BusinessDayTests
{
    private const string Office = "mon-fri=08:00-17:00";

    // zone, hours, holidays, opened, business days, expected within (minutes), expected due (local ISO)
    public static TheoryData<string, string, string, string, int, double, string> SpanCases => new()
    {
        // Mon 30 Nov 15:00 is 7 h into Monday; 2 bd later is Wed 2 Dec 15:00. Mon 2 h + Tue 9 h + Wed 7 h = 18 h.
        { "Europe/Berlin", Office, "", "2026-11-30T15:00:00+01:00", 2, 18 * 60, "2026-12-02T15:00:00+01:00" },

        // Opened 19:00, after the close: counting starts Tue 08:00, 0 h into Tuesday; the same point of Thursday is its
        // opening, which in business time is Wednesday's close. Tue 9 h + Wed 9 h = 18 h, due Wed 17:00.
        { "Europe/Berlin", Office, "", "2026-11-30T19:00:00+01:00", 2, 18 * 60, "2026-12-02T17:00:00+01:00" },

        // Opened on a Saturday: counting starts Mon 08:00; 1 bd is all of Monday, 9 h, due Mon 17:00.
        { "Europe/Berlin", Office, "", "2026-11-28T11:00:00+01:00", 1, 9 * 60, "2026-11-30T17:00:00+01:00" },

        // Holidays 24-25 Dec, then the weekend: from Wed 23 Dec 10:00 (2 h in), business days are Mon 28 and Tue 29.
        // Wed 7 h + Mon 9 h + Tue 2 h = 18 h, due Tue 29 Dec 10:00.
        { "Europe/Berlin", Office, "2026-12-24,2026-12-25", "2026-12-23T10:00:00+01:00", 2, 18 * 60, "2026-12-29T10:00:00+01:00" },

        // Short Saturday 10:00-14:00: Thu 15:00 is 6 h into Thursday; the 2nd business day, Saturday, holds only 4 h,
        // so the due time is capped at its close. Thu 2 h + Fri 8 h + Sat 4 h = 14 h.
        { "Europe/Berlin", "mon-fri=09:00-17:00;sat=10:00-14:00", "", "2026-12-03T15:00:00+01:00", 2, 14 * 60, "2026-12-05T14:00:00+01:00" },

        // Same calendar, Fri 10:00 (1 h in): Saturday is 1 bd later, 1 h into Saturday = 11:00. Fri 7 h + Sat 1 h = 8 h.
        { "Europe/Berlin", "mon-fri=09:00-17:00;sat=10:00-14:00", "", "2026-12-04T10:00:00+01:00", 1, 8 * 60, "2026-12-05T11:00:00+01:00" },

        // Split day 09:00-12:00,13:00-18:00: Mon 14:00 is 3 h + 1 h = 4 h into Monday; Tuesday's 4 h point is 14:00.
        // Mon 4 h (14-18) + Tue 4 h (09-12, 13-14) = 8 h.
        { "Europe/Berlin", "mon-fri=09:00-12:00,13:00-18:00", "", "2026-06-01T14:00:00+02:00", 1, 8 * 60, "2026-06-02T14:00:00+02:00" },

        // Open 00:00-24:00 every day, across the fall-back night: Sat 24 Oct 12:00 is 12 h into Saturday; Sunday is 25 h
        // long, and 12 real hours after its midnight (00:00 CEST = 22:00Z) is 10:00Z = 11:00 CET. 12 h + 12 h = 24 h.
        { "Europe/Berlin", "sun-sat=00:00-24:00", "", "2026-10-24T12:00:00+02:00", 1, 24 * 60, "2026-10-25T11:00:00+01:00" },

        // Spring forward: Sat 28 Mar 12:00 is 12 h in; Sunday is 23 h long, its 12 h point is 13:00 CEST. 12 h + 12 h.
        { "Europe/Berlin", "sun-sat=00:00-24:00", "", "2026-03-28T12:00:00+01:00", 1, 24 * 60, "2026-03-29T13:00:00+02:00" },

        // New York, hours not crossing the change: Fri 6 Mar 16:00 EST is 7 h in; Mon 9 Mar 16:00 EDT. Fri 1 h + Mon 7 h.
        { "America/New_York", "mon-fri=09:00-17:00", "", "2026-03-06T16:00:00-05:00", 1, 8 * 60, "2026-03-09T16:00:00-04:00" },

        // Given in UTC, counted in Kolkata: 2026-03-02T06:30Z is Mon 12:00 IST, 3 h in; 5 bd later is Mon 9 Mar 12:00.
        // Mon 6 h + 4 full days of 9 h + Mon 3 h = 45 h.
        { "Asia/Kolkata", "mon-fri=09:00-18:00", "", "2026-03-02T06:30:00Z", 5, 45 * 60, "2026-03-09T12:00:00+05:30" },
    };

    [Theory]
    [MemberData(nameof(SpanCases))]
    public void BusinessDays_HandWorked(string zone, string hours, string holidays, string opened, int days, double withinMinutes, string due)
    {
        var calendar = Create(zone, hours, holidays.Split(',', StringSplitOptions.RemoveEmptyEntries));

        var span = calendar.BusinessDays(At(opened), days);

        span.Within.TotalMinutes.ShouldBe(withinMinutes);
        span.DueAt.ShouldBe(At(due));
        calendar.AddBusinessTime(At(opened), span.Within).ShouldBe(At(due));
    }

    [Fact]
    public void BusinessDays_ShortDay_SaysItIsCappedAtTheClose()
    {
        var calendar = Create("Europe/Berlin", "mon-fri=09:00-17:00;sat=10:00-14:00");

        var span = calendar.BusinessDays(At("2026-12-03T15:00:00+01:00"), 2);

        // 6 h into Thursday; Saturday holds only 4 h.
        span.IntoDay.ShouldBe(TimeSpan.FromHours(6));
        span.FromDay.ShouldBe(new DateOnly(2026, 12, 3));
        span.DueDay.ShouldBe(new DateOnly(2026, 12, 5));
        span.CappedAtClose.ShouldBeTrue();
    }

    [Fact]
    public void Clock_BusinessDayTarget_PausesExtendItAndPercentUsesIt()
    {
        var calendar = Create("Europe/Berlin", Office);
        var target = new TargetTerm("t", TargetMetric.Resolution, [], TimeSpan.Zero, ClockKind.Business, SourceLocation.None, "p") { BusinessDays = 2 };
        var ticket = ClockCases.Case("2026-11-30T15:00:00+01:00", null, null, "waiting_on_customer@2026-12-01T10:00:00+01:00;in_progress@2026-12-01T12:00:00+01:00");

        var resolved = BusinessDayTargets.ForCase(target, ticket, calendar);
        var clock = SlaClock.Compute(resolved, ticket, ClockCases.PauseOn, calendar, At("2026-12-01T17:00:00+01:00"));

        // 18 h of business time; counted Mon 15-17 (2 h) + Tue 08-10 (2 h) + 12-17 (5 h) = 9 h = 50%; the 2 paused
        // hours move the due time from Wed 15:00 to Wed 17:00.
        resolved.Within.ShouldBe(TimeSpan.FromHours(18));
        clock.Elapsed.ShouldBe(TimeSpan.FromHours(9));
        clock.Paused.ShouldBe(TimeSpan.FromHours(2));
        clock.PercentUsed.ShouldBe(50);
        clock.DueAt.ShouldBe(At("2026-12-02T17:00:00+01:00"));
        clock.Status.ShouldBe(ClockStatus.Running);
    }

    [Fact]
    public void ForCase_FixedDurationTarget_IsReturnedUnchanged()
    {
        var target = ClockCases.Target("berlin-office", TargetMetric.Resolution, 60);

        BusinessDayTargets.ForCase(target, ClockCases.Case("2026-11-30T15:00:00+01:00", null, null, ""), ClockCases.Calendar("berlin-office"))
            .ShouldBeSameAs(target);
    }

    // text, expected seconds (null: rejected), business days
    public static TheoryData<string, long?, int> Durations => new()
    {
        { "15m", 900, 0 },           // as before
        { "4h", 14400, 0 },          // as before
        { "2d", 172800, 0 },         // 48 hours of the clock, as before
        { "30s", 30, 0 },            // seconds
        { "1h30m", 5400, 0 },        // 60 + 30 minutes
        { "1d12h", 129600, 0 },      // 36 hours
        { "2h30m15s", 9015, 0 },     // 2 h + 30 m + 15 s
        { "2bd", 0, 2 },             // business days: no fixed length
        { "30m1h", null, 0 },        // units out of order
        { "1h1h", null, 0 },         // a unit twice
        { "1bd4h", null, 0 },        // business days combined
        { "0h", null, 0 },           // zero, as before
        { "0bd", null, 0 },          // zero business days
        { "15 min", null, 0 },       // as before
        { "1.5h", null, 0 },         // as before
        { "4x", null, 0 },           // unknown unit
        { "h", null, 0 },            // no number
        { "3661d", null, 0 },        // over ten years, as before
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void ParseWithin_Forms(string text, long? seconds, int businessDays)
    {
        var value = ValueParsers.ParseWithin(text, out var days, out var error);

        if (seconds is null)
        {
            value.ShouldBeNull();
            error.ShouldNotBeEmpty();
            return;
        }

        value.ShouldBe(TimeSpan.FromSeconds(seconds.Value));
        days.ShouldBe(businessDays);
    }

    [Fact]
    public void Load_BusinessDaysOn24x7_IsSla2020AtTheWithin()
    {
        using var dir = new TempPolicyDirectory(("p.json", """
            {
              "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "tiers": ["gold"] },
              "targets": [
                { "id": "a", "metric": "resolution", "within": "2bd" }
              ]
            }
            """));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        diagnostic.Descriptor.Code.ShouldBe("SLA2020");
        diagnostic.Location.Line.ShouldBe(4);
        diagnostic.Location.Column.ShouldBe(52);
    }

    [Fact]
    public void Load_BusinessDaysOnBusinessClock_ReadsTheDays()
    {
        using var dir = new TempPolicyDirectory(
            ("calendars/c.json", """{ "id": "c", "timeZone": "Europe/Berlin", "hours": { "mon-fri": "08:00-17:00" } }"""),
            ("p.json", """
            {
              "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "tiers": ["gold"] }, "calendar": "c",
              "targets": [
                { "id": "a", "metric": "resolution", "within": "2bd", "clock": "business" },
                { "id": "b", "metric": "firstResponse", "within": "1h30m" }
              ]
            }
            """));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var targets = result.Set.Policies.Single().Targets;
        targets[0].BusinessDays.ShouldBe(2);
        targets[1].Within.ShouldBe(TimeSpan.FromMinutes(90));
        targets[1].BusinessDays.ShouldBe(0);
    }

    private static Gen<(BusinessCalendar Calendar, DateTimeOffset Opened, int Days)> SpanGen =>
        from zone in Gen.Elements("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
        from start in Gen.Choose(0, 23)
        from length in Gen.Choose(1, 24)
        from lunch in Gen.Elements(true, false)
        from saturday in Gen.Elements(true, false)
        from holidays in Gen.ListOf(Gen.Choose(0, 400), 4)
        from opened in Gen.Choose(0, 360 * 24 * 60)
        from days in Gen.Choose(1, 15)
        select (Build(zone, start, Math.Min(24, start + length), lunch, saturday, holidays.ToArray()), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(opened), days);

    private static BusinessCalendar Build(string zone, int start, int end, bool lunch, bool saturday, int[] holidays)
    {
        var hours = lunch && end - start >= 3
            ? $"{start:00}:00-{start + 1:00}:00,{start + 2:00}:00-{(end == 24 ? "24" : end.ToString("00", CultureInfo.InvariantCulture))}:00"
            : $"{start:00}:00-{(end == 24 ? "24" : end.ToString("00", CultureInfo.InvariantCulture))}:00";
        var spec = "mon-fri=" + hours + (saturday ? ";sat=10:00-12:00" : string.Empty);
        return Create(zone, spec, [.. holidays.Select(d => new DateOnly(2026, 1, 1).AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
    }

    /// <summary>A business-day due time lands inside opening hours or exactly at a close, never at a night or a weekend.</summary>
    [Property(MaxTest = 300)]
    public Property BusinessDays_DueLandsInsideHoursOrAtAClose() => Prop.ForAll(SpanGen.ToArbitrary(), s =>
    {
        var span = s.Calendar.BusinessDays(s.Opened, s.Days);
        var due = span.DueAt;
        var insideOrAtClose = s.Calendar.OpenIntervals(due.AddDays(-2), due.AddDays(2)).Any(i => i.Start < due && due <= i.End);
        return span.Within > TimeSpan.Zero && insideOrAtClose;
    });

    /// <summary>More business days are never due earlier.</summary>
    [Property(MaxTest = 200)]
    public Property BusinessDays_OneMoreDayIsNeverEarlier() => Prop.ForAll(SpanGen.ToArbitrary(), s =>
        s.Calendar.BusinessDays(s.Opened, s.Days + 1).DueAt >= s.Calendar.BusinessDays(s.Opened, s.Days).DueAt);
}
