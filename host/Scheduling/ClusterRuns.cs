using Microsoft.Extensions.Logging;
using Quartz;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Starts a run on a cluster: records the run and its partitions, then schedules one <see cref="PartitionJob"/> per
/// partition on the clustered Quartz scheduler, which hands them to whichever hosts have a free thread. Returns at once;
/// the last partition done completes the run (see <see cref="NightlyRun.RunPartition"/>).
/// </summary>
public sealed class ClusterRuns(ISchedulerFactory schedulers, NightlyRun run, IStore store, HostSettings settings, ILogger<ClusterRuns> logger)
{
    /// <summary>Records a run as of <paramref name="asOf"/> and schedules its partitions; returns the run as recorded (running).</summary>
    public async Task<RunRecord> StartAsync(DateTimeOffset asOf, RunTrigger trigger, CancellationToken cancellationToken)
    {
        var runId = run.StartRun(asOf, trigger);
        await ScheduleAsync(runId, settings.RunPartitions, asOf, cancellationToken);
        logger.LogInformation("run {RunId} ({Trigger}) as of {AsOf:O}: {Partitions} partitions handed to the cluster", runId, trigger, asOf, settings.RunPartitions);
        return store.GetRun(runId)!;
    }

    /// <summary>
    /// Schedules the partition jobs of a recorded run. A partition whose job is already stored (scheduled or running) is
    /// left alone, so scheduling a run again (a recovered <see cref="NightlyJob"/>) adds only what is missing; a job
    /// scheduled for a partition that is already done finds nothing to do.
    /// </summary>
    public async Task ScheduleAsync(long runId, int partitions, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        for (var p = 0; p < partitions; p++)
        {
            var job = PartitionJob.Create(runId, p, partitions, asOf);
            var trigger = TriggerBuilder.Create()
                .WithIdentity(PartitionJob.Name(runId, p), PartitionJob.Group)
                .ForJob(job)
                .StartNow()
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            try
            {
                await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Scheduled before, still waiting or running somewhere: that job will do it.
            }
        }
    }
}
