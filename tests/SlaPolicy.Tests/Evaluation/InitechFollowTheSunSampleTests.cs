using SlaPolicy.Engine.Compilation;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Evaluation;

/// <summary>
/// The sample cases C-7301 to C-7304 of customer initech under policies/customers/initech-gold-2026.1.json: follow-the-sun
/// between the London desk (emea, uk-office: 09:00-17:30, GMT in November) and the New York desk (amer, us-office:
/// 09:00-12:00 and 13:00-18:00, EST = UTC-5), and the London office's timed closures (calendars/closures/uk-office.ics:
/// desk training Tuesdays 16:00-17:00 until 3 November, the all-hands Thursday 5 November 14:00-16:00). Worked by hand.
/// </summary>
public class InitechFollowTheSunSampleTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture);

    private static readonly Lazy<(CaseEvaluator Evaluator, List<CaseRecord> Cases)> Samples = new(() =>
    {
        var compilation = PolicyPipeline.LoadAndCompile(PolicyTestFiles.SamplePolicies);
        compilation.Diagnostics.ShouldBeEmpty();
        var cases = CaseReader.ReadFile(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl"))
            .Select(r => r.Record!).Where(c => c.Id.StartsWith("C-73", StringComparison.Ordinal)).ToList();
        return (compilation.CreateEvaluator(), cases);
    });

    /// <summary>One expected decision: case, target, status, due (told in London), elapsed minutes, calendar and why.</summary>
    public sealed record Row(string Case, string Target, DecisionStatus Status, string Due, double Elapsed, string Calendar, string CalendarBy)
    {
        public override string ToString() => $"{Case} {Target}";
    }

    private const string HandedToNewYorkAt17 = "follow-the-sun: team emea on uk-office, then team amer on us-office from 2026-11-02 17:00 +00:00";

    public static TheoryData<Row> Rows => new()
    {
        // C-7301: opened Mon 2 Nov 16:00 London with emea, handed to amer at 17:00 (12:00 in New York, its lunch hour),
        // back to emea Tue 09:00. First response at 16:30: 30 of 90 min. Due: London 16:00-17:00 (60), New York closed
        // 12:00-13:00 EST, then 13:00-13:30 EST (18:00Z-18:30Z).
        new("C-7301", "first-response", DecisionStatus.Met, "2026-11-02T18:30:00+00:00", 30, "follow-the-sun",
            HandedToNewYorkAt17 + ", then team emea on uk-office from 2026-11-03 09:00 +00:00"),
        // 2bd counted on London, where counting begins: 16:00 is 7 h into Monday, due at the same point of Wednesday:
        // Mon 1.5 h + Tue 8.5 h + Wed 7 h = 17 h. Counted: London 16:00-17:00 (1 h), New York 13:00-18:00 EST (5 h),
        // London Tue 09:00-15:00 (6 h) = 12 h when resolved Tue 15:00. The last 5 h on London: Tue 15:00-17:30 + Wed
        // 09:00-11:30.
        new("C-7301", "resolution", DecisionStatus.Met, "2026-11-04T11:30:00+00:00", 720, "follow-the-sun",
            HandedToNewYorkAt17 + ", then team emea on uk-office from 2026-11-03 09:00 +00:00"),

        // C-7302: opened Thu 12 Nov 10:00 London with emea, but London is closed Thu 12 and Fri 13 (England .ics: "Office
        // closed for the move"), a holiday of uk-office only; handed to amer at 14:00Z = 09:00 EST. First response 15:00Z:
        // 60 min, all of it New York's; due 10:30 EST = 15:30Z.
        new("C-7302", "first-response", DecisionStatus.Met, "2026-11-12T15:30:00+00:00", 60, "follow-the-sun",
            "follow-the-sun: team emea on uk-office, then team amer on us-office from 2026-11-12 14:00 +00:00"),
        // 2bd: counting begins at New York's opening, Thu 09:00 EST, 0 h into the day, so due at the close of the day
        // before the second business day's opening: Thu 8 h + Fri 8 h = 16 h, Fri 18:00 EST = 23:00Z. Resolved Fri 15:00
        // EST: Thu 8 h + Fri 09:00-12:00 and 13:00-15:00 (5 h) = 13 h.
        new("C-7302", "resolution", DecisionStatus.Met, "2026-11-13T23:00:00+00:00", 780, "follow-the-sun",
            "follow-the-sun: team emea on uk-office, then team amer on us-office from 2026-11-12 14:00 +00:00"),

        // C-7303: no assignment, London's calendar with the all-hands closure Thu 5 Nov 14:00-16:00. Opened 13:30,
        // answered 16:45: 13:30-14:00 (30) + 16:00-16:45 (45) = 75 of 90 min; due 17:00.
        new("C-7303", "first-response", DecisionStatus.Met, "2026-11-05T17:00:00+00:00", 75, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),
        // 2bd: 13:30 is 4.5 h into Thursday's hours; due at the same point of Mon 9 Nov, 13:30: Thu 2 h (13:30-14:00,
        // 16:00-17:30) + Fri 8.5 h + Mon 4.5 h = 15 h. Resolved Mon 10:00: 2 + 8.5 + 1 = 11.5 h.
        new("C-7303", "resolution", DecisionStatus.Met, "2026-11-09T13:30:00+00:00", 690, "uk-office", "calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office"),

        // C-7304: opened Tue 3 Nov 15:00 London with emea; desk training closes London 16:00-17:00; handed to amer at
        // 17:00Z (12:00 EST, lunch). First response 19:00Z: London 15:00-16:00 (60) + New York 13:00-14:00 EST (60) =
        // 120 > 90: breached, at 13:30 EST = 18:30Z.
        new("C-7304", "first-response", DecisionStatus.Breached, "2026-11-03T18:30:00+00:00", 120, "follow-the-sun",
            "follow-the-sun: team emea on uk-office, then team amer on us-office from 2026-11-03 17:00 +00:00"),
        // 2bd on London from Tue 15:00, 6 h into the day; the second business day, Thu 5 Nov, has 6.5 h (the all-hands
        // takes 14:00-16:00), so due at 6 h into it: Tue 1.5 h (15:00-16:00, 17:00-17:30) + Wed 8.5 h + Thu 6 h = 16 h.
        // Counted: London 1 h, New York Tue 13:00-18:00 EST (5 h), Wed 8 h less the pause 10:00-11:00 EST (7 h), Thu
        // 09:00-12:00 EST (3 h): 16 h at 12:00 EST = 17:00Z. Resolved Thu 15:00 EST: + 13:00-15:00 = 18 h.
        new("C-7304", "resolution", DecisionStatus.Breached, "2026-11-05T17:00:00+00:00", 1080, "follow-the-sun",
            "follow-the-sun: team emea on uk-office, then team amer on us-office from 2026-11-03 17:00 +00:00"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_FollowTheSunSampleCase(Row row)
    {
        var (evaluator, cases) = Samples.Value;
        var decision = evaluator.Evaluate(cases.Single(c => c.Id == row.Case), AsOf, explain: false).Single(d => d.Target == row.Target);

        decision.Policy.ShouldBe("initech-gold");
        decision.Status.ShouldBe(row.Status);
        decision.DueAt.ShouldBe(DateTimeOffset.Parse(row.Due, CultureInfo.InvariantCulture));
        decision.ElapsedMinutes.ShouldBe(row.Elapsed, 1e-9);
        decision.Calendar.ShouldBe(row.Calendar);
        decision.CalendarBy.ShouldBe(row.CalendarBy);
    }

    [Fact]
    public void Explain_NamesTheHolders_TheirHoliday_AndTheClosures()
    {
        var (evaluator, cases) = Samples.Value;

        var c7304 = evaluator.Evaluate(cases.Single(c => c.Id == "C-7304"), AsOf, explain: true).Single(d => d.Target == "resolution");
        var holders = c7304.Explanation.Where(s => s.Kind == "holder").ToList();

        // London 15:00-16:00 (the training closes 16:00-17:00); New York Tue 13:00-18:00 EST (5 h), Wed 09:00-10:00 and
        // 11:00-12:00 (the pause between), 13:00-18:00 (5 h), Thu 09:00-12:00 (3 h) and 13:00-15:00 (2 h): 17 h.
        holders.Select(s => s.Text).ShouldBe(
        [
            "team emea held the case from 2026-11-03 15:00 +00:00 until 2026-11-03 17:00 +00:00: counted on calendar uk-office (Europe/London) because calendarFrom.teams maps emea to uk-office: 1h (60 min) counted: 2026-11-03 15:00 to 16:00 +00:00",
            "team amer held the case from 2026-11-03 17:00 +00:00: counted on calendar us-office (America/New_York) because calendarFrom.teams maps amer to us-office: 17h (1020 min) counted: "
                + "2026-11-03 18:00 to 23:00 +00:00; 2026-11-04 14:00 to 15:00 +00:00; 2026-11-04 16:00 to 17:00 +00:00; 2026-11-04 18:00 to 23:00 +00:00; 2026-11-05 14:00 to 17:00 +00:00; 2026-11-05 18:00 to 20:00 +00:00",
        ]);
        holders.ShouldAllBe(s => s.Location!.Value.File.EndsWith("initech-gold-2026.1.json", StringComparison.Ordinal) && s.Location.Value.Line == 11);
        var training = c7304.Explanation.Single(s => s.Kind == "closure");
        training.Text.ShouldBe("2026-11-03 16:00 to 17:00 +00:00 is closed in calendar uk-office (Desk training): not counted");
        training.Location!.Value.File.ShouldEndWith("uk-office.ics");
        training.Location.Value.Line.ShouldBe(12);

        // London's move holiday is met while London holds C-7302, and named with its event.
        var c7302 = evaluator.Evaluate(cases.Single(c => c.Id == "C-7302"), AsOf, explain: true).Single(d => d.Target == "first-response");
        c7302.Explanation.ShouldContain(s => s.Kind == "holiday" && s.Text == "2026-11-12 is a holiday of calendar uk-office (Office closed for the move): not counted");

        // The all-hands closure of C-7303, at its BEGIN:VEVENT line.
        var c7303 = evaluator.Evaluate(cases.Single(c => c.Id == "C-7303"), AsOf, explain: true).Single(d => d.Target == "first-response");
        var allHands = c7303.Explanation.Single(s => s.Kind == "closure");
        allHands.Text.ShouldBe("2026-11-05 14:00 to 16:00 +00:00 is closed in calendar uk-office (Quarterly all-hands): not counted");
        allHands.Location!.Value.Line.ShouldBe(5);
    }
}
