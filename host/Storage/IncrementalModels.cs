using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>A stored case a run is to evaluate, with the number of its entry in the pending list (null when it is not listed).</summary>
public readonly record struct CaseToEvaluate(CaseRecord Case, long? PendingSeq)
{
    /// <summary>The record's hash as ingestion stored it (<see cref="CaseInputs.Hash"/>); null for a row stored before cases kept one.</summary>
    public long? InputsHash { get; init; }

    /// <summary>
    /// The case is listed as still counting, evaluated by an earlier night with its record as it is now (the pending
    /// entry's <c>evaluated_as_of</c> is set; ingestion clears it when the record changes): its current rows may move
    /// forward to this night (<see cref="CaseOutcome.Continues"/>).
    /// </summary>
    public bool EvaluatedBefore { get; init; }
}

/// <summary>
/// The policy fingerprint (<see cref="SlaPolicy.Engine.Evaluation.ICaseEvaluator.ScopeFingerprint"/>) and the asOf under
/// which every case of <paramref name="Customer"/> was last evaluated, by run <paramref name="RunId"/>.
/// </summary>
public sealed record EvaluatedScope(string Customer, long Fingerprint, DateTimeOffset AsOf, long RunId);

/// <summary>
/// What a run learnt of one evaluated case, written with its decisions (<see cref="IDecisionSink.Write(IReadOnlyList{Decision}, IReadOnlyList{CaseOutcome})"/>):
/// how many of the batch's decisions are its (they follow each other, in the batch's case order), the proof they hold
/// by (the hash of the record they were made from, the policy fingerprint of its customer), the number of its pending
/// entry as read, and whether its decisions are settled: final whatever later evaluation time, so that later nights
/// keep them until the record or the policies change.
/// </summary>
public readonly record struct CaseOutcome(string CaseId, int Decisions, long? InputsHash, long? Fingerprint, long? PendingSeq, bool Settled)
{
    /// <summary>The case's evaluation failed (an error decision): it stays pending and is tried again by every night.</summary>
    public bool Failed { get; init; }

    /// <summary>
    /// The case was evaluated by an earlier night with its record as it is (<see cref="CaseToEvaluate.EvaluatedBefore"/>):
    /// a decision of it whose current row differs only in what moves with the evaluation time is stored by moving that
    /// row forward to this night instead of adding one (<see cref="DecisionRow.StateHash"/>).
    /// </summary>
    public bool Continues { get; init; }

    /// <summary>Outcomes for decisions written without them: every case unsettled (evaluated again by the next night), no proof.</summary>
    public static IReadOnlyList<CaseOutcome> Unsettled(IReadOnlyList<Decision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var outcomes = new List<CaseOutcome>();
        for (var i = 0; i < decisions.Count;)
        {
            var id = decisions[i].CaseId;
            var n = 0;
            while (i < decisions.Count && string.Equals(decisions[i].CaseId, id, StringComparison.Ordinal))
            {
                n++;
                i++;
            }

            outcomes.Add(new CaseOutcome(id, n, null, null, null, Settled: false));
        }

        return outcomes;
    }
}

/// <summary>The hash of a case record as the store keeps it: the first 8 bytes of the SHA-256 of its stored column values.</summary>
public static class CaseInputs
{
    /// <summary>Equal for two records exactly when every stored value is equal (timestamps with their offsets, tags, events).</summary>
    public static long Hash(CaseRecord ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return HashStored(RecordTables.Cases.StoredValues(ticket));
    }

    /// <summary>
    /// The hash of a case's stored values (<see cref="RecordTable{TRecord}.StoredValues"/>): the SHA-256 of the UTF-8 of
    /// each value's invariant text (an absent one: U+0000), each followed by U+001F. Written into one reused buffer per
    /// thread, value by value, which is byte for byte the UTF-8 of the joined text (every value ends before a U+001F).
    /// </summary>
    internal static long HashStored(object?[] values)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        foreach (var value in values)
        {
            var text = value switch
            {
                null => "\u0000",
                string s => s,
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            };
            var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
            var written = Encoding.UTF8.GetBytes(text, span);
            span[written] = 0x1f;
            buffer.Advance(written + 1);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return BitConverter.ToInt64(digest);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
}

/// <summary>Cases listed as pending, with the numbers of their entries as read (<c>id U+001F number</c> for SQLite's statements).</summary>
internal sealed class ListedCases
{
    public List<string> Ids { get; } = [];

    public List<string> Keys { get; } = [];

    public List<long> Seqs { get; } = [];

    public int Count => Ids.Count;

    public void Add(string id, long seq)
    {
        Ids.Add(id);
        Keys.Add($"{id}\u001f{seq.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Seqs.Add(seq);
    }
}

/// <summary>
/// What one written batch changes in the incremental bookkeeping, for both stores' sinks: per evaluation date, the cases
/// whose rows of other dates stop being current (of every date, under the empty date, for a case without decisions);
/// the settled cases to take off the pending list, by the entry's number as read (an entry a later ingestion renumbered
/// stays); the counting cases, listed with the asOf they were evaluated as of (so that the same night again skips
/// them), those not listed yet added; and the cases whose evaluation failed, listed without one (always tried again).
/// </summary>
internal sealed record PendingChanges(
    IReadOnlyList<(string Date, IReadOnlyList<string> Cases)> Retired,
    ListedCases Settled,
    ListedCases Counting,
    IReadOnlyList<string> NewCounting,
    ListedCases Failed,
    IReadOnlyList<string> NewFailed,
    string? AsOf)
{
    public static PendingChanges Of(IReadOnlyList<Decision> decisions, IReadOnlyList<CaseOutcome> cases, IReadOnlySet<string>? movedForward = null)
    {
        // A case whose every current row moved forward has none of another date left (DecisionRows.MovedForward).
        var retired = decisions.Where(d => movedForward?.Contains(d.CaseId) != true).GroupBy(d => StoreText.EvaluationDate(d.AsOf))
            .Select(g => (StoreText.Date(g.Key), (IReadOnlyList<string>)[.. g.Select(d => d.CaseId).Distinct(StringComparer.Ordinal)]))
            .ToList();

        // A case now without decisions (no target applies to it any more) has no current rows: all of its dates retire.
        var none = cases.Where(c => c.Decisions == 0).Select(c => c.CaseId).ToList();
        if (none.Count > 0)
        {
            retired.Add((string.Empty, none));
        }

        ListedCases settled = new(), counting = new(), failed = new();
        List<string> newCounting = [], newFailed = [];
        foreach (var outcome in cases)
        {
            var (listed, unlisted) = outcome.Settled ? (settled, null) : outcome.Failed ? (failed, newFailed) : (counting, newCounting);
            if (outcome.PendingSeq is { } seq)
            {
                listed.Add(outcome.CaseId, seq);
            }
            else
            {
                unlisted?.Add(outcome.CaseId);
            }
        }

        var asOf = decisions.Count == 0 ? null : StoreText.Utc(decisions[0].AsOf);
        return new PendingChanges(retired, settled, counting, newCounting, failed, newFailed, asOf);
    }
}
