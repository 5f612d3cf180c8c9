using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>The scheduler's storage and the nightly job's decisions, on a real store and real Hangfire storage (no server).</summary>
public class SchedulerTests
{
    // The last 02:00 UTC before now: runs are recorded with the machine's clock, so the nights are real ones.
    private static readonly DateTimeOffset Night = NightlyCron.Parse("0 0 2 * * ?", "UTC").Latest(DateTimeOffset.UtcNow, TimeSpan.FromDays(2))!.Value;

    [Fact]
    public void Open_SecondHostOnTheSameSqliteFile_RefusedNamingTheFileAndTheWayOut()
    {
        using var folder = new TempFolder();
        var settings = new HostSettings { StorePath = folder.File("slapolicy.db") };
        using (var first = SchedulerStorage.Open(settings))
        {
            var error = Should.Throw<InvalidOperationException>(() => SchedulerStorage.Open(settings));

            error.Message.ShouldContain(folder.File("slapolicy.hangfire.db"));
            error.Message.ShouldContain("in use by another host");
            error.Message.ShouldContain($"process {Environment.ProcessId}");
            error.Message.ShouldContain("Store:Provider=postgres");
        }

        // Released with the first: the next host opens it.
        using var next = SchedulerStorage.Open(settings);
        next.Shared.ShouldBeFalse();
    }

    [Fact]
    public void Open_SecondHostInAnotherProcess_Refused()
    {
        using var folder = new TempFolder();
        var settings = new HostSettings { StorePath = folder.File("slapolicy.db") };
        using var held = SchedulerStorage.Open(settings);

        // flock(1) of util-linux takes the same kind of lock the host takes: it cannot get it while this process holds it.
        var lockFile = folder.File("slapolicy.hangfire.db") + ".lock";
        var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("flock", ["--nonblock", lockFile, "true"]) { RedirectStandardError = true })!;
        probe.WaitForExit();

        probe.ExitCode.ShouldNotBe(0);
    }

    [Theory]
    [InlineData("0 0 0 1 1 ? 2099", "year field")]
    [InlineData("every night", "not a cron expression")]
    [InlineData("0 0 25 * * ?", "not a cron expression")]
    public void Parse_CronTheSchedulerCannotRead_RefusedNamingTheSetting(string cron, string reason)
    {
        var error = Should.Throw<InvalidOperationException>(() => NightlyCron.Parse(cron, "UTC"));

        error.Message.ShouldContain("Schedule:Cron");
        error.Message.ShouldContain(reason);
    }

    [Fact]
    public void Parse_UnknownZone_RefusedNamingTheSetting() =>
        Should.Throw<InvalidOperationException>(() => NightlyCron.Parse("0 2 * * *", "Mars/Olympus")).Message.ShouldContain("Schedule:TimeZone");

    [Theory]
    [InlineData("0 2 * * *", "2026-11-21T02:00:05Z", "2026-11-21T02:00:00Z")]
    [InlineData("0 0 2 * * ?", "2026-11-21T01:59:59Z", "2026-11-20T02:00:00Z")]
    [InlineData("30 1 * * *", "2026-11-21T10:00:00Z", "2026-11-21T01:30:00Z")]
    public void Latest_TheFireAtOrBefore(string cron, string instant, string expected) =>
        NightlyCron.Parse(cron, "UTC").Latest(DateTimeOffset.Parse(instant), TimeSpan.FromDays(2)).ShouldBe(DateTimeOffset.Parse(expected));

    [Fact]
    public void Fire_OnTime_StartsTheRunAsOfTheScheduledTimeAndEnqueuesItsPartitions()
    {
        using var night = new NightFixture();

        var outcome = night.Job.Fire(RunTrigger.Schedule, Night.AddSeconds(3), Night.AddSeconds(4));

        outcome.RunId.ShouldNotBeNull(outcome.Reason);
        var run = night.Store.GetRun(outcome.RunId.Value)!;
        run.AsOf.ShouldBe(Night);
        run.Trigger.ShouldBe(RunTrigger.Schedule);
        night.Store.GetPartitions(run.Id).Count.ShouldBe(3);
        night.Enqueued(ScheduledRuns.PartitionQueue).ShouldBe(3);
    }

    [Fact]
    public void Fire_RunStillInProgress_SkippedNotQueued()
    {
        using var night = new NightFixture();
        var first = night.Job.Fire(RunTrigger.Schedule, Night, Night.AddSeconds(1));

        var second = night.Job.Fire(RunTrigger.CatchUp, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

        second.RunId.ShouldBeNull();
        second.Reason.ShouldContain($"run {first.RunId} ");
        second.Reason.ShouldContain("still in progress");
        night.Store.GetRuns().Count.ShouldBe(1);
        night.Enqueued(ScheduledRuns.PartitionQueue).ShouldBe(3);
    }

    [Fact]
    public void Fire_RunAbandonedLongAgo_RecordedFailedAndTheNightRuns()
    {
        // Schedule:MaxRunHours 0: any run still recorded running is taken for abandoned.
        using var night = new NightFixture(maxRunHours: 0);
        var stale = night.Job.Fire(RunTrigger.Schedule, Night, Night.AddSeconds(1));

        var next = night.Job.Fire(RunTrigger.CatchUp, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

        next.RunId.ShouldNotBeNull(next.Reason);
        var abandoned = night.Store.GetRun(stale.RunId!.Value)!;
        abandoned.State.ShouldBe(RunState.Failed);
        abandoned.Error.ShouldNotBeNull().ShouldContain("abandoned");
    }

    [Fact]
    public void Fire_LateFire_IsACatchUpAsOfNow()
    {
        using var night = new NightFixture();
        var now = Night.AddHours(3);

        var outcome = night.Job.Fire(RunTrigger.Schedule, now, now);

        var run = night.Store.GetRun(outcome.RunId!.Value)!;
        run.Trigger.ShouldBe(RunTrigger.CatchUp);
        run.AsOf.ShouldBe(now);
    }

    [Fact]
    public void Fire_CatchUpOfANightThatAlreadyRan_DoesNothing()
    {
        using var night = new NightFixture();
        var ran = night.Job.Fire(RunTrigger.Schedule, Night, Night.AddSeconds(1));
        night.Finish(ran.RunId!.Value);

        // The scheduler's own late fire and the host's catch-up at start, for the same night: once.
        var again = night.Job.Fire(RunTrigger.CatchUp, Night.AddHours(2), Night.AddHours(2));

        again.RunId.ShouldBeNull();
        again.Reason.ShouldContain("already ran");
        night.Store.GetRuns().Count.ShouldBe(1);
    }

    [Fact]
    public void Fire_LateWithCatchUpOff_Skipped()
    {
        using var night = new NightFixture(catchUp: false);

        var outcome = night.Job.Fire(RunTrigger.Schedule, Night.AddHours(3), Night.AddHours(3));

        outcome.RunId.ShouldBeNull();
        outcome.Reason.ShouldContain("Schedule:CatchUp is off");
    }

    /// <summary>A store, the scheduler's SQLite storage and the nightly job over them, with a cron of 02:00 UTC.</summary>
    private sealed class NightFixture : IDisposable
    {
        private readonly TempFolder _folder = new();
        private readonly SchedulerStorage _storage;

        public NightFixture(bool catchUp = true, double maxRunHours = 20)
        {
            var settings = new HostSettings
            {
                StorePath = _folder.File("slapolicy.db"),
                Cron = "0 0 2 * * ?",
                TimeZone = "UTC",
                RunPartitions = 3,
                CatchUp = catchUp,
                ScheduleMaxRunHours = maxRunHours,
            };
            var store = new SqliteStore(settings.StorePath);
            store.Migrate();
            Store = store;
            _storage = SchedulerStorage.Open(settings);
            var run = new NightlyRun(store, SamplePolicyEvaluator.Provider, TimeProvider.System, settings, NullLogger<NightlyRun>.Instance);
            var runs = new ScheduledRuns(new BackgroundJobClient(_storage.Storage), run, SamplePolicyEvaluator.Provider, store, settings, NullLogger<ScheduledRuns>.Instance);
            var cron = NightlyCron.Parse(settings.Cron, settings.TimeZone);
            Job = new NightlyJob(runs, run, store, settings, cron, _storage, TimeProvider.System, NullLogger<NightlyJob>.Instance);
        }

        public IStore Store { get; }

        public NightlyJob Job { get; }

        public long Enqueued(string queue) => _storage.Storage.GetMonitoringApi().EnqueuedCount(queue);

        /// <summary>Records every partition of the run done, so that it succeeds.</summary>
        public void Finish(long runId)
        {
            foreach (var p in Store.GetPartitions(runId))
            {
                Store.ClaimPartition(runId, p.Partition, "test", DateTimeOffset.UtcNow, takeOver: false).ShouldNotBeNull();
                Store.FinishPartition(runId, p.Partition, "test", new PartitionCompletion(PartitionState.Done, DateTimeOffset.UtcNow, 0, 0, 0, 0, null)).ShouldBeTrue();
            }

            Store.TryCompleteRun(runId, DateTimeOffset.UtcNow, []).ShouldBeTrue();
        }

        public void Dispose()
        {
            _storage.Dispose();
            _folder.Dispose();
        }
    }
}
