using Quartz;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The Quartz job of <c>serve</c>: one nightly run. Never two at once (<see cref="DisallowConcurrentExecutionAttribute"/>).
/// A scheduled fire evaluates as of its scheduled fire time, so a night is judged at 02:00 even when the
/// scheduler starts it a little later; a catch-up run evaluates as of now.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NightlyJob(NightlyRun run) : IJob
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
        await Task.Run(() => run.Run(asOf, trigger, null, cancellationToken), cancellationToken);
    }
}
