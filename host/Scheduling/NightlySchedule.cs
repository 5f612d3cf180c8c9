using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Schedules <see cref="NightlyJob"/> on the host's Quartz scheduler with the configured cron and time zone, and
/// runs a missed night once at start. The in-memory job store forgets fire times across restarts, so the store's
/// run history is what tells a missed night (see <see cref="MissedNight"/>).
/// </summary>
public sealed class NightlySchedule(ISchedulerFactory schedulers, IStore store, HostSettings settings, TimeProvider time, ILogger<NightlySchedule> logger)
    : IHostedService
{
    public static readonly TriggerKey CronTriggerKey = new("nightly-cron", "slapolicy");

    /// <summary>Registers Quartz, the job and this service with the host.</summary>
    public static void AddTo(IHostApplicationBuilder builder)
    {
        builder.AddQuartz(_ => { });
        builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        builder.Services.AddTransient<NightlyJob>();
        builder.Services.AddHostedService<NightlySchedule>();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var cron = new CronExpression(settings.Cron, zone);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<NightlyJob>().WithIdentity(NightlyJob.Key).StoreDurably(true).Build();

        // FireAndProceed: a fire missed while this process was busy or paused runs once, as soon as possible.
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(CronTriggerKey)
            .ForJob(NightlyJob.Key)
            .WithCronSchedule(settings.Cron, b => b.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
        logger.LogInformation("nightly run scheduled: `{Cron}` in {Zone}; next at {Next:O}", settings.Cron, settings.TimeZone, cron.GetNextValidTimeAfter(time.GetUtcNow()));

        if (settings.CatchUp && MissedNight.Find(cron, store.GetLastSucceededRun(), time.GetUtcNow()) is { } missed)
        {
            logger.LogInformation("the run scheduled for {Missed:O} was missed while the host was down; running it once now", missed);
            await scheduler.TriggerJob(NightlyJob.Key, new JobDataMap { [NightlyJob.TriggerKey] = "catch-up" }, cancellationToken);
        }
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
