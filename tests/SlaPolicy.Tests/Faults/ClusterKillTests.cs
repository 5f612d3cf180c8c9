namespace SlaPolicy.Tests.Faults;

/// <summary>
/// Two clustered hosts (separate processes) share a night on one PostgreSQL database; the host running a partition is
/// killed with SIGKILL. The scheduler hands that partition's job to the other host once the dead one stops renewing it: the run completes once,
/// every case decided, no decision stored twice.
/// </summary>
public class ClusterKillTests
{
    private const int Partitions = 4;

    [Theory, PostgresData]
    public async Task KillClusteredHost_MidPartition_OtherHostTakesItOverAndTheRunCompletesOnce(StoreKind kind)
    {
        using var night = new LongRunStore(kind);
        var (store, data, probe) = night;
        var records = store.Open();

        await using var a = await HostProcess.StartAsync(data.Path, Settings(store, "host-a"));
        await using var b = await HostProcess.StartAsync(data.Path, Settings(store, "host-b"));

        // A clustered host answers 202 at once: the partitions go to whichever host has a free thread.
        var asOf = CaseData.AsOf.ToString("O", CultureInfo.InvariantCulture);
        using var posted = await a.Client.PostAsync($"/api/runs?asOf={Uri.EscapeDataString(asOf)}", null);
        posted.StatusCode.ShouldBe(HttpStatusCode.Accepted, a.Log);
        var runId = JsonSerializer.Deserialize<RunRecord>(await posted.Content.ReadAsStringAsync(), Json.Options)!.Id;

        // The victim: the host running a partition that has committed decisions but is not finished.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        RunPartition? running = null;
        while (running is null && DateTime.UtcNow < deadline)
        {
            running = records.GetPartitions(runId).FirstOrDefault(p => p.State == PartitionState.Running && p.Owner is not null);
            if (running is null || probe.DecisionsOfRun(runId) == 0)
            {
                running = null;
                await Task.Delay(50);
            }
        }

        running.ShouldNotBeNull($"no partition was seen running\n{a.Log}\n{b.Log}");
        var (victim, survivor, survivorId) = running.Owner == "host-a" ? (a, b, "host-b") : (b, a, "host-a");
        victim.Kill();

        // Precondition: the kill came in the middle of that partition.
        var killed = records.GetPartitions(runId).Single(p => p.Partition == running.Partition);
        killed.State.ShouldBe(PartitionState.Running, "the partition finished before its host was killed: the test needs more cases");

        var runs = await Runs.WaitUntilSettledAsync(survivor, CaseData.AsOf, TimeSpan.FromSeconds(90));
        Runs.Settled(runs, CaseData.AsOf).ShouldBeTrue($"{Runs.Describe(runs)}\n{survivor.Log}");
        runs.Where(r => r.State == RunState.Succeeded).ShouldHaveSingleItem().Id.ShouldBe(runId);

        // Every partition done; the killed one taken over by the survivor on a second attempt.
        var partitions = records.GetPartitions(runId);
        partitions.Count.ShouldBe(Partitions);
        partitions.ShouldAllBe(p => p.State == PartitionState.Done);
        var takenOver = partitions.Single(p => p.Partition == running.Partition);
        takenOver.Owner.ShouldBe(survivorId);
        takenOver.Attempts.ShouldBe(2);

        probe.Cases().ShouldBe(CaseData.LongRunCases);
        probe.UndecidedCases(CaseData.AsOf).ShouldBe(0);
        probe.DuplicateDecisionKeys().ShouldBe(0);
        probe.RunningRuns().ShouldBe(0);
    }

    private static Dictionary<string, string?> Settings(TestStore store, string instanceId)
    {
        var settings = store.HostSettings();
        settings["Cluster:Enabled"] = "true";
        settings["Cluster:InstanceId"] = instanceId;
        settings["Cluster:CheckinIntervalSeconds"] = "1";
        settings["Cluster:Threads"] = "1";
        settings["Cluster:InvisibilityTimeoutSeconds"] = "5";
        settings["Run:Partitions"] = Partitions.ToString(CultureInfo.InvariantCulture);
        settings["Run:BatchSize"] = "500";
        return settings;
    }
}
