using Npgsql;
using Xunit.Sdk;

namespace SlaPolicy.Tests.Storage;

/// <summary>The stores the store tests run against.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The PostgreSQL row of a store theory, on the server of <see cref="TestPostgres"/> (<c>SLAPOLICY_TEST_POSTGRES</c>,
/// else a private server of the test process); skipped only with <c>SLAPOLICY_SKIP_POSTGRES=1</c> and no connection string.
/// </summary>
public sealed class PostgresDataAttribute : DataAttribute
{
    private readonly object[] _rest;

    /// <summary>The row <c>(StoreKind.Postgres, <paramref name="rest"/>...)</c>.</summary>
    public PostgresDataAttribute(params object[] rest)
    {
        _rest = rest;
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [[StoreKind.Postgres, .. _rest]];
}

/// <summary>
/// A test that needs PostgreSQL beside SQLite (a fault only PostgreSQL has, or a cluster): runs on the server of
/// <see cref="TestPostgres"/>, skipped as <see cref="PostgresDataAttribute"/> rows are.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// A fresh, empty store of one kind: a SQLite file in a temporary folder, or a PostgreSQL database with a unique
/// name, dropped on dispose.
/// </summary>
internal sealed class TestStore : IDisposable
{
    private readonly StoreKind _kind;
    private readonly TempFolder? _folder;
    private readonly string? _connectionString;
    private readonly List<IStore> _opened = [];

    public TestStore(StoreKind kind)
    {
        _kind = kind;
        if (kind == StoreKind.Sqlite)
        {
            _folder = new TempFolder();
        }
        else
        {
            var server = TestPostgres.ConnectionString;
            Server = server;
            _connectionString = new NpgsqlConnectionStringBuilder(server) { Database = $"slapolicy_test_{Guid.NewGuid():N}" }.ToString();
            CreateDatabase();
        }

        Store = Open();
    }

    /// <summary>
    /// Creates the test database with an English ICU collation, where "C-a" sorts before "C-B": a query that relied
    /// on the database's locale instead of the schema's byte order would then fail the ordering tests. Falls back
    /// to the server's default where ICU is not available.
    /// </summary>
    private void CreateDatabase()
    {
        var name = PostgresStore.QuoteIdentifier(new NpgsqlConnectionStringBuilder(_connectionString).Database!);
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        try
        {
            command.CommandText = $"CREATE DATABASE {name} ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0";
            command.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is not PostgresErrorCodes.DuplicateDatabase)
        {
            command.CommandText = $"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0";
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The connection string of the test database (PostgreSQL only; null for SQLite).</summary>
    public string? ConnectionString => _connectionString;

    /// <summary>The connection string of the server's maintenance database (PostgreSQL only).</summary>
    public string? Server { get; }

    /// <summary>
    /// The configuration keys that point a <c>serve</c> host at this store (<c>Store:Provider</c> and
    /// <c>Store:Path</c> or <c>Store:ConnectionString</c>), for tests that run the host as a process.
    /// </summary>
    public Dictionary<string, string?> HostSettings() => _kind == StoreKind.Sqlite
        ? new() { ["Store:Provider"] = "sqlite", ["Store:Path"] = _folder!.File("db/slapolicy.db") }
        : new() { ["Store:Provider"] = "postgres", ["Store:ConnectionString"] = _connectionString };

    /// <summary>A probe counting this store's rows from outside any host.</summary>
    public StoreProbe Probe() => _kind == StoreKind.Sqlite ? StoreProbe.Sqlite(_folder!.File("db/slapolicy.db")) : StoreProbe.Postgres(_connectionString!);

    /// <summary>A new store of <paramref name="kind"/>, migrated.</summary>
    public static TestStore Migrated(StoreKind kind) => Migrated(kind, out _);

    /// <summary>A new store of <paramref name="kind"/>, migrated; <paramref name="store"/> is its <see cref="Store"/>.</summary>
    public static TestStore Migrated(StoreKind kind, out IStore store)
    {
        var test = new TestStore(kind);
        test.Store.Migrate();
        store = test.Store;
        return test;
    }

    /// <summary>
    /// Applies the migrations up to <paramref name="version"/> only, as a store released then left them, then runs each
    /// of <paramref name="statements"/> on it (rows written by that release).
    /// </summary>
    public void MigrateTo(int version, params string[] statements)
    {
        using System.Data.Common.DbConnection connection = _kind == StoreKind.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteStore)Store).Path}")
            : new NpgsqlConnection(_connectionString);
        connection.Open();
        void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        Execute("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        foreach (var (applied, name, sql) in (_kind == StoreKind.Sqlite ? SqliteMigrations.All : PostgresMigrations.All).Where(m => m.Version <= version))
        {
            Execute(sql);
            Execute($"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({applied}, '{name.Replace("'", "''", StringComparison.Ordinal)}', '2026-01-01T00:00:00.0000000Z')");
        }

        Array.ForEach(statements, Execute);
    }

    /// <summary>The store under test (not migrated).</summary>
    public IStore Store { get; }

    /// <summary>Another store instance on the same file or database, as a restarted host would open it.</summary>
    public IStore Open()
    {
        IStore store = _kind == StoreKind.Sqlite
            ? new SqliteStore(_folder!.File("db/slapolicy.db"))
            : new PostgresStore(_connectionString!);
        _opened.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            (store as IDisposable)?.Dispose();
        }

        _folder?.Dispose();
        if (_connectionString is not null)
        {
            var database = new NpgsqlConnectionStringBuilder(_connectionString).Database!;
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {PostgresStore.QuoteIdentifier(database)} WITH (FORCE)";
            command.ExecuteNonQuery();
        }
    }
}
