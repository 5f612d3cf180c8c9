using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>How a run was started.</summary>
public enum RunTrigger
{
    /// <summary>Fired by the cron trigger of <c>serve</c>.</summary>
    Schedule,

    /// <summary>A night missed while the host was down, run once at start.</summary>
    CatchUp,

    /// <summary><c>POST /api/runs</c>.</summary>
    Api,

    /// <summary><c>slapolicy run</c>.</summary>
    Cli,
}

/// <summary>State of a run: <c>running</c> until it finishes, then <c>succeeded</c> or <c>failed</c>.</summary>
public enum RunState
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One nightly run as recorded in the store. Instants are UTC. <see cref="DurationMs"/> is wall time in
/// milliseconds; <see cref="DecisionsChanged"/> counts decision rows inserted or changed (0 when the same night
/// runs again over the same inputs).
/// </summary>
public sealed record RunRecord(
    long Id,
    DateTimeOffset AsOf,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    RunState State,
    RunTrigger Trigger,
    long CasesRead,
    long DecisionsWritten,
    long DecisionsChanged,
    long Rejected,
    long DurationMs,
    IReadOnlyList<string> PolicyVersions,
    string? Error)
{
    /// <summary>Service credit rows (see <see cref="ServiceCredit"/>) the run computed for its month(s).</summary>
    public long CreditsWritten { get; init; }

    /// <summary>Service credit rows the run inserted, changed or removed (0 when the same night runs again over the same inputs).</summary>
    public long CreditsChanged { get; init; }

    /// <summary>Number of partitions the run was split into (<c>Run:Partitions</c> when it started); 0 for a run recorded before partitions existed.</summary>
    public int Partitions { get; init; }

    /// <summary>Partitions of the run that are done (see <see cref="RunPartition"/>).</summary>
    public int PartitionsDone { get; init; }

    /// <summary>
    /// What the run says about the policies it ran on when they were not simply the whole policy folder as it is: the
    /// last good versions after a rejected edit, or the files that compiled with those that did not named; null otherwise.
    /// </summary>
    public string? PolicyNote { get; init; }

    /// <summary>
    /// Events of the run's cases whose status no policy's <c>pauseOn</c> and no known status names (statuses compare
    /// exactly, case-sensitive): a typo such as <c>Waiting_On_Customer</c> does not pause a clock.
    /// </summary>
    public long UnknownStatuses { get; init; }

    /// <summary>Those statuses with their counts, per partition (<c>`Waiting_On_Customer` (3 events, did you mean ...)</c>); null when none.</summary>
    public string? UnknownStatusNames { get; init; }

    /// <summary>The run was asked to evaluate every case (<c>run --full</c>), not only those that may have changed.</summary>
    public bool Full { get; init; }

    /// <summary>
    /// Stored cases the run did not evaluate because their decisions still hold: settled (every clock stopped, nothing
    /// after the run's asOf), record unchanged and policies unchanged since. Their decisions stay current as stored.
    /// </summary>
    public long CasesKept { get; init; }

    /// <summary>Customers whose every case the run evaluated (first night, a policy change that may govern them, <c>--full</c>, or an earlier asOf).</summary>
    public long CustomersEvaluatedInFull { get; init; }

    /// <summary>
    /// What the run started on: the store's <see cref="IStore.InputsMark"/>, the policy set's fingerprint and the
    /// explanation mode. Two runs as of the same instant with the same mark, the later changing no decision, compute
    /// the same credits (the later reuses them).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? InputsMark { get; init; }
}

/// <summary>State of one partition of a run: <c>pending</c> until a host claims it, <c>running</c>, then <c>done</c> or <c>failed</c>.</summary>
public enum PartitionState
{
    Pending,
    Running,
    Done,
    Failed,
}

/// <summary>
/// One partition of a run as recorded in the store: the cases whose customer hashes to <see cref="Partition"/>
/// (0-based, below <see cref="Partitions"/>). <see cref="Owner"/> is the instance that last claimed it;
/// <see cref="Attempts"/> counts claims (1 when it ran once; more after a retry or a take-over). Counts are those of
/// the attempt that finished it. Instants are UTC.
/// </summary>
public sealed record RunPartition(
    long RunId,
    int Partition,
    int Partitions,
    PartitionState State,
    string? Owner,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long CasesRead,
    long DecisionsWritten,
    long DecisionsChanged,
    long Rejected,
    string? Error);

/// <summary>How one partition finished: <see cref="PartitionState.Done"/> or <see cref="PartitionState.Failed"/>, with its counts.</summary>
public sealed record PartitionCompletion(
    PartitionState State,
    DateTimeOffset FinishedAt,
    long CasesRead,
    long DecisionsWritten,
    long DecisionsChanged,
    long Rejected,
    string? Error)
{
    /// <summary>Events of the partition's cases with an unknown status; see <see cref="RunRecord.UnknownStatuses"/>.</summary>
    public long UnknownStatuses { get; init; }

    /// <summary>Those statuses and their counts, in words; empty when none.</summary>
    public string UnknownStatusNames { get; init; } = string.Empty;

    /// <summary>Cases of the partition's customers not evaluated: their decisions still hold (see <see cref="RunRecord.CasesKept"/>).</summary>
    public long CasesKept { get; init; }

    /// <summary>Customers of the partition whose every case was evaluated.</summary>
    public long CustomersFull { get; init; }
}

/// <summary>The counts a finished run records.</summary>
public sealed record RunCompletion(
    RunState State,
    DateTimeOffset FinishedAt,
    long CasesRead,
    long DecisionsWritten,
    long DecisionsChanged,
    long Rejected,
    long DurationMs,
    IReadOnlyList<string> PolicyVersions,
    string? Error)
{
    /// <summary>Service credit rows computed; see <see cref="RunRecord.CreditsWritten"/>.</summary>
    public long CreditsWritten { get; init; }

    /// <summary>Service credit rows inserted, changed or removed; see <see cref="RunRecord.CreditsChanged"/>.</summary>
    public long CreditsChanged { get; init; }
}

/// <summary>A stored decision with the key it is stored under (evaluation date = the UTC date of its asOf).</summary>
public sealed record StoredDecision(Decision Decision, DateOnly EvaluationDate, long RunId)
{
    /// <summary>
    /// The proof the decision was made under, as its row stores it: the hash of the case record it was made from
    /// (<see cref="CaseInputs.Hash"/>); null when not read or not recorded.
    /// </summary>
    public long? InputsHash { get; init; }

    /// <summary>The policy fingerprint of the case's customer the decision was made under; null when not read or not recorded.</summary>
    public long? PolicyFingerprint { get; init; }

    /// <summary>
    /// The instant the decision's clock stopped as its row stores it (the <c>stopped_at</c> column); null while the clock
    /// runs, and when not read. The decision itself carries it only where a reader asks for it (attainment).
    /// </summary>
    public DateTimeOffset? StoppedAt { get; init; }
}

/// <summary>
/// A case's escalation level and when it was first reached: the instant its clock crossed the ladder step of
/// that level (<see cref="Decision.EscalatedAt"/>), or, for a level given only by a custom rule, the asOf of the
/// run that first saw it. <see cref="RunId"/> is that run.
/// </summary>
public sealed record EscalationRecord(string CaseId, int Level, DateTimeOffset FirstReachedAt, long RunId);

/// <summary>A quarantined input record (see <see cref="RejectedRecord"/>) and when it was received.</summary>
public sealed record QuarantineEntry(long Id, RejectedRecord Record, DateTimeOffset ReceivedAt);

/// <summary>
/// What one ingestion batch writes in one transaction: good records of any kind and the rejected ones.
/// Cases are upserted by id (a later record replaces the earlier one, events included); outages by
/// (service, region, start, kind); subscriptions by (customer, region, service, resource); measurements by
/// (service, region, at, metric, resource). Re-ingesting the same file therefore duplicates nothing.
/// </summary>
public sealed record RecordBatch(
    IReadOnlyList<CaseRecord> Cases,
    IReadOnlyList<OutageRecord> Outages,
    IReadOnlyList<SubscriptionRecord> Subscriptions,
    IReadOnlyList<MeasurementRecord> Measurements,
    IReadOnlyList<RejectedRecord> Rejected,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Number of good records in the batch.</summary>
    public int GoodCount => Cases.Count + Outages.Count + Subscriptions.Count + Measurements.Count;

    private StoredRows? _caseRows;
    private IReadOnlyList<CaseRecord>? _caseRowsOf;

    /// <summary>
    /// The cases' stored values and hashes (what the store writes and compares), computed once: ahead of the write by
    /// <see cref="Prepare"/>, otherwise by the store when it writes the batch. A copy of the batch with other cases
    /// computes its own.
    /// </summary>
    internal StoredRows CaseRows
    {
        get
        {
            if (_caseRows is null || !ReferenceEquals(_caseRowsOf, Cases))
            {
                _caseRows = RecordTables.Cases.Rows(Cases);
                _caseRowsOf = Cases;
            }

            return _caseRows;
        }
    }

    /// <summary>Computes <see cref="CaseRows"/> now, on the calling thread (the ingestion's reader, while the batch before is written); returns the batch.</summary>
    public RecordBatch Prepare()
    {
        _ = CaseRows;
        return this;
    }
}

/// <summary>
/// A filter over stored decisions. All fields optional. <see cref="From"/> inclusive and <see cref="To"/>
/// exclusive bound the decision's asOf. <see cref="Status"/> is a <see cref="DecisionStatus"/> name
/// (<c>breached</c>, <c>met</c>, ...) or <c>at-risk</c> (running with percentUsed &gt;= 75).
/// <see cref="LatestOnly"/> keeps only decisions of the latest evaluation date in the store.
/// </summary>
public sealed record DecisionQuery(
    string? Status = null,
    string? Customer = null,
    string? Service = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool LatestOnly = false,
    int Limit = 500,
    int Offset = 0);

/// <summary>Everything the store knows about one case: the case, its decisions of the latest evaluation, its escalations.</summary>
public sealed record CaseTrace(
    CaseRecord Case,
    IReadOnlyList<StoredDecision> Decisions,
    IReadOnlyList<EscalationRecord> Escalations);
