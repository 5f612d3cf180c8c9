namespace SlaPolicy.Tests.Faults;

/// <summary>A host killed with SIGKILL in the middle of a nightly run, then started again on the same store.</summary>
public class HostKillTests
{
    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public async Task KillHost_MidRun_RestartedHostLeavesNoRunRunningAndDecidesEveryCaseOnce(StoreKind kind)
    {
        using var night = new LongRunStore(kind);
        var (store, data, probe) = night;
        var settings = night.Settings();

        RunRecord interrupted;
        await using (var first = await HostProcess.StartAsync(data.Path, settings))
        {
            var run = await MidRun.StartAsync(first, probe, CaseData.AsOf, decisions: 1000);
            first.Kill();
            await Should.ThrowAsync<HttpRequestException>(run.Answer);
            interrupted = run.Run;
        }

        // Precondition: the kill came in the middle of the run, with some decisions committed and some not.
        probe.DecisionsOfRun(interrupted.Id).ShouldBeGreaterThan(0);
        probe.UndecidedCases(CaseData.AsOf).ShouldBeGreaterThan(0, "the run had finished before the host was killed: the test needs more cases");

        await using var second = await HostProcess.StartAsync(data.Path, settings);

        // The interrupted run is not left `running` for ever: the restarted host (or, in a cluster, another) either
        // finishes it or records it as failed, on its own, without being asked.
        var runs = await WaitUntilNotRunningAsync(second, interrupted.Id, TimeSpan.FromSeconds(60));
        runs.Single(r => r.Id == interrupted.Id).State.ShouldNotBe(RunState.Running, $"{Runs.Describe(runs)}\n{second.Log}");

        // A run of the same night then completes, and every case has its decisions, each key once: it evaluates the
        // cases the killed run did not finish and keeps those it did (or, when the restarted host finished the killed
        // run itself, keeps them all).
        var next = await HostProcessTests.PostRunAsync(second, CaseData.AsOf.ToString("O"));
        next.State.ShouldBe(RunState.Succeeded, second.Log);
        (next.CasesRead + next.CasesKept).ShouldBe(CaseData.LongRunCases);
        probe.Cases().ShouldBe(CaseData.LongRunCases);
        probe.UndecidedCases(CaseData.AsOf).ShouldBe(0);
        probe.DuplicateDecisionKeys().ShouldBe(0);
        probe.RunningRuns().ShouldBe(0);
    }

    private static async Task<List<RunRecord>> WaitUntilNotRunningAsync(HostProcess host, long runId, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var runs = await Json.GetAsync<List<RunRecord>>(host.Client, "/api/runs");
            if (runs.All(r => r.Id != runId || r.State != RunState.Running) || DateTime.UtcNow >= deadline)
            {
                return runs;
            }

            await Task.Delay(250);
        }
    }
}
