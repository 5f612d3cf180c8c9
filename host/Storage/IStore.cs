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

    /// <summary>One case by id, or null.</summary>
    CaseRecord? GetCase(string id);

    /// <summary>Records the start of a run; returns its id.</summary>
    long StartRun(DateTimeOffset asOf, DateTimeOffset startedAt, RunTrigger trigger);

    /// <summary>Records how a run finished.</summary>
    void FinishRun(long runId, RunCompletion completion);

    /// <summary>Runs, newest first.</summary>
    IReadOnlyList<RunRecord> GetRuns(int limit = 50);

    /// <summary>One run by id, or null.</summary>
    RunRecord? GetRun(long runId);

    /// <summary>The most recent run that succeeded, or null.</summary>
    RunRecord? GetLastSucceededRun();

    /// <summary>
    /// Opens a writer of decisions and escalation history for one run. Each <see cref="IDecisionSink.Write"/>
    /// is one transaction, with prepared commands reused across batches.
    /// </summary>
    IDecisionSink OpenDecisionSink(long runId);

    /// <summary>Decisions matching the query, newest evaluation first, then case id and target.</summary>
    IReadOnlyList<StoredDecision> QueryDecisions(DecisionQuery query);

    /// <summary>The case, its decisions of its latest evaluation date and its escalation history; null when the case is unknown.</summary>
    CaseTrace? GetCaseTrace(string caseId);

    /// <summary>Quarantined records, newest first.</summary>
    IReadOnlyList<QuarantineEntry> GetQuarantine(int limit = 100);

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
    /// Upserts the service credits of the months <paramref name="periods"/> (<c>YYYY-MM</c>) in one transaction, by their
    /// key (see <see cref="ServiceCredit"/>); a row is rewritten (with <paramref name="runId"/> and <paramref name="asOf"/>)
    /// only when a value changed. Stored rows of those months whose key is not in <paramref name="credits"/> are removed,
    /// so the table holds exactly the last computation of each month. Writing the same credits twice changes nothing.
    /// </summary>
    CreditWriteResult WriteServiceCredits(IReadOnlyCollection<string> periods, IReadOnlyList<ServiceCredit> credits, long runId, DateTimeOffset asOf);

    /// <summary>Stored service credits matching the query: newest month first, then customer, service, region, kind and objective.</summary>
    IReadOnlyList<StoredServiceCredit> QueryServiceCredits(ServiceCreditQuery query);
}

/// <summary>Writes decisions of one run in batches. Not thread-safe; dispose when the run ends.</summary>
public interface IDecisionSink : IDisposable
{
    /// <summary>
    /// Upserts the decisions by (case, target, evaluation date, policy version) and records each case's highest
    /// escalation level in the history when first reached, all in one transaction.
    /// </summary>
    DecisionWriteResult Write(IReadOnlyList<Decision> decisions);
}

/// <summary>
/// What one <see cref="IDecisionSink.Write"/> did: decisions written (inserted or already present), of which
/// changed (inserted or updated to different values), and escalation levels newly reached.
/// </summary>
public readonly record struct DecisionWriteResult(int Written, int Changed, int EscalationsReached);
