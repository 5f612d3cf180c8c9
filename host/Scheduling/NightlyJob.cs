using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The Hangfire job of <c>serve</c> that starts a nightly run: the recurring job <see cref="RecurringId"/> (the
/// configured cron) and the catch-up of a missed night enqueue it. It records the run and hands its partitions to the
/// scheduler (<see cref="ScheduledRuns"/>), then returns; the partitions run as <see cref="PartitionJob"/>s on whichever
/// hosts have a free worker.
/// </summary>
/// <remarks>
/// A night is one fire of the cron. A scheduled fire evaluates as of its scheduled time, so a night is judged at 02:00
/// even when the scheduler starts it a little later; a fire more than <see cref="Lateness"/> late (the host was down or
/// busy) is a catch-up, judged as of now. Under one distributed lock, a fire is skipped when a run is still in progress
/// (it does not queue behind it) and when the night it belongs to has already run (a catch-up and the scheduler's own
/// late fire, or two hosts starting together, run a missed night once).
/// </remarks>
public sealed class NightlyJob(ScheduledRuns runs, NightlyRun run, IStore store, HostSettings settings, NightlyCron cron, SchedulerStorage storage, TimeProvider time, ILogger<NightlyJob> logger)
{
    /// <summary>The recurring job's id in Hangfire (and on the dashboard).</summary>
    public const string RecurringId = "nightly-run";

    /// <summary>How late a scheduled fire may start and still be judged as of its scheduled time.</summary>
    public static readonly TimeSpan Lateness = TimeSpan.FromMinutes(10);

    /// <summary>What a fire became: a run, or why there was none.</summary>
    public sealed record Outcome(long? RunId, string Reason);

    /// <summary>
    /// Starts the night. <paramref name="trigger"/> is <c>schedule</c> (the recurring job) or <c>catch-up</c>; the
    /// scheduled time comes from the job's <c>Time</c> parameter, set by Hangfire's recurring scheduler.
    /// </summary>
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300])]
    [JobDisplayName("nightly run ({0})")]
    public Outcome Fire(string trigger, PerformContext? context)
    {
        var now = time.GetUtcNow();
        var scheduledAt = context?.GetJobParameter<long?>("Time") is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : now;
        return Fire(trigger == "catch-up" ? RunTrigger.CatchUp : RunTrigger.Schedule, scheduledAt, now);
    }

    /// <summary>See <see cref="Fire(string, PerformContext?)"/>; <paramref name="scheduledAt"/> is when the fire was due.</summary>
    internal Outcome Fire(RunTrigger trigger, DateTimeOffset scheduledAt, DateTimeOffset now)
    {
        var night = cron.Latest(scheduledAt, TimeSpan.FromDays(2)) ?? scheduledAt;
        var late = now - night > Lateness;
        if (late && !settings.CatchUp)
        {
            return Skip($"the night of {night:O} fired {now - night:g} late and Schedule:CatchUp is off");
        }

        var (asOf, kind) = trigger == RunTrigger.Schedule && !late ? (night, RunTrigger.Schedule) : (now, RunTrigger.CatchUp);

        // One host at a time decides; the lock is held only while the run is recorded, never while it runs.
        using var connection = storage.Storage.GetConnection();
        using (connection.AcquireDistributedLock("slapolicy:nightly-start", TimeSpan.FromMinutes(1)))
        {
            if (run.InProgress(now) is { } running)
            {
                return Skip($"run {running.Id} (started {running.StartedAt:O}) is still in progress");
            }

            if (store.GetRuns(20).FirstOrDefault(r => r.State != RunState.Failed && r.StartedAt >= night) is { } done)
            {
                return Skip($"the night of {night:O} already ran (run {done.Id}, started {done.StartedAt:O})");
            }

            var started = runs.Start(asOf, kind);
            return new Outcome(started.Id, started.State == RunState.Failed ? started.Error ?? "failed" : "started");
        }

        Outcome Skip(string reason)
        {
            logger.LogInformation("nightly run ({Trigger}) skipped: {Reason}", trigger, reason);
            return new Outcome(null, reason);
        }
    }
}
