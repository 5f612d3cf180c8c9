namespace SlaPolicy.Tests.Faults;

/// <summary>The PostgreSQL server restarted (crashed: immediate stop) in the middle of a nightly run.</summary>
public class DatabaseRestartTests
{
    [Fact]
    public async Task RestartDatabase_MidRun_RunRetriedAndCompletedWithoutDuplicateDecisions()
    {
        await using var server = await PrivatePostgres.StartAsync();
        var connectionString = server.ConnectionStringFor("slapolicy");
        using (var store = new PostgresStore(connectionString))
        {
            store.Migrate();
            CaseData.Ingest(store, CaseData.LongRunCases);
        }

        using var data = new TempFolder();
        var probe = StoreProbe.Postgres(connectionString);
        await using var host = await HostProcess.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Store:Provider"] = "postgres",
            ["Store:ConnectionString"] = connectionString,
            ["Run:BatchSize"] = "500",
        });
        var run = await MidRun.StartAsync(host, probe, CaseData.AsOf, decisions: 1000);

        await server.RestartAsync(immediate: true);

        // Precondition: the crash came in the middle of the run, with some decisions committed and some not.
        probe.UndecidedCases(CaseData.AsOf).ShouldBeGreaterThan(0, "the run had finished before the database was restarted: the test needs more cases");

        // The answer to the POST may come back either way; what counts is what the store holds once the host
        // has got over the restart: the run retried and completed, nothing left running, every case decided once.
        try
        {
            (await run.Answer).Dispose();
        }
        catch (HttpRequestException)
        {
        }

        var runs = await Runs.WaitUntilSettledAsync(host, CaseData.AsOf, TimeSpan.FromSeconds(60));
        Runs.Settled(runs, CaseData.AsOf).ShouldBeTrue($"{Runs.Describe(runs)}\n{host.Log}\nserver log:\n{server.LogTail()}");
        host.HasExited.ShouldBeFalse(host.Log);
        probe.Cases().ShouldBe(CaseData.LongRunCases);
        probe.UndecidedCases(CaseData.AsOf).ShouldBe(0);
        probe.DuplicateDecisionKeys().ShouldBe(0);
        probe.RunningRuns().ShouldBe(0);
    }
}
