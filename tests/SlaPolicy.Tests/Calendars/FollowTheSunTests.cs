using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static SlaPolicy.Tests.Calendars.CalendarSpec;

namespace SlaPolicy.Tests.Calendars;

/// <summary>
/// Follow-the-sun calendars (<see cref="BusinessCalendar.FollowTheSun"/>): at each instant the calendar of the team
/// holding the case. London and New York both open Mon-Fri 09:00-17:00 local; New York closed on Thanksgiving,
/// Thursday 26 November 2026. Worked by hand.
/// </summary>
public class FollowTheSunTests
{
    private static readonly BusinessCalendar London = Create("Europe/London", "mon-fri=09:00-17:00");
    private static readonly BusinessCalendar NewYork = Create("America/New_York", "mon-fri=09:00-17:00", "2026-11-26");
    private static readonly BusinessCalendar Kolkata = Create("Asia/Kolkata", "mon-sat=09:00-18:00");

    private static BusinessCalendar Team(string name) => name switch
    {
        "emea" => London,
        "amer" => NewYork,
        _ => Kolkata,
    };

    /// <summary>"emea" holds the case first; then each "team@instant" in order.</summary>
    private static BusinessCalendar Sun(string first, string handovers) => BusinessCalendar.FollowTheSun(
        new CalendarHolder(DateTimeOffset.MinValue, first, Team(first)),
        handovers.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => new CalendarHolder(At(h.Split('@')[1]), h.Split('@')[0], Team(h.Split('@')[0]))));

    /// <summary>One hand-worked span: holders, from, to, business minutes between, amount added and where it ends.</summary>
    public sealed record Row(string Name, string First, string Handovers, string From, string To, double Minutes, double Add, string EndsAt)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Row> Rows => new()
    {
        // Handover London 17:00 (GMT = UTC in November) to New York (EST, UTC-5), which is then 12:00. Mon 16 Nov 2026
        // 15:00Z: London 15:00-17:00 (2 h); New York 12:00-17:00 EST = 17:00Z-22:00Z (5 h); to Tue 15:00Z: New York
        // Tue 09:00-10:00 EST = 14:00Z-15:00Z (1 h): 8 h. New York's 09:00-12:00 before the handover is not counted:
        // London held the case then. 4 h from Mon 15:00Z: London 2 h, New York 2 h, so 14:00 EST = 19:00Z.
        new("handover-london-17-to-new-york", "emea", "amer@2026-11-16T17:00:00Z",
            "2026-11-16T15:00:00Z", "2026-11-17T15:00:00Z", 480, 240, "2026-11-16T19:00:00Z"),

        // The same week on London alone would be Mon 15:00-17:00 (2 h) + Tue 09:00-15:00 (6 h) = 8 h, and 4 h lands
        // Tue 11:00Z: the handover moves the due time from Tuesday morning to Monday afternoon.
        new("london-alone", "emea", "",
            "2026-11-16T15:00:00Z", "2026-11-17T15:00:00Z", 480, 240, "2026-11-17T11:00:00Z"),

        // DST week where the offset differs: Mon 26 Oct 2026, London is on GMT again (since 25 Oct) but New York still on
        // EDT (UTC-4, until 1 Nov), 4 h apart. Handover 17:00Z = 13:00 EDT. To 23:00Z: London 15:00-17:00 (2 h) + New York
        // 13:00-17:00 EDT = 17:00Z-21:00Z (4 h) = 6 h. 8 h from 15:00Z: 6 h by Monday's close, then Tue 09:00-11:00 EDT
        // = 13:00Z-15:00Z.
        new("dst-week-four-hours-apart", "emea", "amer@2026-10-26T17:00:00Z",
            "2026-10-26T15:00:00Z", "2026-10-26T23:00:00Z", 360, 480, "2026-10-27T15:00:00Z"),

        // The week after (Mon 2 Nov, New York on EST, 5 h apart): handover 17:00Z = 12:00 EST. To 23:00Z: London 2 h +
        // New York 12:00-17:00 EST = 17:00Z-22:00Z (5 h) = 7 h. 8 h: 7 h Monday, then Tue 09:00-10:00 EST = 14:00Z-15:00Z.
        new("week-after-five-hours-apart", "emea", "amer@2026-11-02T17:00:00Z",
            "2026-11-02T15:00:00Z", "2026-11-02T23:00:00Z", 420, 480, "2026-11-03T15:00:00Z"),

        // Spring: New York moved to EDT on 8 Mar 2026, London stays on GMT until 29 Mar. Mon 16 Mar: handover 17:00Z =
        // 13:00 EDT; to Tue 00:00Z: London 2 h + New York 13:00-17:00 EDT (4 h) = 6 h; 6 h from 15:00Z ends at the close,
        // 17:00 EDT = 21:00Z (a due time is never pushed to the next opening).
        new("spring-dst-week", "emea", "amer@2026-03-16T17:00:00Z",
            "2026-03-16T15:00:00Z", "2026-03-17T00:00:00Z", 360, 360, "2026-03-16T21:00:00Z"),

        // A holiday in one team's calendar only: New York holds the case from Wed 25 Nov 2026 15:00 EST (20:00Z).
        // Wed 15:00-17:00 EST (2 h); Thu 26 is Thanksgiving in New York; Fri 09:00-17:00 EST = 14:00Z-22:00Z. To Fri
        // 16:00Z: 2 h + 2 h = 4 h, and 4 h lands Fri 11:00 EST = 16:00Z.
        new("holiday-of-new-york-only", "amer", "",
            "2026-11-25T20:00:00Z", "2026-11-27T16:00:00Z", 240, 240, "2026-11-27T16:00:00Z"),

        // Handed to London at Thu 26 Nov 00:00Z: London is open on Thanksgiving. Wed 2 h in New York, then London Thu
        // 09:00-11:00 (2 h): 4 h lands Thu 11:00Z. To Fri 16:00Z: 2 + London Thu 8 h + Fri 09:00-16:00 7 h = 17 h.
        new("handed-to-london-on-thanksgiving", "amer", "emea@2026-11-26T00:00:00Z",
            "2026-11-25T20:00:00Z", "2026-11-27T16:00:00Z", 1020, 240, "2026-11-26T11:00:00Z"),

        // Round the world: London until Mon 16 Nov 17:00Z, New York until Tue 03:30Z (Mon 22:30 EST), then Kolkata (IST,
        // UTC+5:30: Tue 09:00 IST = 03:30Z). From Mon 15:00Z to Tue 15:00Z: London 2 h + New York 5 h + Kolkata 09:00-18:00
        // IST = 03:30Z-12:30Z (9 h) = 16 h. 10 h: 7 h by New York's close, then 3 h of Kolkata: 12:00 IST = 06:30Z.
        new("round-the-world", "emea", "amer@2026-11-16T17:00:00Z;apac@2026-11-17T03:30:00Z",
            "2026-11-16T15:00:00Z", "2026-11-17T15:00:00Z", 960, 600, "2026-11-17T06:30:00Z"),

        // The amount fills New York's part exactly: 7 h from Mon 15:00Z end at New York's close, 22:00Z, not at the
        // next holder's opening.
        new("ends-at-the-holders-close", "emea", "amer@2026-11-16T17:00:00Z;apac@2026-11-17T03:30:00Z",
            "2026-11-16T15:00:00Z", "2026-11-16T22:00:00Z", 420, 420, "2026-11-16T22:00:00Z"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void FollowTheSun_CountsEachHoldersHours(Row row)
    {
        var calendar = Sun(row.First, row.Handovers);

        calendar.BusinessTimeBetween(At(row.From), At(row.To)).TotalMinutes.ShouldBe(row.Minutes);
        calendar.AddBusinessTime(At(row.From), TimeSpan.FromMinutes(row.Add)).ShouldBe(At(row.EndsAt));

        // The open intervals tile the same business time.
        calendar.OpenIntervals(At(row.From), At(row.To)).Sum(i => (i.End - i.Start).TotalMinutes).ShouldBe(row.Minutes);
    }

    [Fact]
    public void FollowTheSun_HolidaysAreThoseOfTheHolder()
    {
        // New York's Thanksgiving is met while New York holds the case, not once London holds it.
        Sun("amer", "").HolidaysBetween(At("2026-11-25T20:00:00Z"), At("2026-11-27T16:00:00Z"))
            .ShouldBe([new DateOnly(2026, 11, 26)]);
        Sun("amer", "emea@2026-11-26T00:00:00Z").HolidaysBetween(At("2026-11-25T20:00:00Z"), At("2026-11-27T16:00:00Z"))
            .ShouldBeEmpty();
    }

    [Fact]
    public void FollowTheSun_NamesItsHolders()
    {
        var calendar = Sun("emea", "amer@2026-11-16T17:00:00Z;apac@2026-11-17T03:30:00Z");

        calendar.Id.ShouldBe("follow-the-sun");
        calendar.IsFollowTheSun.ShouldBeTrue();
        calendar.TimeZone.ShouldBe("Europe/London"); // the first holder's zone
        calendar.Holders.Select(h => (h.Team, h.Calendar)).ShouldBe([("emea", London), ("amer", NewYork), ("apac", Kolkata)]);

        // Only the holders that meet a span are returned, each with its part of it.
        calendar.HoldersBetween(At("2026-11-16T18:00:00Z"), At("2026-11-17T04:00:00Z"))
            .Select(h => (h.Holder.Team, h.From, h.To))
            .ShouldBe([("amer", At("2026-11-16T18:00:00Z"), At("2026-11-17T03:30:00Z")), ("apac", At("2026-11-17T03:30:00Z"), At("2026-11-17T04:00:00Z"))]);
    }

    [Fact]
    public void FollowTheSun_WithoutAChange_IsTheCalendarItself()
    {
        // A handover to the same team is no handover; the calendar is London's own, with its year tables.
        Sun("emea", "emea@2026-11-16T17:00:00Z").ShouldBeSameAs(London);
        Sun("emea", "").ShouldBeSameAs(London);
    }

    [Fact]
    public void FollowTheSun_AtOneInstant_TheLastHandoverWins()
    {
        // Handed to New York and, at the same instant, to Kolkata: Kolkata holds it.
        var calendar = Sun("emea", "amer@2026-11-16T17:00:00Z;apac@2026-11-16T17:00:00Z");
        calendar.Holders.Select(h => h.Team).ShouldBe(["emea", "apac"]);
    }

    [Fact]
    public void FollowTheSun_ThroughTheClock_CountsPausesOnTheHolder()
    {
        // Target 8 h, opened Mon 16 Nov 15:00Z with London, New York from 17:00Z, paused 19:00Z-20:00Z (14:00-15:00 EST).
        // Counted: London 2 h + New York 12:00-14:00 and 15:00-17:00 EST (4 h) = 6 h by Monday's close; paused 1 h of New
        // York's hours. Due: 2 h more from Tue 09:00 EST (14:00Z): 16:00Z. asOf Tue 12:00Z: 6 h counted, running.
        var calendar = Sun("emea", "amer@2026-11-16T17:00:00Z");
        var target = new TargetTerm("t", TargetMetric.Resolution, [], TimeSpan.FromHours(8), ClockKind.Business, SourceLocation.None, "p");
        var ticket = new CaseRecord(
            "C-1", "acme", "gold", "eu-west", "email", 1, At("2026-11-16T15:00:00Z"), null, null, [],
            [new StatusEvent(At("2026-11-16T19:00:00Z"), "waiting_on_customer"), new StatusEvent(At("2026-11-16T20:00:00Z"), "in_progress")]);

        var clock = SlaClock.Compute(target, ticket, ["waiting_on_customer"], calendar, At("2026-11-17T12:00:00Z"));

        clock.ElapsedMinutes.ShouldBe(360);
        clock.PausedMinutes.ShouldBe(60);
        clock.Status.ShouldBe(ClockStatus.Running);
        clock.DueAt.ShouldBe(At("2026-11-17T16:00:00Z"));

        // 75% of 8 h = 6 h: reached at New York's close on Monday, 22:00Z.
        SlaClock.InstantWhenElapsed(target, ticket, ["waiting_on_customer"], calendar, At("2026-11-17T12:00:00Z"), TimeSpan.FromHours(6))
            .ShouldBe(At("2026-11-16T22:00:00Z"));
    }

    private static Gen<(int[] Times, int[] Teams, int Split, int From, int Length, int Amount)> HandoverGen =>
        from count in Gen.Choose(0, 6)
        from times in Gen.ArrayOf(Gen.Choose(0, 30 * 24 * 60), count)
        from teams in Gen.ArrayOf(Gen.Choose(0, 2), count + 1)
        from split in Gen.Choose(0, 1_000_000)
        from start in Gen.Choose(0, 30 * 24 * 60)
        from length in Gen.Choose(0, 20 * 24 * 60)
        from amount in Gen.Choose(0, 6000)
        select (times.Order().ToArray(), teams, split, start, length, amount);

    private static readonly string[] TeamNames = ["emea", "amer", "apac"];

    /// <summary>
    /// Splitting an assignment in two consecutive assignments of the same team (the team assigned again later, while it
    /// still holds the case) changes nothing: business time, where an amount ends, and the open intervals listed.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property SplittingAnAssignment_ChangesNothing() => Prop.ForAll(HandoverGen.ToArbitrary(), g =>
    {
        var origin = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new CalendarHolder(DateTimeOffset.MinValue, TeamNames[g.Teams[0]], Team(TeamNames[g.Teams[0]]));
        var handovers = g.Times.Select((t, i) => new CalendarHolder(origin.AddMinutes(t), TeamNames[g.Teams[i + 1]], Team(TeamNames[g.Teams[i + 1]]))).ToList();

        // The holder interval to split: [start, end) of holder k, the last one open-ended (30 days on).
        var k = g.Split % (handovers.Count + 1);
        var start = k == 0 ? origin : handovers[k - 1].From;
        var end = k < handovers.Count ? handovers[k].From : origin.AddDays(60);
        var again = start.AddMinutes((g.Split / 7) % Math.Max(1, (long)(end - start).TotalMinutes));
        var holder = k == 0 ? first : handovers[k - 1];
        var split = handovers.ToList();
        if (again > start && again < end)
        {
            split.Insert(k, holder with { From = again });
        }

        var whole = BusinessCalendar.FollowTheSun(first, handovers);
        var twice = BusinessCalendar.FollowTheSun(first, split);
        var from = origin.AddMinutes(g.From);
        var to = from.AddMinutes(g.Length);
        return whole.BusinessTimeBetween(from, to) == twice.BusinessTimeBetween(from, to)
            && whole.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount)) == twice.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount))
            && whole.OpenIntervals(from, to).SequenceEqual(twice.OpenIntervals(from, to))
            && whole.Holders.SequenceEqual(twice.Holders);
    });

    /// <summary>Business time is additive over a follow-the-sun calendar: [a, b) + [b, c) = [a, c), and adding it back lands no later than c.</summary>
    [Property(MaxTest = 300)]
    public Property BusinessTime_IsAdditive() => Prop.ForAll(HandoverGen.ToArbitrary(), g =>
    {
        var origin = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var calendar = BusinessCalendar.FollowTheSun(
            new CalendarHolder(DateTimeOffset.MinValue, TeamNames[g.Teams[0]], Team(TeamNames[g.Teams[0]])),
            g.Times.Select((t, i) => new CalendarHolder(origin.AddMinutes(t), TeamNames[g.Teams[i + 1]], Team(TeamNames[g.Teams[i + 1]]))));
        var a = origin.AddMinutes(g.From);
        var b = a.AddMinutes(g.Length);
        var c = b.AddMinutes(g.Amount);
        var whole = calendar.BusinessTimeBetween(a, c);
        var landed = calendar.AddBusinessTime(a, whole);
        return whole == calendar.BusinessTimeBetween(a, b) + calendar.BusinessTimeBetween(b, c)
            && landed <= c
            && calendar.BusinessTimeBetween(a, landed) == whole;
    });
}
