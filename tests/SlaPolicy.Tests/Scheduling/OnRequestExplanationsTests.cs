using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>
/// <c>Run:Explain=notable</c> (the default) stores explanations of notable decisions whose clock has stopped only; the
/// others (met without escalation, or still counting) are built on request. Checked against a run that stored every
/// explanation (<c>all</c>) on the same samples.
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

        int quiet = 0, loud = 0, counting = 0;
        foreach (var ticket in SampleCases)
        {
            var stored = notable.GetCaseTrace(ticket.Id)!;
            var reference = all.GetCaseTrace(ticket.Id)!.Decisions.ToDictionary(s => (s.Decision.Target, s.Decision.PolicyVersion), s => s.Decision);
            var filled = OnRequestExplanations.Fill(stored, evaluator).Decisions.ToDictionary(s => (s.Decision.Target, s.Decision.PolicyVersion), s => s.Decision);
            foreach (var s in stored.Decisions)
            {
                var d = s.Decision;
                var key = (d.Target, d.PolicyVersion);
                if (IsCounting(s))
                {
                    // Still counting (running, paused, breached with the clock running): nothing stored; built on
                    // request, no note, step for step what the `all` run stored, since the case and the policies are
                    // as the row's proof says.
                    counting++;
                    d.Explanation.ShouldBeEmpty($"{d.CaseId} {d.Target}");
                    filled[key].Explanation.ShouldBe(reference[key].Explanation, $"{d.CaseId} {d.Target}");
                }
                else if (OnRequestExplanations.IsNotable(d))
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

        // The samples hold every kind, so no branch above went untested.
        quiet.ShouldBeGreaterThan(0);
        loud.ShouldBeGreaterThan(0);
        counting.ShouldBeGreaterThan(0);
    }

    /// <summary>A stored decision whose clock had not stopped by its asOf, told from its row alone.</summary>
    private static bool IsCounting(StoredDecision s) =>
        s.Decision.Status is DecisionStatus.Running or DecisionStatus.Paused || (s.Decision.Status == DecisionStatus.Breached && s.StoppedAt is null);

    [Fact]
    public void Why_EverySampleCase_ShowsWhatTheRunShowedWhenItStoredTheExplanationsOfNotableDecisions()
    {
        // Before counting decisions were built on request, `Run:Explain=notable` stored the explanation of every notable
        // decision (those of the `all` run) and none of a target met without escalation, which `why` built after a note.
        // `why` and the page (the same Fill, then the case's zone) must tell every sample case exactly as they did.
        using var folder = new TempFolder();
        var notable = RunSamples(folder, "notable.db", ExplainMode.Notable);
        var all = RunSamples(folder, "all.db", ExplainMode.All);
        var evaluator = SamplePolicyEvaluator.Provider.Current;
        var built = 0;
        foreach (var ticket in SampleCases)
        {
            var reference = all.GetCaseTrace(ticket.Id)!;
            var before = reference with
            {
                Decisions = [.. reference.Decisions.Select(s => OnRequestExplanations.IsNotable(s.Decision) ? s : s with { Decision = s.Decision with { Explanation = [] } })],
            };
            var now = notable.GetCaseTrace(ticket.Id)!;
            built += now.Decisions.Count(s => IsCounting(s));
            Told(OnRequestExplanations.Fill(now, evaluator), evaluator).ShouldBe(Told(OnRequestExplanations.Fill(before, evaluator), evaluator), ticket.Id);
        }

        built.ShouldBeGreaterThan(0);
    }

    /// <summary>What `why` prints for the trace, and the explanation steps the page is sent, every instant in the case's zone.</summary>
    private static string Told(CaseTrace trace, ICaseEvaluator evaluator)
    {
        var told = CaseZones.InCaseZone(trace, evaluator);
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 400;
        console.Write(SlaPolicy.Host.Cli.WhyCommand.Render(told));

        // The run id differs between the two stores only in name (each is run 1): the page's JSON of each step.
        var steps = told.Trace.Decisions.SelectMany(s => s.Decision.Explanation.Select(e => $"{s.Decision.Target}|{e.Kind}|{e.Text}|{e.Location}|{e.At:O}"));
        return writer + "\n" + string.Join('\n', steps);
    }

    [Fact]
    public void Fill_CountingDecisionOfPoliciesChangedSinceTheRun_SaysSoInsteadOfPassingItOffAsStored()
    {
        // The row's fingerprint is not what the policies in force give the customer (they were edited since the run):
        // the explanation built now is not proven to be the one the run would have stored, and a note says so.
        using var folder = new TempFolder();
        var store = RunSamples(folder, "notable.db", ExplainMode.Notable);
        var evaluator = SamplePolicyEvaluator.Provider.Current;
        var trace = store.GetCaseTrace("C-1001")!;
        var resolution = trace.Decisions.Single(s => s.Decision.Target == "sev1-resolution");
        IsCounting(resolution).ShouldBeTrue("C-1001's resolution is breached and still counting");
        OnRequestExplanations.Fill(trace, evaluator).Decisions.Single(s => s.Decision.Target == "sev1-resolution").Decision.Explanation[0].Kind.ShouldBe("status");

        var edited = trace with { Decisions = [.. trace.Decisions.Select(s => s == resolution ? s with { PolicyFingerprint = s.PolicyFingerprint + 1 } : s)] };
        var note = OnRequestExplanations.Fill(edited, evaluator).Decisions.Single(s => s.Decision.Target == "sev1-resolution").Decision.Explanation[0];
        note.Kind.ShouldBe("note");
        note.Text.ShouldContain("changed after run 1 decided this");
    }

    [Fact]
    public void Fill_CountingCaseSentAgainAfterTheRun_SaysTheExplanationIsOfTheCaseAsStoredNow()
    {
        // C-1001 resolved after the run, an hour before its asOf: built again as of that asOf, the decision comes out met
        // or breached and stopped, not what the run stored, and the record's hash no longer matches the row's.
        using var folder = new TempFolder();
        var store = RunSamples(folder, "notable.db", ExplainMode.Notable);
        var ticket = SampleCases.Single(c => c.Id == "C-1001");
        store.Ingest(new RecordBatch([ticket with { ResolvedAt = NightOf22nd.AddHours(-1) }], [], [], [], [], NightOf22nd));

        var note = OnRequestExplanations.Fill(store.GetCaseTrace("C-1001")!, SamplePolicyEvaluator.Provider.Current)
            .Decisions.Single(s => s.Decision.Target == "sev1-resolution").Decision.Explanation[0];
        note.Kind.ShouldBe("note");
        note.Text.ShouldContain("changed after run 1 decided this");
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
