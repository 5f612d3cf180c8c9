using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>Progress of a run: cases evaluated so far out of the cases in the store when it started.</summary>
public readonly record struct RunProgress(long CasesRead, long CasesTotal, long DecisionsWritten);

/// <summary>
/// The nightly job: streams every stored case, evaluates it as of one instant with the policies in force
/// (batches of <see cref="HostSettings.RunBatchSize"/> cases, each evaluated on <see cref="HostSettings.RunParallelism"/>
/// threads), writes decisions and escalation history from one writer (one transaction per batch, in case order,
/// overlapping the next batch's evaluation), then computes and stores the month's service credits
/// (<see cref="MonthlyCredits"/>) and records the run.
/// Thread-safe; runs in one process never overlap (a second caller waits, or is refused by <see cref="TryRun"/>).
/// </summary>
/// <remarks>
/// A case whose evaluation throws gets an <see cref="DecisionStatus.Error"/> decision (fail closed) and counts
/// as rejected; the run goes on. Running the same asOf twice over unchanged inputs rewrites nothing.
/// </remarks>
public sealed class NightlyRun(IStore store, IEvaluatorProvider evaluators, TimeProvider time, HostSettings settings, ILogger<NightlyRun> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MonthlyCredits _credits = new(store, logger);

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
        var parallelism = settings.RunParallelism > 0 ? settings.RunParallelism : Environment.ProcessorCount;
        logger.LogInformation("run {RunId} started ({Trigger}), as of {AsOf:O}, policies {Versions}, {Threads} evaluation threads",
            runId, trigger, asOf, string.Join(", ", versions), parallelism);
        long cases = 0, done = 0, written = 0, changed = 0, rejected = 0;
        MonthlyCreditsResult? credits = null;
        try
        {
            var total = store.CountCases();
            var batchSize = Math.Max(1, settings.RunBatchSize);
            using var sink = store.OpenDecisionSink(runId);
            var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };

            // One batch is written (one transaction, on one writer thread at a time) while the next is evaluated.
            Task? writing = null;

            void Submit(List<CaseRecord> batch)
            {
                var decisions = Evaluate(batch, asOf, evaluator, options, ref rejected);
                writing?.GetAwaiter().GetResult();
                var count = batch.Count;
                writing = Task.Run(
                    () =>
                    {
                        var result = sink.Write(decisions);
                        written += result.Written;
                        changed += result.Changed;
                        done += count;
                        progress?.Report(new RunProgress(done, total, written));
                    },
                    cancellationToken);
            }

            var batch = new List<CaseRecord>(batchSize);
            foreach (var ticket in store.ReadCases(cancellationToken))
            {
                cases++;
                batch.Add(ticket);
                if (batch.Count >= batchSize)
                {
                    Submit(batch);
                    batch = new List<CaseRecord>(batchSize);
                }
            }

            if (batch.Count > 0)
            {
                Submit(batch);
            }

            writing?.GetAwaiter().GetResult();
            if (cases == 0)
            {
                progress?.Report(new RunProgress(0, total, 0));
            }

            credits = _credits.Write(runId, asOf, evaluator, cancellationToken);
            var record = Finish(runId, RunState.Succeeded, null);
            logger.LogInformation("run {RunId} succeeded: {Cases} cases, {Written} decisions ({Changed} changed), {Rejected} rejected, {Credits} service credit rows for {Months} ({CreditsChanged} changed, {Owed} owing), {Ms} ms",
                runId, cases, written, changed, rejected, record.CreditsWritten, string.Join(" and ", credits.Periods), record.CreditsChanged, credits.OwedCount, record.DurationMs);
            return record;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "run {RunId} failed after {Cases} cases", runId, cases);
            return Finish(runId, RunState.Failed, ex.Message);
        }

        RunRecord Finish(long id, RunState state, string? error)
        {
            store.FinishRun(id, new RunCompletion(state, time.GetUtcNow(), cases, written, changed, rejected, stopwatch.ElapsedMilliseconds, versions, error)
            {
                CreditsWritten = credits?.Write.Written ?? 0,
                CreditsChanged = credits?.Changed ?? 0,
            });
            return store.GetRun(id)!;
        }
    }

    /// <summary>
    /// Evaluates one batch on up to <see cref="ParallelOptions.MaxDegreeOfParallelism"/> threads (the compiled
    /// evaluator is immutable and thread-safe) and returns the decisions in the batch's case order, so that writes
    /// stay deterministic. A case whose evaluation throws gets an error decision and counts in <paramref name="rejected"/>.
    /// </summary>
    private List<Decision> Evaluate(List<CaseRecord> batch, DateTimeOffset asOf, ICaseEvaluator evaluator, ParallelOptions options, ref long rejected)
    {
        var perCase = new IReadOnlyList<Decision>[batch.Count];
        long failed = 0;
        void One(int i)
        {
            var ticket = batch[i];
            try
            {
                perCase[i] = evaluator.Evaluate(ticket, asOf, settings.Explain);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
                logger.LogWarning(ex, "case {CaseId} could not be evaluated", ticket.Id);
                perCase[i] =
                [
                    new Decision(ticket.Id, null, null, null, DecisionStatus.Error, null, 0, 0, 0, 0, asOf, null, 0, null, ticket.Customer, ticket.Service,
                        [new ExplanationStep("error", $"evaluation failed: {ex.Message}")]) { Severity = ticket.Severity },
                ];
            }
        }

        if (options.MaxDegreeOfParallelism == 1 || batch.Count < 64)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                One(i);
            }
        }
        else
        {
            // Ranges rather than single cases: one delegate call per few hundred cases keeps the overhead negligible.
            var rangeSize = Math.Max(64, batch.Count / (options.MaxDegreeOfParallelism * 4));
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, batch.Count, rangeSize), options, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    One(i);
                }
            });
        }

        rejected += failed;
        var decisions = new List<Decision>(batch.Count * 2);
        foreach (var list in perCase)
        {
            decisions.AddRange(list);
        }

        return decisions;
    }
}
