using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Evaluation;

/// <summary>
/// The sample cases of customer initech (C-71xx) under policies/customers/initech-gold-2026.1.json: business days,
/// a combined duration, calendars and clocks chosen by the case's tags, an iCalendar closure. Worked by hand.
/// </summary>
public class InitechSampleTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture);

    private static readonly Lazy<(CaseEvaluator Evaluator, List<CaseRecord> Cases)> Samples = new(() =>
    {
        var compilation = PolicyPipeline.LoadAndCompile(PolicyTestFiles.SamplePolicies);
        compilation.Diagnostics.ShouldBeEmpty();
        var cases = CaseReader.ReadFile(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl"))
            .Select(r => r.Record!).Where(c => c.Id.StartsWith("C-71", StringComparison.Ordinal)).ToList();
        return (compilation.CreateEvaluator(), cases);
    });

    /// <summary>One expected decision: case, target, status, due (local ISO), elapsed minutes, calendar and why.</summary>
    public sealed record Row(string Case, string Target, DecisionStatus Status, string Due, double Elapsed, string Calendar, string CalendarBy)
    {
        public override string ToString() => $"{Case} {Target}";
    }

    public static TheoryData<Row> Rows => new()
    {
        // C-7101, no tags: the policy's uk-office (London, GMT in November, 09:00-17:30). Opened 16:00+01:00 = 15:00 London.
        // First response at 16:00 London: 60 of 90 min (1h30m), due 16:30.
        new("C-7101", "first-response", DecisionStatus.Met, "2026-11-09T16:30:00+00:00", 60, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),
        // 2bd: 15:00 is 6 h into Monday, so due at 15:00 on Wednesday; resolved Wed 13:00 London:
        // Mon 2.5 h + Tue 8.5 h + Wed 09:00-13:00 4 h = 15 h of the 17 h allowed.
        new("C-7101", "resolution", DecisionStatus.Met, "2026-11-11T15:00:00+00:00", 900, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),

        // C-7102, tagged site:berlin: berlin-site (mon-fri 08:00-17:00, sat 10:00-14:00). Opened Fri 13 Nov 15:00 Berlin,
        // answered 15:45: 45 min, due 16:30.
        new("C-7102", "first-response", DecisionStatus.Met, "2026-11-13T16:30:00+01:00", 45, "berlin-site", "the case is tagged site:berlin"),
        // 2bd: 15:00 is 7 h into Friday; business days Sat 14 (10-14) and Mon 16, so due Mon 15:00 (Fri 2 + Sat 4 + Mon 7 = 13 h).
        // Still open at asOf (Sun 22 Nov 03:00 Berlin): Fri 2 + Sat 4 + Mon-Fri 5 x 9 + Sat 21 4 = 55 h: breached.
        new("C-7102", "resolution", DecisionStatus.Breached, "2026-11-16T15:00:00+01:00", 3300, "berlin-site", "the case is tagged site:berlin"),

        // C-7103, tagged 24x7-support: first response counts real time. Opened Sat 14 Nov 09:00 London, answered 10:00.
        new("C-7103", "first-response", DecisionStatus.Met, "2026-11-14T10:30:00+00:00", 60, "24x7", "the case is tagged 24x7-support"),
        // Business days stay on business hours: opened on a Saturday, counting starts Mon 16 09:00 (0 h into the day), so
        // 2bd is due at the close of the day before Wed's opening, Tue 17 17:30 (8.5 + 8.5 h). Resolved Mon 11:00 London: 2 h.
        new("C-7103", "resolution", DecisionStatus.Met, "2026-11-17T17:30:00+00:00", 120, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),

        // C-7104, no tags: opened Wed 11 Nov 17:00 London, 30 min before the close; Thu 12 and Fri 13 are closed by the
        // .ics file ("Office closed for the move"). First response Mon 16 09:30: 30 + 30 = 60 min, due Mon 10:00.
        new("C-7104", "first-response", DecisionStatus.Met, "2026-11-16T10:00:00+00:00", 60, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),
        // 2bd: 17:00 is 8 h into Wednesday; Thu and Fri are closed, so the business days are Mon 16 and Tue 17: 17 h
        // (Wed 0.5 + Mon 8.5 + Tue 8). Paused Mon 10:00 to Tue 10:00 London (8.5 business hours), so the 17 h run out
        // Wed 18 at 17:00 (Wed 0.5 + Mon 1 + Tue 7.5 + Wed 8). At asOf: Wed 0.5 + Mon 1 + Tue 7.5 + Wed-Fri 3 x 8.5 = 34.5 h.
        new("C-7104", "resolution", DecisionStatus.Breached, "2026-11-18T17:00:00+00:00", 2070, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_InitechSampleCase(Row row)
    {
        var (evaluator, cases) = Samples.Value;
        var decision = evaluator.Evaluate(cases.Single(c => c.Id == row.Case), AsOf, explain: false).Single(d => d.Target == row.Target);

        decision.Policy.ShouldBe("initech-gold");
        decision.Status.ShouldBe(row.Status);
        decision.DueAt.ShouldBe(DateTimeOffset.Parse(row.Due, CultureInfo.InvariantCulture));
        decision.DueAt!.Value.Offset.ShouldBe(DateTimeOffset.Parse(row.Due, CultureInfo.InvariantCulture).Offset);
        decision.ElapsedMinutes.ShouldBe(row.Elapsed, 1e-9);
        decision.Calendar.ShouldBe(row.Calendar);
        decision.CalendarBy.ShouldBe(row.CalendarBy);
    }

    [Fact]
    public void Explain_SaysHowTheBusinessDaysAndTheCalendarWereChosen()
    {
        var (evaluator, cases) = Samples.Value;

        var resolution = evaluator.Evaluate(cases.Single(c => c.Id == "C-7102"), AsOf, explain: true).Single(d => d.Target == "resolution");
        var steps = resolution.Explanation.Select(s => (s.Kind, s.Text)).ToList();

        steps.ShouldContain(("calendar", "counted on calendar berlin-site (Europe/Berlin) because the case is tagged site:berlin"));
        steps.ShouldContain(s => s.Kind == "business-days" && s.Text.StartsWith(
            "2 business days: counted from 2026-11-13 15:00 +01:00, 7h (420 min) into the opening hours of Fri 13 Nov, due at the same point of Mon 16 Nov: due Mon 16 Nov 15:00",
            StringComparison.Ordinal));
        var calendarStep = resolution.Explanation.Single(s => s.Kind == "calendar");
        calendarStep.Location!.Value.File.ShouldEndWith("initech-gold-2026.1.json");
        calendarStep.Location.Value.Line.ShouldBe(11);

        var closure = evaluator.Evaluate(cases.Single(c => c.Id == "C-7104"), AsOf, explain: true).Single(d => d.Target == "first-response");
        var holiday = closure.Explanation.First(s => s.Kind == "holiday");
        holiday.Text.ShouldBe("2026-11-12 is a holiday of calendar uk-office (Office closed for the move): not counted");
        holiday.Location!.Value.File.ShouldEndWith("england.ics");
    }

    [Fact]
    public void Explain_CaseOnThePolicysOwnCalendar_SaysWhyAndPointsAtCalendarFrom()
    {
        // C-7101 has no site tag and its customer is not listed: calendarFrom (line 11, column 19 of the policy file,
        // where its object starts) matches nothing, so the case counts on the policy's calendar uk-office.
        var (evaluator, cases) = Samples.Value;

        var response = evaluator.Evaluate(cases.Single(c => c.Id == "C-7101"), AsOf, explain: true).Single(d => d.Target == "first-response");
        var step = response.Explanation.Single(s => s.Kind == "calendar");

        step.Text.ShouldBe("counted on calendar uk-office (Europe/London) because calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office");
        step.Location!.Value.File.ShouldEndWith("initech-gold-2026.1.json");
        step.Location.Value.Line.ShouldBe(11);
        step.Location.Value.Column.ShouldBe(19);
    }

    [Fact]
    public void DecisionJson_CalendarFieldsOnlyForPoliciesThatLetTheCaseChoose()
    {
        var (evaluator, cases) = Samples.Value;
        var initech = evaluator.Evaluate(cases[0], AsOf, explain: false)[0];
        var acme = evaluator.Evaluate(new CaseRecord(
            "C-1", "acme", "gold", "eu-west", "email", 1, AsOf.AddHours(-1), null, null, [], []), AsOf, explain: false)[0];

        Json(initech).ShouldContain("\"service\":\"crm\",\"calendar\":\"uk-office\",\"calendarBy\":\"calendarFrom matches no tag or customer of the case, so the policy");
        Json(acme).ShouldNotContain("calendar");
    }

    private static string Json(Decision decision)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            DecisionJson.Write(writer, decision);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
