using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// On a host outside a cluster, finishes at start the runs a killed or crashed process of this machine left
/// <c>running</c> (<see cref="NightlyRun.ResumeInterrupted"/>), in the background so that the host answers meanwhile.
/// In a cluster the scheduler does this instead: it hands the dead host's partition jobs to a live host.
/// </summary>
public sealed class InterruptedRuns(NightlyRun run, ILogger<InterruptedRuns> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            try
            {
                foreach (var resumed in run.ResumeInterrupted(stoppingToken))
                {
                    logger.LogInformation("interrupted run {RunId} finished: {State}, {Cases} cases, {Written} decisions", resumed.Id, resumed.State, resumed.CasesRead, resumed.DecisionsWritten);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "interrupted runs could not be resumed");
            }
        },
        stoppingToken);
}
