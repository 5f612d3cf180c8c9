using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
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
        Execute(connection, MigrationsTableSql, transaction);
        var applied = CurrentVersion(connection, transaction);

        // PostgreSQL's DDL is transactional: the pending migrations apply together or not at all.
        foreach (var (version, name, sql) in PostgresMigrations.All)
        {
            if (version <= applied)
            {
                continue;
            }

            Apply(connection, transaction, version, name, sql);
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

    internal override int Upsert<TRecord>(DbConnection connection, DbTransaction transaction, RecordTable<TRecord> table, StoredRows rows, string receivedAt)
    {
        var fields = table.Description.Fields;
        var names = fields.Select((_, i) => $"@p{i}").ToArray();
        var arrays = rows.Hashes is null ? names : [.. names, "@hash"];
        var sql = $"INSERT INTO {table.Name} ({table.InsertColumns}) SELECT r.*, @received FROM unnest({string.Join(", ", arrays)}) AS r {table.ConflictClause}";
        var written = 0;

        // One statement per chunk; a chunk never holds the same key twice, because one INSERT ... ON CONFLICT
        // cannot update a row twice. A later duplicate goes to the next statement and replaces the earlier,
        // exactly as the record-by-record SQLite upsert does.
        foreach (var chunk in UniqueChunks(Enumerable.Range(0, rows.Count).ToList(), r => table.Key(rows.Values[r])))
        {
            using var command = Command((NpgsqlConnection)connection, sql, (NpgsqlTransaction)transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            for (var i = 0; i < fields.Length; i++)
            {
                Array(command, names[i], ElementType(fields[i].StoreType), rows.Column(chunk, i, fields[i].StoreType));
            }

            if (rows.Hashes is { } hashes)
            {
                Array(command, "@hash", NpgsqlDbType.Bigint, chunk.Select(r => hashes[r]).ToArray());
            }

            written += command.ExecuteNonQuery();
        }

        return written;
    }

    private static NpgsqlDbType ElementType(StoreType type) => type switch
    {
        StoreType.Integer => NpgsqlDbType.Integer,
        StoreType.Real => NpgsqlDbType.Double,
        _ => NpgsqlDbType.Text,
    };

    internal override void Quarantine(DbConnection connection, DbTransaction transaction, IReadOnlyList<RejectedRecord> rejected, string receivedAt)
    {
        foreach (var chunk in rejected.Chunk(MaxRowsPerStatement))
        {
            // ORDER BY the ordinality: ids are given in file order, as the row-by-row insert gives them.
            using var command = Command((NpgsqlConnection)connection, """
                INSERT INTO quarantine (source, line, field, reason, raw, received_at)
                SELECT r.source, r.line, r.field, r.reason, r.raw, @received
                FROM unnest(@source, @line, @field, @reason, @raw) WITH ORDINALITY AS r (source, line, field, reason, raw, n)
                ORDER BY r.n
                ON CONFLICT (source, line, md5(raw)) DO NOTHING
                """, (NpgsqlTransaction)transaction);
            Scalar(command, "@received", NpgsqlDbType.Text, receivedAt);
            Array(command, "@source", NpgsqlDbType.Text, chunk.Select(r => r.Source).ToArray());
            Array(command, "@line", NpgsqlDbType.Bigint, chunk.Select(r => r.LineNumber).ToArray());
            Array(command, "@field", NpgsqlDbType.Text, chunk.Select(r => r.Field).ToArray());
            Array(command, "@reason", NpgsqlDbType.Text, chunk.Select(r => r.Reason).ToArray());
            Array(command, "@raw", NpgsqlDbType.Text, chunk.Select(r => r.RawText).ToArray());
            command.ExecuteNonQuery();
        }
    }

    internal override (string Condition, object Value) Among(string column, string parameter, IReadOnlyCollection<string> values) =>
        ($"{column} = ANY({parameter})", values.ToArray());

    internal override (string Query, object Value) Values(string parameter, IReadOnlyCollection<string> values) =>
        ($"SELECT unnest({parameter}) AS value", values.ToArray());

    /// <summary>
    /// Drops the idle pooled connections, so that after the server dropped them (a restart, a terminated backend) the
    /// next attempt opens fresh ones instead of failing once per stale connection.
    /// </summary>
    public void ClearPool() => _dataSource.Clear();

    public IDecisionSink OpenDecisionSink(long runId) => new PostgresDecisionSink(Open(), runId);

    /// <summary>Releases the pooled connections.</summary>
    public void Dispose() => _dataSource.Dispose();

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
