using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlaPolicy.Host.Notifications;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The scheduler of <c>serve</c>: Hangfire, on the storage beside the store (<see cref="SchedulerStorage"/>). At start
/// it registers the recurring job <see cref="NightlyJob.RecurringId"/> (the configured cron in the configured zone) and
/// runs a missed night once. The store's run history is what tells a missed night (see <see cref="MissedNight"/>); a
/// catch-up that finds its night already run (by another host, or by the scheduler's own late fire) does nothing.
/// </summary>
/// <remarks>
/// Two Hangfire servers run in each host: one with <see cref="HostSettings.ClusterThreads"/> workers for the partition
/// jobs (queue <see cref="ScheduledRuns.PartitionQueue"/>), one with two workers for the short jobs (queue
/// <c>default</c>: the nightly start), so that a long partition never holds the start of anything else back. Every host on
/// the same storage takes jobs from the same queues (see docs/SCALE-OUT.md).
/// </remarks>
public sealed class NightlySchedule(
    IRecurringJobManager recurring, IBackgroundJobClient jobs, SchedulerStorage storage, NightlyCron cron, EscalationNotifier notifier, IStore store, HostSettings settings, TimeProvider time, ILogger<NightlySchedule> logger)
    : IHostedService
{
    /// <summary>
    /// Registers the scheduler, its jobs and this service with the host. Throws <see cref="InvalidOperationException"/>
    /// naming the keys when clustering is asked for without a PostgreSQL store, or the cron or zone cannot be read.
    /// </summary>
    public static void AddTo(IHostApplicationBuilder builder)
    {
        var settings = HostSettings.From(builder.Configuration);
        // A cron or zone that cannot be read stops the host here, naming the setting.
        var cron = NightlyCron.Parse(settings.Cron, settings.TimeZone);
        if (settings.ClusterEnabled && (!SchedulerStorage.IsPostgres(settings.StoreProvider) || string.IsNullOrWhiteSpace(settings.StoreConnectionString)))
        {
            throw new InvalidOperationException(
                $"Cluster:Enabled is true but Store:Provider is `{settings.StoreProvider}`{(string.IsNullOrWhiteSpace(settings.StoreConnectionString) ? " and Store:ConnectionString is empty" : string.Empty)}; "
                + "clustered hosts share one PostgreSQL database: set Store:Provider=postgres and Store:ConnectionString, or set Cluster:Enabled=false");
        }

        var services = builder.Services;

        // The store is created and migrated before the scheduler starts.
        services.AddHostedService<StoreMigration>();

        // Hangfire's services, on this host's own storage and container (not its process-wide defaults, so that two
        // hosts in one process, as in the tests, keep to their own).
        services.AddSingleton(sp => SchedulerStorage.Open(settings, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<SchedulerStorage>().Storage);
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(SchedulerLog.Provider));
        var heartbeat = TimeSpan.FromSeconds(Math.Max(0.5, settings.ClusterCheckinIntervalSeconds));
        var poll = TimeSpan.FromSeconds(Math.Max(0.2, settings.SchedulePollSeconds));
        void Common(BackgroundJobServerOptions o, string role)
        {
            o.ServerName = $"{PartitionJob.OwnerOf(settings)}/{role}";
            o.SchedulePollingInterval = poll;
            o.HeartbeatInterval = heartbeat;
            o.ServerCheckInterval = heartbeat;
            o.ServerTimeout = 4 * heartbeat;

            // A partition stopped by a shutdown goes back to the queue at once and is taken over at the next start.
            o.ShutdownTimeout = TimeSpan.FromSeconds(15);
        }

        services.AddHangfireServer(o =>
        {
            Common(o, "partitions");
            o.WorkerCount = settings.ClusterThreads;
            o.Queues = [ScheduledRuns.PartitionQueue];
        });
        services.AddHangfireServer(o =>
        {
            Common(o, "jobs");
            o.WorkerCount = 2;
            o.Queues = ["default"];
        });

        services.AddSingleton(cron);

        // Escalation notifications: found by the runs of this host, delivered by its scheduler's workers.
        var notifications = NotificationSettings.From(builder.Configuration);
        services.AddSingleton(notifications);
        services.AddHttpClient();
        services.AddSingleton<EscalationNotifier>();
        services.AddSingleton<IEscalationNotifier>(sp => sp.GetRequiredService<EscalationNotifier>());
        services.AddTransient<NotificationJob>();
        services.AddSingleton<ScheduledRuns>();
        services.AddTransient<NightlyJob>();
        services.AddTransient<PartitionJob>();
        if (!settings.ClusterEnabled)
        {
            services.AddHostedService<InterruptedRuns>();
        }

        services.AddHostedService<NightlySchedule>();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Relaxed: a fire missed while every host was down runs once when one comes back (NightlyJob judges whether
        // it is late); Ignorable: with Schedule:CatchUp off, a missed fire is dropped.
        recurring.AddOrUpdate<NightlyJob>(
            NightlyJob.RecurringId,
            job => job.Fire("schedule", null),
            settings.Cron,
            new RecurringJobOptions { TimeZone = cron.Zone, MisfireHandling = settings.CatchUp ? MisfireHandlingMode.Relaxed : MisfireHandlingMode.Ignorable });
        var next = cron.Next(time.GetUtcNow()) is { } at ? at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "never (the cron names no date to come)";
        logger.LogInformation("nightly run scheduled on {Storage}: `{Cron}` in {Zone}; next at {Next}", storage.Description, settings.Cron, settings.TimeZone, next);

        // A delivery its host did not hand to the scheduler (it died in between) is due for a while: hand it over now.
        // One handed over twice is sent once more at worst, with the same idempotency key.
        foreach (var lost in store.PendingNotificationsBefore(time.GetUtcNow().AddMinutes(-10)))
        {
            notifier.Enqueue(lost);
        }

        if (settings.CatchUp && MissedNight.Find(cron, store.GetLastSucceededRun(), time.GetUtcNow()) is { } missed)
        {
            logger.LogInformation("the run scheduled for {Missed:O} was missed while the host was down; running it once now", missed);
            jobs.Enqueue<NightlyJob>(job => job.Fire("catch-up", null));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Creates and migrates the store when the host starts, before the scheduler starts.</summary>
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
    public static DateTimeOffset? Find(NightlyCron cron, RunRecord? lastSucceeded, DateTimeOffset now)
    {
        if (lastSucceeded is null)
        {
            return null;
        }

        var next = cron.Next(lastSucceeded.StartedAt);
        return next is { } fire && fire <= now ? fire : null;
    }
}
