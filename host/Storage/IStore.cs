using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The store of inputs, runs, decisions, escalation history and quarantine. SQLite by default
/// (<see cref="SqliteStore"/>); the SQL is kept portable and parameterized so that a PostgreSQL
/// implementation can sit behind the same interface. Implementations are thread-safe: every call uses its
/// own connection, except the sinks, which belong to one caller.
/// </summary>
public interface IStore
{
    /// <summary>Creates the database if needed and applies pending migrations. Idempotent.</summary>
    void Migrate();

    /// <summary>The schema version after <see cref="Migrate"/>: the highest applied migration.</summary>
    int SchemaVersion();

    /// <summary>Writes one batch of good and rejected records in one transaction; returns the good records written.</summary>
    int Ingest(RecordBatch batch);

    /// <summary>Number of stored cases.</summary>
    long CountCases();

    /// <summary>Streams every stored case in id order. Holds a read connection until enumeration ends.</summary>
    IEnumerable<CaseRecord> ReadCases(CancellationToken cancellationToken = default);

    /// <summary>The distinct customers of the stored cases, in byte (ordinal) order.</summary>
    IReadOnlyList<string> ReadCustomers();

    /// <summary>
    /// Streams the stored cases whose customer is one of <paramref name="customers"/>, in id order (what one partition of
    /// a run reads). Holds a read connection until enumeration ends.
    /// </summary>
    IEnumerable<CaseRecord> ReadCasesOfCustomers(IReadOnlyCollection<string> customers, CancellationToken cancellationToken = default);

    /// <summary>One case by id, or null.</summary>
    CaseRecord? GetCase(string id);

    /// <summary>
    /// Streams the stored cases a run evaluates, in id order, each with the number of its pending entry (null when it is
    /// not listed as pending): with <paramref name="pendingAsOf"/> only the pending ones (new or changed since their
    /// decisions, or still counting) not already evaluated as of that instant with the record as it is, otherwise every
    /// case; of the customers <paramref name="customers"/>, or of all when null. Holds a read connection until enumeration ends.
    /// </summary>
    IEnumerable<CaseToEvaluate> ReadCasesToEvaluate(IReadOnlyCollection<string>? customers, DateTimeOffset? pendingAsOf, CancellationToken cancellationToken = default);

    /// <summary>Number of stored cases of <paramref name="customers"/> (of all when null).</summary>
    long CountCasesOfCustomers(IReadOnlyCollection<string>? customers);

    /// <summary>
    /// What the store has been sent so far, as a text that changes whenever a case record changes or service data
    /// (outages, subscriptions, measurements) is ingested: <c>ingest=N;service=M</c>.
    /// </summary>
    string InputsMark();

    /// <summary>Records on a run what it ran on (<see cref="RunRecord.InputsMark"/>).</summary>
    void RecordRunInputsMark(long runId, string mark);

    /// <summary>Number of cases listed as pending evaluation.</summary>
    long CountPendingCases();

    /// <summary>Per customer, the policy fingerprint and asOf its cases were last all evaluated under (by a run's partition that finished).</summary>
    IReadOnlyDictionary<string, EvaluatedScope> ReadEvaluatedScopes();

    /// <summary>Records <paramref name="scopes"/>, replacing what was recorded for their customers, in one transaction.</summary>
    void RecordEvaluatedScopes(IReadOnlyList<EvaluatedScope> scopes);

    /// <summary>
    /// Records the start of a run; returns its id. With <paramref name="full"/>, the run evaluates every case (<c>run --full</c>);
    /// otherwise only those that may have changed (see <see cref="Scheduling.NightlyRun"/>).
    /// </summary>
    long StartRun(DateTimeOffset asOf, DateTimeOffset startedAt, RunTrigger trigger, bool full = false);

    /// <summary>Records how a run finished.</summary>
    void FinishRun(long runId, RunCompletion completion);

    /// <summary>
    /// Records the partitions 0 to <paramref name="partitions"/> - 1 of a run as <c>pending</c>, in one transaction.
    /// Partitions already recorded are left as they are.
    /// </summary>
    void CreatePartitions(long runId, int partitions);

    /// <summary>
    /// Claims a partition for <paramref name="owner"/> (state <c>running</c>, attempts + 1, started now): a pending one,
    /// one this owner already holds, or, with <paramref name="takeOver"/>, one left running by another owner. Returns the
    /// attempt number, or null when the partition is done, failed or held by another owner (nothing to do).
    /// </summary>
    /// <remarks>
    /// <paramref name="job"/> is the scheduler job running the partition, recorded with the claim: the same job handed to
    /// another host (its first host died) takes the partition over.
    /// </remarks>
    int? ClaimPartition(long runId, int partition, string owner, DateTimeOffset at, bool takeOver, string? job = null);

    /// <summary>Records how a partition finished; false when <paramref name="owner"/> no longer holds it (nothing recorded).</summary>
    bool FinishPartition(long runId, int partition, string owner, PartitionCompletion completion);

    /// <summary>
    /// Marks the run succeeded with the summed counts of its partitions when every partition is done and the run is
    /// still running; atomic, so of several callers exactly one gets true. Duration is from its start to <paramref name="finishedAt"/>.
    /// </summary>
    bool TryCompleteRun(long runId, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions);

    /// <summary>
    /// Records what the run's credits step did (<see cref="RunRecord.CreditsWritten"/>, <see cref="RunRecord.CreditsChanged"/>),
    /// and <paramref name="error"/> when that step failed; the run's state is left as it is.
    /// </summary>
    void RecordRunCredits(long runId, long written, long changed, string? error);

    /// <summary>Records <paramref name="note"/> as the run's <see cref="RunRecord.PolicyNote"/>.</summary>
    void RecordRunPolicyNote(long runId, string note);

    /// <summary>Marks a running run failed with <paramref name="error"/> and the counts of its partitions so far; false when it was no longer running.</summary>
    bool FailRun(long runId, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions, string error);

    /// <summary>The partitions of a run, by number (empty for an unknown run).</summary>
    IReadOnlyList<RunPartition> GetPartitions(long runId);

    /// <summary>Runs, newest first: <paramref name="limit"/> of them after skipping <paramref name="offset"/>.</summary>
    IReadOnlyList<RunRecord> GetRuns(int limit = 50, int offset = 0);

    /// <summary>How many runs are recorded.</summary>
    long CountRuns();

    /// <summary>One run by id, or null.</summary>
    RunRecord? GetRun(long runId);

    /// <summary>The most recent run that succeeded, or null.</summary>
    RunRecord? GetLastSucceededRun();

    /// <summary>
    /// Opens a writer of decisions and escalation history for one run. Each <see cref="IDecisionSink.Write(IReadOnlyList{Decision}, IReadOnlyList{CaseOutcome})"/>
    /// is one transaction, with prepared commands reused across batches.
    /// </summary>
    IDecisionSink OpenDecisionSink(long runId);

    /// <summary>
    /// Before a run writes decisions for every stored case: drops the indexes that are cheaper to build once afterwards
    /// than to keep up row by row, and returns the handle whose disposal builds them again; null when the store has none.
    /// </summary>
    IDisposable? DeferCurrentDecisionIndexes() => null;

    /// <summary>Decisions matching the query, newest evaluation first, then case id and target.</summary>
    IReadOnlyList<StoredDecision> QueryDecisions(DecisionQuery query);

    /// <summary>How many decisions <paramref name="query"/> matches, whatever its limit and offset.</summary>
    long CountDecisions(DecisionQuery query);

    /// <summary>The case, its decisions of its latest evaluation date and its escalation history; null when the case is unknown.</summary>
    CaseTrace? GetCaseTrace(string caseId);

    /// <summary>Quarantined records, newest first: <paramref name="limit"/> of them after skipping <paramref name="offset"/>.</summary>
    IReadOnlyList<QuarantineEntry> GetQuarantine(int limit = 100, int offset = 0);

    /// <summary>How many records are in the quarantine.</summary>
    long CountQuarantine();

    /// <summary>Every stored subscription, ordered by customer, service and region (one per customer, region and service).</summary>
    IReadOnlyList<SubscriptionRecord> ReadSubscriptions();

    /// <summary>
    /// Streams the stored outages that overlap [<paramref name="from"/>, <paramref name="to"/>) (start before
    /// <paramref name="to"/>, end after <paramref name="from"/>), ordered by service, region and start. Instants come
    /// back in UTC. Holds a read connection until enumeration ends.
    /// </summary>
    IEnumerable<OutageRecord> ReadOutages(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the stored measurements taken in [<paramref name="from"/>, <paramref name="to"/>), ordered by service,
    /// region, metric and time. Instants come back in UTC. Holds a read connection until enumeration ends.
    /// </summary>
    IEnumerable<MeasurementRecord> ReadMeasurements(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the decisions attainment counts: the current decisions (those of each case's latest evaluation, kept from
    /// an earlier night when the case was settled) with status met or breached and a clock that stopped in
    /// [<paramref name="from"/>, <paramref name="to"/>) (start inclusive, end exclusive). Explanations are not read
    /// (empty); instants come back in UTC. Holds a read connection until enumeration ends.
    /// </summary>
    /// <remarks>
    /// Those that stopped from <paramref name="exactFrom"/> on (and any without a severity) come as stored, ordered by
    /// stop instant, case, target and policy version. The others come first, counted in SQL and handed back as one
    /// decision per group repeated once per decision of it: the same customer, policy, version, severity and status,
    /// stopped at <paramref name="from"/>, a breach due at the start of its UTC day, no figures, no case or target. That is everything the month's attainment, compliance and weekly breaches tell decisions apart
    /// by, for decisions that stopped before <paramref name="exactFrom"/>, which must not be after the asOf they are
    /// judged as of (the start of its UTC day).
    /// </remarks>
    IEnumerable<Decision> ReadAttainmentDecisions(DateTimeOffset from, DateTimeOffset to, DateTimeOffset exactFrom, CancellationToken cancellationToken = default);

    /// <summary>The number of current decisions with status error or no policy.</summary>
    long CountUnjudgedDecisions();

    /// <summary>
    /// Upserts the service credits of the months <paramref name="periods"/> (<c>YYYY-MM</c>) in one transaction, by their
    /// key (see <see cref="ServiceCredit"/>); a row is rewritten (with <paramref name="runId"/> and <paramref name="asOf"/>)
    /// only when a value changed. Stored rows of those months whose key is not in <paramref name="credits"/> are removed,
    /// so the table holds exactly the last computation of each month. Writing the same credits twice changes nothing.
    /// </summary>
    CreditWriteResult WriteServiceCredits(IReadOnlyCollection<string> periods, IReadOnlyList<ServiceCredit> credits, long runId, DateTimeOffset asOf);

    /// <summary>Stored service credits matching the query: newest month first, then customer, service, region, kind and objective.</summary>
    IReadOnlyList<StoredServiceCredit> QueryServiceCredits(ServiceCreditQuery query);

    /// <summary>How many stored service credits <paramref name="query"/> matches, whatever its limit and offset.</summary>
    long CountServiceCredits(ServiceCreditQuery query);

    /// <summary>
    /// Upserts the claims of the months <paramref name="periods"/> in one transaction (<see cref="ClaimRows.Write"/>): an owed
    /// claim takes the new amount and deadline, a claimed or settled one keeps what it was claimed with, and the owed claims
    /// of those months the computation no longer produced are removed. Returns the rows changed.
    /// </summary>
    int WriteClaims(IReadOnlyCollection<string> periods, IReadOnlyList<CreditClaim> claims, long runId, DateTimeOffset asOf);

    /// <summary>Stored claims matching the query, the earliest deadline first.</summary>
    IReadOnlyList<StoredClaim> QueryClaims(ClaimQuery query);

    /// <summary>How many stored claims <paramref name="query"/> matches, whatever its limit and offset.</summary>
    long CountClaims(ClaimQuery query);

    /// <summary>Marks a claim claimed or settled (<see cref="ClaimRows.Mark"/>).</summary>
    (ClaimMarkOutcome Outcome, StoredClaim? Claim, string? Reason) MarkClaim(long id, ClaimStatus to, DateTimeOffset at, string? note);

    /// <summary>Stores the notifications not stored yet (by key) and returns those, with their ids; the others are left as they are.</summary>
    IReadOnlyList<NotificationRecord> AddNotifications(IReadOnlyList<NewNotification> notifications);

    NotificationRecord? GetNotification(long id);

    /// <summary>The notifications, newest first, of one case or all, in one state or all.</summary>
    IReadOnlyList<NotificationRecord> QueryNotifications(string? caseId, NotificationState? state, int limit, int offset);

    long CountNotifications(string? caseId, NotificationState? state);

    /// <summary>Pending notifications due before <paramref name="before"/>.</summary>
    IReadOnlyList<NotificationRecord> PendingNotificationsBefore(DateTimeOffset before);

    IReadOnlyList<NotificationAttempt> GetNotificationAttempts(long id);

    /// <summary>Records one delivery attempt and the notification's state after it; a pending one is due again at <paramref name="next"/>.</summary>
    void RecordNotificationAttempt(NotificationAttempt attempt, NotificationState state, DateTimeOffset? next = null);
}

/// <summary>Writes decisions of one run in batches. Not thread-safe; dispose when the run ends.</summary>
public interface IDecisionSink : IDisposable
{
    /// <summary>
    /// Upserts the decisions by (case, target, evaluation date, policy version) as their cases' current ones (the
    /// rows of other dates of those cases stop being current), records each case's highest escalation level in the
    /// history when first reached, and updates the pending list from <paramref name="cases"/> (a settled case read
    /// under its pending entry leaves the list, an unsettled one joins it), all in one transaction.
    /// </summary>
    /// <param name="decisions">Every decision of each case of the batch, case after case.</param>
    /// <param name="cases">The batch's cases in the same order, each with its number of decisions and its proof.</param>
    DecisionWriteResult Write(IReadOnlyList<Decision> decisions, IReadOnlyList<CaseOutcome> cases);

    /// <summary>Writes decisions without outcomes: their cases join the pending list, their rows carry no proof.</summary>
    DecisionWriteResult Write(IReadOnlyList<Decision> decisions) => Write(decisions, CaseOutcome.Unsettled(decisions));
}

/// <summary>
/// What one <see cref="IDecisionSink.Write(IReadOnlyList{Decision}, IReadOnlyList{CaseOutcome})"/> did: decisions written (inserted or already present), of which
/// changed (inserted or updated to different values), and escalation levels newly reached.
/// </summary>
public readonly record struct DecisionWriteResult(int Written, int Changed, int EscalationsReached);
