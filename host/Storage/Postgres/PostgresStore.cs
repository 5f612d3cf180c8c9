using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage.Postgres;

/// <summary>
/// The store on a PostgreSQL server, for several hosts sharing one database. Behaves exactly like
/// <see cref="SqliteStore"/>: same tables and keys, same upsert rules, same counts, same order of results (see
/// <see cref="PostgresMigrations"/>). Every value travels as a parameter; bulk writes send one statement per batch
/// whose parameters are arrays (<c>unnest</c>), prepared once per connection, inside one transaction per batch.
/// </summary>
/// <remarks>
/// Tables are created in the first schema of the connection's search path (<c>public</c> unless the connection
/// string sets <c>Search Path</c>). When the database named in the connection string does not exist,
/// <see cref="Migrate"/> creates it, in UTF-8 (the user needs CREATEDB for that; otherwise create it beforehand).
/// Text cannot hold the character U+0000 in PostgreSQL: a record containing it is refused by the server.
/// </remarks>
public sealed class PostgresStore : RelationalStore, IStore, IDisposable
{
    /// <summary>Advisory lock held while migrating, so that hosts starting together take turns.</summary>
    private const long MigrationLock = 0x534C_4150_6F6C_6963;

    /// <summary>Rows per statement: bounds the size of one message to the server.</summary>
    internal const int MaxRowsPerStatement = 10_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    /// <summary>A store on the database of <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    public PostgresStore(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("Store:ConnectionString is empty; the postgres store needs a connection string such as Host=127.0.0.1;Username=slapolicy;Password=...;Database=slapolicy", nameof(connectionString));
        }

        _connectionString = connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Database = builder.Database ?? builder.Username ?? "postgres";
        Target = $"postgres://{builder.Host}:{builder.Port}/{Database}";
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database name the store uses.</summary>
    public string Database { get; }

    /// <summary>Where the store is, for messages: <c>postgres://host:port/database</c>, without credentials.</summary>
    public string Target { get; }

    internal override NpgsqlConnection Open() => _dataSource.OpenConnection();

    public void Migrate()
    {
        EnsureDatabase();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})", transaction);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", transaction);
        var applied = CurrentVersion(connection, transaction);

        // PostgreSQL's DDL is transactional: the pending migrations apply together or not at all.
        foreach (var (version, name, sql) in PostgresMigrations.All)
        {
            if (version <= applied)
            {
                continue;
            }

            Execute(connection, sql, transaction);
            using var record = Command(connection, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)", transaction);
            record.Parameters.AddWithValue("@version", version);
            record.Parameters.AddWithValue("@name", name);
            record.Parameters.AddWithValue("@at", StoreText.Utc(DateTimeOffset.UtcNow));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Creates the database when the server says it does not exist.</summary>
    private void EnsureDatabase()
    {
        try
        {
            using var probe = Open();
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // Fall through: create it from the maintenance database.
        }

        var admin = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "postgres", Pooling = false };
        using var connection = new NpgsqlConnection(admin.ToString());
        connection.Open();
        try
        {
            // A database name cannot be a parameter; it is quoted as an identifier instead. UTF-8 whatever the
            // cluster's default (a cluster created without a locale is SQL_ASCII); locale C, as the schema sorts by
            // byte order anyway.
            Execute(connection, $"CREATE DATABASE {QuoteIdentifier(Database)} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another host created it first.
        }
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public int SchemaVersion()
    {
        using var connection = Open();
        return CurrentVersion(connection);
    }

    public int Ingest(RecordBatch batch)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var receivedAt = StoreText.Utc(batch.ReceivedAt);
        var written = 0;

        // One statement per chunk; a chunk never holds the same key twice, because one INSERT ... ON CONFLICT
        // cannot update a row twice. A later duplicate goes to the next statement and replaces the earlier,
        // exactly as the record-by-record SQLite upsert does.
        foreach (var chunk in UniqueChunks(batch.Cases, c => c.Id))
        {
            using var command = Command(connection, """
                INSERT INTO cases (id, customer, tier, region, service, severity, opened_at, first_response_at, resolved_at, tags, events, received_at)
                SELECT c.*, @received FROM unnest(@id, @customer, @tier, @region, @service, @severity, @opened, @response, @resolved, @tags, @events) AS c
                ON CONFLICT (id) DO UPDATE SET customer = excluded.customer, tier = excluded.tier, region = excluded.region,
                    service = excluded.service, severity = excluded.severity, opened_at = excluded.opened_at,
                    first_response_at = excluded.first_response_at, resolved_at = excluded.resolved_at, tags = excluded.tags,
                    events = excluded.events, received_at = excluded.received_at
                """, transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            Array(command, "@id", NpgsqlDbType.Text, chunk.Select(c => c.Id).ToArray());
            Array(command, "@customer", NpgsqlDbType.Text, chunk.Select(c => c.Customer).ToArray());
            Array(command, "@tier", NpgsqlDbType.Text, chunk.Select(c => c.Tier).ToArray());
            Array(command, "@region", NpgsqlDbType.Text, chunk.Select(c => c.Region).ToArray());
            Array(command, "@service", NpgsqlDbType.Text, chunk.Select(c => c.Service).ToArray());
            Array(command, "@severity", NpgsqlDbType.Integer, chunk.Select(c => c.Severity).ToArray());
            Array(command, "@opened", NpgsqlDbType.Text, chunk.Select(c => StoreText.Instant(c.OpenedAt)).ToArray());
            Array(command, "@response", NpgsqlDbType.Text, chunk.Select(c => c.FirstResponseAt is { } r ? StoreText.Instant(r) : null).ToArray());
            Array(command, "@resolved", NpgsqlDbType.Text, chunk.Select(c => c.ResolvedAt is { } r ? StoreText.Instant(r) : null).ToArray());
            Array(command, "@tags", NpgsqlDbType.Text, chunk.Select(c => StoreText.Tags(c.Tags)).ToArray());
            Array(command, "@events", NpgsqlDbType.Text, chunk.Select(c => StoreText.Events(c.Events)).ToArray());
            written += command.ExecuteNonQuery();
        }

        foreach (var chunk in UniqueChunks(batch.Outages, o => (o.Service, o.Region, StoreText.Utc(o.Start), o.Kind)))
        {
            using var command = Command(connection, """
                INSERT INTO outages (outage_id, service, region, start_at, end_at, kind, received_at)
                SELECT o.*, @received FROM unnest(@oid, @service, @region, @start, @end, @kind) AS o
                ON CONFLICT (service, region, start_at, kind) DO UPDATE SET outage_id = excluded.outage_id, end_at = excluded.end_at, received_at = excluded.received_at
                """, transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            Array(command, "@oid", NpgsqlDbType.Text, chunk.Select(o => o.Id).ToArray());
            Array(command, "@service", NpgsqlDbType.Text, chunk.Select(o => o.Service).ToArray());
            Array(command, "@region", NpgsqlDbType.Text, chunk.Select(o => o.Region).ToArray());
            Array(command, "@start", NpgsqlDbType.Text, chunk.Select(o => StoreText.Utc(o.Start)).ToArray());
            Array(command, "@end", NpgsqlDbType.Text, chunk.Select(o => StoreText.Utc(o.End)).ToArray());
            Array(command, "@kind", NpgsqlDbType.Text, chunk.Select(o => o.Kind).ToArray());
            written += command.ExecuteNonQuery();
        }

        foreach (var chunk in UniqueChunks(batch.Subscriptions, s => (s.Customer, s.Region, s.Service)))
        {
            using var command = Command(connection, """
                INSERT INTO subscriptions (customer, tier, region, service, monthly_fee, currency, received_at)
                SELECT s.*, @received FROM unnest(@customer, @tier, @region, @service, @fee, @currency) AS s
                ON CONFLICT (customer, region, service) DO UPDATE SET tier = excluded.tier, monthly_fee = excluded.monthly_fee, currency = excluded.currency, received_at = excluded.received_at
                """, transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            Array(command, "@customer", NpgsqlDbType.Text, chunk.Select(s => s.Customer).ToArray());
            Array(command, "@tier", NpgsqlDbType.Text, chunk.Select(s => s.Tier).ToArray());
            Array(command, "@region", NpgsqlDbType.Text, chunk.Select(s => s.Region).ToArray());
            Array(command, "@service", NpgsqlDbType.Text, chunk.Select(s => s.Service).ToArray());
            Array(command, "@fee", NpgsqlDbType.Text, chunk.Select(s => StoreText.Fee(s.MonthlyFee)).ToArray());
            Array(command, "@currency", NpgsqlDbType.Text, chunk.Select(s => s.Currency).ToArray());
            written += command.ExecuteNonQuery();
        }

        foreach (var chunk in UniqueChunks(batch.Measurements, m => (m.Service, m.Region, StoreText.Utc(m.At), m.Metric)))
        {
            using var command = Command(connection, """
                INSERT INTO measurements (service, region, at, metric, value, received_at)
                SELECT m.*, @received FROM unnest(@service, @region, @at, @metric, @value) AS m
                ON CONFLICT (service, region, at, metric) DO UPDATE SET value = excluded.value, received_at = excluded.received_at
                """, transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            Array(command, "@service", NpgsqlDbType.Text, chunk.Select(m => m.Service).ToArray());
            Array(command, "@region", NpgsqlDbType.Text, chunk.Select(m => m.Region).ToArray());
            Array(command, "@at", NpgsqlDbType.Text, chunk.Select(m => StoreText.Utc(m.At)).ToArray());
            Array(command, "@metric", NpgsqlDbType.Text, chunk.Select(m => m.Metric).ToArray());
            Array(command, "@value", NpgsqlDbType.Double, chunk.Select(m => m.Value).ToArray());
            written += command.ExecuteNonQuery();
        }

        foreach (var chunk in batch.Rejected.Chunk(MaxRowsPerStatement))
        {
            // ORDER BY the ordinality: ids are given in file order, as the row-by-row insert gives them.
            using var command = Command(connection, """
                INSERT INTO quarantine (source, line, field, reason, raw, received_at)
                SELECT r.source, r.line, r.field, r.reason, r.raw, @received
                FROM unnest(@source, @line, @field, @reason, @raw) WITH ORDINALITY AS r (source, line, field, reason, raw, n)
                ORDER BY r.n
                ON CONFLICT (source, line, md5(raw)) DO NOTHING
                """, transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            Array(command, "@source", NpgsqlDbType.Text, chunk.Select(r => r.Source).ToArray());
            Array(command, "@line", NpgsqlDbType.Bigint, chunk.Select(r => r.LineNumber).ToArray());
            Array(command, "@field", NpgsqlDbType.Text, chunk.Select(r => r.Field).ToArray());
            Array(command, "@reason", NpgsqlDbType.Text, chunk.Select(r => r.Reason).ToArray());
            Array(command, "@raw", NpgsqlDbType.Text, chunk.Select(r => r.RawText).ToArray());
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return written;
    }

    public IEnumerable<CaseRecord> ReadCasesOfCustomers(IReadOnlyCollection<string> customers, CancellationToken cancellationToken = default) =>
        StoreRows.Stream(
            Open(), $"SELECT {StoreRows.CaseColumns} FROM cases WHERE customer = ANY(@customers) ORDER BY id", [("@customers", customers.ToArray())], StoreRows.ReadCase, cancellationToken);

    public long StartRun(DateTimeOffset asOf, DateTimeOffset startedAt, RunTrigger trigger)
    {
        using var connection = Open();
        using var command = Command(connection, "INSERT INTO runs (as_of, started_at, status, run_trigger) VALUES (@asOf, @started, @status, @trigger) RETURNING id");
        command.Parameters.AddWithValue("@asOf", StoreText.Utc(asOf));
        command.Parameters.AddWithValue("@started", StoreText.Utc(startedAt));
        command.Parameters.AddWithValue("@status", StoreText.State(RunState.Running));
        command.Parameters.AddWithValue("@trigger", StoreText.Trigger(trigger));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void FinishRun(long runId, RunCompletion completion)
    {
        using var connection = Open();
        using var command = Command(connection, """
            UPDATE runs SET finished_at = @finished, status = @status, cases_read = @cases, decisions_written = @written,
                decisions_changed = @changed, rejected = @rejected, duration_ms = @duration, policy_versions = @versions, error = @error,
                credits_written = @creditsWritten, credits_changed = @creditsChanged
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("@finished", StoreText.Utc(completion.FinishedAt));
        command.Parameters.AddWithValue("@status", StoreText.State(completion.State));
        command.Parameters.AddWithValue("@cases", completion.CasesRead);
        command.Parameters.AddWithValue("@written", completion.DecisionsWritten);
        command.Parameters.AddWithValue("@changed", completion.DecisionsChanged);
        command.Parameters.AddWithValue("@rejected", completion.Rejected);
        command.Parameters.AddWithValue("@duration", completion.DurationMs);
        command.Parameters.AddWithValue("@versions", StoreText.Strings(completion.PolicyVersions));
        Scalar(command, "@error", NpgsqlDbType.Text, (object?)completion.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("@creditsWritten", completion.CreditsWritten);
        command.Parameters.AddWithValue("@creditsChanged", completion.CreditsChanged);
        command.Parameters.AddWithValue("@id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Drops the idle pooled connections, so that after the server dropped them (a restart, a terminated backend) the
    /// next attempt opens fresh ones instead of failing once per stale connection.
    /// </summary>
    public void ClearPool() => _dataSource.Clear();

    public IReadOnlyList<RunRecord> GetRuns(int limit = 50, int offset = 0) =>
        Query($"SELECT {StoreRows.RunColumns} FROM runs ORDER BY id DESC LIMIT @limit OFFSET @offset", [("@limit", limit), ("@offset", offset)], StoreRows.ReadRun);

    public override RunRecord? GetRun(long runId) =>
        Query($"SELECT {StoreRows.RunColumns} FROM runs WHERE id = @id", [("@id", runId)], StoreRows.ReadRun).FirstOrDefault();

    public RunRecord? GetLastSucceededRun() =>
        Query($"SELECT {StoreRows.RunColumns} FROM runs WHERE status = @status ORDER BY started_at DESC, id DESC LIMIT 1", [("@status", StoreText.State(RunState.Succeeded))], StoreRows.ReadRun).FirstOrDefault();

    public IDecisionSink OpenDecisionSink(long runId) => new PostgresDecisionSink(Open(), runId);

    public IReadOnlyList<StoredDecision> QueryDecisions(DecisionQuery query)
    {
        var (sql, parameters) = StoreRows.DecisionQuery(query);
        return Query(sql, parameters, StoreRows.ReadDecision);
    }

    public CaseTrace? GetCaseTrace(string caseId)
    {
        var ticket = GetCase(caseId);
        if (ticket is null)
        {
            return null;
        }

        var decisions = Query(StoreRows.CaseTraceDecisionsSql, [("@id", caseId)], StoreRows.ReadDecision);
        var escalations = Query(StoreRows.EscalationsSql, [("@id", caseId)], StoreRows.ReadEscalation);
        return new CaseTrace(ticket, decisions, escalations);
    }

    public IReadOnlyList<QuarantineEntry> GetQuarantine(int limit = 100, int offset = 0) =>
        Query($"SELECT {StoreRows.QuarantineColumns} FROM quarantine ORDER BY id DESC LIMIT @limit OFFSET @offset", [("@limit", limit), ("@offset", offset)], StoreRows.ReadQuarantine);

    /// <summary>Releases the pooled connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private List<T> Query<T>(string sql, List<(string Name, object Value)> parameters, Func<NpgsqlDataReader, T> read)
    {
        using var connection = Open();
        using var command = Command(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static int CurrentVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        using var command = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Consecutive chunks of <paramref name="items"/>, in order, none holding a key twice nor more than
    /// <see cref="MaxRowsPerStatement"/> rows.
    /// </summary>
    internal static IEnumerable<List<T>> UniqueChunks<T, TKey>(IReadOnlyList<T> items, Func<T, TKey> key)
        where TKey : notnull
    {
        var chunk = new List<T>();
        var keys = new HashSet<TKey>();
        foreach (var item in items)
        {
            if (!keys.Add(key(item)) || chunk.Count == MaxRowsPerStatement)
            {
                yield return chunk;
                chunk = [];
                keys.Clear();
                keys.Add(key(item));
            }

            chunk.Add(item);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    internal static NpgsqlParameter Array(NpgsqlCommand command, string name, NpgsqlDbType elementType, object? value = null) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = value ?? DBNull.Value });

    internal static NpgsqlParameter Scalar(NpgsqlCommand command, string name, NpgsqlDbType type, object? value = null) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    private static void Execute(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        using var command = Command(connection, sql, transaction);
        command.ExecuteNonQuery();
    }
}
