using System.Collections.Concurrent;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Which cases one partition of a run evaluates. A customer is evaluated in full (every case) when the run is
/// <c>--full</c>, when its cases were never all evaluated, when the policy fingerprint of the customer
/// (<see cref="ICaseEvaluator.ScopeFingerprint"/>, with the explanation mode) differs from the one they were last
/// evaluated under (a policy that may govern them was added, removed or edited), or when they were last evaluated as of
/// a later instant than this run's (a run back in time). Otherwise only its pending cases are: new or changed since
/// their decisions, or not settled (<see cref="CaseSettlement"/>). Every other case keeps its current decisions, whose
/// rows carry the proof (the record's hash and the fingerprint) they were made under. A pending case already evaluated
/// as of this very instant, its record unchanged since, is not evaluated again either: the same inputs as of the same
/// instant give the same decisions (a case whose evaluation failed is always tried again).
/// </summary>
internal sealed class IncrementalPlan
{
    private readonly Func<string, long?> _fingerprint;
    private readonly ConcurrentDictionary<string, long?> _fingerprints;

    private IncrementalPlan(Func<string, long?> fingerprint, ConcurrentDictionary<string, long?> fingerprints, IReadOnlyList<string>? customers, IReadOnlyList<string> full, IReadOnlyList<string> pending)
    {
        _fingerprint = fingerprint;
        _fingerprints = fingerprints;
        Customers = customers;
        Full = full;
        Pending = pending;
    }

    /// <summary>The partition's customers; null when the run has one partition (every case of the store is its).</summary>
    public IReadOnlyList<string>? Customers { get; }

    /// <summary>Customers whose every case is evaluated.</summary>
    public IReadOnlyList<string> Full { get; }

    /// <summary>Customers of which only the pending cases are evaluated.</summary>
    public IReadOnlyList<string> Pending { get; }

    /// <summary>True when some cases of the partition may be kept, not evaluated.</summary>
    public bool Incremental => Pending.Count > 0;

    /// <summary>True when the partition is the whole store and every case of it is evaluated.</summary>
    public bool WholeStore => Customers is null && Pending.Count == 0;

    /// <summary>The number of customers evaluated in full.</summary>
    public long FullCustomers => Full.Count;

    public static IncrementalPlan For(IStore store, ICaseEvaluator evaluator, ExplainMode explain, long runId, int partition, int partitions, DateTimeOffset asOf)
    {
        var all = store.ReadCustomers();
        var customers = partitions == 1 ? all : CustomerPartition.Select(all, partition, partitions);
        var runFull = store.GetRun(runId)?.Full ?? true;
        var scopes = runFull ? new Dictionary<string, EvaluatedScope>() : store.ReadEvaluatedScopes();

        long? Fingerprint(string customer) => FingerprintOf(evaluator, explain, customer);
        var fingerprints = new ConcurrentDictionary<string, long?>(StringComparer.Ordinal);
        List<string> full = [], pending = [];
        foreach (var customer in customers)
        {
            var fingerprint = fingerprints.GetOrAdd(customer, Fingerprint);
            var upToDate = !runFull && fingerprint is { } f && scopes.TryGetValue(customer, out var scope) && scope.Fingerprint == f && scope.AsOf <= asOf;
            (upToDate ? pending : full).Add(customer);
        }

        return new IncrementalPlan(Fingerprint, fingerprints, partitions == 1 ? null : [.. customers], full, pending);
    }

    /// <summary>
    /// The fingerprint a decision of <paramref name="customer"/> is made under: the evaluator's fingerprint of the
    /// customer (<see cref="ICaseEvaluator.ScopeFingerprint"/>) with the explanation mode (what the stored decisions
    /// depend on too); null when the evaluator has none.
    /// </summary>
    public static long? FingerprintOf(ICaseEvaluator evaluator, ExplainMode explain, string customer) =>
        evaluator.ScopeFingerprint(customer) is { } f ? unchecked(f + ((long)explain * -7046029254386353131L)) : null;

    /// <summary>
    /// True when <paramref name="fingerprint"/>, stored with a decision of <paramref name="customer"/>, is what
    /// <paramref name="evaluator"/> gives that customer under some explanation mode: the decision was made under the
    /// policies in force now (the explanation mode says only which explanations were stored, not how one reads).
    /// </summary>
    public static bool IsFingerprintOf(ICaseEvaluator evaluator, string customer, long? fingerprint) =>
        fingerprint is { } stored && Enum.GetValues<ExplainMode>().Any(mode => FingerprintOf(evaluator, mode, customer) == stored);

    /// <summary>
    /// The partition's cases to evaluate as of <paramref name="asOf"/>: every case of the customers in full, then the
    /// pending cases of the others, except those already evaluated as of <paramref name="asOf"/> with their record as it is.
    /// </summary>
    public IEnumerable<CaseToEvaluate> Cases(IStore store, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        if (WholeStore)
        {
            return store.ReadCasesToEvaluate(null, pendingAsOf: null, cancellationToken);
        }

        if (Customers is null && Full.Count == 0)
        {
            // Pending cases of customers no partition knew when the run started (ingested since) come along too.
            return store.ReadCasesToEvaluate(null, asOf, cancellationToken);
        }

        return Concat(
            Full.Count == 0 ? [] : store.ReadCasesToEvaluate(Full, pendingAsOf: null, cancellationToken),
            Pending.Count == 0 ? [] : store.ReadCasesToEvaluate(Pending, asOf, cancellationToken));
    }

    private static IEnumerable<CaseToEvaluate> Concat(IEnumerable<CaseToEvaluate> first, IEnumerable<CaseToEvaluate> second)
    {
        // One read connection at a time: the second query opens only once the first is read to its end.
        foreach (var item in first)
        {
            yield return item;
        }

        foreach (var item in second)
        {
            yield return item;
        }
    }

    /// <summary>The fingerprint a decision of <paramref name="customer"/> is made under: the evaluator's, with the explanation mode; null when unknown.</summary>
    public long? Fingerprint(string customer) => _fingerprints.GetOrAdd(customer, _fingerprint);

    /// <summary>Records, for every customer of the partition with a fingerprint, that its cases are all evaluated under it as of <paramref name="asOf"/>.</summary>
    public void RecordEvaluated(IStore store, long runId, DateTimeOffset asOf)
    {
        var scopes = Full.Concat(Pending)
            .Select(c => (Customer: c, Fingerprint: Fingerprint(c)))
            .Where(c => c.Fingerprint is not null)
            .Select(c => new EvaluatedScope(c.Customer, c.Fingerprint!.Value, asOf, runId))
            .ToList();
        if (scopes.Count > 0)
        {
            store.RecordEvaluatedScopes(scopes);
        }
    }
}

/// <summary>
/// When a case's decisions are settled: the same whatever later evaluation time, so that a later night may keep them
/// while the record and the policies stay as they are. That is when every decision is final (met or breached with its
/// clock stopped by asOf, or no policy) and nothing in the record (opening, first response, resolution, status events)
/// lies after asOf. A case still counting, paused, with an error, or with a timestamp after asOf is evaluated again.
/// A case that no target applies to is settled.
/// </summary>
internal static class CaseSettlement
{
    public static bool IsSettled(CaseRecord ticket, IReadOnlyList<Decision> decisions, DateTimeOffset asOf)
    {
        foreach (var decision in decisions)
        {
            var final = decision.Status switch
            {
                DecisionStatus.Met or DecisionStatus.Breached => decision.StoppedAt is { } stopped && stopped <= asOf,
                DecisionStatus.NoPolicy => true,
                _ => false,
            };
            if (!final)
            {
                return false;
            }
        }

        if (ticket.OpenedAt > asOf || ticket.FirstResponseAt > asOf || ticket.ResolvedAt > asOf)
        {
            return false;
        }

        foreach (var e in ticket.Events.IsDefault ? [] : ticket.Events)
        {
            if (e.At > asOf)
            {
                return false;
            }
        }

        return true;
    }
}
