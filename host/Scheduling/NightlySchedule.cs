using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Schedules <see cref="NightlyJob"/> on the host's Quartz scheduler with the configured cron and time zone, and
/// runs a missed night once at start. The store's run history is what tells a missed night (see <see cref="MissedNight"/>):
/// the in-memory job store forgets fire times across restarts, and in a cluster the catch-up is checked again inside the
/// job, so that it runs once across the cluster.
/// </summary>
/// <remarks>
/// With <c>Cluster:Enabled</c>, Quartz keeps its jobs and triggers in the store's PostgreSQL database (tables <c>qrtz_*</c>,
/// created by <see cref="IStore.Migrate"/>) with clustering on: the cron trigger fires on one host of the cluster, and
/// the partition jobs of a run go to whichever hosts have a free thread (see docs/SCALE-OUT.md).
/// </remarks>
public sealed class NightlySchedule(ISchedulerFactory schedulers, IStore store, HostSettings settings, TimeProvider time, ILogger<NightlySchedule> logger)
    : IHostedService
{
    public static readonly TriggerKey CronTriggerKey = new("nightly-cron", "slapolicy");

    /// <summary>The scheduler name every host of a cluster shares (Quartz's <c>sched_name</c>).</summary>
    public const string ClusterSchedulerName = "slapolicy";

    /// <summary>
    /// Registers Quartz, the jobs and this service with the host: the in-memory job store on one host, the clustered
    /// PostgreSQL job store with <c>Cluster:Enabled</c>. Throws <see cref="InvalidOperationException"/> naming the keys when
    /// clustering is asked for without a PostgreSQL store.
    /// </summary>
    public static void AddTo(IHostApplicationBuilder builder)
    {
        var settings = HostSettings.From(builder.Configuration);

        // The store is created and migrated before Quartz starts: in a cluster, Quartz's tables come from its migrations.
        builder.Services.AddHostedService<StoreMigration>();
        if (settings.ClusterEnabled)
        {
            var provider = (settings.StoreProvider ?? string.Empty).Trim().ToLowerInvariant();
            if (provider is not ("postgres" or "postgresql") || string.IsNullOrWhiteSpace(settings.StoreConnectionString))
            {
                throw new InvalidOperationException(
                    $"Cluster:Enabled is true but Store:Provider is `{settings.StoreProvider}`{(string.IsNullOrWhiteSpace(settings.StoreConnectionString) ? " and Store:ConnectionString is empty" : string.Empty)}; "
                    + "clustered hosts share one PostgreSQL database: set Store:Provider=postgres and Store:ConnectionString, or set Cluster:Enabled=false");
            }

            builder.AddQuartz(q =>
            {
                q.ConfigureScheduler(o =>
                {
                    o.InstanceName = ClusterSchedulerName;
                    if (string.Equals(settings.ClusterInstanceId, "AUTO", StringComparison.OrdinalIgnoreCase))
                    {
                        o.GenerateInstanceId = true;
                    }
                    else
                    {
                        o.InstanceId = settings.ClusterInstanceId;
                    }
                });
                q.UseDefaultThreadPool(settings.ClusterThreads);
                q.UsePersistentStore(s =>
                {
                    s.UsePostgres(Npgsql.NpgsqlFactory.Instance, settings.StoreConnectionString!);
                    s.UseSystemTextJsonSerializer();
                    s.UseClustering(c =>
                    {
                        // A host silent for one interval past its expected check-in is taken for dead.
                        c.CheckinInterval = TimeSpan.FromSeconds(Math.Max(0.2, settings.ClusterCheckinIntervalSeconds));
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(Math.Max(0.2, settings.ClusterCheckinIntervalSeconds));
                    });

                    // A partition interrupted by a shutdown is handed back to the cluster rather than dropped.
                    s.ConfigureStore(o => o.RecoverFiringsCancelledByShutdown = true);
                });
            });
            builder.Services.AddSingleton<ClusterRuns>();
        }
        else
        {
            builder.AddQuartz(_ => { });
            builder.Services.AddHostedService<InterruptedRuns>();
        }

        builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        builder.Services.AddTransient<NightlyJob>();
        builder.Services.AddTransient<PartitionJob>();
        builder.Services.AddHostedService<NightlySchedule>();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var cron = new CronExpression(settings.Cron, zone);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<NightlyJob>().WithIdentity(NightlyJob.Key).StoreDurably(true).RequestRecovery(settings.ClusterEnabled).Build();

        // FireAndProceed: a fire missed while this process was busy or paused runs once, as soon as possible.
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(CronTriggerKey)
            .ForJob(NightlyJob.Key)
            .WithCronSchedule(settings.Cron, b => b.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();

        // In a cluster the trigger is shared: a host joining leaves it as it is (its next fire time included) unless
        // its schedule changed; replacing it on every start would move that fire time.
        if (await scheduler.GetTrigger(CronTriggerKey, cancellationToken) is ICronTrigger existing
            && existing.CronExpressionString == settings.Cron && existing.TimeZone.Id == zone.Id)
        {
            logger.LogInformation("nightly run already scheduled in the cluster: `{Cron}` in {Zone}", settings.Cron, settings.TimeZone);
        }
        else
        {
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }

        logger.LogInformation("nightly run scheduled: `{Cron}` in {Zone}; next at {Next:O}", settings.Cron, settings.TimeZone, cron.GetNextValidTimeAfter(time.GetUtcNow()));

        if (settings.CatchUp && MissedNight.Find(cron, store.GetLastSucceededRun(), time.GetUtcNow()) is { } missed)
        {
            logger.LogInformation("the run scheduled for {Missed:O} was missed while the host was down; running it once now", missed);
            await scheduler.TriggerJob(NightlyJob.Key, new JobDataMap { [NightlyJob.TriggerKey] = "catch-up" }, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Creates and migrates the store when the host starts, before the scheduler (which may keep its tables there) starts.</summary>
internal sealed class StoreMigration(IStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the store migrates it (see CoreServices); the schema version is a cheap way to touch it.
        _ = store.SchemaVersion();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Decides whether a scheduled night was missed.</summary>
public static class MissedNight
{
    /// <summary>
    /// The first fire time of <paramref name="cron"/> after the start of <paramref name="lastSucceeded"/> when it is
    /// at or before <paramref name="now"/> (that night was missed); otherwise null. With no run in the store there is
    /// nothing to catch up: a fresh store waits for its first scheduled night (or <c>slapolicy run</c>).
    /// </summary>
    public static DateTimeOffset? Find(CronExpression cron, RunRecord? lastSucceeded, DateTimeOffset now)
    {
        if (lastSucceeded is null)
        {
            return null;
        }

        var next = cron.GetNextValidTimeAfter(lastSucceeded.StartedAt);
        return next is { } fire && fire <= now ? fire : null;
    }
}
