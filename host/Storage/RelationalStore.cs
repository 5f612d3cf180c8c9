using System.Data.Common;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// Everything <see cref="SqliteStore"/> and <see cref="Postgres.PostgresStore"/> share: the same SQL over a connection of
/// either for runs, decisions, case traces, the quarantine, run partitions and the credits step, and the ingestion of
/// input records into the tables their descriptions make (<see cref="RecordTables"/>). The SQL itself lives in
/// <see cref="StoreRows"/>, <see cref="RunPartitionRows"/> and <see cref="StoreCredits"/>. Each store keeps only its
/// dialect: migrations, how a batch of rows is sent (<see cref="Upsert"/>, <see cref="Quarantine"/>), the filter of a
/// list of customers, and the decision sink.
/// </summary>
public abstract class RelationalStore
{
    /// <summary>Opens a connection to the store's database (pooled); the caller disposes it.</summary>
    internal abstract DbConnection Open();

    /// <summary>
    /// Upserts <paramref name="rows"/> (<see cref="RecordTable{TRecord}.Rows"/>) into <paramref name="table"/> inside
    /// <paramref name="transaction"/>, in their order (a later row under the key of an earlier one replaces it); returns
    /// how many rows were inserted or changed.
    /// </summary>
    internal abstract int Upsert<TRecord>(DbConnection connection, DbTransaction transaction, RecordTable<TRecord> table, StoredRows rows, string receivedAt)
        where TRecord : class;

    private int UpsertRecords<TRecord>(DbConnection connection, DbTransaction transaction, RecordTable<TRecord> table, IReadOnlyList<TRecord> records, string receivedAt)
        where TRecord : class =>
        records.Count == 0 ? 0 : Upsert(connection, transaction, table, table.Rows(records), receivedAt);

    /// <summary>
    /// Prepares <paramref name="connection"/> for one batch of ingestion, undone when the result is disposed (SQLite: a page
    /// cache that holds the batch's pages until its commit); nothing by default.
    /// </summary>
    private protected virtual IDisposable? BulkWrite(DbConnection connection) => null;

    /// <summary>Inserts rejected records into the quarantine, one row per rejected line (a line sent again is kept once).</summary>
    internal abstract void Quarantine(DbConnection connection, DbTransaction transaction, IReadOnlyList<RejectedRecord> rejected, string receivedAt);

    /// <summary>The condition "the case's customer is one of <paramref name="customers"/>", on parameter <c>@customers</c>, and its value.</summary>
    internal (string Condition, object Value) CustomersAmong(IReadOnlyCollection<string> customers) => Among("customer", "@customers", customers);

    /// <summary>The condition "<paramref name="column"/> is one of <paramref name="values"/>", on parameter <paramref name="parameter"/>, and its value.</summary>
    internal abstract (string Condition, object Value) Among(string column, string parameter, IReadOnlyCollection<string> values);

    /// <summary>A query of one column, <c>value</c>, holding <paramref name="values"/>, on parameter <paramref name="parameter"/>, and its value.</summary>
    internal abstract (string Query, object Value) Values(string parameter, IReadOnlyCollection<string> values);

    /// <summary>The table of applied migrations, the same in both stores.</summary>
    private protected const string MigrationsTableSql =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

    /// <summary>Applies one migration inside <paramref name="transaction"/> and records it as applied.</summary>
    private protected static void Apply(DbConnection connection, DbTransaction transaction, int version, string name, string sql)
    {
        using (var migration = StoreRows.Command(connection, sql, []))
        {
            migration.Transaction = transaction;
            migration.ExecuteNonQuery();
        }

        using var record = StoreRows.Command(
            connection,
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
            [("@version", version), ("@name", name), ("@at", StoreText.Utc(DateTimeOffset.UtcNow))]);
        record.Transaction = transaction;
        record.ExecuteNonQuery();
    }

    /// <inheritdoc cref="IStore.SchemaVersion"/>
    public int SchemaVersion() => (int)Count("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", []);

    /// <inheritdoc cref="IStore.Ingest"/>
    public int Ingest(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var connection = Open();
        using var bulk = BulkWrite(connection);
        using var transaction = connection.BeginTransaction();
        var receivedAt = StoreText.Utc(batch.ReceivedAt);
        // Each case's stored values and hash once: what tells a changed record, and what the row keeps.
        var cases = batch.CaseRows;
        var changed = ChangedCases(connection, transaction, batch.Cases, cases.Hashes!);
        var written = (cases.Count == 0 ? 0 : Upsert(connection, transaction, RecordTables.Cases, cases, receivedAt))
            + UpsertRecords(connection, transaction, RecordTables.Outages, batch.Outages, receivedAt)
            + UpsertRecords(connection, transaction, RecordTables.Subscriptions, batch.Subscriptions, receivedAt)
            + UpsertRecords(connection, transaction, RecordTables.Measurements, batch.Measurements, receivedAt);
        if (changed.Count > 0)
        {
            MarkPending(connection, transaction, changed);
        }

        if (batch.Outages.Count + batch.Subscriptions.Count + batch.Measurements.Count > 0)
        {
            // The service data the credits step reads changed (InputsMark): a run as of the same instant computes them again.
            using var counter = StoreRows.Command(connection, "UPDATE store_counters SET value = value + 1 WHERE name = 'service'", []);
            counter.Transaction = transaction;
            counter.ExecuteNonQuery();
        }

        if (batch.Rejected.Count > 0)
        {
            Quarantine(connection, transaction, batch.Rejected, receivedAt);
        }

        transaction.Commit();
        return written;
    }

    /// <summary>The ids of the cases of <paramref name="cases"/> that are new or differ from the stored record (by <see cref="CaseInputs.Hash"/>).</summary>
    private List<string> ChangedCases(DbConnection connection, DbTransaction transaction, IReadOnlyList<CaseRecord> cases, long[] hashes)
    {
        if (cases.Count == 0)
        {
            return [];
        }

        var ids = cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
        var (condition, value) = Among("id", "@ids", ids);
        var stored = new Dictionary<string, long?>(StringComparer.Ordinal);
        using (var command = StoreRows.Command(connection, $"SELECT id, {RecordTable<CaseRecord>.HashColumn} FROM cases WHERE {condition}", [("@ids", value)]))
        {
            command.Transaction = transaction;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            }
        }

        // The last record of an id in the batch is the one stored.
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            last[cases[i].Id] = hashes[i];
        }

        return [.. last.Where(t => !stored.TryGetValue(t.Key, out var hash) || hash != t.Value).Select(t => t.Key)];
    }

    /// <summary>
    /// Lists <paramref name="ids"/> as pending evaluation under a new ingest number (a case already listed gets the new
    /// number, so that a run that read it under the old one does not take it off the list: <see cref="PendingChanges"/>).
    /// </summary>
    private void MarkPending(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> ids)
    {
        long seq;
        using (var counter = StoreRows.Command(connection, "UPDATE store_counters SET value = value + 1 WHERE name = 'ingest' RETURNING value", []))
        {
            counter.Transaction = transaction;
            seq = Convert.ToInt64(counter.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var (query, value) = Values("@ids", ids);
        using var mark = StoreRows.Command(
            connection,
            $"INSERT INTO pending_cases (case_id, seq, evaluated_as_of) SELECT value, @seq, NULL FROM ({query}) AS ids WHERE true ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, evaluated_as_of = NULL",
            [("@ids", value), ("@seq", seq)]);
        mark.Transaction = transaction;
        mark.ExecuteNonQuery();
    }

    /// <inheritdoc cref="IStore.ReadCasesToEvaluate"/>
    public virtual IEnumerable<CaseToEvaluate> ReadCasesToEvaluate(IReadOnlyCollection<string>? customers, DateTimeOffset? pendingAsOf, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = CasesToEvaluateQuery(customers, pendingAsOf);
        var row = new DataReaderRow();
        return StoreRows.Stream(
            Open(),
            sql,
            parameters,
            r =>
            {
                row.Reader = r;
                return CaseToEvaluateOf(row);
            },
            cancellationToken);
    }

    /// <summary>A row of <see cref="CasesToEvaluateQuery"/>'s query: the case, then its pending sequence number, inputs hash and last evaluation.</summary>
    private protected static CaseToEvaluate CaseToEvaluateOf(StoredRow row)
    {
        var seqAt = RecordTables.Cases.Description.Fields.Length;
        return new CaseToEvaluate(RecordTables.Cases.Description.FromStored(row), row.IsNull(seqAt) ? null : row.GetInt64(seqAt))
        {
            InputsHash = row.IsNull(seqAt + 1) ? null : row.GetInt64(seqAt + 1),
            EvaluatedBefore = !row.IsNull(seqAt + 2),
        };
    }

    /// <summary>
    /// The query of <see cref="ReadCasesToEvaluate"/>: the case's columns, then its pending sequence number, its inputs
    /// hash and the asOf it was last evaluated as of (the last three absent for a case not pending), in case id order.
    /// </summary>
    private protected (string Sql, List<(string Name, object Value)> Parameters) CasesToEvaluateQuery(IReadOnlyCollection<string>? customers, DateTimeOffset? pendingAsOf)
    {
        var parameters = new List<(string, object)>();
        var where = new List<string>();
        if (customers is not null)
        {
            var (condition, value) = CustomersAmong(customers);
            where.Add(condition);
            parameters.Add(("@customers", value));
        }

        if (pendingAsOf is { } asOf)
        {
            where.Add("(p.evaluated_as_of IS NULL OR p.evaluated_as_of <> @asOf)");
            parameters.Add(("@asOf", StoreText.Utc(asOf)));
        }

        // Pending only: the pending list drives (a small table, in case id order), each case fetched by its key.
        var filter = where.Count == 0 ? string.Empty : $"WHERE {string.Join(" AND ", where)}";
        var sql = pendingAsOf is not null
            ? $"SELECT {StoreRows.CaseColumns}, p.seq, cases.{RecordTable<CaseRecord>.HashColumn}, p.evaluated_as_of FROM pending_cases p JOIN cases ON cases.id = p.case_id {filter} ORDER BY p.case_id"
            : $"SELECT {StoreRows.CaseColumns}, p.seq, cases.{RecordTable<CaseRecord>.HashColumn}, p.evaluated_as_of FROM cases LEFT JOIN pending_cases p ON p.case_id = cases.id {filter} ORDER BY cases.id";
        return (sql, parameters);
    }

    /// <inheritdoc cref="IStore.CountCasesOfCustomers"/>
    public long CountCasesOfCustomers(IReadOnlyCollection<string>? customers)
    {
        if (customers is null)
        {
            return CountCases();
        }

        var (condition, value) = CustomersAmong(customers);
        return Count($"SELECT COUNT(*) FROM cases WHERE {condition}", [("@customers", value)]);
    }

    /// <inheritdoc cref="IStore.InputsMark"/>
    public string InputsMark() =>
        string.Join(';', Query("SELECT name, value FROM store_counters ORDER BY name", [], r => $"{r.GetString(0)}={r.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <inheritdoc cref="IStore.RecordRunInputsMark"/>
    public void RecordRunInputsMark(long runId, string mark) => Execute("UPDATE runs SET inputs_mark = @mark WHERE id = @id", ("@mark", mark), ("@id", runId));

    /// <inheritdoc cref="IStore.CountPendingCases"/>
    public long CountPendingCases() => Count("SELECT COUNT(*) FROM pending_cases", []);

    /// <inheritdoc cref="IStore.ReadEvaluatedScopes"/>
    public IReadOnlyDictionary<string, EvaluatedScope> ReadEvaluatedScopes() =>
        Query("SELECT customer, fingerprint, as_of, run_id FROM evaluated_scopes", [], r => new EvaluatedScope(r.GetString(0), r.GetInt64(1), StoreText.ParseInstant(r.GetString(2)), r.GetInt64(3)))
            .ToDictionary(s => s.Customer, StringComparer.Ordinal);

    /// <inheritdoc cref="IStore.RecordEvaluatedScopes"/>
    public void RecordEvaluatedScopes(IReadOnlyList<EvaluatedScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = StoreRows.Command(connection, """
            INSERT INTO evaluated_scopes (customer, fingerprint, as_of, run_id) VALUES (@customer, @fingerprint, @asOf, @run)
            ON CONFLICT (customer) DO UPDATE SET fingerprint = excluded.fingerprint, as_of = excluded.as_of, run_id = excluded.run_id
            """, [("@customer", string.Empty), ("@fingerprint", 0L), ("@asOf", string.Empty), ("@run", 0L)]);
        command.Transaction = transaction;
        foreach (var scope in scopes)
        {
            command.Parameters[0].Value = scope.Customer;
            command.Parameters[1].Value = scope.Fingerprint;
            command.Parameters[2].Value = StoreText.Utc(scope.AsOf);
            command.Parameters[3].Value = scope.RunId;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <inheritdoc cref="IStore.ReadCasesOfCustomers"/>
    public IEnumerable<CaseRecord> ReadCasesOfCustomers(IReadOnlyCollection<string> customers, CancellationToken cancellationToken = default)
    {
        var (condition, value) = CustomersAmong(customers);
        return StoreRows.Stream(
            Open(), $"SELECT {StoreRows.CaseColumns} FROM cases WHERE {condition} ORDER BY id", [("@customers", value)], RecordTables.Cases.Reader(), cancellationToken);
    }

    /// <inheritdoc cref="IStore.StartRun"/>
    public long StartRun(DateTimeOffset asOf, DateTimeOffset startedAt, RunTrigger trigger, bool full = false)
    {
        using var connection = Open();
        using var command = StoreRows.Command(
            connection,
            "INSERT INTO runs (as_of, started_at, status, run_trigger, full_run) VALUES (@asOf, @started, @status, @trigger, @full) RETURNING id",
            [("@asOf", StoreText.Utc(asOf)), ("@started", StoreText.Utc(startedAt)), ("@status", StoreText.State(RunState.Running)), ("@trigger", StoreText.Trigger(trigger)), ("@full", full ? 1 : 0)]);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc cref="IStore.FinishRun"/>
    public void FinishRun(long runId, RunCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        Execute(
            StoreRows.FinishRunSql,
            ("@finished", StoreText.Utc(completion.FinishedAt)),
            ("@status", StoreText.State(completion.State)),
            ("@cases", completion.CasesRead),
            ("@written", completion.DecisionsWritten),
            ("@changed", completion.DecisionsChanged),
            ("@rejected", completion.Rejected),
            ("@duration", completion.DurationMs),
            ("@versions", StoreText.Strings(completion.PolicyVersions)),
            ("@error", (object?)completion.Error ?? DBNull.Value),
            ("@creditsWritten", completion.CreditsWritten),
            ("@creditsChanged", completion.CreditsChanged),
            ("@id", runId));
    }

    /// <inheritdoc cref="IStore.GetRuns"/>
    public IReadOnlyList<RunRecord> GetRuns(int limit = 50, int offset = 0) =>
        Query($"SELECT {StoreRows.RunColumns} FROM runs ORDER BY id DESC LIMIT @limit OFFSET @offset", [("@limit", limit), ("@offset", offset)], StoreRows.ReadRun);

    /// <inheritdoc cref="IStore.GetRun"/>
    public RunRecord? GetRun(long runId) =>
        Query($"SELECT {StoreRows.RunColumns} FROM runs WHERE id = @id", [("@id", runId)], StoreRows.ReadRun).FirstOrDefault();

    /// <inheritdoc cref="IStore.GetLastSucceededRun"/>
    public RunRecord? GetLastSucceededRun() =>
        Query(
            $"SELECT {StoreRows.RunColumns} FROM runs WHERE status = @status ORDER BY started_at DESC, id DESC LIMIT 1",
            [("@status", StoreText.State(RunState.Succeeded))],
            StoreRows.ReadRun).FirstOrDefault();

    /// <inheritdoc cref="IStore.QueryDecisions"/>
    public IReadOnlyList<StoredDecision> QueryDecisions(DecisionQuery query)
    {
        var (sql, parameters) = StoreRows.DecisionQuery(query);
        return Query(sql, parameters, StoreRows.ReadDecision);
    }

    /// <inheritdoc cref="IStore.GetCaseTrace"/>
    public CaseTrace? GetCaseTrace(string caseId)
    {
        if (GetCase(caseId) is not { } ticket)
        {
            return null;
        }

        var decisions = Query(StoreRows.CaseTraceDecisionsSql, [("@id", caseId)], StoreRows.ReadTraceDecision);
        var escalations = Query(StoreRows.EscalationsSql, [("@id", caseId)], StoreRows.ReadEscalation);
        return new CaseTrace(ticket, decisions, escalations);
    }

    /// <inheritdoc cref="IStore.GetQuarantine"/>
    public IReadOnlyList<QuarantineEntry> GetQuarantine(int limit = 100, int offset = 0) =>
        Query($"SELECT {StoreRows.QuarantineColumns} FROM quarantine ORDER BY id DESC LIMIT @limit OFFSET @offset", [("@limit", limit), ("@offset", offset)], StoreRows.ReadQuarantine);

    /// <inheritdoc cref="IStore.CountCases"/>
    public long CountCases() => Count("SELECT COUNT(*) FROM cases", []);

    /// <inheritdoc cref="IStore.CountRuns"/>
    public long CountRuns() => Count("SELECT COUNT(*) FROM runs", []);

    /// <inheritdoc cref="IStore.CountQuarantine"/>
    public long CountQuarantine() => Count("SELECT COUNT(*) FROM quarantine", []);

    /// <inheritdoc cref="IStore.CountDecisions"/>
    public long CountDecisions(DecisionQuery query)
    {
        var (sql, parameters) = StoreRows.DecisionCount(query);
        return Count(sql, parameters);
    }

    /// <inheritdoc cref="IStore.CountServiceCredits"/>
    public long CountServiceCredits(ServiceCreditQuery query)
    {
        var (sql, parameters) = StoreCredits.Count(query);
        return Count(sql, parameters);
    }

    /// <inheritdoc cref="IStore.ReadCases"/>
    public IEnumerable<CaseRecord> ReadCases(CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), $"SELECT {StoreRows.CaseColumns} FROM cases ORDER BY id", [], RecordTables.Cases.Reader(), cancellationToken);

    /// <inheritdoc cref="IStore.GetCase"/>
    public CaseRecord? GetCase(string id) =>
        StoreRows.Stream(Open(), $"SELECT {StoreRows.CaseColumns} FROM cases WHERE id = @id", [("@id", id)], RecordTables.Cases.Reader(), CancellationToken.None).FirstOrDefault();

    /// <inheritdoc cref="IStore.RecordRunCredits"/>
    public void RecordRunCredits(long runId, long written, long changed, string? error) =>
        Execute(StoreRows.RecordRunCreditsSql, ("@written", written), ("@changed", changed), ("@error", (object?)error ?? DBNull.Value), ("@id", runId));

    /// <inheritdoc cref="IStore.RecordRunPolicyNote"/>
    public void RecordRunPolicyNote(long runId, string note) => Execute(StoreRows.RecordRunPolicyNoteSql, ("@note", note), ("@id", runId));

    /// <inheritdoc cref="IStore.ReadCustomers"/>
    public IReadOnlyList<string> ReadCustomers()
    {
        using var connection = Open();
        return RunPartitionRows.ReadCustomers(connection);
    }

    /// <inheritdoc cref="IStore.CreatePartitions"/>
    public void CreatePartitions(long runId, int partitions)
    {
        using var connection = Open();
        RunPartitionRows.CreatePartitions(connection, runId, partitions);
    }

    /// <inheritdoc cref="IStore.ClaimPartition"/>
    public int? ClaimPartition(long runId, int partition, string owner, DateTimeOffset at, bool takeOver, string? job = null)
    {
        using var connection = Open();
        return RunPartitionRows.Claim(connection, runId, partition, owner, at, takeOver, job);
    }

    /// <inheritdoc cref="IStore.FinishPartition"/>
    public bool FinishPartition(long runId, int partition, string owner, PartitionCompletion completion)
    {
        using var connection = Open();
        return RunPartitionRows.Finish(connection, runId, partition, owner, completion);
    }

    /// <inheritdoc cref="IStore.TryCompleteRun"/>
    public bool TryCompleteRun(long runId, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions) =>
        GetRun(runId) is { } run && CompleteOrFail(run, finishedAt, policyVersions, null);

    /// <inheritdoc cref="IStore.FailRun"/>
    public bool FailRun(long runId, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions, string error) =>
        GetRun(runId) is { } run && CompleteOrFail(run, finishedAt, policyVersions, error);

    /// <inheritdoc cref="IStore.GetPartitions"/>
    public IReadOnlyList<RunPartition> GetPartitions(long runId)
    {
        using var connection = Open();
        return RunPartitionRows.GetPartitions(connection, runId);
    }

    /// <inheritdoc cref="IStore.ReadSubscriptions"/>
    public IReadOnlyList<SubscriptionRecord> ReadSubscriptions() =>
        [.. StoreRows.Stream(Open(), StoreRows.SubscriptionsSql, [], RecordTables.Subscriptions.Reader(), CancellationToken.None)];

    /// <inheritdoc cref="IStore.ReadOutages"/>
    public IEnumerable<OutageRecord> ReadOutages(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), StoreRows.OutagesSql, [("@from", StoreText.Utc(from)), ("@to", StoreText.Utc(to))], RecordTables.Outages.Reader(), cancellationToken);

    /// <inheritdoc cref="IStore.ReadMeasurements"/>
    public IEnumerable<MeasurementRecord> ReadMeasurements(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), StoreRows.MeasurementsSql, [("@from", StoreText.Utc(from)), ("@to", StoreText.Utc(to))], RecordTables.Measurements.Reader(), cancellationToken);

    /// <inheritdoc cref="IStore.ReadAttainmentDecisions"/>
    public IEnumerable<Decision> ReadAttainmentDecisions(DateTimeOffset from, DateTimeOffset to, DateTimeOffset exactFrom, CancellationToken cancellationToken = default)
    {
        var parameters = StoreRows.AttainmentParameters(from, to, exactFrom);
        foreach (var group in ReadAttainmentGroups(from, to, exactFrom, cancellationToken))
        {
            foreach (var decision in group.Decisions(from))
            {
                yield return decision;
            }
        }

        foreach (var decision in StoreRows.Stream(Open(), StoreRows.AttainmentDecisionsSql, parameters, StoreRows.AttainmentDecisionReader(), cancellationToken))
        {
            yield return decision;
        }
    }

    /// <summary>
    /// The groups of <see cref="StoreRows.AttainmentGroupsSql"/> for the stop instants in [<paramref name="from"/>,
    /// <see cref="StoreRows.AttainmentGroupsUntil"/>), in its order.
    /// </summary>
    internal virtual IReadOnlyList<AttainmentGroupRow> ReadAttainmentGroups(DateTimeOffset from, DateTimeOffset to, DateTimeOffset exact, CancellationToken cancellationToken)
    {
        var text = StoreRows.PooledText();
        return [.. StoreRows.Stream(Open(), StoreRows.AttainmentGroupsSql, StoreRows.AttainmentParameters(from, to, exact), r => StoreRows.AttainmentGroupRow(r, text), cancellationToken)];
    }

    /// <inheritdoc cref="IStore.CountUnjudgedDecisions"/>
    public long CountUnjudgedDecisions() => Count(StoreRows.UnjudgedDecisionsSql, []);

    /// <inheritdoc cref="IStore.WriteServiceCredits"/>
    public CreditWriteResult WriteServiceCredits(IReadOnlyCollection<string> periods, IReadOnlyList<ServiceCredit> credits, long runId, DateTimeOffset asOf)
    {
        using var connection = Open();
        return StoreCredits.Write(connection, periods, credits, runId, asOf);
    }

    /// <inheritdoc cref="IStore.QueryServiceCredits"/>
    public IReadOnlyList<StoredServiceCredit> QueryServiceCredits(ServiceCreditQuery query)
    {
        var (sql, parameters) = StoreCredits.Query(query);
        return [.. StoreRows.Stream(Open(), sql, parameters, StoreCredits.Read, CancellationToken.None)];
    }

    /// <inheritdoc cref="IStore.WriteClaims"/>
    public int WriteClaims(IReadOnlyCollection<string> periods, IReadOnlyList<CreditClaim> claims, long runId, DateTimeOffset asOf) =>
        With(c => ClaimRows.Write(c, periods, claims, runId, asOf));

    /// <inheritdoc cref="IStore.QueryClaims"/>
    public IReadOnlyList<StoredClaim> QueryClaims(ClaimQuery query)
    {
        var (sql, parameters) = ClaimRows.Query(query);
        return Query(sql, parameters, ClaimRows.Read);
    }

    /// <inheritdoc cref="IStore.CountClaims"/>
    public long CountClaims(ClaimQuery query)
    {
        var (sql, parameters) = ClaimRows.Count(query);
        return Count(sql, parameters);
    }

    /// <inheritdoc cref="IStore.MarkClaim"/>
    public (ClaimMarkOutcome Outcome, StoredClaim? Claim, string? Reason) MarkClaim(long id, ClaimStatus to, DateTimeOffset at, string? note) =>
        With(c => ClaimRows.Mark(c, id, to, at, note));

    /// <inheritdoc cref="IStore.AddNotifications"/>
    public IReadOnlyList<NotificationRecord> AddNotifications(IReadOnlyList<NewNotification> notifications) => With(c => NotificationRows.Add(c, notifications));

    /// <inheritdoc cref="IStore.GetNotification"/>
    public NotificationRecord? GetNotification(long id) => With(c => NotificationRows.Get(c, id));

    /// <inheritdoc cref="IStore.QueryNotifications"/>
    public IReadOnlyList<NotificationRecord> QueryNotifications(string? caseId, NotificationState? state, int limit, int offset) =>
        With(c => NotificationRows.Query(c, caseId, state, limit, offset));

    /// <inheritdoc cref="IStore.CountNotifications"/>
    public long CountNotifications(string? caseId, NotificationState? state) => With(c => NotificationRows.Count(c, caseId, state));

    /// <inheritdoc cref="IStore.PendingNotificationsBefore"/>
    public IReadOnlyList<NotificationRecord> PendingNotificationsBefore(DateTimeOffset before) => With(c => NotificationRows.PendingBefore(c, before));

    /// <inheritdoc cref="IStore.GetNotificationAttempts"/>
    public IReadOnlyList<NotificationAttempt> GetNotificationAttempts(long id) => With(c => NotificationRows.Attempts(c, id));

    /// <inheritdoc cref="IStore.RecordNotificationAttempt"/>
    public void RecordNotificationAttempt(NotificationAttempt attempt, NotificationState state, DateTimeOffset? next = null) => With(c =>
    {
        NotificationRows.RecordAttempt(c, attempt, state, next);
        return true;
    });

    private T With<T>(Func<DbConnection, T> work)
    {
        using var connection = Open();
        return work(connection);
    }

    private List<T> Query<T>(string sql, IEnumerable<(string Name, object Value)> parameters, Func<DbDataReader, T> read) =>
        [.. StoreRows.Stream(Open(), sql, parameters, read, CancellationToken.None)];

    private long Count(string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        using var connection = Open();
        using var command = StoreRows.Command(connection, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = StoreRows.Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private bool CompleteOrFail(RunRecord run, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions, string? error)
    {
        using var connection = Open();
        return RunPartitionRows.CompleteOrFail(connection, run, finishedAt, policyVersions, error);
    }
}
