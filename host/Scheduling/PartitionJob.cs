using Hangfire;
using Hangfire.Server;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The Hangfire job that runs one partition of a run (<see cref="NightlyRun.RunPartition"/>), enqueued by
/// <see cref="ScheduledRuns"/>, one per partition. The partition's claim records this job's id: when the host running
/// it dies, the scheduler hands the same job to another host (on PostgreSQL once the host stops renewing it, after
/// <see cref="HostSettings.ClusterInvisibilityTimeoutSeconds"/>), which then takes the partition over.
/// </summary>
public sealed class PartitionJob(NightlyRun run, HostSettings settings)
{
    /// <summary>The owner this host records on the partitions it runs: <c>Cluster:InstanceId</c>, or <c>machine:pid</c>.</summary>
    public static string OwnerOf(HostSettings settings) =>
        string.Equals(settings.ClusterInstanceId, "AUTO", StringComparison.OrdinalIgnoreCase) ? NightlyRun.LocalOwner : settings.ClusterInstanceId;

    /// <summary>
    /// Runs the partition. Not retried by Hangfire: a failure is the partition's (and the run's), recorded by
    /// <see cref="NightlyRun.RunPartition"/> after its own retries of transient database failures.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("run {0}, partition {1} of {2}")]
    public PartitionResult Run(long runId, int partition, int partitions, DateTimeOffset asOf, PerformContext? context, CancellationToken cancellationToken) =>
        run.RunPartition(runId, partition, partitions, asOf, OwnerOf(settings), takeOver: false, job: context?.BackgroundJob.Id, cancellationToken);
}
