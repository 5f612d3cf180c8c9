using Microsoft.Extensions.Logging;
using Quartz;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The Quartz job of <c>serve</c>: one nightly run. Never two at once (<see cref="DisallowConcurrentExecutionAttribute"/>;
/// in a cluster, never two at once in the whole cluster). A scheduled fire evaluates as of its scheduled fire time, so a
/// night is judged at 02:00 even when the scheduler starts it a little later; a catch-up run evaluates as of now.
/// </summary>
/// <remarks>
/// On one host the job runs every partition itself (<see cref="NightlyRun.Run"/>). In a cluster it only records the run
/// and hands its partitions to the cluster (<see cref="ClusterRuns"/>), then returns; a catch-up fire first checks again
/// that the night is still missed, so hosts starting together catch a night up once.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class NightlyJob(NightlyRun run, IServiceProvider services, IStore store, HostSettings settings, TimeProvider time, ILogger<NightlyJob> logger) : IJob
{
    public static readonly JobKey Key = new("nightly-run", "slapolicy");

    /// <summary>Job data key naming the <see cref="RunTrigger"/> of a fire started by hand (catch-up).</summary>
    public const string TriggerKey = "trigger";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var trigger = context.MergedJobDataMap.TryGetValue(TriggerKey, out var value) && value is string text && text == "catch-up"
            ? RunTrigger.CatchUp
            : RunTrigger.Schedule;
        DateTimeOffset? asOf = trigger == RunTrigger.Schedule ? context.ScheduledFireTimeUtc : null;
        if (!settings.ClusterEnabled)
        {
            await Task.Run(() => run.Run(asOf, trigger, null, cancellationToken), cancellationToken);
            return;
        }

        var cluster = (ClusterRuns)services.GetService(typeof(ClusterRuns))!;
        if (context.Recovering && store.GetRuns(1).FirstOrDefault() is { State: RunState.Running } unfinished)
        {
            // The host that fired this died while handing out partitions: hand out the rest of that run.
            logger.LogInformation("run {RunId}: handing out its partitions again after the host that started it died", unfinished.Id);
            await cluster.ScheduleAsync(unfinished.Id, Math.Max(1, unfinished.Partitions), unfinished.AsOf, cancellationToken);
            return;
        }

        if (trigger == RunTrigger.CatchUp)
        {
            var cron = new CronExpression(settings.Cron, TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone));
            var latest = store.GetRuns(20).FirstOrDefault(r => r.State != RunState.Failed);
            if (MissedNight.Find(cron, latest, time.GetUtcNow()) is null)
            {
                logger.LogInformation("catch-up not needed: run {RunId} started {Started:O}, after the missed night", latest?.Id, latest?.StartedAt);
                return;
            }
        }

        await cluster.StartAsync(asOf ?? time.GetUtcNow(), trigger, cancellationToken);
    }
}
