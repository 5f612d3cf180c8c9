using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>Progress of a run: cases evaluated so far out of the cases in the store when it started.</summary>
public readonly record struct RunProgress(long CasesRead, long CasesTotal, long DecisionsWritten);

/// <summary>
/// The nightly job: streams every stored case, evaluates it as of one instant with the policies in force,
/// writes decisions and escalation history in batches (one transaction each) and records the run.
/// Thread-safe; runs in one process never overlap (a second caller waits, or is refused by <see cref="TryRun"/>).
/// </summary>
/// <remarks>
/// A case whose evaluation throws gets an <see cref="DecisionStatus.Error"/> decision (fail closed) and counts
/// as rejected; the run goes on. Running the same asOf twice over unchanged inputs rewrites nothing.
/// </remarks>
public sealed class NightlyRun(IStore store, IEvaluatorProvider evaluators, TimeProvider time, HostSettings settings, ILogger<NightlyRun> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs now, waiting for a run in progress to finish first. <paramref name="asOf"/> defaults to now.</summary>
    public RunRecord Run(DateTimeOffset? asOf, RunTrigger trigger, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _gate.Wait(cancellationToken);
        try
        {
            return RunCore(asOf ?? time.GetUtcNow(), trigger, progress, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs now unless a run is already in progress in this process (then returns null).</summary>
    public RunRecord? TryRun(DateTimeOffset? asOf, RunTrigger trigger, CancellationToken cancellationToken = default)
    {
        if (!_gate.Wait(0, cancellationToken))
        {
            return null;
        }

        try
        {
            return RunCore(asOf ?? time.GetUtcNow(), trigger, null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private RunRecord RunCore(DateTimeOffset asOf, RunTrigger trigger, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var evaluator = evaluators.Current;
        var versions = evaluator.PolicyVersions;
        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var runId = store.StartRun(asOf, started, trigger);
        logger.LogInformation("run {RunId} started ({Trigger}), as of {AsOf:O}, policies {Versions}", runId, trigger, asOf, string.Join(", ", versions));
        long cases = 0, written = 0, changed = 0, rejected = 0;
        try
        {
            var total = store.CountCases();
            var batchSize = Math.Max(1, settings.RunBatchSize);
            var batch = new List<Decision>(batchSize * 2);
            var casesInBatch = 0;
            using var sink = store.OpenDecisionSink(runId);

            void Flush()
            {
                if (batch.Count > 0)
                {
                    var result = sink.Write(batch);
                    written += result.Written;
                    changed += result.Changed;
                    batch.Clear();
                }

                casesInBatch = 0;
                progress?.Report(new RunProgress(cases, total, written));
            }

            foreach (var ticket in store.ReadCases(cancellationToken))
            {
                cases++;
                try
                {
                    batch.AddRange(evaluator.Evaluate(ticket, asOf, settings.Explain));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    rejected++;
                    logger.LogWarning(ex, "case {CaseId} could not be evaluated", ticket.Id);
                    batch.Add(new Decision(ticket.Id, null, null, null, DecisionStatus.Error, null, 0, 0, 0, 0, asOf, null, 0, null, ticket.Customer, ticket.Service,
                        [new ExplanationStep("error", $"evaluation failed: {ex.Message}")]));
                }

                if (++casesInBatch >= batchSize)
                {
                    Flush();
                }
            }

            Flush();
            var record = Finish(runId, RunState.Succeeded, null);
            logger.LogInformation("run {RunId} succeeded: {Cases} cases, {Written} decisions ({Changed} changed), {Rejected} rejected, {Ms} ms",
                runId, cases, written, changed, rejected, record.DurationMs);
            return record;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "run {RunId} failed after {Cases} cases", runId, cases);
            return Finish(runId, RunState.Failed, ex.Message);
        }

        RunRecord Finish(long id, RunState state, string? error)
        {
            store.FinishRun(id, new RunCompletion(state, time.GetUtcNow(), cases, written, changed, rejected, stopwatch.ElapsedMilliseconds, versions, error));
            return store.GetRun(id)!;
        }
    }
}
