using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>
/// <c>Run:Explain=notable</c> (the default) stores explanations of notable decisions only; the others are built on
/// request. Checked against a run that stored every explanation (<c>all</c>) on the same samples.
/// </summary>
public class OnRequestExplanationsTests
{
    private static readonly DateTimeOffset NightOf22nd = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static readonly List<CaseRecord> SampleCases =
        [.. CaseReader.ReadFile(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl")).Where(r => r.Record is not null).Select(r => r.Record!)];

    private static SqliteStore RunSamples(TempFolder folder, string name, ExplainMode mode)
    {
        var store = new SqliteStore(folder.File(name));
        store.Migrate();
        store.Ingest(new RecordBatch(SampleCases, [], [], [], [], NightOf22nd));
        var run = new NightlyRun(store, SamplePolicyEvaluator.Provider, TimeProvider.System, new HostSettings { Explain = mode }, NullLogger<NightlyRun>.Instance);
        run.Run(NightOf22nd, RunTrigger.Cli).State.ShouldBe(RunState.Succeeded);
        return store;
    }

    [Fact]
    public void Notable_StoresExplanationsOfNotableDecisionsOnly_AndBuildsTheOthersExactlyAsAllWouldHaveStoredThem()
    {
        using var folder = new TempFolder();
        var notable = RunSamples(folder, "notable.db", ExplainMode.Notable);
        var all = RunSamples(folder, "all.db", ExplainMode.All);
        var evaluator = SamplePolicyEvaluator.Provider.Current;

        int quiet = 0, loud = 0;
        foreach (var ticket in SampleCases)
        {
            var stored = notable.GetCaseTrace(ticket.Id)!;
            var reference = all.GetCaseTrace(ticket.Id)!.Decisions.ToDictionary(s => (s.Decision.Target, s.Decision.PolicyVersion), s => s.Decision);
            var filled = OnRequestExplanations.Fill(stored, evaluator).Decisions.ToDictionary(s => (s.Decision.Target, s.Decision.PolicyVersion), s => s.Decision);
            foreach (var s in stored.Decisions)
            {
                var d = s.Decision;
                var key = (d.Target, d.PolicyVersion);
                if (OnRequestExplanations.IsNotable(d))
                {
                    // Stored as the `all` run stored it, and left as it is.
                    loud++;
                    d.Explanation.ShouldBe(reference[key].Explanation, $"{d.CaseId} {d.Target}");
                    filled[key].Explanation.ShouldBe(d.Explanation);
                }
                else
                {
                    // Met without escalation: nothing stored; built on request, after a note, step for step what
                    // the `all` run stored.
                    quiet++;
                    d.Explanation.ShouldBeEmpty($"{d.CaseId} {d.Target}");
                    var steps = filled[key].Explanation;
                    steps[0].Kind.ShouldBe("note");
                    steps[0].Text.ShouldContain("built on request");
                    steps.Skip(1).ShouldBe(reference[key].Explanation, $"{d.CaseId} {d.Target}");
                }
            }
        }

        // The samples hold both kinds, so neither branch above went untested.
        quiet.ShouldBeGreaterThan(0);
        loud.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Fill_CaseSentAgainWithOtherTimesAfterTheRun_SaysTheExplanationIsOfTheCaseAsStoredNow()
    {
        using var folder = new TempFolder();
        var store = RunSamples(folder, "notable.db", ExplainMode.Notable);
        var quiet = store.QueryDecisions(new DecisionQuery(Status: "met", Limit: 10_000))
            .First(s => s.Decision.EscalationLevel == 0 && s.Decision.Explanation.IsDefaultOrEmpty).Decision;
        var ticket = SampleCases.Single(c => c.Id == quiet.CaseId);

        // Resolved and first answered one minute later than before: every stopped target now counts one more minute
        // (or more, across a closed period), so the decision built now differs from the stored one.
        store.Ingest(new RecordBatch(
            [ticket with { FirstResponseAt = ticket.FirstResponseAt?.AddMinutes(1), ResolvedAt = ticket.ResolvedAt?.AddMinutes(1) }], [], [], [], [], NightOf22nd));

        var filled = OnRequestExplanations.Fill(store.GetCaseTrace(quiet.CaseId)!, SamplePolicyEvaluator.Provider.Current);
        var note = filled.Decisions.Single(s => s.Decision.Target == quiet.Target).Decision.Explanation[0];
        note.Kind.ShouldBe("note");
        note.Text.ShouldContain("changed after run 1 decided this");
    }
}
