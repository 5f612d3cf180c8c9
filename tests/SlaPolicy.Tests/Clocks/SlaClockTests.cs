using static SlaPolicy.Tests.Clocks.ClockCases;

namespace SlaPolicy.Tests.Clocks;

public class SlaClockTests
{
    private const TargetMetric Resolution = TargetMetric.Resolution;
    private const TargetMetric Response = TargetMetric.FirstResponse;

    /// <summary>One hand-worked clock: inputs, then expected elapsed/paused minutes, status, dueAt and stoppedAt.</summary>
    public sealed record Row(
        string Name,
        string Calendar,
        TargetMetric Metric,
        double Within,
        string Opened,
        string? Response,
        string? Resolved,
        string Events,
        string AsOf,
        double Elapsed,
        double Paused,
        ClockStatus Status,
        string? DueAt,
        string? StoppedAt)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Row> Rows => new()
    {
        // Berlin spring-forward, 24x7: 01:30 CET (00:30Z) to 03:30 CEST (01:30Z) is 60 real minutes; due 00:30Z + 4 h.
        new Row("berlin-spring-24x7", "", Resolution, 240, "2026-03-29T01:30:00+01:00", null, null, "",
            "2026-03-29T03:30:00+02:00", 60, 0, ClockStatus.Running, "2026-03-29T04:30:00Z", null),

        // Berlin fall-back, 24x7: 01:30 CEST (23:30Z) to 02:30 CET (01:30Z) is 120 real minutes = within: met at the due time.
        new Row("berlin-fall-24x7-stop-at-due", "", Resolution, 120, "2026-10-25T01:30:00+02:00", null, "2026-10-25T02:30:00+01:00", "",
            "2026-10-26T00:00:00Z", 120, 0, ClockStatus.Met, "2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00"),

        // New York spring-forward, 24x7: 01:30 EST (06:30Z) to 03:30 EDT (07:30Z) = 60; due 06:30Z + 4 h.
        new Row("new-york-spring-24x7", "", Resolution, 240, "2026-03-08T01:30:00-05:00", null, "2026-03-08T03:30:00-04:00", "",
            "2026-03-09T00:00:00Z", 60, 0, ClockStatus.Met, "2026-03-08T10:30:00Z", "2026-03-08T03:30:00-04:00"),

        // New York fall-back, 24x7: 00:30 EDT (04:30Z) to 01:30 EST (06:30Z) = 120 > 90: breached; due 04:30Z + 90 m.
        new Row("new-york-fall-24x7", "", Resolution, 90, "2026-11-01T00:30:00-04:00", null, "2026-11-01T01:30:00-05:00", "",
            "2026-11-02T00:00:00Z", 120, 0, ClockStatus.Breached, "2026-11-01T06:00:00Z", "2026-11-01T01:30:00-05:00"),

        // Kolkata, 24x7: 09:00 to 10:15 IST = 75 > 60; due 09:00 IST (03:30Z) + 60 m.
        new Row("kolkata-24x7", "", Resolution, 60, "2026-03-02T09:00:00+05:30", null, null, "",
            "2026-03-02T10:15:00+05:30", 75, 0, ClockStatus.Breached, "2026-03-02T04:30:00Z", null),

        // Opened Saturday: the clock starts Monday 08:00 CEST; asOf 10:00 = 120. Due: 16 h = Mon 9 h + Tue 7 h → Tue 15:00 CEST.
        new Row("business-opened-outside-hours", "berlin-office", Resolution, 960, "2026-03-28T10:00:00+01:00", null, null, "",
            "2026-03-30T10:00:00+02:00", 120, 0, ClockStatus.Running, "2026-03-31T13:00:00Z", null),

        // Pause Fri 16:00 to Mon 10:00 across a night and a weekend. Counted: Fri 15-16 (60) + Mon 10-12 (120) = 180.
        // Paused on the business clock: Fri 16-17 (60) + Mon 08-10 (120) = 180. Due: 13 h left from Mon 12:00 =
        // Mon 12-17 (5 h) + Tue 08-16 (8 h) → Tue 16:00 CEST.
        new Row("business-pause-night-and-weekend", "berlin-office", Resolution, 960, "2026-06-05T15:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-05T16:00:00+02:00;in_progress@2026-06-08T10:00:00+02:00",
            "2026-06-08T12:00:00+02:00", 180, 180, ClockStatus.Running, "2026-06-09T14:00:00Z", null),

        // The same case on a 24x7 clock: counted 60 + 120 = 180; paused Fri 16:00 to Mon 10:00 = 66 h = 3960.
        // Due: 60 left from Mon 12:00 → 13:00 CEST.
        new Row("24x7-pause-night-and-weekend", "", Resolution, 240, "2026-06-05T15:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-05T16:00:00+02:00;in_progress@2026-06-08T10:00:00+02:00",
            "2026-06-08T12:00:00+02:00", 180, 3960, ClockStatus.Running, "2026-06-08T11:00:00Z", null),

        // Pause from 10:00 still open at asOf 11:30: 60 counted, 90 paused, status paused, no due time.
        new Row("business-pause-open-at-as-of", "berlin-office", Resolution, 960, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T10:00:00+02:00",
            "2026-06-01T11:30:00+02:00", 60, 90, ClockStatus.Paused, null, null),

        // Paused at asOf but already 60 > 30: breached, and the due time is the past instant 09:30 CEST.
        new Row("24x7-paused-after-breach", "", Resolution, 30, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T10:00:00+02:00",
            "2026-06-01T11:30:00+02:00", 60, 90, ClockStatus.Breached, "2026-06-01T07:30:00Z", null),

        // Response clock, no response, resolved 09:40: stopped by the resolution at 40 > 15.
        new Row("response-stopped-by-resolution", "", Response, 15, "2026-06-01T09:00:00+02:00", null, "2026-06-01T09:40:00+02:00", "",
            "2026-06-01T12:00:00+02:00", 40, 0, ClockStatus.Breached, "2026-06-01T07:15:00Z", "2026-06-01T09:40:00+02:00"),

        // Resolved 09:10 before the response at 10:00: the resolution stops the response clock at 10 <= 15.
        new Row("response-after-resolution", "", Response, 15, "2026-06-01T09:00:00+02:00", "2026-06-01T10:00:00+02:00", "2026-06-01T09:10:00+02:00", "",
            "2026-06-01T12:00:00+02:00", 10, 0, ClockStatus.Met, "2026-06-01T07:15:00Z", "2026-06-01T09:10:00+02:00"),

        // A response at 09:05 stops the response clock at 5.
        new Row("response-met", "", Response, 15, "2026-06-01T09:00:00+02:00", "2026-06-01T09:05:00+02:00", null, "",
            "2026-06-01T12:00:00+02:00", 5, 0, ClockStatus.Met, "2026-06-01T07:15:00Z", "2026-06-01T09:05:00+02:00"),

        // Response after asOf: not known yet, the clock runs to asOf: 30 minutes.
        new Row("response-after-as-of", "", Response, 15, "2026-06-01T09:00:00+02:00", "2026-06-01T10:00:00+02:00", null, "",
            "2026-06-01T09:30:00+02:00", 30, 0, ClockStatus.Breached, "2026-06-01T07:15:00Z", null),

        // Business stop exactly at the due time: Mon 16-17 (60) + Tue 08:00-08:30 (30) = 90 = within: met.
        new Row("business-stop-at-due", "berlin-office", Resolution, 90, "2026-06-01T16:00:00+02:00", null, "2026-06-02T08:30:00+02:00", "",
            "2026-06-03T00:00:00+02:00", 90, 0, ClockStatus.Met, "2026-06-02T06:30:00Z", "2026-06-02T08:30:00+02:00"),

        // Resolved 12:00 before asOf 13:00: stopped at 180 <= 240, met; due 09:00 + 4 h = 13:00 CEST.
        new Row("resolution-before-as-of", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, "2026-06-01T12:00:00+02:00", "",
            "2026-06-01T13:00:00+02:00", 180, 0, ClockStatus.Met, "2026-06-01T11:00:00Z", "2026-06-01T12:00:00+02:00"),

        // The same case evaluated at 11:00, before the resolution: running at 120.
        new Row("resolution-after-as-of", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, "2026-06-01T12:00:00+02:00", "",
            "2026-06-01T11:00:00+02:00", 120, 0, ClockStatus.Running, "2026-06-01T11:00:00Z", null),

        // Split day: 11-12 (60) + 13:00-14:30 (90) = 150. Due: 330 left = 14:30-18:00 (210) + Tue 09-11 (120) → Tue 11:00 CEST.
        new Row("business-split-day", "berlin-split", Resolution, 480, "2026-06-01T11:00:00+02:00", null, null, "",
            "2026-06-01T14:30:00+02:00", 150, 0, ClockStatus.Running, "2026-06-02T09:00:00Z", null),

        // Holidays 24 and 25 Dec: Wed 16-17 (60) + Mon 08-10 (120) = 180. Due: 780 left = Mon 10-17 (420) + Tue 08-14 (360).
        new Row("business-holidays", "berlin-xmas", Resolution, 960, "2026-12-23T16:00:00+01:00", null, null, "",
            "2026-12-28T10:00:00+01:00", 180, 0, ClockStatus.Running, "2026-12-29T13:00:00Z", null),

        // Kolkata business: Fri 17:30-18:00 (30) + Mon 09:00-09:30 (30) = 60. Due: 480 left from Mon 09:30 → 17:30 IST = 12:00Z.
        new Row("business-kolkata", "kolkata", Resolution, 540, "2026-03-06T17:30:00+05:30", null, null, "",
            "2026-03-09T09:30:00+05:30", 60, 0, ClockStatus.Running, "2026-03-09T12:00:00Z", null),

        // Across the fall-back weekend: Fri 16-17 CEST (60) + Mon 08-09 CET (60) = 120. Due: 840 left = Mon 09-17 (480) + Tue 08-14 (360).
        new Row("business-berlin-fall-weekend", "berlin-office", Resolution, 960, "2026-10-23T16:00:00+02:00", null, null, "",
            "2026-10-26T09:00:00+01:00", 120, 0, ClockStatus.Running, "2026-10-27T13:00:00Z", null),

        // New York business across the spring-forward weekend: Fri 16-17 EST (60) + Mon 09-10 EDT (60) = 120.
        // Due: 360 left from Mon 10:00 → 16:00 EDT = 20:00Z.
        new Row("business-new-york-spring-weekend", "new-york", Resolution, 480, "2026-03-06T16:00:00-05:00", null, null, "",
            "2026-03-09T10:00:00-04:00", 120, 0, ClockStatus.Running, "2026-03-09T20:00:00Z", null),

        // Resolved at 11:00 inside a pause that began at 10:00: 60 counted, 60 paused, met; the pause ends at the stop,
        // so the would-be due time is 11:00 + the 60 left = 12:00 CEST.
        new Row("stop-inside-pause", "", Resolution, 120, "2026-06-01T09:00:00+02:00", null, "2026-06-01T11:00:00+02:00",
            "waiting_on_customer@2026-06-01T10:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 60, 60, ClockStatus.Met, "2026-06-01T10:00:00Z", "2026-06-01T11:00:00+02:00"),

        // A pause at 13:00 is after asOf 12:00 and not known yet: 180 counted, running.
        new Row("event-after-as-of-ignored", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T13:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 180, 0, ClockStatus.Running, "2026-06-01T11:00:00Z", null),

        // Events given out of order are read in time order: pause 10-11, so 120 counted, 60 paused; due 09:00 + 4 h + 1 h.
        new Row("unsorted-events", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "in_progress@2026-06-01T11:00:00+02:00;waiting_on_customer@2026-06-01T10:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 120, 60, ClockStatus.Running, "2026-06-01T12:00:00Z", null),

        // Two pause statuses in a row are one pause, 10:00-11:00.
        new Row("consecutive-pause-statuses", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T10:00:00+02:00;waiting_on_third_party@2026-06-01T10:30:00+02:00;in_progress@2026-06-01T11:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 120, 60, ClockStatus.Running, "2026-06-01T12:00:00Z", null),

        // Paused since before opening (08:00), resumed 09:30: paused 30 from opening, counted 150; due 09:00 + 4.5 h.
        new Row("paused-before-opening", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T08:00:00+02:00;in_progress@2026-06-01T09:30:00+02:00",
            "2026-06-01T12:00:00+02:00", 150, 30, ClockStatus.Running, "2026-06-01T11:30:00Z", null),

        // A pause beginning exactly at asOf: paused at asOf, nothing excluded yet.
        new Row("pause-at-as-of", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T12:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 180, 0, ClockStatus.Paused, null, null),

        // Opened on a holiday (Thu 24 Dec): the clock starts at the next opening, Mon 28 Dec 08:00; asOf 09:00 = 60.
        // Due: 900 left = Mon 09-17 (480) + Tue 08-15 (420) → Tue 15:00 CET = 14:00Z.
        new Row("business-opened-on-holiday", "berlin-xmas", Resolution, 960, "2026-12-24T10:00:00+01:00", null, null, "",
            "2026-12-28T09:00:00+01:00", 60, 0, ClockStatus.Running, "2026-12-29T14:00:00Z", null),

        // Paused at the very instant of opening, resumed 10:00: 60 paused, 120 counted by 12:00; due 09:00 + 1 h + 4 h.
        new Row("pause-at-opening", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T09:00:00+02:00;in_progress@2026-06-01T10:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 120, 60, ClockStatus.Running, "2026-06-01T12:00:00Z", null),

        // Two events at the same instant: the last listed decides, so waiting then in_progress at 10:00 pauses nothing.
        new Row("same-instant-events", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-01T10:00:00+02:00;in_progress@2026-06-01T10:00:00+02:00",
            "2026-06-01T12:00:00+02:00", 180, 0, ClockStatus.Running, "2026-06-01T11:00:00Z", null),

        // Opened after asOf: nothing counted yet; due 09:00 + 4 h.
        new Row("opened-after-as-of", "", Resolution, 240, "2026-06-01T09:00:00+02:00", null, null, "",
            "2026-06-01T08:00:00+02:00", 0, 0, ClockStatus.Running, "2026-06-01T11:00:00Z", null),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Compute_HandWorkedCase_MatchesExpectedClock(Row row)
    {
        var target = Target(row.Calendar, row.Metric, row.Within);
        var ticket = Case(row.Opened, row.Response, row.Resolved, row.Events);

        var result = SlaClock.Compute(target, ticket, PauseOn, Calendar(row.Calendar), At(row.AsOf));

        result.Elapsed.ShouldBe(TimeSpan.FromMinutes(row.Elapsed));
        result.Paused.ShouldBe(TimeSpan.FromMinutes(row.Paused));
        result.Status.ShouldBe(row.Status);
        result.DueAt.ShouldBe(row.DueAt is null ? null : At(row.DueAt));
        result.StoppedAt.ShouldBe(row.StoppedAt is null ? null : At(row.StoppedAt));
        result.Within.ShouldBe(TimeSpan.FromMinutes(row.Within));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Trace_HandWorkedCase_AgreesWithCompute(Row row)
    {
        var target = Target(row.Calendar, row.Metric, row.Within);
        var ticket = Case(row.Opened, row.Response, row.Resolved, row.Events);

        var trace = SlaClock.Trace(target, ticket, PauseOn, Calendar(row.Calendar), At(row.AsOf));

        trace.Result.ShouldBe(SlaClock.Compute(target, ticket, PauseOn, Calendar(row.Calendar), At(row.AsOf)));
        TimeSpan.FromTicks(trace.Segments.Sum(s => s.Counted.Ticks)).ShouldBe(trace.Result.Elapsed);
        TimeSpan.FromTicks(trace.Pauses.Sum(p => p.Counted.Ticks)).ShouldBe(trace.Result.Paused);
    }

    [Fact]
    public void Trace_BusinessPauseAcrossWeekend_ListsOpenIntervalsAndThePause()
    {
        var target = Target("berlin-office", Resolution, 960);
        var ticket = Case("2026-06-05T15:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-05T16:00:00+02:00;in_progress@2026-06-08T10:00:00+02:00");

        var trace = SlaClock.Trace(target, ticket, PauseOn, Calendar("berlin-office"), At("2026-06-08T12:00:00+02:00"));

        // Counted: Fri 15:00-16:00 and Mon 10:00-12:00 CEST; both stretches lie inside opening hours, so nothing closed is skipped.
        trace.Segments.ShouldBe(
        [
            new CountedSegment(At("2026-06-05T13:00:00Z"), At("2026-06-05T14:00:00Z"), TimeSpan.FromMinutes(60)),
            new CountedSegment(At("2026-06-08T08:00:00Z"), At("2026-06-08T10:00:00Z"), TimeSpan.FromMinutes(120)),
        ]);
        trace.Pauses.ShouldBe(
        [
            new ExcludedPause("waiting_on_customer", At("2026-06-05T14:00:00Z"), At("2026-06-08T08:00:00Z"), TimeSpan.FromMinutes(180), false),
        ]);
        trace.ClosedTimeSkipped.ShouldBe(TimeSpan.Zero);
        trace.StopEvent.ShouldBe(ClockStopEvent.None);
        trace.CutByAsOf.ShouldBeTrue();
        trace.CalendarId.ShouldBe("test-Europe/Berlin");
        trace.TimeZone.ShouldBe("Europe/Berlin");
    }

    [Fact]
    public void Trace_BusinessOverHolidays_ListsHolidaysAndClosedTime()
    {
        var target = Target("berlin-xmas", Resolution, 960);
        var ticket = Case("2026-12-23T16:00:00+01:00", null, "2026-12-29T10:00:00+01:00", "in_progress@2027-01-05T10:00:00+01:00");

        var trace = SlaClock.Trace(target, ticket, PauseOn, Calendar("berlin-xmas"), At("2026-12-28T10:00:00+01:00"));

        // Wed 16:00-17:00 and Mon 08:00-10:00 CET counted.
        trace.Segments.Select(s => s.Minutes).ShouldBe([60.0, 120.0]);
        trace.HolidaysSkipped.ShouldBe([new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25)]);

        // Wed 16:00 to Mon 10:00 is 4 days 18 hours = 6840 real minutes, of which 180 were open: 6660 closed.
        trace.ClosedTimeSkipped.ShouldBe(TimeSpan.FromMinutes(6660));

        // The resolution on the 29th and the event in January are after asOf: not known yet.
        trace.StopAfterAsOfIgnored.ShouldBeTrue();
        trace.EventsAfterAsOfIgnored.ShouldBe(1);
        trace.CountedUntil.ShouldBe(At("2026-12-28T10:00:00+01:00"));
    }

    [Fact]
    public void Trace_ResponseStoppedByResolution_NamesTheResolution()
    {
        var target = Target("", Response, 15);
        var ticket = Case("2026-06-01T09:00:00+02:00", null, "2026-06-01T09:40:00+02:00", "");

        var trace = SlaClock.Trace(target, ticket, PauseOn, null, At("2026-06-01T12:00:00+02:00"));

        trace.StopEvent.ShouldBe(ClockStopEvent.Resolution);
        trace.CutByAsOf.ShouldBeFalse();
        trace.Segments.ShouldBe([new CountedSegment(At("2026-06-01T07:00:00Z"), At("2026-06-01T07:40:00Z"), TimeSpan.FromMinutes(40))]);
    }

    [Fact]
    public void InstantWhenElapsed_SeventyFivePercentAhead_PredictsOnBusinessHours()
    {
        // 75% of 16 h = 720. 180 counted by Mon 12:00 (see the pause-across-weekend row); 540 left =
        // Mon 12-17 (300) + Tue 08-12 (240) → Tue 12:00 CEST.
        var ticket = Case("2026-06-05T15:00:00+02:00", null, null,
            "waiting_on_customer@2026-06-05T16:00:00+02:00;in_progress@2026-06-08T10:00:00+02:00");

        var at = SlaClock.InstantWhenElapsed(Target("berlin-office", Resolution, 960), ticket, PauseOn, Calendar("berlin-office"),
            At("2026-06-08T12:00:00+02:00"), TimeSpan.FromMinutes(720));

        at.ShouldBe(At("2026-06-09T10:00:00Z"));
    }

    [Fact]
    public void InstantWhenElapsed_CrossedBeforePause_ReturnsPastInstant()
    {
        // 75% of 30 = 22.5 minutes after 09:00, before the pause at 10:00.
        var ticket = Case("2026-06-01T09:00:00+02:00", null, null, "waiting_on_customer@2026-06-01T10:00:00+02:00");

        var at = SlaClock.InstantWhenElapsed(Target("", Resolution, 30), ticket, PauseOn, null,
            At("2026-06-01T11:30:00+02:00"), TimeSpan.FromMinutes(22.5));

        at.ShouldBe(At("2026-06-01T07:22:30Z"));
    }

    [Fact]
    public void InstantWhenElapsed_NotReachedAndPausedAtAsOf_IsUnknown()
    {
        var ticket = Case("2026-06-01T09:00:00+02:00", null, null, "waiting_on_customer@2026-06-01T10:00:00+02:00");

        var at = SlaClock.InstantWhenElapsed(Target("berlin-office", Resolution, 960), ticket, PauseOn, Calendar("berlin-office"),
            At("2026-06-01T11:30:00+02:00"), TimeSpan.FromMinutes(720));

        at.ShouldBeNull();
    }

    [Fact]
    public void Compute_BusinessTargetWithoutCalendar_Throws()
    {
        var ticket = Case("2026-06-01T09:00:00+02:00", null, null, "");

        Should.Throw<ArgumentException>(() => SlaClock.Compute(Target("berlin-office", Resolution, 60), ticket, PauseOn, null, At("2026-06-01T10:00:00Z")))
            .Message.ShouldContain("no calendar");
    }

    [Fact]
    public void Compute_SecondsPresent_ReportsFractionalMinutes()
    {
        // 09:00:00 to 09:10:30 = 10.5 minutes, kept exact.
        var ticket = Case("2026-06-01T09:00:00+02:00", null, "2026-06-01T09:10:30+02:00", "");

        var result = SlaClock.Compute(Target("", Resolution, 15), ticket, PauseOn, null, At("2026-06-01T12:00:00+02:00"));

        result.ElapsedMinutes.ShouldBe(10.5);
        result.PercentUsed.ShouldBe(70.0);
    }
}
