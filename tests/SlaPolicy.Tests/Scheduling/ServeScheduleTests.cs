namespace SlaPolicy.Tests.Scheduling;

/// <summary>The real host with the real Hangfire scheduler and real SQLite files.</summary>
[Collection(HostCollection.Name)]
public class ServeScheduleTests
{
    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public async Task Serve_CronAFewSecondsAhead_TheRunHappens(StoreKind kind)
    {
        using var folder = new TempFolder();
        var fire = DateTimeOffset.UtcNow.AddSeconds(6);
        var cron = string.Create(CultureInfo.InvariantCulture, $"{fire.Second} {fire.Minute} {fire.Hour} * * ?");
        await using var host = await RunningHost.StartAsync(folder, new Dictionary<string, string?> { ["Schedule:Cron"] = cron, ["Schedule:TimeZone"] = "UTC" }, store: kind);
        host.Store.Ingest(new RecordBatch([Cases.Open("C-1", "2026-11-20T16:30:00+01:00")], [], [], [], [], DateTimeOffset.UtcNow));

        var ran = await RunningHost.WaitUntil(() => host.Store.GetRuns().Any(r => r.State == RunState.Succeeded), TimeSpan.FromSeconds(60));

        ran.ShouldBeTrue();
        var run = host.Store.GetRuns().ShouldHaveSingleItem();
        run.Trigger.ShouldBe(RunTrigger.Schedule);
        run.CasesRead.ShouldBe(1);

        // A scheduled fire is judged as of its scheduled time (whole seconds), not whenever it started.
        run.AsOf.ShouldBe(new DateTimeOffset(fire.Year, fire.Month, fire.Day, fire.Hour, fire.Minute, fire.Second, TimeSpan.Zero));
    }

    [Fact]
    public async Task Serve_RestartedBeforeTheFire_TheScheduleIsKeptAndTheRunHappensOnce()
    {
        using var folder = new TempFolder();
        var fire = DateTimeOffset.UtcNow.AddSeconds(10);
        var cron = string.Create(CultureInfo.InvariantCulture, $"{fire.Second} {fire.Minute} {fire.Hour} * * ?");
        var settings = new Dictionary<string, string?> { ["Schedule:Cron"] = cron, ["Schedule:TimeZone"] = "UTC" };
        await using (var first = await RunningHost.StartAsync(folder, settings))
        {
            first.Store.Ingest(new RecordBatch([Cases.Open("C-1", "2026-11-20T16:30:00+01:00")], [], [], [], [], DateTimeOffset.UtcNow));
        }

        // The recurring job is in the scheduler's file beside the store; the host started again finds it there.
        using (var storage = SchedulerStorage.Open(new HostSettings { StorePath = folder.File("slapolicy.db") }))
        {
            using var connection = storage.Storage.GetConnection();
            Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ShouldContain(j => j.Id == NightlyJob.RecurringId && j.Cron == cron);
        }

        await using var second = await RunningHost.StartAsync(folder, settings);
        var ran = await RunningHost.WaitUntil(() => second.Store.GetRuns().Any(r => r.State == RunState.Succeeded), TimeSpan.FromSeconds(60));

        ran.ShouldBeTrue();
        await Task.Delay(2000);
        var run = second.Store.GetRuns().ShouldHaveSingleItem();
        run.Trigger.ShouldBe(RunTrigger.Schedule);
        run.AsOf.ShouldBe(new DateTimeOffset(fire.Year, fire.Month, fire.Day, fire.Hour, fire.Minute, fire.Second, TimeSpan.Zero));
    }

    [Fact]
    public async Task Serve_SecondHostOnTheSameFiles_RefusedAtStart()
    {
        using var folder = new TempFolder();
        await using var first = await RunningHost.StartAsync(folder);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => RunningHost.StartAsync(folder));

        error.Message.ShouldContain("in use by another host");
    }

    [Fact]
    public async Task Serve_NightMissedWhileDown_RunsOnceAtStart()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        var longAgo = DateTimeOffset.UtcNow.AddDays(-3);
        var id = store.StartRun(longAgo, longAgo, RunTrigger.Schedule);
        store.FinishRun(id, new RunCompletion(RunState.Succeeded, longAgo.AddMinutes(1), 0, 0, 0, 0, 60_000, [], null));

        // The nightly schedule, 02:00: its nights of the last three days were missed.
        await using var host = await RunningHost.StartAsync(folder, new Dictionary<string, string?> { ["Schedule:Cron"] = "0 0 2 * * ?" });
        var caughtUp = await RunningHost.WaitUntil(() => host.Store.GetRuns().Any(r => r.Trigger == RunTrigger.CatchUp && r.State == RunState.Succeeded), TimeSpan.FromSeconds(60));

        caughtUp.ShouldBeTrue();

        // Once: the catch-up is one run, whatever the number of nights missed.
        host.Store.GetRuns().Count(r => r.Trigger == RunTrigger.CatchUp).ShouldBe(1);
    }

    [Fact]
    public async Task Serve_Restarted_EverythingIsStillThere()
    {
        using var folder = new TempFolder();
        await using (var first = await RunningHost.StartAsync(folder))
        {
            var ingest = await first.Client.SendAsync(first.Post("/api/cases", Cases.Json("C-7", "2026-11-20T16:30:00+01:00")));
            ingest.EnsureSuccessStatusCode();
            var run = await first.Client.SendAsync(first.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty));
            run.EnsureSuccessStatusCode();
        }

        await using var second = await RunningHost.StartAsync(folder);

        var why = await second.Client.GetStringAsync("/api/cases/C-7/why");
        // Opened 15:30Z, no response, as of 19:00Z: resolution 210 of 240 min (running); first response breached; the
        // `vip` tag makes it level 3, first reached when the 15-minute response target was used up at 15:45Z.
        why.ShouldContain("\"status\":\"running\"");
        why.ShouldContain("\"level\":3");
        why.ShouldContain("\"firstReachedAt\":\"2026-11-20T15:45:00+00:00\"");
        second.Store.GetRuns().ShouldHaveSingleItem().DecisionsWritten.ShouldBe(2);
    }
}

[CollectionDefinition(Name)]
public sealed class HostCollection
{
    /// <summary>Tests that start a host run one after another: each starts a scheduler and a server.</summary>
    public const string Name = "host";
}
