using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// `"window": "calendarWeek"`: each week, Monday 00:00 to the next Monday 00:00 in the term's zone, judged and credited on
/// its own, reported in the month of its Sunday; the month's credit is the sum of its weeks' credits, each a share of the
/// month's fee, bounded by `creditCap`. The term: 99.9% per week, below 99.9% → 5%, below 99% → 10%, creditCap 25%, on a
/// fee of EUR 1,000. Business hours (calendar `desk`): Monday to Friday 09:00-17:00 UTC, 5 × 8 h = 2,400 minutes a week.
/// </summary>
public class WeeklyWindowTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly ReportingMonth December = new(2026, 12);
    private static readonly SourceLocation WindowAt = At with { Line = 13, Column = 15 };
    private static readonly SourceLocation CapAt = At with { Line = 20, Column = 5 };

    private static AvailabilityTerm Weekly(decimal? cap = 25m, bool business = true, string? zone = null) =>
        new(
            ["email"], 99.9m, "calendarWeek", [],
            [new CreditTier(99.9m, 5m, At with { Line = 17 }), new CreditTier(99m, 10m, At with { Line = 18 })],
            cap, 1000m, "EUR", CapAt, "acme-gold")
        {
            WindowLocation = WindowAt,
            BusinessHoursOnly = business,
            HoursLocation = business ? At with { Line = 14 } : default,
            WeekZone = zone,
        };

    private static readonly CalendarDefinition Desk = new(
        "desk",
        "UTC",
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new BusinessHoursRange(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
        [],
        At);

    /// <summary>The outages of samples/vandelay (docs/AVAILABILITY.md "Weekly windows").</summary>
    private static readonly OutageRecord[] Outages =
    [
        Outage("2026-10-28T10:00:00Z", "2026-10-28T10:30:00Z"), // Wed: 30 in hours, week of 26 October
        Outage("2026-11-03T12:00:00Z", "2026-11-03T12:02:00Z"), // Tue: 2, week of 2 November
        Outage("2026-11-07T10:00:00Z", "2026-11-07T14:00:00Z"), // Sat: closed, 0
        Outage("2026-11-12T16:00:00Z", "2026-11-12T18:00:00Z"), // Thu: 16:00-17:00 in hours, 60, week of 9 November
        Outage("2026-11-16T09:00:00Z", "2026-11-16T09:12:00Z"), // Mon: 12, week of 16 November
        Outage("2026-11-30T10:00:00Z", "2026-11-30T10:45:00Z"), // Mon: 45, week of 30 November, which ends in December
    ];

    private static AvailabilityResult Compute(AvailabilityTerm term, ReportingMonth month, string asOf, OutageRecord[]? outages = null)
    {
        var policy = Policy(term) with { Calendar = "desk" };
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, [Subscription(fee: 1000m)], outages ?? Outages, [], [], [])
        {
            Calendars = new Dictionary<string, CalendarDefinition> { ["desk"] = Desk },
        };
        return ServiceLevelCalculator.Compute(inputs, month, T(asOf)).Availability.Single();
    }

    [Fact]
    public void BusinessWeeks_EachJudgedOnItsOwn_TheMonthsCreditIsTheirSum()
    {
        // The weeks ending in November 2026 (1 November is a Sunday): 26 Oct-1 Nov, 2-8, 9-15, 16-22 and 23-29 November.
        // 26 Oct: (2400 − 30) / 2400 = 98.75% < 99% → 10% of EUR 1,000 = EUR 100.00;
        // 2 Nov:  (2400 − 2) / 2400 = 99.916666…% ≥ 99.9%: met (the Saturday outage is outside business hours);
        // 9 Nov:  (2400 − 60) / 2400 = 97.5% < 99% → 10% = EUR 100.00;
        // 16 Nov: (2400 − 12) / 2400 = 99.5% < 99.9% → 5% = EUR 50.00;
        // 23 Nov: no downtime, 100%.
        // 100 + 100 + 50 = EUR 250.00 = 25% of EUR 1,000, at the creditCap of 25% and not over it. The figure is the worst
        // week's, 97.5%; 3 of 5 weeks missed. The 30 November outage belongs to the week ending on 6 December.
        var result = Compute(Weekly(), November, "2026-12-01T00:00:00Z");

        result.Weeks.Select(w => w.FirstDay).ShouldBe([new(2026, 10, 26), new(2026, 11, 2), new(2026, 11, 9), new(2026, 11, 16), new(2026, 11, 23)]);
        result.Weeks.Select(w => Math.Round(w.AvailabilityPercent, 6)).ShouldBe([98.75m, 99.916667m, 97.5m, 99.5m, 100m]);
        result.Weeks.Select(w => w.Downtime.TotalMinutes).ShouldBe([30d, 2d, 60d, 12d, 0d]);
        result.Weeks.ShouldAllBe(w => w.Measured == TimeSpan.FromMinutes(2400));
        result.Weeks.Select(w => w.CreditAmount).ShouldBe([100.00m, 0m, 100.00m, 50.00m, 0m]);
        (result.AvailabilityPercent, result.Met, result.CreditPercent, result.CreditAmount, result.Credit.CapApplied).ShouldBe((97.5m, false, 25m, 250.00m, false));
        (result.WindowStart, result.WindowEnd).ShouldBe((T("2026-10-26T00:00:00Z"), T("2026-11-30T00:00:00Z")));
        (result.Downtime, result.MeasuredWindow).ShouldBe((TimeSpan.FromMinutes(104), TimeSpan.FromMinutes(12000)));
        result.WeeksNote.ShouldBe("worst of 5 weeks, 3 missed");

        var steps = result.Credit.Explanation;
        steps.Select(s => s.Kind).ShouldBe(["objective", "window", "hours", "week", "week", "week", "week", "week", "fee"]);
        steps[0].Text.ShouldBe("availability at least 99.9% in every calendar week; measured 5 week(s), 3 below the objective, the worst 97.5% (2026-11-09 to 2026-11-15)");
        steps[1].Text.ShouldBe("judged week by week, Monday to Sunday in UTC: the 5 week(s) ending in 2026-11 (2026-10-26 to 2026-11-29); each week's credit is a share of the month's fee");
        steps[3].Text.ShouldBe("week 2026-10-26 to 2026-11-01: 98.75% over 2400 minutes with 30 minutes down, below 99: 10% → EUR 100.00");
        steps[4].Text.ShouldBe("week 2026-11-02 to 2026-11-08: 99.917% over 2400 minutes with 2 minutes down, met");
        steps[6].Text.ShouldBe("week 2026-11-16 to 2026-11-22: 99.5% over 2400 minutes with 12 minutes down, below 99.9: 5% → EUR 50.00");
        steps.Where(s => s.Kind is "week" or "window").ShouldAllBe(s => s.Location == WindowAt);
        steps[^1].Text.ShouldBe("EUR 100.00 + EUR 100.00 + EUR 50.00 = EUR 250.00 of EUR 1000.00 (the month's fee)");
    }

    [Fact]
    public void WeekEndingInTheNextMonth_IsReportedThere()
    {
        // December 2026's weeks end on 6, 13, 20 and 27 December: 30 Nov-6 Dec holds the 45 minutes of Monday 30 November,
        // (2400 − 45) / 2400 = 98.125% < 99% → 10% = EUR 100.00; the others have no downtime. 28 Dec-3 Jan is January's.
        var result = Compute(Weekly(), December, "2027-01-01T00:00:00Z");

        result.Weeks.Length.ShouldBe(4);
        (result.WindowStart, result.WindowEnd).ShouldBe((T("2026-11-30T00:00:00Z"), T("2026-12-28T00:00:00Z")));
        (Math.Round(result.AvailabilityPercent, 6), result.CreditAmount).ShouldBe((98.125m, 100.00m));
    }

    [Fact]
    public void CreditCap_BoundsTheSumOfTheWeeks()
    {
        // The same weeks under a creditCap of 20%: EUR 250.00 of weekly credits (25%) is capped at 20% of EUR 1,000 = EUR 200.00.
        var result = Compute(Weekly(cap: 20m), November, "2026-12-01T00:00:00Z");

        (result.CreditPercent, result.CreditAmount, result.Credit.CapApplied, result.Credit.UncappedPercent).ShouldBe((20m, 200.00m, true, 25m));
        var cap = result.Credit.Explanation.Single(s => s.Kind == "cap");
        cap.Text.ShouldBe("the weeks' credits capped at 20% of the month's fee by creditCap");
        cap.Location.ShouldBe(CapAt);
        result.Credit.Explanation[^1].Text.ShouldBe("EUR 100.00 + EUR 100.00 + EUR 50.00 = EUR 250.00 of EUR 1000.00 (the month's fee), capped to EUR 200.00");
    }

    [Fact]
    public void WeekInProgress_MeasuredToAsOf()
    {
        // As of Wednesday 18 November 00:00: the weeks of 26 Oct, 2, 9 and 16 November have begun. The week of 16 November
        // has had Monday and Tuesday open, 2 × 480 = 960 minutes, 12 down: (960 − 12) / 960 = 98.75% < 99% → 10% =
        // EUR 100.00. 100 + 0 + 100 + 100 = EUR 300.00 → capped at 25% = EUR 250.00.
        var result = Compute(Weekly(), November, "2026-11-18T00:00:00Z");

        result.Weeks.Length.ShouldBe(4);
        var last = result.Weeks[^1];
        (last.End, last.Measured, last.AvailabilityPercent, last.CreditAmount).ShouldBe((T("2026-11-18T00:00:00Z"), TimeSpan.FromMinutes(960), 98.75m, 100.00m));
        (result.CreditAmount, result.Credit.CapApplied).ShouldBe((250.00m, true));
        result.Credit.Explanation.Count(s => s.Kind == "week" && s.Text.Contains("(to 2026-11-18 00:00Z)", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public void Zone_WeeksStartOnItsMondays()
    {
        // Around the clock (no business hours), weeks of 7 × 1440 = 10,080 minutes. An outage from Sunday 1 November 23:30
        // to Monday 2 November 00:30 UTC: in UTC 30 minutes fall in each of the weeks of 26 October and 2 November,
        // (10080 − 30) / 10080 = 99.702380…% each, both below 99.9% → 5% + 5% = EUR 100.00. In Europe/Berlin (UTC+1 after
        // 25 October) it is Monday 00:30-01:30, wholly in the week of 2 November, which starts at 1 November 23:00 UTC:
        // 26 October 100%; 2 November (10080 − 60) / 10080 = 99.404761…% → 5% = EUR 50.00.
        OutageRecord[] outage = [Outage("2026-11-01T23:30:00Z", "2026-11-02T00:30:00Z")];

        var utc = Compute(Weekly(business: false), November, "2026-12-01T00:00:00Z", outage);
        var berlin = Compute(Weekly(business: false, zone: "Europe/Berlin"), November, "2026-12-01T00:00:00Z", outage);

        utc.Weeks.Take(2).Select(w => Math.Round(w.AvailabilityPercent, 6)).ShouldBe([99.702381m, 99.702381m]);
        utc.CreditAmount.ShouldBe(100.00m);
        berlin.Weeks[0].Start.ShouldBe(T("2026-10-25T23:00:00Z"));
        berlin.Weeks[1].Start.ShouldBe(T("2026-11-01T23:00:00Z"));
        berlin.Weeks.Take(2).Select(w => Math.Round(w.AvailabilityPercent, 6)).ShouldBe([100m, 99.404762m]);
        berlin.Weeks.ShouldAllBe(w => w.Measured == TimeSpan.FromMinutes(10080));
        berlin.CreditAmount.ShouldBe(50.00m);
        berlin.Credit.Explanation.Single(s => s.Kind == "window").Text.ShouldContain("Monday to Sunday in Europe/Berlin");
    }

    [Fact]
    public void MonthlyTerm_HasNoWeeks()
    {
        // The same outages under a monthly term over November's business hours (21 weekdays, 10,080 minutes): 2 + 60 + 12 +
        // 45 = 119 down, 98.819444…% < 99% → 10% = EUR 100.00; no weekly figures.
        var result = Compute(Weekly() with { Window = "calendarMonth", WindowLocation = default }, November, "2026-12-01T00:00:00Z");

        result.Weeks.IsDefault.ShouldBeTrue();
        result.WeeksNote.ShouldBeNull();
        (result.Downtime, Math.Round(result.AvailabilityPercent, 6), result.CreditAmount).ShouldBe((TimeSpan.FromMinutes(119), 98.819444m, 100.00m));
    }
}
