using SlaPolicy.Host.Web;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>Two real <c>serve</c> hosts sharing Hangfire's PostgreSQL storage in one database.</summary>
[Collection(HostCollection.Name)]
public class ClusterTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-20T19:00:00Z");

    private static Dictionary<string, string?> ClusterSettings(TestStore store, string instance) => new()
    {
        ["Store:Provider"] = "postgres",
        ["Store:ConnectionString"] = store.ConnectionString,
        ["Cluster:Enabled"] = "true",
        ["Cluster:InstanceId"] = instance,
        ["Cluster:Threads"] = "1",
        ["Cluster:CheckinIntervalSeconds"] = "1",
        ["Run:Partitions"] = "8",
        ["Run:BatchSize"] = "5",
        ["Schedule:CatchUp"] = "false",
    };

    [PostgresFact]
    public async Task Serve_TwoHostsOneNight_EveryPartitionDoneOnceAndTheSameDecisionsAsOneHost()
    {
        using var reference = new TestStore(StoreKind.Sqlite);
        reference.Store.Migrate();
        PartitionedRunTests.Seed(reference.Store);
        PartitionedRunTests.Run(reference.Store, 1).Run(AsOf, RunTrigger.Cli).State.ShouldBe(RunState.Succeeded);
        using var database = new TestStore(StoreKind.Postgres);
        database.Store.Migrate();
        PartitionedRunTests.Seed(database.Store);
        using var folderA = new TempFolder();
        using var folderB = new TempFolder();
        await using var hostA = await RunningHost.StartAsync(folderA, ClusterSettings(database, "host-a"));
        await using var hostB = await RunningHost.StartAsync(folderB, ClusterSettings(database, "host-b"));

        var response = await hostA.Client.SendAsync(hostA.Post($"/api/runs?asOf={AsOf:yyyy-MM-ddTHH:mm:ssZ}", string.Empty));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var store = database.Store;
        (await RunningHost.WaitUntil(() => store.GetRuns().Any(r => r.State != RunState.Running), TimeSpan.FromSeconds(90))).ShouldBeTrue();
        var run = store.GetRuns().ShouldHaveSingleItem();
        run.State.ShouldBe(RunState.Succeeded);
        run.Trigger.ShouldBe(RunTrigger.Api);
        run.CasesRead.ShouldBe(60);
        var partitions = store.GetPartitions(run.Id);
        partitions.Count.ShouldBe(8);
        partitions.ShouldAllBe(p => p.State == PartitionState.Done && p.Attempts == 1);
        partitions.ShouldAllBe(p => p.Owner == "host-a" || p.Owner == "host-b");
        partitions.Sum(p => p.CasesRead).ShouldBe(60);
        var decisions = PartitionedRunTests.Snapshot(store);
        decisions.Distinct().Count().ShouldBe(decisions.Length);
        decisions.ShouldBe(PartitionedRunTests.Snapshot(reference.Store));

        // The run and its partitions, as the API shows them.
        var shown = await hostB.Client.GetStringAsync($"/api/runs/{run.Id}");
        shown.ShouldContain("\"partitionsDone\":8");
        shown.ShouldContain("\"attempts\":1");
    }

    [Fact]
    public void Create_ClusterOnSqlite_RefusedNamingTheKeys()
    {
        using var folder = new TempFolder();

        var error = Should.Throw<InvalidOperationException>(() => SlaPolicyWebHost.Create("http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["Store:Path"] = folder.File("slapolicy.db"),
            ["Cluster:Enabled"] = "true",
        }));

        error.Message.ShouldContain("Cluster:Enabled");
        error.Message.ShouldContain("Store:Provider=postgres");
    }
}
