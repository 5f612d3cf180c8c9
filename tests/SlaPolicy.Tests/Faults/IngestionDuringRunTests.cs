namespace SlaPolicy.Tests.Faults;

/// <summary>Cases posted while a nightly run is going: accepted at once, none lost, decided by the next run.</summary>
public class IngestionDuringRunTests
{
    private const int NewCases = 500;

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public async Task PostCases_WhileARunIsGoing_AcceptedNothingLostAndDecidedByTheNextRun(StoreKind kind)
    {
        using var night = new LongRunStore(kind);
        var (store, data, probe) = night;
        var settings = night.Settings();
        await using var host = await HostProcess.StartAsync(data.Path, settings);
        var batch = CaseData.WriteJsonLines(data.File("new-cases.jsonl"), NewCases, seed: 11, idPrefix: "N-");

        var run = await MidRun.StartAsync(host, probe, CaseData.AsOf);
        var ingested = await CaseData.PostAsync(host.Client, batch);

        // The precondition of the test, not a timing assertion: the batch went in while the run was still going.
        run.Answer.IsCompleted.ShouldBeFalse("the run ended before the batch was ingested: the test needs more cases");
        probe.RunningRuns().ShouldBe(1);
        ingested.Accepted.ShouldBe(NewCases, host.Log);
        ingested.RejectedCount.ShouldBe(0);

        using var answer = await run.Answer;
        var first = System.Text.Json.JsonSerializer.Deserialize<RunRecord>(await answer.Content.ReadAsStringAsync(), Json.Options)!;
        first.State.ShouldBe(RunState.Succeeded, host.Log);

        // The run reads the cases of its start (one statement, one snapshot): the 20,000, not the new ones.
        first.CasesRead.ShouldBe(CaseData.LongRunCases);
        probe.Cases().ShouldBe(CaseData.LongRunCases + NewCases);
        probe.UndecidedCases(CaseData.AsOf).ShouldBe(NewCases);

        var next = await HostProcessTests.PostRunAsync(host, CaseData.AsOf.ToString("O"));

        // Same asOf over the same old cases: they were decided as of it already and are kept; the new cases, listed
        // as pending by their ingestion, are evaluated, and every stored case now has its decisions, each key once.
        next.State.ShouldBe(RunState.Succeeded, host.Log);
        next.CasesRead.ShouldBe(NewCases);
        next.CasesKept.ShouldBe(CaseData.LongRunCases);
        next.DecisionsChanged.ShouldBe(next.DecisionsWritten);
        next.DecisionsChanged.ShouldBeGreaterThanOrEqualTo(NewCases);
        probe.UndecidedCases(CaseData.AsOf).ShouldBe(0);
        probe.Decisions(CaseData.AsOf).ShouldBe(first.DecisionsWritten + next.DecisionsWritten);
        probe.DuplicateDecisionKeys().ShouldBe(0);
    }
}
