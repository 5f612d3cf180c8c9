using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode (readers do not block the nightly writer), synchronous=NORMAL
/// (durable at each checkpoint; a power cut can lose at most the last transactions, never corrupt the file).
/// Every statement is parameterized; bulk writes are batched in transactions with prepared commands reused.
/// </summary>
public sealed class SqliteStore : RelationalStore, IStore
{
    private readonly string _connectionString;

    /// <summary>Opens (and on <see cref="Migrate"/> creates) the store at <paramref name="path"/>; its folder is created if missing.</summary>
    public SqliteStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    internal override SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    public void Migrate()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, MigrationsTableSql);
        var applied = CurrentVersion(connection);
        foreach (var (version, name, sql) in SqliteMigrations.All)
        {
            if (version <= applied)
            {
                continue;
            }

            // BEGIN IMMEDIATE: two hosts starting on one file take turns instead of both migrating.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (CurrentVersion(connection, transaction) >= version)
            {
                continue;
            }

            Apply(connection, transaction, version, name, sql);
            transaction.Commit();
        }

        if (CurrentVersion(connection) >= SqliteMigrations.CurrentDecisionIndexesVersion)
        {
            Execute(connection, SqliteMigrations.CurrentDecisionIndexes);
        }

        // A night over the whole store that died before it counted again left the triggers of the counts dropped.
        if (CurrentVersion(connection) >= SqliteMigrations.AttainmentCountsVersion && !HasCountTriggers(connection))
        {
            Recount(connection);
        }
    }

    private static bool HasCountTriggers(SqliteConnection connection)
    {
        using var command = Command(connection, AttainmentCounts.HasTriggersSql);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// Counts the attainment counts again from the rows and puts their triggers back, in one transaction
    /// (<see cref="AttainmentCounts.Recount"/>).
    /// </summary>
    private void Recount(SqliteConnection connection)
    {
        using (BulkWrite(connection))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var command = Command(connection, AttainmentCounts.DropTriggers + AttainmentCounts.Recount, transaction))
            {
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>
    /// Drops the partial indexes of the current decisions and the triggers of the attainment counts until the returned
    /// handle is disposed, which builds the indexes again (<see cref="SqliteMigrations.CurrentDecisionIndexes"/>) and
    /// counts again (<see cref="BuildAndCount"/>): keeping them up row by row costs more than building them
    /// once, the more so as the indexes outgrow the page cache (docs/PERFORMANCE.md). Readers in between (the pages'
    /// counts) scan the current rows instead.
    /// </summary>
    public IDisposable? DeferCurrentDecisionIndexes()
    {
        using (var connection = Open())
        {
            Execute(connection, SqliteMigrations.DropCurrentDecisionIndexes + AttainmentCounts.DropTriggers);
        }

        return new Rebuild(this);
    }

    private sealed class Rebuild(SqliteStore store) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done)
            {
                return;
            }

            _done = true;

            // The night's WAL (every page its writes touched: a gigabyte at a million cases) is copied into the database
            // file on a connection of its own while this one builds the indexes and counts, the copy and the sorts side
            // by side on two cores; this connection leaves the copying to it. The sink copies what the build adds.
            var copying = Task.Run(store.CopyWal);
            try
            {
                store.BuildAndCount();
            }
            finally
            {
                copying.Wait();
            }
        }
    }

    /// <summary>
    /// Builds the current-decision indexes and counts again from the rows, the count side by side with the second
    /// index: the covering index of the stops first (what the count reads); then, under the write lock held until the
    /// end (no write can come between the count and the triggers), the index by status on this connection while a
    /// connection of its own counts from a snapshot taken under that lock; then the counts and the triggers, and the commit.
    /// The result is <see cref="Recount"/>'s, in one transaction as there.
    /// </summary>
    private void BuildAndCount()
    {
        using var connection = Open();
        using (BulkWrite(connection))
        {
            Execute(connection, "PRAGMA wal_autocheckpoint=0;" + SqliteMigrations.CurrentStoppedIndex);
            using var transaction = connection.BeginTransaction(deferred: false);
            var counting = Task.Run(ReadRecount);
            List<object[]> counts;
            try
            {
                Execute(connection, SqliteMigrations.CurrentStatusIndex, transaction);
            }
            finally
            {
                // Never leave the count running past this transaction, whether or not the index was built.
                counts = counting.GetAwaiter().GetResult();
            }

            Execute(connection, AttainmentCounts.DropTriggers + AttainmentCounts.Clear, transaction);
            using (var insert = Command(connection, AttainmentCounts.InsertSql, transaction))
            {
                var p = Parameters(insert, "?1", "?2", "?3", "?4", "?5", "?6", "?7", "?8");
                insert.Prepare();
                foreach (var row in counts)
                {
                    for (var i = 0; i < p.Length; i++)
                    {
                        p[i].Value = row[i];
                    }

                    insert.ExecuteNonQuery();
                }
            }

            Execute(connection, AttainmentCounts.Triggers, transaction);
            transaction.Commit();
        }
    }

    /// <summary>The rows of <see cref="AttainmentCounts.RecountSql"/>, each value as SQLite gives it (an absent customer or policy a zero-length BLOB).</summary>
    private List<object[]> ReadRecount()
    {
        using var connection = Open();
        using var command = Command(connection, AttainmentCounts.RecountSql);
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[8];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// A passive checkpoint on a connection of its own: copies what the WAL holds into the database file, as far as
    /// the readers let it, without waiting for them or for a writer. A failure leaves the WAL to the next checkpoint.
    /// </summary>
    private void CopyWal()
    {
        try
        {
            using var connection = Open();
            Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
            // Nothing is lost: the WAL holds every committed page until a checkpoint copies it.
        }
    }

    /// <summary>
    /// A batch of ingestion (and the building of the current-decision indexes after a bulk night) gets the decision
    /// sink's page cache (<see cref="SqliteDecisionSink.RunCacheSize"/>): with the default 2 MB, a batch of 10,000
    /// cases (about 5 MB of rows) spills its pages to the WAL before its commit and reads
    /// them back, and every insert past the cache reads index pages from the operating system. The pooled connection
    /// gets the default back (<see cref="SqliteDecisionSink.GiveBackCache"/>).
    /// </summary>
    private protected override IDisposable? BulkWrite(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        Execute(sqlite, SqliteDecisionSink.RunCacheSize);
        return new Undo(() => SqliteDecisionSink.GiveBackCache(sqlite));
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    internal override int Upsert<TRecord>(DbConnection connection, DbTransaction transaction, RecordTable<TRecord> table, StoredRows rows, string receivedAt)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        // One statement prepared once and driven through SQLite's own API (bind by position, step, reset), executed
        // row by row: a later duplicate in the batch replaces the earlier. The connection's transaction is the one open.
        var sqlite = (SqliteConnection)connection;
        var fields = table.Description.Fields.Length;
        var hashed = rows.Hashes is not null;
        var count = fields + (hashed ? 1 : 0) + 1;
        var sql = $"INSERT INTO {table.Name} ({table.InsertColumns}) VALUES ({string.Join(", ", Enumerable.Range(1, count).Select(i => $"?{i}"))}) {table.ConflictClause}";
        Check(sqlite, raw.sqlite3_prepare_v2(sqlite.Handle, sql, out var statement));
        using (statement)
        {
            var received = Encoding.UTF8.GetBytes(receivedAt);
            SqliteNative.EnsureSameLibrary();
            var native = new SqliteNative();
            var s = SqliteNative.Of(statement);
            var database = SqliteNative.Of(sqlite.Handle!);
            var written = 0;
            for (var r = 0; r < rows.Count; r++)
            {
                var values = rows.Values[r];
                for (var i = 0; i < fields; i++)
                {
                    if (!native.TryBind(s, i + 1, values[i], out var bound))
                    {
                        throw new InvalidOperationException($"{table.Name}: no stored form for {values[i]!.GetType()}");
                    }

                    Check(sqlite, bound);
                }

                if (hashed)
                {
                    Check(sqlite, SqliteNative.Int64(s, fields + 1, rows.Hashes![r]));
                }

                Check(sqlite, SqliteNative.Text(s, count, received));
                var rc = SqliteNative.Step(s);
                SqliteNative.Reset(s);
                Check(sqlite, rc);
                written += SqliteNative.Changes(database) > 0 ? 1 : 0;
            }

            return written;
        }
    }

    /// <summary>
    /// The current decisions attainment counts, from the counts the triggers keep per stop day
    /// (<see cref="AttainmentCounts"/>) when both bounds are UTC midnights (as the credits step's are): a few thousand rows
    /// whatever the store holds, where the rows themselves are one per decision of the month. Other bounds are counted from
    /// the rows (<see cref="StoreRows.AttainmentGroupsSql"/>). The groups come in that query's order.
    /// </summary>
    internal override IReadOnlyList<AttainmentGroupRow> ReadAttainmentGroups(DateTimeOffset from, DateTimeOffset to, DateTimeOffset exact, CancellationToken cancellationToken)
    {
        var until = StoreRows.AttainmentGroupsUntil(from, to, exact);
        if (!IsMidnight(from) || !IsMidnight(until))
        {
            return base.ReadAttainmentGroups(from, to, exact, cancellationToken);
        }

        var text = StoreRows.PooledText();
        (string, object)[] parameters = [("@fromDay", StoreText.Date(DateOnly.FromDateTime(from.UtcDateTime))), ("@toDay", StoreText.Date(DateOnly.FromDateTime(until.UtcDateTime)))];
        return [.. StoreRows.Stream(Open(), AttainmentCounts.GroupsSql, parameters, r => StoreRows.AttainmentGroupRow(r, text), cancellationToken)];
    }

    private static bool IsMidnight(DateTimeOffset instant) => instant.UtcTicks % TimeSpan.TicksPerDay == 0;

    /// <summary>Throws the connection's error for a result code other than OK, ROW or DONE.</summary>
    internal static void Check(SqliteConnection connection, int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
    }

    internal override void Quarantine(DbConnection connection, DbTransaction transaction, IReadOnlyList<RejectedRecord> rejected, string receivedAt)
    {
        using var command = Command((SqliteConnection)connection, """
            INSERT INTO quarantine (source, line, field, reason, raw, received_at)
            VALUES (@source, @line, @field, @reason, @raw, @received)
            ON CONFLICT (source, line, raw) DO NOTHING
            """, (SqliteTransaction)transaction);
        var p = Parameters(command, "@source", "@line", "@field", "@reason", "@raw", "@received");
        command.Prepare();
        foreach (var r in rejected)
        {
            p[0].Value = r.Source;
            p[1].Value = r.LineNumber;
            p[2].Value = (object?)r.Field ?? DBNull.Value;
            p[3].Value = r.Reason;
            p[4].Value = r.RawText;
            p[5].Value = receivedAt;
            command.ExecuteNonQuery();
        }
    }

    // One JSON array parameter rather than an IN list: no limit on the number of customers, one prepared statement.
    internal override (string Condition, object Value) Among(string column, string parameter, IReadOnlyCollection<string> values) =>
        ($"{column} IN (SELECT value FROM json_each({parameter}))", StoreText.Strings([.. values]));

    internal override (string Query, object Value) Values(string parameter, IReadOnlyCollection<string> values) =>
        ($"SELECT value FROM json_each({parameter})", StoreText.Strings([.. values]));

    public IDecisionSink OpenDecisionSink(long runId) => new SqliteDecisionSink(Open(), runId);

    /// <inheritdoc cref="IStore.ReadCasesToEvaluate"/>
    /// <remarks>Read through SQLite's own column functions (<see cref="SqliteRows"/>): a night reads every stored case.</remarks>
    public override IEnumerable<CaseToEvaluate> ReadCasesToEvaluate(IReadOnlyCollection<string>? customers, DateTimeOffset? pendingAsOf, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = CasesToEvaluateQuery(customers, pendingAsOf);
        return SqliteRows.Stream(Open(), sql, parameters, CaseToEvaluateOf, cancellationToken);
    }

    /// <summary>The same query read through the provider's data reader, as the other store reads it (tests and benchmarks compare the two).</summary>
    internal IEnumerable<CaseToEvaluate> ReadCasesToEvaluateThroughProvider(IReadOnlyCollection<string>? customers, DateTimeOffset? pendingAsOf) =>
        base.ReadCasesToEvaluate(customers, pendingAsOf);

    /// <summary>percentUsed from which a running decision counts as at risk.</summary>
    public const double AtRiskPercent = StoreRows.AtRiskPercent;

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    internal static SqliteParameter[] Parameters(SqliteCommand command, params string[] names) =>
        [.. names.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name }))];

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, sql, transaction);
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// Writes one run's decisions: one connection, statements prepared once and reused for every batch. The decision
/// upsert is driven through SQLite's own API (bind by position, step, reset): per decision that is a fraction of the
/// cost of an ADO.NET command, which looks every parameter up by name on each execution. The rows are prepared
/// (explanation JSON as UTF-8 and hash, see <see cref="DecisionRows"/>) before the transaction, on several threads
/// for a large batch, and the JSON bytes are bound as they are.
/// </summary>
internal sealed class SqliteDecisionSink : IDecisionSink
{
    private readonly SqliteConnection _connection;
    private readonly long _runId;
    private readonly sqlite3_stmt _decision;
    private readonly sqlite3_stmt _move;
    private readonly SqliteCommand _escalation;
    private readonly SqliteParameter[] _e;
    private readonly SqliteCommand _stale;
    private readonly SqliteParameter[] _s;
    private readonly SqliteNative _native = new();
    private readonly nint _database;
    private DateTimeOffset _lastAsOf;
    private byte[] _asOfText = [];
    private byte[] _dateText = [];

    public SqliteDecisionSink(SqliteConnection connection, long runId)
    {
        SqliteNative.EnsureSameLibrary();
        _connection = connection;
        _database = SqliteNative.Of(connection.Handle!);
        _runId = runId;

        // A bigger page cache for this connection only: the decisions' unique index outgrows the default 2 MB at a
        // few hundred thousand rows, and every insert would then read its pages back from the operating system. No
        // checkpoint at each commit (see Checkpoint).
        using (var pragma = SqliteStore.Command(connection, RunCacheSize + NoCheckpointAtCommit))
        {
            pragma.ExecuteNonQuery();
        }

        // The conflict clause (StoreRows.DecisionUpsertClause) makes a re-run over unchanged inputs a no-op: the row
        // keeps its run id and the statement reports no change, which is how a run counts "decisions changed".
        const string sql = """
            INSERT INTO decisions (case_id, target, evaluation_date, policy_version, policy, status, due_at, elapsed_minutes, paused_minutes,
                percent_used, escalation_level, as_of, policy_file, policy_line, rule_name, customer, service, explanation, run_id, decision_hash,
                stopped_at, severity, is_current, inputs_hash, policy_fingerprint, state_hash)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, 1, ?23, ?24, ?25)
            """ + StoreRows.DecisionUpsertClause;
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out _decision));

        // A decision of a case that continues (CaseOutcome.Continues) in the same state moves its current row forward
        // (StoreRows.MoveForwardSql), found by the key's case_id and target; `+is_current` keeps SQLite off the partial
        // indexes of the current rows.
        Check(raw.sqlite3_prepare_v2(connection.Handle, StoreRows.MoveForwardSql, out _move));
        _escalation = SqliteStore.Command(connection, """
            INSERT INTO escalation_history (case_id, level, first_reached_at, run_id) VALUES (@case, @level, @at, @run)
            ON CONFLICT (case_id, level) DO NOTHING
            """);
        _e = SqliteStore.Parameters(_escalation, "@case", "@level", "@at", "@run");

        // A case's decisions of one date that the batch no longer has (StoreRows.StaleKeys): the case was sent again and
        // now has other targets (another severity, another policy version) than when this date was first decided.
        // `+evaluation_date` keeps SQLite off the date indexes (every decision of the night) and on the key's case_id.
        _stale = SqliteStore.Command(connection, """
            DELETE FROM decisions
            WHERE +evaluation_date = @date
                AND case_id IN (SELECT value FROM json_each(@cases))
                AND case_id || char(31) || target || char(31) || policy_version NOT IN (SELECT value FROM json_each(@keys))
            """);
        _s = SqliteStore.Parameters(_stale, "@date", "@cases", "@keys");

        // The incremental bookkeeping (StoreRows.RetireSql, PendingChanges): rows of other dates stop being current;
        // settled cases leave the pending list when their entry is still the one read; unsettled ones join it.
        const string cases = "case_id IN (SELECT value FROM json_each(@cases))";
        _retire = SqliteStore.Command(connection, StoreRows.RetireSql(cases));
        _r = SqliteStore.Parameters(_retire, "@date", "@cases");
        const string entries = $"{cases} AND case_id || char(31) || seq IN (SELECT value FROM json_each(@keys))";
        _settled = SqliteStore.Command(connection, $"DELETE FROM pending_cases WHERE {entries}");
        _p = SqliteStore.Parameters(_settled, "@cases", "@keys");
        _evaluated = SqliteStore.Command(connection, $"UPDATE pending_cases SET evaluated_as_of = @asOf WHERE {entries}");
        _v = SqliteStore.Parameters(_evaluated, "@cases", "@keys", "@asOf");
        _unsettled = SqliteStore.Command(connection, StoreRows.UnsettledSql("id IN (SELECT value FROM json_each(@ids))"));
        _u = SqliteStore.Parameters(_unsettled, "@ids", "@asOf");
        _fresh = SqliteStore.Command(connection, NoDecisionsYetSql);
        _f = SqliteStore.Parameters(_fresh, "@cases");
    }

    /// <summary>
    /// 1 when no decision row has a case id in the range of <c>@cases</c> (a JSON array), by SQLite's own order of texts;
    /// one seek on the key's case_id.
    /// </summary>
    internal const string NoDecisionsYetSql = """
        SELECT NOT EXISTS (SELECT 1 FROM decisions
            WHERE case_id >= (SELECT min(value) FROM json_each(@cases)) AND case_id <= (SELECT max(value) FROM json_each(@cases)))
        """;

    private readonly SqliteCommand _fresh;
    private readonly SqliteParameter[] _f;

    private readonly SqliteCommand _evaluated;
    private readonly SqliteParameter[] _v;

    private readonly SqliteCommand _retire;
    private readonly SqliteParameter[] _r;
    private readonly SqliteCommand _settled;
    private readonly SqliteParameter[] _p;
    private readonly SqliteCommand _unsettled;
    private readonly SqliteParameter[] _u;

    public DecisionWriteResult Write(IReadOnlyList<Decision> decisions, IReadOnlyList<CaseOutcome> cases)
    {
        var rows = DecisionRows.Prepare(decisions, cases);
        var escalations = EscalationLevels.Highest(decisions);
        using var transaction = _connection.BeginTransaction();
        _escalation.Transaction = transaction;
        _escalation.Prepare();

        // No case of the batch has a decision row yet (a store's first night; cases new to the store, read in id order):
        // none of their rows can be stale or retire, and the statements that look for such rows (a lookup per case and
        // per key, about 50 ms a batch of 10,000 cases) are skipped.
        var fresh = cases.Count > 0 && NoDecisionsYet(transaction, cases);
        int changed = 0, reached = 0;
        var moved = new bool[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            SetNight(rows[i].Decision.AsOf);
            if (rows[i].Continues && MoveForward(rows[i]))
            {
                moved[i] = true;
                changed++;
            }
            else
            {
                changed += Upsert(rows[i]);
            }
        }

        var movedForward = DecisionRows.MovedForward(cases, i => moved[i], rows.Length > 0 && NothingLater(rows[0].Decision.AsOf, transaction));
        _stale.Transaction = transaction;
        foreach (var (date, staleCases, keys) in fresh ? [] : StoreRows.StaleKeys(decisions, movedForward))
        {
            _s[0].Value = date;
            _s[1].Value = staleCases;
            _s[2].Value = keys;
            changed += _stale.ExecuteNonQuery();
        }

        _stale.Transaction = null;

        foreach (var (caseId, level, at) in escalations)
        {
            reached += RecordEscalation(caseId, level, at);
        }

        var pending = PendingChanges.Of(decisions, cases, movedForward);
        if (!fresh)
        {
            Run(transaction, _retire, _r, pending.Retired.Select(r => (object)r.Date), pending.Retired.Select(r => (object)StoreText.Strings(r.Cases)));
        }

        Entries(transaction, _settled, _p, pending.Settled, null);
        Entries(transaction, _evaluated, _v, pending.Counting, pending.AsOf);
        Entries(transaction, _evaluated, _v, pending.Failed, null);
        Add(transaction, _unsettled, _u, pending.NewCounting, pending.AsOf);
        Add(transaction, _unsettled, _u, pending.NewFailed, null);
        transaction.Commit();
        _escalation.Transaction = null;
        return new DecisionWriteResult(decisions.Count, changed, reached);
    }

    /// <summary>True when no decision row is stored for a case id between the least and the greatest of <paramref name="cases"/> (SQLite's order).</summary>
    private bool NoDecisionsYet(SqliteTransaction transaction, IReadOnlyList<CaseOutcome> cases)
    {
        var ids = new string[cases.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = cases[i].CaseId;
        }

        _fresh.Transaction = transaction;
        _f[0].Value = StoreText.Strings(ids);
        var none = Convert.ToInt64(_fresh.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
        _fresh.Transaction = null;
        return none;
    }

    /// <summary>Runs a statement on the pending entries <paramref name="listed"/> (<c>@cases</c>, <c>@keys</c>), with <c>@asOf</c> when it has one.</summary>
    private static void Entries(SqliteTransaction transaction, SqliteCommand command, SqliteParameter[] p, ListedCases listed, string? asOf)
    {
        if (listed.Count == 0)
        {
            return;
        }

        if (p.Length > 2)
        {
            p[2].Value = (object?)asOf ?? DBNull.Value;
        }

        Run(transaction, command, p, [StoreText.Strings(listed.Ids)], [StoreText.Strings(listed.Keys)]);
    }

    /// <summary>Adds the cases <paramref name="ids"/> to the pending list, evaluated as of <paramref name="asOf"/> (none: NULL).</summary>
    private static void Add(SqliteTransaction transaction, SqliteCommand command, SqliteParameter[] p, IReadOnlyList<string> ids, string? asOf)
    {
        if (ids.Count == 0)
        {
            return;
        }

        p[1].Value = (object?)asOf ?? DBNull.Value;
        Run(transaction, command, p, [StoreText.Strings(ids)], null);
    }

    /// <summary>Runs <paramref name="command"/> once per value of <paramref name="first"/> (with the matching one of <paramref name="second"/>).</summary>
    private static void Run(SqliteTransaction transaction, SqliteCommand command, SqliteParameter[] p, IEnumerable<object> first, IEnumerable<object>? second)
    {
        command.Transaction = transaction;
        using var seconds = second?.GetEnumerator();
        foreach (var value in first)
        {
            p[0].Value = value;
            if (seconds is not null && seconds.MoveNext())
            {
                p[1].Value = seconds.Current;
            }

            command.ExecuteNonQuery();
        }

        command.Transaction = null;
    }

    /// <summary>The asOf and evaluation date texts of the night of <paramref name="asOf"/>, bound by the statements.</summary>
    private void SetNight(DateTimeOffset asOf)
    {
        if (asOf != _lastAsOf || _asOfText.Length == 0)
        {
            _lastAsOf = asOf;
            _asOfText = Encoding.UTF8.GetBytes(StoreText.Utc(asOf));
            _dateText = Encoding.UTF8.GetBytes(StoreText.Date(StoreText.EvaluationDate(asOf)));
        }
    }

    /// <summary>No other run is as of <paramref name="asOf"/>'s date or later (<see cref="StoreRows.NothingLater"/>); asked once per night.</summary>
    private bool NothingLater(DateTimeOffset asOf, SqliteTransaction transaction)
    {
        if (_nothingLater is not { } known || known.AsOf != asOf)
        {
            using var command = SqliteStore.Command(_connection, StoreRows.LatestOtherRunSql, transaction);
            command.Parameters.AddWithValue("@run", _runId);
            known = (asOf, StoreRows.NothingLater(command.ExecuteScalar(), asOf));
            _nothingLater = known;
        }

        return known.Value;
    }

    private (DateTimeOffset AsOf, bool Value)? _nothingLater;

    /// <summary>Upserts one row; returns 1 when it was inserted or changed, 0 when the stored row was equal.</summary>
    private int Upsert(DecisionRow row)
    {
        var d = row.Decision;
        var s = SqliteNative.Of(_decision);
        var n = _native;
        try
        {
            Check(n.Text(s, 1, d.CaseId));
            Check(n.Text(s, 2, d.Target ?? string.Empty));
            Check(SqliteNative.Text(s, 3, _dateText));
            Check(n.Text(s, 4, d.PolicyVersion ?? string.Empty));
            Check(n.Text(s, 5, d.Policy));
            Check(n.Text(s, 6, StoreText.Status(d.Status)));
            Check(n.Text(s, 7, d.DueAt is { } due ? StoreText.Utc(due) : null));
            Check(SqliteNative.Double(s, 8, d.ElapsedMinutes));
            Check(SqliteNative.Double(s, 9, d.PausedMinutes));
            Check(SqliteNative.Double(s, 10, d.PercentUsed));
            Check(SqliteNative.Int64(s, 11, d.EscalationLevel));
            Check(SqliteNative.Text(s, 12, _asOfText));
            Check(n.Text(s, 13, d.PolicyFile));
            Check(SqliteNative.Int64(s, 14, d.PolicyLine));
            Check(n.Text(s, 15, d.RuleName));
            Check(n.Text(s, 16, d.Customer));
            Check(n.Text(s, 17, d.Service));
            Check(SqliteNative.Text(s, 18, row.Explanation));
            Check(SqliteNative.Int64(s, 19, _runId));
            Check(SqliteNative.Int64(s, 20, row.Hash));
            Check(n.Text(s, 21, d.StoppedAt is { } stopped ? StoreText.Utc(stopped) : null));
            Check(SqliteNative.Int64(s, 22, d.Severity));
            Check(SqliteNative.Int64(s, 23, row.InputsHash));
            Check(SqliteNative.Int64(s, 24, row.Fingerprint));
            Check(SqliteNative.Int64(s, 25, row.StateHash));
            var rc = SqliteNative.Step(s);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            return SqliteNative.Changes(_database);
        }
        finally
        {
            SqliteNative.Reset(s);
        }
    }

    /// <summary>Moves the decision's current row forward to its night when its state holds; true when it did.</summary>
    private bool MoveForward(DecisionRow row)
    {
        var d = row.Decision;
        var s = SqliteNative.Of(_move);
        var n = _native;
        try
        {
            Check(SqliteNative.Text(s, 1, _dateText));
            Check(SqliteNative.Text(s, 2, _asOfText));
            Check(SqliteNative.Double(s, 3, d.ElapsedMinutes));
            Check(SqliteNative.Double(s, 4, d.PausedMinutes));
            Check(SqliteNative.Double(s, 5, d.PercentUsed));
            Check(n.Text(s, 6, d.DueAt is { } due ? StoreText.Utc(due) : null));
            Check(SqliteNative.Text(s, 7, row.Explanation));
            Check(SqliteNative.Int64(s, 8, _runId));
            Check(SqliteNative.Int64(s, 9, row.Hash));
            Check(n.Text(s, 10, d.CaseId));
            Check(n.Text(s, 11, d.Target ?? string.Empty));
            Check(n.Text(s, 12, d.PolicyVersion ?? string.Empty));
            Check(SqliteNative.Int64(s, 13, row.StateHash));
            var rc = SqliteNative.Step(s);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            return SqliteNative.Changes(_database) > 0;
        }
        finally
        {
            SqliteNative.Reset(s);
        }
    }

    private void Check(int rc) => SqliteStore.Check(_connection, rc);

    private int RecordEscalation(string caseId, int level, DateTimeOffset at)
    {
        _e[0].Value = caseId;
        _e[1].Value = level;
        _e[2].Value = StoreText.Utc(at);
        _e[3].Value = _runId;
        return _escalation.ExecuteNonQuery();
    }

    private bool _disposed;

    /// <summary>Disposes the statements and gives the connection back; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Fold();
        Checkpoint();
        _decision.Dispose();
        _move.Dispose();
        _escalation.Dispose();
        _stale.Dispose();
        _retire.Dispose();
        _settled.Dispose();
        _evaluated.Dispose();
        _unsettled.Dispose();
        _fresh.Dispose();

        GiveBackCache(_connection);
        _connection.Dispose();
    }

    /// <summary>
    /// Adds the changes of the attainment counts the writes logged to the counts (<see cref="AttainmentCounts.FoldSql"/>),
    /// so that the log stays as long as a night's changes. The counts read the same either way; a fold that cannot run
    /// (the store busy past its timeout) leaves the log to the next one.
    /// </summary>
    private void Fold()
    {
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var command = SqliteStore.Command(_connection, AttainmentCounts.FoldSql, transaction))
            {
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException)
        {
            // The log keeps the changes: nothing is lost, the next sink folds them.
        }
    }

    /// <summary>
    /// Copies the WAL into the database once the partition's writes are done (the connection then goes back to the pool
    /// with SQLite's default, a checkpoint when a commit leaves the WAL past 1,000 pages: <see cref="GiveBackCache"/>). While the partition writes, its commits do not
    /// checkpoint (<see cref="NoCheckpointAtCommit"/>): the partition's own read of its cases holds a snapshot from its
    /// start, so a checkpoint at a commit could copy nothing the night wrote and only synced the WAL to disk, batch after
    /// batch; once, at the end, each page is copied once. Passive: a reader still open (a page being served) keeps
    /// what it reads, and the next checkpoint copies the rest. A failure leaves the WAL to the next checkpoint.
    /// </summary>
    private void Checkpoint()
    {
        try
        {
            using var pragma = SqliteStore.Command(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
            pragma.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Nothing is lost: the WAL holds every committed page until a checkpoint copies it.
        }
    }

    /// <summary>Commits on the sink's connection leave the WAL to <see cref="Checkpoint"/>.</summary>
    private const string NoCheckpointAtCommit = "PRAGMA wal_autocheckpoint=0;";

    /// <summary>The page cache of a connection that writes a run's decisions or a batch of ingestion: 64 MB.</summary>
    internal const string RunCacheSize = "PRAGMA cache_size=-65536;";

    /// <summary>
    /// Before a connection goes back to the pool: give back its page cache (up to 64 MB, see <see cref="RunCacheSize"/>)
    /// and the default size, or every pooled connection a sink or an ingestion ever used would keep one, and a host's
    /// memory would grow with each run that happened to draw another connection; and SQLite's default checkpoint at a
    /// commit past 1,000 pages, which a sink's connection turns off while it writes.
    /// </summary>
    internal static void GiveBackCache(SqliteConnection connection)
    {
        try
        {
            using var pragma = SqliteStore.Command(connection, "PRAGMA wal_autocheckpoint=1000; PRAGMA cache_size=-2000; PRAGMA shrink_memory;");
            pragma.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // A connection that cannot run a pragma is not worth keeping small; disposing it is all that is left.
        }
    }
}
