using Hangfire;
using Microsoft.Extensions.Logging;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Starts a run on the scheduler: records the run and its partitions, then enqueues one <see cref="PartitionJob"/> per
/// partition, which whichever host has a free worker takes. Returns at once; the last partition done completes the run
/// (see <see cref="NightlyRun.RunPartition"/>).
/// </summary>
public sealed class ScheduledRuns(IBackgroundJobClient jobs, NightlyRun run, IEvaluatorProvider evaluators, IStore store, HostSettings settings, ILogger<ScheduledRuns> logger)
{
    /// <summary>The queue of the partition jobs; the workers of <see cref="HostSettings.ClusterThreads"/> serve only it.</summary>
    public const string PartitionQueue = "partitions";

    /// <summary>
    /// Records a run as of <paramref name="asOf"/> and enqueues its partitions; returns the run as recorded (running).
    /// With <paramref name="full"/> every case is evaluated. With no compiled policies in force the run is recorded failed with the reason, and nothing is enqueued.
    /// </summary>
    public RunRecord Start(DateTimeOffset asOf, RunTrigger trigger, bool full = false)
    {
        if (run.TryRefuse(evaluators.Current, asOf, trigger) is { } refused)
        {
            return refused;
        }

        var runId = run.StartRun(asOf, trigger, full);
        var partitions = settings.RunPartitions;
        for (var p = 0; p < partitions; p++)
        {
            var partition = p;
            jobs.Create<PartitionJob>(j => j.Run(runId, partition, partitions, asOf, null, CancellationToken.None), new Hangfire.States.EnqueuedState(PartitionQueue));
        }

        logger.LogInformation("run {RunId} ({Trigger}) as of {AsOf:O}: {Partitions} partitions enqueued", runId, trigger, asOf, partitions);
        return store.GetRun(runId)!;
    }
}
