using System.Collections.Immutable;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The SQL text and row mapping both stores share. Both schemas use the same column names, the same text
/// representation of instants and JSON (<see cref="StoreText"/>) and the same numeric widths, so one query and one
/// reader mapping serve SQLite and PostgreSQL alike; keeping them in one place keeps the two stores identical.
/// </summary>
internal static class StoreRows
{
    /// <summary>percentUsed from which a running decision counts as at risk.</summary>
    public const double AtRiskPercent = 75;

    /// <summary>The columns of a case, as its description names them (<see cref="RecordTables.Cases"/>).</summary>
    public static string CaseColumns => RecordTables.Cases.Columns;

    /// <summary>The run's columns, then its number of partitions and of partitions done (read from <c>run_partitions</c>).</summary>
    public const string RunColumns = "id, as_of, started_at, finished_at, status, run_trigger, cases_read, decisions_written, decisions_changed, rejected, duration_ms, policy_versions, error, credits_written, credits_changed, "
        + "(SELECT COUNT(*) FROM run_partitions p WHERE p.run_id = runs.id), (SELECT COUNT(*) FROM run_partitions p WHERE p.run_id = runs.id AND p.state = 'done'), policy_note, "
        + "(SELECT COALESCE(SUM(p.unknown_statuses), 0) FROM run_partitions p WHERE p.run_id = runs.id), "
        + "(SELECT string_agg(p.unknown_status_names, '; ' ORDER BY p.partition_no) FROM run_partitions p WHERE p.run_id = runs.id AND p.unknown_status_names <> ''), "
        + "full_run, (SELECT COALESCE(SUM(p.cases_kept), 0) FROM run_partitions p WHERE p.run_id = runs.id), "
        + "(SELECT COALESCE(SUM(p.customers_full), 0) FROM run_partitions p WHERE p.run_id = runs.id), inputs_mark";

    public const string PartitionColumns = "run_id, partition_no, partitions, state, owner, attempts, started_at, finished_at, cases_read, decisions_written, decisions_changed, rejected, error";

    /// <summary>The distinct customers of the stored cases, in byte order.</summary>
    public const string CustomersSql = "SELECT DISTINCT customer FROM cases ORDER BY customer";

    /// <summary>
    /// For removing stale decisions: per evaluation date in <paramref name="decisions"/> (a batch holds every decision of
    /// each of its cases), the date, the batch's case ids and the keys it writes (<see cref="StaleKey"/>), each as a JSON
    /// array of strings. A stored decision of such a case and date whose key is not among them is stale: the case, sent
    /// again, now decides other targets or under another policy version.
    /// </summary>
    public static IEnumerable<(string Date, string Cases, string Keys)> StaleKeys(IReadOnlyList<Decision> decisions, IReadOnlySet<string>? movedForward = null)
    {
        foreach (var byDate in decisions.Where(d => movedForward?.Contains(d.CaseId) != true).GroupBy(d => StoreText.EvaluationDate(d.AsOf)))
        {
            var cases = byDate.Select(d => d.CaseId).Distinct(StringComparer.Ordinal).ToArray();
            var keys = byDate.Select(StaleKey).ToArray();
            yield return (StoreText.Date(byDate.Key), JsonSerializer.Serialize(cases), JsonSerializer.Serialize(keys));
        }
    }

    /// <summary>The latest asOf of the runs other than <c>@run</c> (NULL when there is none): see <see cref="DecisionRows.MovedForward"/>.</summary>
    public const string LatestOtherRunSql = "SELECT MAX(as_of) FROM runs WHERE id <> @run";

    /// <summary>
    /// No run other than the one being written has an asOf on <paramref name="asOf"/>'s evaluation date or later
    /// (<paramref name="latestOther"/>, from <see cref="LatestOtherRunSql"/>): no row of that date or later is stored but this run's.
    /// </summary>
    public static bool NothingLater(object? latestOther, DateTimeOffset asOf) =>
        latestOther is not string other || StoreText.EvaluationDate(StoreText.ParseInstant(other)) < StoreText.EvaluationDate(asOf);

    /// <summary>A decision's key as the stale-decision statements compare it: case, target and version joined by U+001F (absent parts empty).</summary>
    public static string StaleKey(Decision decision) => $"{decision.CaseId}\u001f{decision.Target ?? string.Empty}\u001f{decision.PolicyVersion ?? string.Empty}";

    /// <summary>Records how run <c>@id</c> finished.</summary>
    public const string FinishRunSql = """
        UPDATE runs SET finished_at = @finished, status = @status, cases_read = @cases, decisions_written = @written,
            decisions_changed = @changed, rejected = @rejected, duration_ms = @duration, policy_versions = @versions, error = @error,
            credits_written = @creditsWritten, credits_changed = @creditsChanged
        WHERE id = @id
        """;

    /// <summary>Records the credits step of run <c>@id</c>: <c>@written</c>, <c>@changed</c>, and <c>@error</c> when it failed (else the error is kept).</summary>
    public const string RecordRunCreditsSql =
        "UPDATE runs SET credits_written = @written, credits_changed = @changed, error = COALESCE(@error, error) WHERE id = @id";

    /// <summary>Records <c>@note</c> on run <c>@id</c> (see <see cref="RunRecord.PolicyNote"/>).</summary>
    public const string RecordRunPolicyNoteSql = "UPDATE runs SET policy_note = @note WHERE id = @id";

    /// <summary>Inserts one pending partition; parameters <c>@run</c>, <c>@p</c>, <c>@n</c>. A partition that exists is left as it is.</summary>
    public const string InsertPartitionSql =
        "INSERT INTO run_partitions (run_id, partition_no, partitions, state) VALUES (@run, @p, @n, 'pending') ON CONFLICT (run_id, partition_no) DO NOTHING";

    /// <summary>
    /// Claims a partition for <c>@owner</c>, recording the scheduler job <c>@job</c> that runs it (NULL outside the
    /// scheduler): a pending one, one this owner already holds (a retry, or the same instance restarted), one whose
    /// recorded job is <c>@job</c> (the scheduler gave that job to this host because the host running it died), or, when
    /// <c>@takeOver</c> is 1, one left running by another owner (found gone). A done or failed partition is never
    /// claimed. Returns the attempt number, or no row.
    /// </summary>
    public const string ClaimPartitionSql = """
        UPDATE run_partitions SET state = 'running', owner = @owner, job_id = @job, attempts = attempts + 1, started_at = @at, finished_at = NULL, error = NULL
        WHERE run_id = @run AND partition_no = @p
            AND (state = 'pending' OR (state = 'running' AND (owner = @owner OR @takeOver = 1 OR (job_id IS NOT NULL AND job_id = @job))))
        RETURNING attempts
        """;

    /// <summary>Records how a partition finished; only the owner of its current claim may (parameters <c>@run</c>, <c>@p</c>, <c>@owner</c>, ...).</summary>
    public const string FinishPartitionSql = """
        UPDATE run_partitions SET state = @state, finished_at = @finished, cases_read = @cases, decisions_written = @written,
            decisions_changed = @changed, rejected = @rejected, error = @error, unknown_statuses = @unknown, unknown_status_names = @unknownNames,
            cases_kept = @kept, customers_full = @full
        WHERE run_id = @run AND partition_no = @p AND owner = @owner AND state = 'running'
        """;

    /// <summary>
    /// Marks the run succeeded with the sums of its partitions, only while it is running and when every partition is
    /// done: of several hosts finishing the last partitions at once, exactly one changes the row.
    /// </summary>
    public const string CompleteRunSql = """
        UPDATE runs SET status = 'succeeded', finished_at = @finished, duration_ms = @duration, policy_versions = @versions, error = NULL,
            cases_read = (SELECT COALESCE(SUM(cases_read), 0) FROM run_partitions WHERE run_id = @id),
            decisions_written = (SELECT COALESCE(SUM(decisions_written), 0) FROM run_partitions WHERE run_id = @id),
            decisions_changed = (SELECT COALESCE(SUM(decisions_changed), 0) FROM run_partitions WHERE run_id = @id),
            rejected = (SELECT COALESCE(SUM(rejected), 0) FROM run_partitions WHERE run_id = @id)
        WHERE id = @id AND status = 'running'
            AND EXISTS (SELECT 1 FROM run_partitions WHERE run_id = @id)
            AND NOT EXISTS (SELECT 1 FROM run_partitions WHERE run_id = @id AND state <> 'done')
        """;

    /// <summary>Marks a running run failed with the sums of its partitions so far and <c>@error</c>.</summary>
    public const string FailRunSql = """
        UPDATE runs SET status = 'failed', finished_at = @finished, duration_ms = @duration, policy_versions = @versions, error = @error,
            cases_read = (SELECT COALESCE(SUM(cases_read), 0) FROM run_partitions WHERE run_id = @id),
            decisions_written = (SELECT COALESCE(SUM(decisions_written), 0) FROM run_partitions WHERE run_id = @id),
            decisions_changed = (SELECT COALESCE(SUM(decisions_changed), 0) FROM run_partitions WHERE run_id = @id),
            rejected = (SELECT COALESCE(SUM(rejected), 0) FROM run_partitions WHERE run_id = @id)
        WHERE id = @id AND status = 'running'
        """;

    /// <summary>Reads a row of <see cref="PartitionColumns"/>.</summary>
    public static RunPartition ReadPartition(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt32(1),
        reader.GetInt32(2),
        Enum.Parse<PartitionState>(reader.GetString(3), ignoreCase: true),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetInt32(5),
        reader.IsDBNull(6) ? null : StoreText.ParseInstant(reader.GetString(6)),
        reader.IsDBNull(7) ? null : StoreText.ParseInstant(reader.GetString(7)),
        reader.GetInt64(8),
        reader.GetInt64(9),
        reader.GetInt64(10),
        reader.GetInt64(11),
        reader.IsDBNull(12) ? null : reader.GetString(12));

    public const string DecisionColumns = "case_id, target, evaluation_date, policy_version, policy, status, due_at, elapsed_minutes, paused_minutes, percent_used, escalation_level, as_of, policy_file, policy_line, rule_name, customer, service, explanation, run_id";

    /// <summary>
    /// The conflict clause of the decision upsert, one for both stores: a decision already stored under its key
    /// (case, target, evaluation date, policy version) is updated only when something a reader sees has changed, so a
    /// re-run over unchanged inputs reports no change and the row keeps its run id. "Changed" is decided by one
    /// comparison of <c>decision_hash</c> (see <see cref="DecisionRow.Hash"/>) instead of every column; a row stored
    /// before that column existed has no hash and is rewritten once.
    /// </summary>
    public const string DecisionUpsertClause = """

        ON CONFLICT (case_id, target, evaluation_date, policy_version) DO UPDATE SET
            policy = excluded.policy, status = excluded.status, due_at = excluded.due_at, elapsed_minutes = excluded.elapsed_minutes,
            paused_minutes = excluded.paused_minutes, percent_used = excluded.percent_used, escalation_level = excluded.escalation_level,
            as_of = excluded.as_of, policy_file = excluded.policy_file, policy_line = excluded.policy_line, rule_name = excluded.rule_name,
            customer = excluded.customer, service = excluded.service, explanation = excluded.explanation, run_id = excluded.run_id,
            decision_hash = excluded.decision_hash, stopped_at = excluded.stopped_at, severity = excluded.severity,
            is_current = 1, inputs_hash = excluded.inputs_hash, policy_fingerprint = excluded.policy_fingerprint, state_hash = excluded.state_hash
        WHERE decisions.decision_hash IS DISTINCT FROM excluded.decision_hash OR decisions.is_current = 0
        """;

    /// <summary>
    /// Moves a decision's current row forward to a later night when its state holds (<see cref="DecisionRow.StateHash"/>):
    /// the row of case <c>?10</c>, target <c>?11</c>, version <c>?12</c> that is current, of state <c>?13</c> and of an
    /// earlier asOf takes the night's date <c>?1</c>, asOf <c>?2</c>, elapsed, paused and percent used (<c>?3</c> to
    /// <c>?5</c>), due instant <c>?6</c>, explanation <c>?7</c>, run <c>?8</c> and decision hash <c>?9</c>, unless the key
    /// already has a row of that date (then the upsert updates that one). Positional parameters, as SQLite's sink binds
    /// them; the row of an earlier state stays as it is.
    /// </summary>
    public const string MoveForwardSql = """
        UPDATE decisions SET evaluation_date = ?1, as_of = ?2, elapsed_minutes = ?3, paused_minutes = ?4, percent_used = ?5, due_at = ?6,
            explanation = ?7, run_id = ?8, decision_hash = ?9
        WHERE case_id = ?10 AND target = ?11 AND policy_version = ?12 AND +is_current = 1 AND state_hash = ?13 AND as_of < ?2
            AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.case_id = ?10 AND x.target = ?11 AND x.evaluation_date = ?1 AND x.policy_version = ?12)
        """;

    /// <summary>
    /// The rows of the cases of <paramref name="casesCondition"/> (on their case_id) of evaluation dates other than
    /// <c>@date</c> stop being current: the batch wrote those cases' decisions of <c>@date</c>. Served by the key's case_id:
    /// <c>+is_current</c> keeps SQLite off the partial indexes of the current rows (every current row of the store),
    /// which the plain term would make usable.
    /// </summary>
    public static string RetireSql(string casesCondition) =>
        $"UPDATE decisions SET is_current = 0 WHERE {casesCondition} AND +is_current = 1 AND evaluation_date <> @date";

    /// <summary>
    /// The cases of <paramref name="idsCondition"/> (on cases.id), still counting, join the pending list under number 0
    /// (a later change of the record gives a new number), evaluated as of <c>@asOf</c> (NULL after a failed evaluation);
    /// those already listed keep their entry.
    /// </summary>
    public static string UnsettledSql(string idsCondition) =>
        $"INSERT INTO pending_cases (case_id, seq, evaluated_as_of) SELECT id, 0, @asOf FROM cases WHERE {idsCondition} ON CONFLICT (case_id) DO NOTHING";

    public const string QuarantineColumns = "id, source, line, field, reason, raw, received_at";

    /// <summary>Every subscription, in key order.</summary>
    public static readonly string SubscriptionsSql = $"SELECT {RecordTables.Subscriptions.Columns} FROM subscriptions ORDER BY customer, service, region";

    /// <summary>
    /// Outages overlapping [@from, @to). Start and end are fixed-width UTC text (<see cref="StoreText.Utc"/>), so text
    /// comparison is time comparison.
    /// </summary>
    public static readonly string OutagesSql =
        $"SELECT {RecordTables.Outages.Columns} FROM outages WHERE start_at < @to AND end_at > @from ORDER BY service, region, start_at, kind";

    /// <summary>Measurements taken in [@from, @to); <c>at</c> is fixed-width UTC text.</summary>
    public static readonly string MeasurementsSql =
        $"SELECT {RecordTables.Measurements.Columns} FROM measurements WHERE at >= @from AND at < @to ORDER BY service, region, metric, at";

    /// <summary>A command of <paramref name="sql"/> on <paramref name="connection"/> with <paramref name="parameters"/>; the caller disposes it.</summary>
    public static DbCommand Command(DbConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>
    /// Streams the rows of <paramref name="sql"/> read by <paramref name="read"/>; the connection is disposed when the
    /// enumeration ends (or is abandoned).
    /// </summary>
    public static IEnumerable<T> Stream<T>(DbConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        using (connection)
        {
            using var command = Command(connection, sql, parameters);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return read(reader);
            }
        }
    }

    /// <summary>
    /// The current decisions attainment counts read one by one: status met or breached, clock stopped in
    /// [<c>@exact</c>, <c>@to</c>) (fixed-width UTC text), or in [<c>@from</c>, <c>@exact</c>) without a severity (stored
    /// before decisions carried one); <c>@exact</c> lies in [<c>@from</c>, <c>@to</c>]. Two ranges, each served by its
    /// partial index (the current rows' stop instants; those of unknown severity), rather than one condition with an
    /// OR, which walked every stop of the month (0.3 s at a million cases). The explanation is not read: attainment does
    /// not use it.
    /// </summary>
    public const string AttainmentDecisionsSql = """
        SELECT case_id, target, evaluation_date, policy_version, policy, status, due_at, elapsed_minutes, paused_minutes, percent_used, escalation_level,
            as_of, policy_file, policy_line, rule_name, customer, service, stopped_at, severity
        FROM decisions
        WHERE is_current = 1 AND stopped_at >= @exact AND stopped_at < @to AND (status || '') IN ('met', 'breached')
        UNION ALL
        SELECT case_id, target, evaluation_date, policy_version, policy, status, due_at, elapsed_minutes, paused_minutes, percent_used, escalation_level,
            as_of, policy_file, policy_line, rule_name, customer, service, stopped_at, severity
        FROM decisions
        WHERE is_current = 1 AND stopped_at IS NOT NULL AND severity IS NULL AND stopped_at >= @from AND stopped_at < @exact AND (status || '') IN ('met', 'breached')
        ORDER BY stopped_at, case_id, target, policy_version
        """;

    /// <summary>
    /// The current decisions attainment counts that stopped in [<c>@from</c>, <c>@exact</c>), counted by what the
    /// month's figures tell them apart by: customer, policy, version, severity, status, and for a breach the UTC day
    /// of its due time (its week). One row per group instead of one per decision: a month of a million cases is a few
    /// hundred groups. The covering partial index on the current rows' stop instants serves it without reading a row;
    /// <c>status || ''</c> keeps SQLite off the index by status, which would read every current decision.
    /// </summary>
    public const string AttainmentGroupsSql = """
        SELECT customer, policy, policy_version, severity, status,
            CASE WHEN status = 'breached' THEN substr(COALESCE(due_at, stopped_at), 1, 10) END AS breach_day, COUNT(*)
        FROM decisions
        WHERE is_current = 1 AND stopped_at >= @from AND stopped_at < @exact AND (status || '') IN ('met', 'breached') AND severity IS NOT NULL
        GROUP BY customer, policy, policy_version, severity, status, CASE WHEN status = 'breached' THEN substr(COALESCE(due_at, stopped_at), 1, 10) END
        ORDER BY customer, policy, policy_version, severity, status, breach_day
        """;

    /// <summary>The current decisions that judged nothing: status error or no policy.</summary>
    public const string UnjudgedDecisionsSql =
        "SELECT COUNT(*) FROM decisions WHERE is_current = 1 AND status IN ('error', 'no-policy')";

    /// <summary>The parameters of <see cref="AttainmentDecisionsSql"/> and <see cref="AttainmentGroupsSql"/>.</summary>
    public static (string Name, object Value)[] AttainmentParameters(DateTimeOffset from, DateTimeOffset to, DateTimeOffset exact) =>
    [
        ("@from", StoreText.Utc(from)),
        ("@to", StoreText.Utc(to)),
        ("@exact", StoreText.Utc(AttainmentGroupsUntil(from, to, exact))),
    ];

    /// <summary>Where the groups of <see cref="AttainmentGroupsSql"/> end (<c>@exact</c>): <paramref name="exact"/>, within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static DateTimeOffset AttainmentGroupsUntil(DateTimeOffset from, DateTimeOffset to, DateTimeOffset exact) =>
        exact < from ? from : exact > to ? to : exact;

    /// <summary>A row of <see cref="AttainmentGroupsSql"/>, read by <paramref name="text"/> (which keeps one instance of each text).</summary>
    public static AttainmentGroupRow AttainmentGroupRow(DbDataReader reader, Func<DbDataReader, int, string?> text) =>
        new(text(reader, 0), text(reader, 1), text(reader, 2)!, reader.GetInt32(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6));

    /// <summary>
    /// A reader of the rows of <see cref="AttainmentDecisionsSql"/>: each the decision as stored, without its explanation; instants in
    /// UTC. Absent keys (stored as the empty string) come back as null.
    /// </summary>
    /// <remarks>
    /// The reader keeps one instance of each repeated text (target, policy, version, file, rule, customer, service):
    /// a month's decisions are held together for attainment, and at a million cases separate copies of the same few
    /// hundred strings would take hundreds of megabytes.
    /// </remarks>
    public static Func<DbDataReader, Decision> AttainmentDecisionReader()
    {
        var text = PooledText();
        return reader => ReadAttainmentDecision(reader, text);
    }

    /// <summary>A reader of a row's nullable text that keeps one instance of each text it has read.</summary>
    public static Func<DbDataReader, int, string?> PooledText()
    {
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        return (reader, i) =>
        {
            if (reader.IsDBNull(i))
            {
                return null;
            }

            var value = reader.GetString(i);
            if (pool.TryGetValue(value, out var kept))
            {
                return kept;
            }

            pool[value] = value;
            return value;
        };
    }

    private static Decision ReadAttainmentDecision(DbDataReader reader, Func<DbDataReader, int, string?> text) =>
        ReadDecisionColumns(reader, text, [], reader.IsDBNull(17) ? null : StoreText.ParseInstant(reader.GetString(17)), reader.IsDBNull(18) ? null : reader.GetInt32(18));

    /// <summary>
    /// The decision of a row whose first 17 columns are those of <see cref="DecisionColumns"/>: absent keys are stored as
    /// the empty string and read back as null; <paramref name="text"/> reads the other texts.
    /// </summary>
    private static Decision ReadDecisionColumns(
        DbDataReader reader, Func<DbDataReader, int, string?> text, ImmutableArray<ExplanationStep> explanation, DateTimeOffset? stoppedAt = null, int? severity = null)
    {
        StoreText.TryParseStatus(reader.GetString(5), out var status);
        var target = text(reader, 1)!;
        var version = text(reader, 3)!;
        return new Decision(
            CaseId: reader.GetString(0),
            Target: target.Length == 0 ? null : target,
            Policy: text(reader, 4),
            PolicyVersion: version.Length == 0 ? null : version,
            Status: status,
            DueAt: reader.IsDBNull(6) ? null : StoreText.ParseInstant(reader.GetString(6)),
            ElapsedMinutes: reader.GetDouble(7),
            PausedMinutes: reader.GetDouble(8),
            PercentUsed: reader.GetDouble(9),
            EscalationLevel: reader.GetInt32(10),
            AsOf: StoreText.ParseInstant(reader.GetString(11)),
            PolicyFile: text(reader, 12),
            PolicyLine: reader.GetInt32(13),
            RuleName: text(reader, 14),
            Customer: text(reader, 15),
            Service: text(reader, 16),
            Explanation: explanation)
        {
            StoppedAt = stoppedAt,
            Severity = severity,
        };
    }

    /// <summary>
    /// A case's current decisions (those of its latest evaluation), each with the instant its clock stopped and the
    /// proof it was made under (read by <see cref="ReadTraceDecision"/>); parameter <c>@id</c>.
    /// </summary>
    public const string CaseTraceDecisionsSql =
        $"SELECT {DecisionColumns}, stopped_at, inputs_hash, policy_fingerprint FROM decisions WHERE case_id = @id AND is_current = 1 ORDER BY target, policy_version";

    /// <summary>Reads a row of <see cref="CaseTraceDecisionsSql"/>: a decision with its stop instant and its proof.</summary>
    public static StoredDecision ReadTraceDecision(DbDataReader reader)
    {
        var stored = ReadDecision(reader);
        return stored with
        {
            StoppedAt = reader.IsDBNull(19) ? null : StoreText.ParseInstant(reader.GetString(19)),
            InputsHash = reader.IsDBNull(20) ? null : reader.GetInt64(20),
            PolicyFingerprint = reader.IsDBNull(21) ? null : reader.GetInt64(21),
        };
    }

    /// <summary>A case's escalation history by level; parameter <c>@id</c>.</summary>
    public const string EscalationsSql = "SELECT case_id, level, first_reached_at, run_id FROM escalation_history WHERE case_id = @id ORDER BY level";

    /// <summary>Reads a row of <see cref="RunColumns"/>.</summary>
    public static RunRecord ReadRun(DbDataReader reader) => new(
        reader.GetInt64(0),
        StoreText.ParseInstant(reader.GetString(1)),
        StoreText.ParseInstant(reader.GetString(2)),
        reader.IsDBNull(3) ? null : StoreText.ParseInstant(reader.GetString(3)),
        StoreText.ParseState(reader.GetString(4)),
        StoreText.ParseTrigger(reader.GetString(5)),
        reader.GetInt64(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.GetInt64(9),
        reader.GetInt64(10),
        StoreText.ParseStrings(reader.GetString(11)),
        reader.IsDBNull(12) ? null : reader.GetString(12))
    {
        CreditsWritten = reader.GetInt64(13),
        CreditsChanged = reader.GetInt64(14),
        Partitions = (int)reader.GetInt64(15),
        PartitionsDone = (int)reader.GetInt64(16),
        PolicyNote = reader.IsDBNull(17) ? null : reader.GetString(17),
        UnknownStatuses = reader.GetInt64(18),
        UnknownStatusNames = reader.IsDBNull(19) ? null : reader.GetString(19),
        Full = reader.GetInt64(20) != 0,
        CasesKept = reader.GetInt64(21),
        CustomersEvaluatedInFull = reader.GetInt64(22),
        InputsMark = reader.IsDBNull(23) ? null : reader.GetString(23),
    };

    /// <summary>Reads a row of <see cref="DecisionColumns"/>; absent keys are stored as the empty string and read back as null.</summary>
    public static StoredDecision ReadDecision(DbDataReader reader) => new(
        ReadDecisionColumns(reader, static (r, i) => r.IsDBNull(i) ? null : r.GetString(i), StoreText.ParseExplanation(reader.GetString(17))),
        StoreText.ParseDate(reader.GetString(2)),
        reader.GetInt64(18));

    /// <summary>Reads a row of <c>case_id, level, first_reached_at, run_id</c>.</summary>
    public static EscalationRecord ReadEscalation(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), StoreText.ParseInstant(reader.GetString(2)), reader.GetInt64(3));

    /// <summary>Reads a row of <see cref="QuarantineColumns"/>.</summary>
    public static QuarantineEntry ReadQuarantine(DbDataReader reader) => new(
        reader.GetInt64(0),
        new RejectedRecord(reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5)),
        StoreText.ParseInstant(reader.GetString(6)));

    /// <summary>
    /// The SELECT for <paramref name="query"/> with its named parameters (values only ever travel as parameters): one
    /// page of <see cref="Storage.DecisionQuery.Limit"/> rows from <see cref="Storage.DecisionQuery.Offset"/>, in an
    /// order that is total, so that pages neither repeat nor skip a row.
    /// </summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) DecisionQuery(DecisionQuery query) =>
        Page(DecisionFilter(query, $"SELECT {DecisionColumns}"), "evaluation_date DESC, percent_used DESC, case_id, target, policy_version", query.Limit, query.Offset);

    /// <summary>The COUNT of every row <paramref name="query"/> matches, whatever its limit and offset.</summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) DecisionCount(DecisionQuery query) =>
        Text(DecisionFilter(query, "SELECT COUNT(*)"));

    /// <summary>A filtered SELECT ordered by <paramref name="orderBy"/> (a total order), limited to one page of 1 to 10000 rows.</summary>
    internal static (string Sql, List<(string Name, object Value)> Parameters) Page(
        (StringBuilder Sql, List<(string Name, object Value)> Parameters) filter, string orderBy, int limit, int offset)
    {
        filter.Sql.Append($" ORDER BY {orderBy} LIMIT @limit OFFSET @offset");
        filter.Parameters.Add(("@limit", Math.Clamp(limit, 1, 10_000)));
        filter.Parameters.Add(("@offset", Math.Max(0, offset)));
        return Text(filter);
    }

    internal static (string Sql, List<(string Name, object Value)> Parameters) Text((StringBuilder Sql, List<(string Name, object Value)> Parameters) filter) =>
        (filter.Sql.ToString(), filter.Parameters);

    /// <summary>Adds "<paramref name="column"/> is <paramref name="value"/>" to a filter, when a value is given.</summary>
    internal static void Equal(StringBuilder sql, List<(string Name, object Value)> parameters, string column, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            sql.Append($" AND {column} = @{column}");
            parameters.Add(($"@{column}", value));
        }
    }

    private static (StringBuilder Sql, List<(string Name, object Value)> Parameters) DecisionFilter(DecisionQuery query, string select)
    {
        var sql = new StringBuilder($"{select} FROM decisions WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            if (string.Equals(query.Status, "at-risk", StringComparison.OrdinalIgnoreCase))
            {
                sql.Append(" AND status = @status AND percent_used >= @atRisk");
                parameters.Add(("@status", StoreText.Status(DecisionStatus.Running)));
                parameters.Add(("@atRisk", AtRiskPercent));
            }
            else
            {
                sql.Append(" AND status = @status");
                parameters.Add(("@status", query.Status.ToLowerInvariant()));
            }
        }

        Equal(sql, parameters, "customer", query.Customer);
        Equal(sql, parameters, "service", query.Service);

        if (query.From is { } from)
        {
            sql.Append(" AND as_of >= @from");
            parameters.Add(("@from", StoreText.Utc(from)));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND as_of < @to");
            parameters.Add(("@to", StoreText.Utc(to)));
        }

        if (query.LatestOnly)
        {
            sql.Append(" AND is_current = 1");
        }

        return (sql, parameters);
    }
}

/// <summary>
/// One group of the current decisions attainment counts (<see cref="StoreRows.AttainmentGroupsSql"/>): customer, policy,
/// version (empty when absent), severity, status, for a breach the UTC day of its due time (<c>yyyy-MM-dd</c>), and how
/// many decisions it holds.
/// </summary>
internal sealed record AttainmentGroupRow(string? Customer, string? Policy, string Version, int Severity, string Status, string? BreachDay, long Count)
{
    /// <summary>
    /// The decisions the group stands for: one decision with the group's customer, policy, version, severity and status,
    /// stopped at <paramref name="from"/> (the read's start: in the month, before its asOf), due at the start of its breach
    /// day, no case or target, repeated once per decision of the group (the same instance).
    /// </summary>
    public IEnumerable<Decision> Decisions(DateTimeOffset from)
    {
        StoreText.TryParseStatus(Status, out var status);
        var due = BreachDay is null ? (DateTimeOffset?)null : new DateTimeOffset(StoreText.ParseDate(BreachDay).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var representative = new Decision(string.Empty, null, Policy, Version.Length == 0 ? null : Version, status, due,
            0, 0, 0, 0, from, null, 0, null, Customer, null, [])
        {
            StoppedAt = from,
            Severity = Severity,
        };
        return Enumerable.Repeat(representative, checked((int)Count));
    }
}

