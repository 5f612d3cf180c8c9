using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Tests.Evaluation;

/// <summary>
/// Follow-the-sun through the evaluator: <c>calendarFrom.teams</c> and status events with a <c>team</c>. London and New
/// York both open Mon-Fri 09:00-17:00 local; in November London is on GMT (UTC), New York on EST (UTC-5). Worked by hand.
/// </summary>
public sealed class FollowTheSunEvaluationTests : IDisposable
{
    private const string Policy = """
        {
          "id": "globex-sun", "version": "1", "effective": { "from": "2026-01-01" },
          "appliesTo": { "customers": ["globex"] },
          "calendar": "london",
          "calendarFrom": {
            "teams": { "emea": "london", "amer": "new-york" }
          },
          "pauseOn": ["waiting_on_customer"],
          "escalations": [ { "at": "75%", "action": "notify", "to": "team-lead" } ],
          "targets": [
            { "id": "resolution", "metric": "resolution", "within": "4h", "clock": "business" },
            { "id": "first-response", "metric": "firstResponse", "within": "1h", "clock": "24x7" }
          ]
        }
        """;

    private readonly PolicyDirectory _policies = new(new Dictionary<string, string>
    {
        ["calendars/london.json"] = """{ "id": "london", "timeZone": "Europe/London", "hours": { "mon-fri": "09:00-17:00" } }""",
        ["calendars/new-york.json"] = """{ "id": "new-york", "timeZone": "America/New_York", "hours": { "mon-fri": "09:00-17:00" }, "holidays": ["2026-11-26"] }""",
        ["globex-sun.json"] = Policy,
    });

    private readonly CaseEvaluator _evaluator;

    public FollowTheSunEvaluationTests()
    {
        var compilation = PolicyPipeline.LoadAndCompile(_policies.Path);
        compilation.Diagnostics.ShouldBeEmpty();
        _evaluator = compilation.CreateEvaluator();
    }

    public void Dispose() => _policies.Dispose();

    private static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>"status@instant@team;..." (team optional).</summary>
    private static CaseRecord Case(string opened, string events) => new(
        "C-1", "globex", "gold", "eu-west", "email", 3, T(opened), null, null, [],
        [
            .. events.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('@')).Select(p =>
                new StatusEvent(T(p[1]), p[0]) { Team = p.Length > 2 ? p[2] : null }),
        ]);

    /// <summary>One expected resolution decision.</summary>
    public sealed record Row(string Name, string Opened, string Events, string AsOf, DecisionStatus Status, string Due, double Elapsed, string Calendar, string CalendarBy)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Row> Rows => new()
    {
        // Handover London 17:00 to New York (12:00 EST). 4 h: London 15:00-17:00 (2 h) + New York 12:00-14:00 EST, due
        // 19:00Z, told in London's zone (the case's own calendar). At Tue 12:00Z: 2 h + New York 12:00-17:00 (5 h) = 7 h.
        new("handover-london-17-to-new-york", "2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z@emea;in_progress@2026-11-16T17:00:00Z@amer",
            "2026-11-17T12:00:00Z", DecisionStatus.Breached, "2026-11-16T19:00:00+00:00", 420, "follow-the-sun",
            "follow-the-sun: team emea on london, then team amer on new-york from 2026-11-16 17:00 +00:00"),

        // No assignment: the policy's calendar, as before. London Mon 15:00-17:00 (2 h) at 23:00Z; 2 h more Tue 09:00-11:00.
        new("no-assignment", "2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z",
            "2026-11-16T23:00:00Z", DecisionStatus.Running, "2026-11-17T11:00:00+00:00", 120, "london", "calendarFrom matches no tag or customer of the case, so the policy's calendar london"),

        // An assignment after asOf is not known yet: London alone, as in the row above.
        new("assignment-after-as-of", "2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z;in_progress@2026-11-17T12:00:00Z@amer",
            "2026-11-16T23:00:00Z", DecisionStatus.Running, "2026-11-17T11:00:00+00:00", 120, "london", "calendarFrom matches no tag or customer of the case, so the policy's calendar london"),

        // Before the first assignment, the policy's calendar; a team the policy does not map (apac) counts on it too.
        // London 15:00-17:00 (2 h), New York from 17:00Z to Tue 03:00Z (12:00-17:00 EST, 5 h), London (apac) Tue
        // 09:00-12:00 (3 h) = 10 h at Tue 12:00Z; 4 h were reached Mon 14:00 EST = 19:00Z.
        new("unmapped-team", "2026-11-16T15:00:00Z", "in_progress@2026-11-16T17:00:00Z@amer;in_progress@2026-11-17T03:00:00Z@apac",
            "2026-11-17T12:00:00Z", DecisionStatus.Breached, "2026-11-16T19:00:00+00:00", 600, "follow-the-sun",
            "follow-the-sun: london (calendarFrom matches no tag or customer of the case, so the policy's calendar london), then team amer on new-york from 2026-11-16 17:00 +00:00, then team apac on london from 2026-11-17 03:00 +00:00"),

        // A holiday in one team's calendar only: New York holds the case from Wed 25 Nov 15:00 EST (20:00Z), 2 h that day;
        // Thanksgiving (Thu 26) is closed in New York; 2 h more Fri 09:00-11:00 EST = 16:00Z. Paused Fri 14:00Z-15:00Z
        // (09:00-10:00 EST): due 17:00Z. At Fri 18:00Z: 2 h + Fri 10:00-13:00 EST (3 h) = 5 h: breached.
        new("holiday-of-one-team", "2026-11-25T20:00:00Z",
            "new@2026-11-25T20:00:00Z@amer;waiting_on_customer@2026-11-27T14:00:00Z;in_progress@2026-11-27T15:00:00Z",
            "2026-11-27T18:00:00Z", DecisionStatus.Breached, "2026-11-27T17:00:00+00:00", 300, "follow-the-sun",
            "follow-the-sun: team amer on new-york"),

        // The same case handed to London at Thu 00:00Z: London is open on Thanksgiving. 2 h in New York, then London Thu
        // 09:00-11:00: due Thu 11:00Z; at Fri 18:00Z: 2 h + Thu 8 h + Fri 09:00-14:00, 15:00-17:00 (7 h) = 17 h.
        new("handed-to-london-on-thanksgiving", "2026-11-25T20:00:00Z",
            "new@2026-11-25T20:00:00Z@amer;in_progress@2026-11-26T00:00:00Z@emea;waiting_on_customer@2026-11-27T14:00:00Z;in_progress@2026-11-27T15:00:00Z",
            "2026-11-27T18:00:00Z", DecisionStatus.Breached, "2026-11-26T11:00:00+00:00", 1020, "follow-the-sun",
            "follow-the-sun: team amer on new-york, then team emea on london from 2026-11-26 00:00 +00:00"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_FollowTheSun(Row row)
    {
        var decision = _evaluator.Evaluate(Case(row.Opened, row.Events), T(row.AsOf), explain: false).Single(d => d.Target == "resolution");

        decision.Status.ShouldBe(row.Status);
        decision.DueAt.ShouldBe(T(row.Due));
        decision.DueAt!.Value.Offset.ShouldBe(T(row.Due).Offset);
        decision.ElapsedMinutes.ShouldBe(row.Elapsed, 1e-9);
        decision.Calendar.ShouldBe(row.Calendar);
        decision.CalendarBy.ShouldBe(row.CalendarBy);
    }

    [Fact]
    public void Evaluate_TwentyFourSevenTarget_IgnoresTheHolders()
    {
        var decision = _evaluator.Evaluate(Case("2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z@emea;in_progress@2026-11-16T17:00:00Z@amer"), T("2026-11-16T15:30:00Z"), explain: false)
            .Single(d => d.Target == "first-response");

        decision.Calendar.ShouldBe("24x7");
        decision.ElapsedMinutes.ShouldBe(30);
    }

    [Fact]
    public void Evaluate_SplittingAnAssignment_ChangesNothing()
    {
        // New York assigned again at 19:00Z while it still holds the case: the same decision and the same explanation.
        var once = Case("2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z@emea;in_progress@2026-11-16T17:00:00Z@amer");
        var twice = Case("2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z@emea;in_progress@2026-11-16T17:00:00Z@amer;in_progress@2026-11-16T19:00:00Z@amer");
        var asOf = T("2026-11-17T12:00:00Z");

        var a = _evaluator.Evaluate(once, asOf, explain: true);
        var b = _evaluator.Evaluate(twice, asOf, explain: true);

        b.Select(d => d with { Explanation = [] }).ShouldBe(a.Select(d => d with { Explanation = [] }));
        b.SelectMany(d => d.Explanation).Select(s => s.Text).ShouldBe(a.SelectMany(d => d.Explanation).Select(s => s.Text));
    }

    [Fact]
    public void Explain_HasAStepPerHolder_WithTheTeamsEntry()
    {
        var decision = _evaluator.Evaluate(
            Case("2026-11-16T15:00:00Z", "new@2026-11-16T15:00:00Z@emea;in_progress@2026-11-16T17:00:00Z@amer"), T("2026-11-17T12:00:00Z"), explain: true)
            .Single(d => d.Target == "resolution");
        var holders = decision.Explanation.Where(s => s.Kind == "holder").ToList();

        // London held it 15:00-17:00 (2 h counted); New York from 17:00Z (12:00 EST) to asOf: 12:00-17:00 EST, 5 h.
        holders.Select(s => s.Text).ShouldBe(
        [
            "team emea held the case from 2026-11-16 15:00 +00:00 until 2026-11-16 17:00 +00:00: counted on calendar london (Europe/London) because calendarFrom.teams maps emea to london: 2h (120 min) counted: 2026-11-16 15:00 to 17:00 +00:00",
            "team amer held the case from 2026-11-16 17:00 +00:00: counted on calendar new-york (America/New_York) because calendarFrom.teams maps amer to new-york: 5h (300 min) counted: 2026-11-16 17:00 to 22:00 +00:00",
        ]);

        // Each points at its calendarFrom.teams entry: line 6 of the policy, at the calendar id's first character.
        var line = Policy.Split('\n')[5];
        holders[0].Location!.Value.Line.ShouldBe(6);
        holders[0].Location!.Value.Column.ShouldBe(line.IndexOf("london", StringComparison.Ordinal) + 1);
        holders[1].Location!.Value.Column.ShouldBe(line.IndexOf("new-york", StringComparison.Ordinal) + 1);
        holders[1].Location!.Value.File.ShouldEndWith("globex-sun.json");

        decision.Explanation.Single(s => s.Kind == "calendar").Text.ShouldBe(
            "counted follow-the-sun: at each instant on the calendar of the team holding the case (emea, amer); before any assignment, and for a team calendarFrom.teams does not name, on calendar london (calendarFrom matches no tag or customer of the case, so the policy's calendar london)");

        // The night is outside New York's hours, told as such.
        decision.Explanation.ShouldContain(s => s.Kind == "closed" && s.Text == "not counted from 2026-11-16 22:00 to 2026-11-17 12:00 +00:00: outside the opening hours of calendar new-york (America/New_York)");

        // The 75% step (3 h) was crossed at 18:00Z, an hour into New York's part.
        decision.Explanation.ShouldContain(s => s.Kind == "escalation" && s.Text.StartsWith("75% of the target used at 2026-11-16 18:00 +00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_HolidayOfTheHolder()
    {
        var decision = _evaluator.Evaluate(
            Case("2026-11-25T20:00:00Z", "new@2026-11-25T20:00:00Z@amer"), T("2026-11-27T18:00:00Z"), explain: true)
            .Single(d => d.Target == "resolution");

        decision.Explanation.ShouldContain(s => s.Kind == "holiday" && s.Text == "2026-11-26 is a holiday of calendar new-york: not counted");
    }

    [Fact]
    public void Explain_BeforeTheFirstAssignment_AndAnUnmappedTeam()
    {
        var decision = _evaluator.Evaluate(
            Case("2026-11-16T15:00:00Z", "in_progress@2026-11-16T17:00:00Z@amer;in_progress@2026-11-17T03:00:00Z@apac"), T("2026-11-17T12:00:00Z"), explain: true)
            .Single(d => d.Target == "resolution");

        // London 15:00-17:00 before any assignment; New York 12:00-17:00 EST; apac on London Tue 09:00-12:00.
        decision.Explanation.Where(s => s.Kind == "holder").Select(s => s.Text).ShouldBe(
        [
            "before any assignment, from 2026-11-16 15:00 +00:00 until 2026-11-16 17:00 +00:00: counted on calendar london (Europe/London) because calendarFrom matches no tag or customer of the case, so the policy's calendar london: 2h (120 min) counted: 2026-11-16 15:00 to 17:00 +00:00",
            "team amer held the case from 2026-11-16 17:00 +00:00 until 2026-11-17 03:00 +00:00: counted on calendar new-york (America/New_York) because calendarFrom.teams maps amer to new-york: 5h (300 min) counted: 2026-11-16 17:00 to 22:00 +00:00",
            "team apac held the case from 2026-11-17 03:00 +00:00: counted on calendar london (Europe/London) because calendarFrom.teams does not name apac, so the case's own calendar (calendarFrom matches no tag or customer of the case, so the policy's calendar london): 3h (180 min) counted: 2026-11-17 09:00 to 12:00 +00:00",
        ]);
    }
}
