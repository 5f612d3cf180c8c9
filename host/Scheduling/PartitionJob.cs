using System.Globalization;
using Quartz;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The Quartz job of a clustered host that runs one partition of a run (<see cref="NightlyRun.RunPartition"/>). Scheduled
/// by <see cref="ClusterRuns"/>, one per partition, and stored with <c>RequestRecovery</c>: when the host running it dies,
/// Quartz fires it again on another host (or on this one restarted), which then takes the partition over.
/// </summary>
public sealed class PartitionJob(NightlyRun run) : IJob
{
    /// <summary>Job group of the partition jobs.</summary>
    public const string Group = "slapolicy-partitions";

    public const string RunIdKey = "runId";
    public const string PartitionKey = "partition";
    public const string PartitionsKey = "partitions";
    public const string AsOfKey = "asOf";

    /// <summary>The job (and trigger) key of partition <paramref name="partition"/> of run <paramref name="runId"/>: one job per partition, ever.</summary>
    public static JobKey KeyOf(long runId, int partition) => new(Name(runId, partition), Group);

    internal static string Name(long runId, int partition) => string.Create(CultureInfo.InvariantCulture, $"run-{runId}-partition-{partition}");

    /// <summary>The job detail of one partition: not durable (gone once it ran), recovered when its host dies.</summary>
    public static IJobDetail Create(long runId, int partition, int partitions, DateTimeOffset asOf) =>
        JobBuilder.Create<PartitionJob>()
            .WithIdentity(KeyOf(runId, partition))
            .RequestRecovery(true)
            .UsingJobData(RunIdKey, runId.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(PartitionKey, partition.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(PartitionsKey, partitions.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(AsOfKey, asOf.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))
            .Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var runId = long.Parse(data.GetString(RunIdKey)!, CultureInfo.InvariantCulture);
        var partition = int.Parse(data.GetString(PartitionKey)!, CultureInfo.InvariantCulture);
        var partitions = int.Parse(data.GetString(PartitionsKey)!, CultureInfo.InvariantCulture);
        var asOf = DateTimeOffset.Parse(data.GetString(AsOfKey)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        // A recovering fire means Quartz found the host that ran it dead: the partition it left running is taken over.
        var owner = context.Scheduler.SchedulerInstanceId;
        await Task.Run(() => run.RunPartition(runId, partition, partitions, asOf, owner, takeOver: context.Recovering, cancellationToken), cancellationToken);
    }
}
