using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Notifications;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>Progress of a run: cases evaluated so far out of the cases in the store when it started.</summary>
public readonly record struct RunProgress(long CasesRead, long CasesTotal, long DecisionsWritten);

/// <summary>What became of one call of <see cref="NightlyRun.RunPartition"/>.</summary>
/// <param name="State">
/// <see cref="PartitionState.Done"/> or <see cref="PartitionState.Failed"/> when this call finished the partition; null when
/// there was nothing to do (the partition was already done or failed, or is held by another live owner).
/// </param>
/// <param name="Attempts">The partition's attempt count after this call (0 when it was not claimed).</param>
/// <param name="CompletedRun">This call marked the run succeeded (every partition was done).</param>
public readonly record struct PartitionResult(PartitionState? State, int Attempts, bool CompletedRun);

/// <summary>
/// The nightly job. A run is split into <see cref="HostSettings.RunPartitions"/> partitions by customer
/// (<see cref="CustomerPartition"/>); each partition is claimed in the store, the cases of it that may have changed
/// (<see cref="IncrementalPlan"/>: new or changed records, clocks still counting, customers whose policies changed; every
/// case with <c>full</c>) streamed and evaluated as of one instant with the policies in force (batches of <see cref="HostSettings.RunBatchSize"/> cases, each evaluated on
/// <see cref="HostSettings.RunParallelism"/> threads), its decisions and escalation history written from one writer (one
/// transaction per batch, in case order, overlapping the next batch's evaluation), and recorded as done. The last
/// partition done completes the run, and the host that completes it computes and stores the month's service credits
/// (<see cref="MonthlyCredits"/>). <see cref="Run"/> runs every partition in this process; <c>serve</c> runs them as
/// Hangfire jobs on whichever hosts share the scheduler's storage (<see cref="PartitionJob"/>), each calling <see cref="RunPartition"/>.
/// Thread-safe; runs started by <see cref="Run"/> in one process never overlap (a second caller waits, or is refused by <see cref="TryRun"/>).
/// </summary>
/// <remarks>
/// A run needs compiled policies: with none in force (the policy folder is missing or nothing in it compiled) it is
/// recorded failed with the reason (<see cref="Refusal"/>) and decides nothing. When what is in force is not simply
/// the folder as it is (the last good set after a rejected edit, or the files that compiled without those that did
/// not), the run goes on and records so in <see cref="RunRecord.PolicyNote"/>.
/// A case whose evaluation throws gets an <see cref="DecisionStatus.Error"/> decision (fail closed) and counts
/// as rejected; the run goes on. A transient database failure runs the partition again from its start, for up to
/// <see cref="HostSettings.RunRetrySeconds"/>; decisions are upserted by key, so a partition run twice duplicates nothing.
/// Running the same asOf twice over unchanged inputs rewrites nothing.
/// </remarks>
public sealed class NightlyRun(IStore store, IEvaluatorProvider evaluators, TimeProvider time, HostSettings settings, ILogger<NightlyRun> logger, IEscalationNotifier? notifier = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The partitions this process is evaluating now: a second claim of one of them from this process (a scheduler job
    // handed out again while its first execution still runs here) finds it busy instead of evaluating it twice.
    private readonly HashSet<(long Run, int Partition)> _inProgress = [];
    private readonly MonthlyCredits _credits = new(store, logger);

    /// <summary>The owner this process records on the partitions it runs outside a cluster: <c>machine:pid</c>.</summary>
    public static string LocalOwner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Runs now, waiting for a run in progress to finish first. <paramref name="asOf"/> defaults to now; with
    /// <paramref name="full"/> every case is evaluated, otherwise only those that may have changed.
    /// </summary>
    public RunRecord Run(DateTimeOffset? asOf, RunTrigger trigger, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default, bool full = false)
    {
        _gate.Wait(cancellationToken);
        try
        {
            return RunCore(asOf ?? time.GetUtcNow(), trigger, progress, cancellationToken, full);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs now unless a run is already in progress in this process (then returns null).</summary>
    public RunRecord? TryRun(DateTimeOffset? asOf, RunTrigger trigger, CancellationToken cancellationToken = default, bool full = false)
    {
        if (!_gate.Wait(0, cancellationToken))
        {
            return null;
        }

        try
        {
            return RunCore(asOf ?? time.GetUtcNow(), trigger, null, cancellationToken, full);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Finishes the runs left <c>running</c> by a process of this machine that no longer exists (killed, crashed, or the
    /// machine restarted): each such run's partitions that are not done are taken over and run as of the run's own asOf,
    /// and the run completes as it would have. A run with a partition held by a live process, or by another machine
    /// (a cluster's hosts, whose jobs the scheduler hands to another host), is left alone. Waits for a run in progress in this process first.
    /// Returns the runs resumed, as recorded afterwards.
    /// </summary>
    public IReadOnlyList<RunRecord> ResumeInterrupted(CancellationToken cancellationToken = default)
    {
        _gate.Wait(cancellationToken);
        try
        {
            var resumed = new List<RunRecord>();
            foreach (var interrupted in store.GetRuns().Where(r => r.State == RunState.Running).OrderBy(r => r.Id))
            {
                var partitions = store.GetPartitions(interrupted.Id);
                if (partitions.Count == 0 || partitions.Any(p => p.State == PartitionState.Running && !OwnerIsGone(p.Owner)))
                {
                    continue;
                }

                logger.LogWarning("run {RunId} (as of {AsOf:O}) was interrupted: its process is gone; finishing its {Left} partitions left",
                    interrupted.Id, interrupted.AsOf, partitions.Count(p => p.State != PartitionState.Done));
                var evaluator = evaluators.Current;
                foreach (var partition in partitions.Where(p => p.State is PartitionState.Pending or PartitionState.Running))
                {
                    var result = RunPartitionCore(interrupted.Id, partition.Partition, partition.Partitions, interrupted.AsOf, LocalOwner, takeOver: true, evaluator, null, cancellationToken);
                    if (result.State == PartitionState.Failed)
                    {
                        break;
                    }
                }

                // Every partition may have been done already (the process died just before completing the run).
                Complete(interrupted.Id, interrupted.AsOf, evaluator, cancellationToken);
                resumed.Add(store.GetRun(interrupted.Id)!);
            }

            return resumed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// True when <paramref name="owner"/> (<c>machine:pid</c>, see <see cref="LocalOwner"/>) names a process of this machine
    /// that no longer runs. An owner of another machine, or of another form (a cluster's instance id), is not known to be gone.
    /// </summary>
    internal static bool OwnerIsGone(string? owner)
    {
        var colon = owner?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || !int.TryParse(owner.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            || !string.Equals(owner![..colon], Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            // This process holds no run across _gate; a partition still recorded as ours is one a failed attempt left.
            return true;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// The run in progress at <paramref name="now"/>: the latest run recorded running that started less than
    /// <see cref="HostSettings.ScheduleMaxRunHours"/> ago. One recorded running for longer is taken for abandoned (its
    /// hosts died and nothing took it over) and recorded failed, so that it does not hold back every night after it.
    /// </summary>
    public RunRecord? InProgress(DateTimeOffset now)
    {
        foreach (var running in store.GetRuns(20).Where(r => r.State == RunState.Running))
        {
            if (now - running.StartedAt < TimeSpan.FromHours(settings.ScheduleMaxRunHours))
            {
                return running;
            }

            logger.LogWarning("run {RunId} (started {Started:O}) is still recorded running after {Hours} h: recorded failed as abandoned", running.Id, running.StartedAt, settings.ScheduleMaxRunHours);
            store.FailRun(running.Id, now, [], $"abandoned: still running {settings.ScheduleMaxRunHours} h after it started (Schedule:MaxRunHours)");
        }

        return null;
    }

    /// <summary>
    /// Records the start of a run as of <paramref name="asOf"/> and its <see cref="HostSettings.RunPartitions"/> pending
    /// partitions; returns the run's id. The partitions are then run by <see cref="RunPartition"/>, here or elsewhere.
    /// </summary>
    public long StartRun(DateTimeOffset asOf, RunTrigger trigger, bool full = false)
    {
        var runId = store.StartRun(asOf, time.GetUtcNow(), trigger, full);
        if (PolicyNote(evaluators.Status) is { } note)
        {
            store.RecordRunPolicyNote(runId, note);
        }

        if (evaluators.Current.SetFingerprint is { } policies)
        {
            store.RecordRunInputsMark(runId, $"{store.InputsMark()};policies={policies.ToString(System.Globalization.CultureInfo.InvariantCulture)};explain={settings.Explain}");
        }

        store.CreatePartitions(runId, settings.RunPartitions);
        return runId;
    }

    /// <summary>
    /// Why a run cannot go on with <paramref name="evaluator"/>: it has no compiled policy version (nothing is in force),
    /// with the policy status's message and first diagnostics; null when it can.
    /// </summary>
    internal static string? Refusal(ICaseEvaluator evaluator, PolicyStatus status)
    {
        if (evaluator.PolicyVersions.Count > 0)
        {
            return null;
        }

        const int listed = 3;
        var diagnostics = status.Diagnostics.Count == 0 ? string.Empty
            : $": {string.Join("; ", status.Diagnostics.Take(listed))}{(status.Diagnostics.Count > listed ? $"; and {status.Diagnostics.Count - listed} more (GET /api/policies)" : string.Empty)}";
        return $"no compiled policies in force from {status.Directory}: {status.Message}{diagnostics}";
    }

    /// <summary>
    /// When <paramref name="evaluator"/> has no compiled policy in force (<see cref="Refusal"/>), records a run as of
    /// <paramref name="asOf"/> failed with the reason and returns it; otherwise null, and nothing is recorded.
    /// </summary>
    internal RunRecord? TryRefuse(ICaseEvaluator evaluator, DateTimeOffset asOf, RunTrigger trigger)
    {
        if (Refusal(evaluator, evaluators.Status) is not { } refusal)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var failedId = store.StartRun(asOf, now, trigger);
        store.FailRun(failedId, now, [], refusal);
        logger.LogError("run {RunId} ({Trigger}, as of {AsOf:O}) failed: {Reason}", failedId, trigger, asOf, refusal);
        return store.GetRun(failedId)!;
    }

    /// <summary>What a run records about the policies in force when they are not simply the folder as it is; null when they are.</summary>
    internal static string? PolicyNote(PolicyStatus status) => status is { Ready: true, LastLoadFailed: true } ? status.Message : null;

    /// <summary>
    /// Claims partition <paramref name="partition"/> of <paramref name="partitions"/> of run <paramref name="runId"/> for
    /// <paramref name="owner"/>, evaluates its cases as of <paramref name="asOf"/> with the policies in force now, records it
    /// done (or failed, which fails the run) and completes the run when it was the last. With <paramref name="takeOver"/>, a
    /// partition left running by another owner (found dead) is claimed too; with <paramref name="job"/> (the scheduler job
    /// running it), so is one whose claim was made by that same job on a host that died. Returns without doing anything
    /// when the partition is already done or failed, held by another owner, or being evaluated in this process.
    /// </summary>
    public PartitionResult RunPartition(long runId, int partition, int partitions, DateTimeOffset asOf, string owner, bool takeOver = false, string? job = null, CancellationToken cancellationToken = default) =>
        RunPartitionCore(runId, partition, partitions, asOf, owner, takeOver, evaluators.Current, null, cancellationToken, job);

    private RunRecord RunCore(DateTimeOffset asOf, RunTrigger trigger, IProgress<RunProgress>? progress, CancellationToken cancellationToken, bool full)
    {
        // One policy set for the whole run, taken once at its start.
        var evaluator = evaluators.Current;
        if (TryRefuse(evaluator, asOf, trigger) is { } refused)
        {
            return refused;
        }

        var partitions = settings.RunPartitions;
        var parallelism = settings.RunParallelism > 0 ? settings.RunParallelism : Environment.ProcessorCount;
        var runId = StartRun(asOf, trigger, full);
        logger.LogInformation("run {RunId} started ({Trigger}, {Mode}), as of {AsOf:O}, policies {Versions}, {Partitions} partitions, {Threads} evaluation threads",
            runId, trigger, full ? "every case" : "cases that may have changed", asOf, string.Join(", ", evaluator.PolicyVersions), partitions, parallelism);
        // Progress counts against the stored cases: an incremental night ends short of them, by the cases it keeps.
        var total = store.CountCases();
        var tracker = progress is null ? null : new ProgressTracker(progress, total);
        for (var p = 0; p < partitions; p++)
        {
            var result = RunPartitionCore(runId, p, partitions, asOf, LocalOwner, takeOver: false, evaluator, tracker, cancellationToken);
            if (result.State == PartitionState.Failed)
            {
                break;
            }
        }

        if (tracker is { Reported: false })
        {
            progress!.Report(new RunProgress(0, total, 0));
        }

        var record = store.GetRun(runId)!;
        if (record.State == RunState.Succeeded)
        {
            logger.LogInformation("run {RunId} succeeded: {Cases} cases evaluated, {Kept} kept, {Written} decisions ({Changed} changed), {Rejected} rejected, {Ms} ms",
                runId, record.CasesRead, record.CasesKept, record.DecisionsWritten, record.DecisionsChanged, record.Rejected, record.DurationMs);
        }

        return record;
    }

    private PartitionResult RunPartitionCore(
        long runId, int partition, int partitions, DateTimeOffset asOf, string owner, bool takeOver, ICaseEvaluator evaluator, ProgressTracker? tracker, CancellationToken cancellationToken, string? job = null)
    {
        lock (_inProgress)
        {
            if (!_inProgress.Add((runId, partition)))
            {
                logger.LogInformation("run {RunId} partition {Partition}/{Partitions}: already being evaluated in this process", runId, partition, partitions);
                return new PartitionResult(null, 0, false);
            }
        }

        try
        {
            return RunPartitionClaimed(runId, partition, partitions, asOf, owner, takeOver, evaluator, tracker, cancellationToken, job);
        }
        finally
        {
            lock (_inProgress)
            {
                _inProgress.Remove((runId, partition));
            }
        }
    }

    private PartitionResult RunPartitionClaimed(
        long runId, int partition, int partitions, DateTimeOffset asOf, string owner, bool takeOver, ICaseEvaluator evaluator, ProgressTracker? tracker, CancellationToken cancellationToken, string? job)
    {
        var versions = evaluator.PolicyVersions;
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        for (var retry = 0; ; retry++)
        {
            try
            {
                if (store.ClaimPartition(runId, partition, owner, time.GetUtcNow(), takeOver, job) is not { } attempt)
                {
                    // Done, failed or held by a live owner. Completing again is harmless and heals a run whose last
                    // partition was recorded done by a host that died before it could complete the run.
                    var completed = Complete(runId, asOf, evaluator, cancellationToken);
                    logger.LogInformation("run {RunId} partition {Partition}/{Partitions}: nothing to do for {Owner}", runId, partition, partitions, owner);
                    return new PartitionResult(null, attempts, completed);
                }

                attempts = attempt;
                if (Refusal(evaluator, evaluators.Status) is { } refusal)
                {
                    // A host of a cluster, or one resuming a run, with no policies in force: the partition fails the run.
                    throw new InvalidOperationException(refusal);
                }

                var counts = Evaluate(runId, partition, partitions, asOf, evaluator, tracker, cancellationToken);
                var completion = new PartitionCompletion(PartitionState.Done, time.GetUtcNow(), counts.Cases, counts.Written, counts.Changed, counts.Rejected, null)
                {
                    UnknownStatuses = counts.Statuses.Unknown.Values.Sum(),
                    UnknownStatusNames = counts.Statuses.Unknown.Count == 0 ? string.Empty : StatusCensus.Describe(counts.Statuses.Unknown, counts.Statuses.SuggestionFor),
                    CasesKept = counts.Kept,
                    CustomersFull = counts.CustomersFull,
                };
                if (!store.FinishPartition(runId, partition, owner, completion))
                {
                    logger.LogWarning("run {RunId} partition {Partition}/{Partitions} was taken over while {Owner} ran it; its result is the other owner's", runId, partition, partitions, owner);
                    return new PartitionResult(null, attempts, false);
                }

                logger.LogInformation("run {RunId} partition {Partition}/{Partitions} done by {Owner} (attempt {Attempt}): {Cases} cases, {Written} decisions, {Ms} ms",
                    runId, partition, partitions, owner, attempt, counts.Cases, counts.Written, clock.ElapsedMilliseconds);
                return new PartitionResult(PartitionState.Done, attempts, Complete(runId, asOf, evaluator, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException && TransientFailure.Is(ex) && clock.Elapsed.TotalSeconds < settings.RunRetrySeconds)
            {
                // Stale pooled connections would each fail once more; open fresh ones for the next attempt.
                (store as Storage.Postgres.PostgresStore)?.ClearPool();
                var pause = TimeSpan.FromSeconds(Math.Min(Math.Min(5, 0.25 * Math.Pow(2, retry)), Math.Max(0.05, settings.RunRetrySeconds - clock.Elapsed.TotalSeconds)));
                logger.LogWarning(ex, "run {RunId} partition {Partition}/{Partitions}: transient database failure; running it again in {Pause} ms", runId, partition, partitions, (long)pause.TotalMilliseconds);
                takeOver = false;
                if (cancellationToken.WaitHandle.WaitOne(pause))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var error = $"partition {partition}/{partitions}: {ex.Message}";
                logger.LogError(ex, "run {RunId} partition {Partition}/{Partitions} failed after {Attempts} attempts", runId, partition, partitions, attempts);
                try
                {
                    var now = time.GetUtcNow();
                    store.FinishPartition(runId, partition, owner, new PartitionCompletion(PartitionState.Failed, now, 0, 0, 0, 0, ex.Message));
                    store.FailRun(runId, now, versions, error);
                }
                catch (Exception record) when (record is not OperationCanceledException)
                {
                    logger.LogError(record, "run {RunId} partition {Partition}: the failure could not be recorded", runId, partition);
                }

                return new PartitionResult(PartitionState.Failed, attempts, false);
            }
        }
    }

    /// <summary>
    /// Marks the run succeeded when every partition is done; the one caller that does so (of all hosts) then computes and
    /// stores the month's service credits (<see cref="MonthlyCredits"/>) from the store. A failed credits step is logged
    /// and recorded on the run; its decisions stand.
    /// </summary>
    private bool Complete(long runId, DateTimeOffset asOf, ICaseEvaluator evaluator, CancellationToken cancellationToken)
    {
        if (!store.TryCompleteRun(runId, time.GetUtcNow(), evaluator.PolicyVersions))
        {
            return false;
        }

        try
        {
            if (UnchangedCredits(runId, asOf) is { } previous)
            {
                store.RecordRunCredits(runId, previous.CreditsWritten, 0, null);
                logger.LogInformation("run {RunId}: service credits as computed by run {Previous}: the same asOf, inputs and policies, and no decision changed", runId, previous.Id);
                return true;
            }

            var credits = _credits.Write(runId, asOf, evaluator, cancellationToken);
            store.RecordRunCredits(runId, credits.Write.Written, credits.Changed, credits.ErrorText);
            logger.LogInformation("run {RunId}: {Credits} service credit rows for {Months} ({CreditsChanged} changed, {Owed} owing)",
                runId, credits.Write.Written, string.Join(" and ", credits.Periods), credits.Changed, credits.OwedCount);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "run {RunId}: the service credits could not be computed", runId);
            store.RecordRunCredits(runId, 0, 0, $"service credits: {ex.Message}");
        }

        return true;
    }

    /// <summary>
    /// The run just before <paramref name="runId"/> when its credits still hold: it succeeded as of the same instant with the
    /// same inputs mark (nothing ingested since it started, the same policies) and its credits step did not fail, and
    /// this run changed no decision. Null otherwise (the credits are computed).
    /// </summary>
    private RunRecord? UnchangedCredits(long runId, DateTimeOffset asOf)
    {
        var run = store.GetRun(runId);
        if (run is not { InputsMark: { } mark, DecisionsChanged: 0 })
        {
            return null;
        }

        var previous = store.GetRuns(10).Where(r => r.Id < runId).MaxBy(r => r.Id);
        return previous is { State: RunState.Succeeded, Error: null } && previous.AsOf == asOf && previous.InputsMark == mark ? previous : null;
    }

    private readonly record struct Counts(long Cases, long Written, long Changed, long Rejected, StatusCensus Statuses, long Kept, long CustomersFull);

    /// <summary>Streams the partition's cases in id order, evaluates them in batches and writes their decisions.</summary>
    private Counts Evaluate(long runId, int partition, int partitions, DateTimeOffset asOf, ICaseEvaluator evaluator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        var parallelism = settings.RunParallelism > 0 ? settings.RunParallelism : Environment.ProcessorCount;
        var batchSize = Math.Max(1, settings.RunBatchSize);
        long cases = 0, written = 0, changed = 0, rejected = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        var attemptBase = tracker?.Checkpoint();

        // The partition's customers (every customer when there is one partition), each evaluated in full or only its
        // cases that may have changed (IncrementalPlan).
        var plan = IncrementalPlan.For(store, evaluator, settings.Explain, runId, partition, partitions, asOf);
        var source = plan.Cases(store, asOf, cancellationToken);

        // A night that writes a decision for every case of a large store builds the current-decision indexes once, after
        // its writes, rather than row by row; they are back before the partition is recorded and the credits step reads them.
        using var deferred = plan.WholeStore && settings.BulkIndexCases > 0 && store.CountCases() >= settings.BulkIndexCases
            ? store.DeferCurrentDecisionIndexes()
            : null;
        using var sink = store.OpenDecisionSink(runId);

        // Statuses that nothing gives a meaning do not pause a clock: the run counts them, so a typo is seen every night.
        var census = StatusCensus.For(evaluator);

        // One batch is written (one transaction, on one writer thread at a time) while the next is evaluated.
        Task? writing = null;
        try
        {
            void Submit(List<CaseToEvaluate> batch)
            {
                var (decisions, outcomes) = Evaluate(batch, asOf, evaluator, plan, options, ref rejected);
                writing?.GetAwaiter().GetResult();
                var count = batch.Count;
                writing = Task.Run(
                    () =>
                    {
                        var result = sink.Write(decisions, outcomes);
                        Notify(runId, decisions, evaluator);
                        written += result.Written;
                        changed += result.Changed;
                        tracker?.Add(count, result.Written);
                    },
                    cancellationToken);
            }

            var batch = new List<CaseToEvaluate>(batchSize);
            foreach (var item in source)
            {
                cases++;
                census.Observe(item.Case, string.Empty, 0);
                batch.Add(item);
                if (batch.Count >= batchSize)
                {
                    Submit(batch);
                    batch = new List<CaseToEvaluate>(batchSize);
                }
            }

            if (batch.Count > 0)
            {
                Submit(batch);
            }

            writing?.GetAwaiter().GetResult();
            writing = null;
            deferred?.Dispose();

            // Recorded once every decision is written: the next night evaluates these customers' cases under this
            // fingerprint only where they may have changed. A partition that fails before this point records nothing.
            plan.RecordEvaluated(store, runId, asOf);
            var kept = plan.Incremental ? Math.Max(0, store.CountCasesOfCustomers(plan.Customers) - cases) : 0;
            return new Counts(cases, written, changed, rejected, census, kept, plan.FullCustomers);
        }
        catch
        {
            // Never dispose the sink under a write still in flight; then take back the failed attempt's progress, as
            // the retry counts the partition's cases again.
            try
            {
                writing?.Wait(CancellationToken.None);
            }
            catch (Exception ex) when (ex is AggregateException or OperationCanceledException)
            {
                // Already surfaced by the attempt that failed.
            }

            if (attemptBase is { } checkpoint)
            {
                tracker!.Restore(checkpoint);
            }

            // The indexes are built again here, not on the way out, so that a store that cannot build them does not
            // hide why the partition failed; the next start builds them in any case (IStore.Migrate).
            sink.Dispose();
            try
            {
                deferred?.Dispose();
            }
            catch (System.Data.Common.DbException ex)
            {
                logger.LogWarning(ex, "run {RunId}: the current-decision indexes could not be built again after the partition failed; the next start builds them", runId);
            }

            throw;
        }
    }

    /// <summary>
    /// Hands the batch's escalation crossings to the notifier (<c>serve</c> only). A failure there is logged and does not
    /// fail the partition: the decisions are written, and a crossing not stored now is found again by the next run.
    /// </summary>
    private void Notify(long runId, List<Decision> decisions, ICaseEvaluator evaluator)
    {
        if (notifier is null)
        {
            return;
        }

        try
        {
            notifier.Written(runId, decisions, evaluator);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "run {RunId}: escalation notifications of a batch could not be stored; the next run finds those crossings again", runId);
        }
    }

    /// <summary>Progress of a whole run over its partitions, reported on the writer thread after each batch.</summary>
    private sealed class ProgressTracker(IProgress<RunProgress> progress, long total)
    {
        private long _cases;
        private long _written;

        public bool Reported { get; private set; }

        public (long Cases, long Written) Checkpoint() => (_cases, _written);

        public void Restore((long Cases, long Written) checkpoint) => (_cases, _written) = checkpoint;

        public void Add(long cases, long written)
        {
            _cases += cases;
            _written += written;
            Reported = true;
            progress.Report(new RunProgress(_cases, total, _written));
        }
    }

    /// <summary>
    /// The case's decisions, with explanations as <see cref="HostSettings.Explain"/> asks. In the default mode the case is
    /// evaluated without them first (explanations cost several times the evaluation) and again with them only when one
    /// of its decisions is notable and its clock stopped (<see cref="OnRequestExplanations.StoresExplanation"/>); the
    /// others, met or still counting, get theirs on request (<see cref="OnRequestExplanations"/>).
    /// </summary>
    private IReadOnlyList<Decision> Decide(ICaseEvaluator evaluator, CaseRecord ticket, DateTimeOffset asOf)
    {
        switch (settings.Explain)
        {
            case ExplainMode.All:
                return evaluator.Evaluate(ticket, asOf, explain: true);
            case ExplainMode.None:
                return evaluator.Evaluate(ticket, asOf, explain: false);
            default:
                var decisions = evaluator.Evaluate(ticket, asOf, explain: false);
                foreach (var d in decisions)
                {
                    if (OnRequestExplanations.StoresExplanation(d))
                    {
                        // These keep their explanation; their siblings met or still counting get theirs on request.
                        var explained = evaluator.Evaluate(ticket, asOf, explain: true);
                        return explained.All(OnRequestExplanations.StoresExplanation)
                            ? explained
                            : [.. explained.Select(e => OnRequestExplanations.StoresExplanation(e) ? e : e with { Explanation = [] })];
                    }
                }

                return decisions;
        }
    }

    /// <summary>
    /// Evaluates one batch on up to <see cref="ParallelOptions.MaxDegreeOfParallelism"/> threads (the compiled
    /// evaluator is immutable and thread-safe) and returns the decisions in the batch's case order, so that writes
    /// stay deterministic. A case whose evaluation throws gets an error decision and counts in <paramref name="rejected"/>.
    /// </summary>
    private (List<Decision> Decisions, CaseOutcome[] Outcomes) Evaluate(List<CaseToEvaluate> batch, DateTimeOffset asOf, ICaseEvaluator evaluator, IncrementalPlan plan, ParallelOptions options, ref long rejected)
    {
        var perCase = new IReadOnlyList<Decision>[batch.Count];
        var outcomes = new CaseOutcome[batch.Count];
        long failed = 0;
        void One(int i)
        {
            var ticket = batch[i].Case;
            try
            {
                perCase[i] = Decide(evaluator, ticket, asOf);
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

            outcomes[i] = new CaseOutcome(ticket.Id, perCase[i].Count, batch[i].InputsHash ?? CaseInputs.Hash(ticket), plan.Fingerprint(ticket.Customer), batch[i].PendingSeq, CaseSettlement.IsSettled(ticket, perCase[i], asOf))
            {
                Failed = perCase[i].Any(d => d.Status == DecisionStatus.Error),
                Continues = batch[i].EvaluatedBefore,
            };
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

        return (decisions, outcomes);
    }
}
