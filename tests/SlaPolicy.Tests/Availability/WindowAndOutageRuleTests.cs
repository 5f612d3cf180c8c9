using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// Windows and denominators (`"window": "calendarQuarter"`, `excludeFromWindow`, `"hours": "business"`) and single-outage
/// rules (`maxOutage`), each figure worked out by hand in its comment. The term is acme-gold's: 99.9%, tiers below 99.9%
/// 10%, below 99% 25%, below 95% 100%, EUR 1200.
/// </summary>
public class WindowAndOutageRuleTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly ReportingMonth December = new(2026, 12);
    private static readonly SourceLocation RuleAt = At with { Line = 80, Column = 7 };

    private static AvailabilityResult? Compute(AvailabilityTerm term, ReportingMonth month, string asOf, params OutageRecord[] outages)
        => ServiceLevelCalculator.Availability(Subscription(), Policy(term), term, outages, [], month, T(asOf));

    private static readonly OutageRecord[] Quarter =
    [
        Outage("2026-10-05T01:00:00Z", "2026-10-05T03:00:00Z"), // 120 minutes
        Outage("2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z"), // 60
        Outage("2026-12-20T10:00:00Z", "2026-12-20T11:40:00Z"), // 100
    ];

    [Fact]
    public void CalendarQuarter_JudgedInTheQuartersLastMonth()
    {
        // October to December 2026: 31 + 30 + 31 = 92 days = 132,480 minutes; down 120 + 60 + 100 = 280:
        // (132480 − 280) / 132480 × 100 = 99.788647…% < 99.9% → 10% of the month's EUR 1200 = EUR 120.00.
        var term = AvailabilityTerm() with { Window = "calendarQuarter", WindowLocation = RuleAt };

        var result = Compute(term, December, "2027-01-01T00:00:00Z", Quarter)!;

        (result.WindowStart, result.WindowEnd).ShouldBe((T("2026-10-01T00:00:00Z"), T("2027-01-01T00:00:00Z")));
        result.Downtime.ShouldBe(TimeSpan.FromMinutes(280));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.788647m);
        result.CreditAmount.ShouldBe(120.00m);
        var step = result.Credit.Explanation.Single(s => s.Kind == "window");
        step.Text.ShouldBe("measured over the calendar quarter, 2026-10-01 to 2026-12-31; credited on the month's fee");
        step.Location.ShouldBe(RuleAt);

        // November is not a quarter's last month: no figure of its own.
        Compute(term, November, "2027-01-01T00:00:00Z", Quarter).ShouldBeNull();
    }

    [Fact]
    public void CalendarQuarter_InProgress_MeasuredToAsOf()
    {
        // As of 16 December: 31 + 30 + 15 = 76 days = 109,440 minutes; the 20 December outage lies after asOf: 180 down.
        // (109440 − 180) / 109440 × 100 = 99.835526…%.
        var result = Compute(AvailabilityTerm() with { Window = "calendarQuarter" }, December, "2026-12-16T00:00:00Z", Quarter)!;

        result.Downtime.ShouldBe(TimeSpan.FromMinutes(180));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.835526m);
    }

    [Fact]
    public void ExcludeFromWindow_ShrinksTheDenominator()
    {
        // Maintenance 10 Nov 00:00-04:00 (240 minutes) is taken out of the window: 43200 − 240 = 42,960 minutes measured.
        // The unplanned 03:00-05:00 counts only 04:00-05:00 (60) outside it; 12 Nov 08:00-09:00 counts 60. 120 down:
        // (42960 − 120) / 42960 × 100 = 99.720670…% → 10% = EUR 120.00. (Without it: 180 down of 43200, 99.583333%.)
        var term = AvailabilityTerm() with { ExcludeFromWindow = ["maintenance"], ExcludeFromWindowLocation = RuleAt };
        OutageRecord[] outages =
        [
            Outage("2026-11-10T00:00:00Z", "2026-11-10T04:00:00Z", kind: "maintenance"),
            Outage("2026-11-10T03:00:00Z", "2026-11-10T05:00:00Z"),
            Outage("2026-11-12T08:00:00Z", "2026-11-12T09:00:00Z"),
        ];

        var result = Compute(term, November, "2026-12-01T00:00:00Z", outages)!;
        var before = Compute(AvailabilityTerm(), November, "2026-12-01T00:00:00Z", outages)!;

        (result.MeasuredWindow, result.Downtime).ShouldBe((TimeSpan.FromMinutes(42960), TimeSpan.FromMinutes(120)));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.720670m);
        result.Credit.Explanation.Single(s => s.Kind == "window").Text.ShouldBe("maintenance taken out of the window: 240 minutes, leaving 42960");
        (before.MeasuredWindow, before.Downtime).ShouldBe((TimeSpan.FromMinutes(43200), TimeSpan.FromMinutes(180)));
        Math.Round(before.AvailabilityPercent, 6).ShouldBe(99.583333m);
    }

    [Fact]
    public void BusinessHours_OnlyTheCalendarsOpenHoursCount()
    {
        // Calendar `ops`: Monday to Friday 09:00-17:00 UTC. November 2026 has 21 weekdays (1 November is a Sunday):
        // 21 × 8 h = 10,080 minutes. Outages: Mon 2 Nov 16:00-18:00 (60 in hours), Tue 3 Nov 08:00-10:00 (60 in hours),
        // Sat 7 Nov 10:00-12:00 (closed: 0). (10080 − 120) / 10080 × 100 = 98.809523…% < 99% → 25% of EUR 1200 = EUR 300.00.
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var ops = new CalendarDefinition("ops", "UTC", [.. weekdays.Select(d => new BusinessHoursRange(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))], [], At);
        var term = AvailabilityTerm() with { BusinessHoursOnly = true, HoursLocation = RuleAt };
        var policy = Policy(term) with { Calendar = "ops" };
        OutageRecord[] outages =
        [
            Outage("2026-11-02T16:00:00Z", "2026-11-02T18:00:00Z"),
            Outage("2026-11-03T08:00:00Z", "2026-11-03T10:00:00Z"),
            Outage("2026-11-07T10:00:00Z", "2026-11-07T12:00:00Z"),
        ];
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, [Subscription()], outages, [], [], [])
        {
            Calendars = new Dictionary<string, CalendarDefinition> { ["ops"] = ops },
        };

        var result = ServiceLevelCalculator.Compute(inputs, November, T("2026-12-01T00:00:00Z")).Availability.Single();

        (result.MeasuredWindow, result.Downtime).ShouldBe((TimeSpan.FromMinutes(10080), TimeSpan.FromMinutes(120)));
        Math.Round(result.AvailabilityPercent, 6).ShouldBe(98.809524m);
        result.CreditAmount.ShouldBe(300.00m);
        var step = result.Credit.Explanation.Single(s => s.Kind == "hours");
        step.Text.ShouldBe("measured over the business hours of ops only: 10080 minutes of the window");
        step.Location.ShouldBe(RuleAt);
    }

    [Fact]
    public void MaxOutage_LongOutageIsAViolationOfItsOwn()
    {
        // Objective 99%, tier below 99% → 25%; maxOutage longer than 4 hours → 10% of the fee per outage.
        // One outage of 4 h 30 min = 270 minutes: (43200 − 270) / 43200 × 100 = 99.375% ≥ 99%, but longer than 4 hours:
        // not met; no tier applies, the outage adds 10% of EUR 1200 = EUR 120.00.
        var term = AvailabilityTerm() with
        {
            ObjectivePercent = 99m,
            Credits = [new CreditTier(99m, 25m, At)],
            MaxOutage = new MaxOutageRule(TimeSpan.FromHours(4), 10m, null, RuleAt),
        };

        var result = Compute(term, November, "2026-12-01T00:00:00Z", Outage("2026-11-03T00:00:00Z", "2026-11-03T04:30:00Z"))!;

        Math.Round(result.AvailabilityPercent, 6).ShouldBe(99.375m);
        (result.Met, result.LongOutages, result.CreditAmount, result.CreditPercent).ShouldBe((false, 1, 120.00m, 10m));
        var step = result.Credit.Explanation.Single(s => s.Kind == "single outage");
        step.Text.ShouldBe("1 outage(s) longer than 4 hours (the longest 270 minutes): 1 × 10% of EUR 1200.00 = EUR 120.00; with the tier's EUR 0.00: EUR 120.00");
        step.Location.ShouldBe(RuleAt);

        // Exactly 4 hours is not longer than 4 hours: met, nothing owed.
        var four = Compute(term, November, "2026-12-01T00:00:00Z", Outage("2026-11-03T00:00:00Z", "2026-11-03T04:00:00Z"))!;
        (four.Met, four.LongOutages, four.CreditAmount).ShouldBe((true, 0, 0m));
    }

    [Theory]
    // Outages of 5 h, 6 h and 1 h, "restore within 4 hours or the outage is credited at EUR 50 an hour": the 5 h and 6 h
    // ones, 11 hours × 50 = EUR 550.00; 720 minutes down: (43200 − 720) / 43200 = 98.333333% < 99% → the tier's 25% =
    // EUR 300.00; total EUR 850.00.
    [InlineData(50, 850.00, false)]
    // At EUR 200 an hour: 2200 + 300 = 2500, capped by the term's creditCap of 100% of EUR 1200 = EUR 1200.00.
    [InlineData(200, 1200.00, true)]
    public void MaxOutage_PerHourOfTheWholeOutage(int rate, double total, bool capped)
    {
        var term = AvailabilityTerm() with { MaxOutage = new MaxOutageRule(TimeSpan.FromHours(4), null, rate, RuleAt) };

        var result = Compute(
            term, November, "2026-12-01T00:00:00Z",
            Outage("2026-11-03T00:00:00Z", "2026-11-03T05:00:00Z"), Outage("2026-11-10T00:00:00Z", "2026-11-10T06:00:00Z"), Outage("2026-11-12T00:00:00Z", "2026-11-12T01:00:00Z"))!;

        (result.LongOutages, result.CreditAmount, result.Credit.CapApplied).ShouldBe((2, (decimal)total, capped));
    }
}
