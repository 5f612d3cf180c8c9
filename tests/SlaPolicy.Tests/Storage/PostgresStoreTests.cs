using Npgsql;

namespace SlaPolicy.Tests.Storage;

/// <summary>What only the PostgreSQL store does: create its database, and let hosts starting together migrate once.</summary>
public class PostgresStoreTests
{
    [Theory]
    [PostgresData]
    public void Migrate_DatabaseMissing_CreatesItAndAppliesTheSchema(StoreKind kind)
    {
        using var test = new TestStore(kind);
        var missing = new NpgsqlConnectionStringBuilder(test.Server) { Database = $"slapolicy_test_{Guid.NewGuid():N}" }.ToString();
        try
        {
            using var store = new PostgresStore(missing);

            store.Migrate();

            store.SchemaVersion().ShouldBe(PostgresMigrations.All[^1].Version);
            store.CountCases().ShouldBe(0);
        }
        finally
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(test.Server) { Pooling = false }.ToString());
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS {PostgresStore.QuoteIdentifier(new NpgsqlConnectionStringBuilder(missing).Database!)} WITH (FORCE)";
            drop.ExecuteNonQuery();
        }
    }

    [Theory]
    [PostgresData]
    public void Migrate_FourHostsAtOnce_SchemaAppliedOnce(StoreKind kind)
    {
        using var test = new TestStore(kind);
        var stores = Enumerable.Range(0, 4).Select(_ => test.Open()).ToArray();

        // Without the advisory lock, concurrent CREATE TABLE would fail with a duplicate-object error.
        Parallel.ForEach(stores, store => store.Migrate());

        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(test.Server) { Database = ((PostgresStore)stores[0]).Database, Pooling = false }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations";
        Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(PostgresMigrations.All.Count);
    }

    [Theory]
    [PostgresData]
    public void Ingest_TextWithNulCharacter_RefusedAndNothingOfTheBatchStored(StoreKind kind)
    {
        using var test = new TestStore(kind);
        var store = test.Store;
        store.Migrate();
        var batch = new RecordBatch(
            [Cases.Open("C-1", "2026-11-20T16:30:00Z"), Cases.Open("C-\0", "2026-11-20T16:30:00Z")], [], [], [], [], DateTimeOffset.UtcNow);

        // PostgreSQL text cannot hold U+0000 (SQLite can): the server refuses it and the transaction rolls back.
        Should.Throw<PostgresException>(() => store.Ingest(batch)).SqlState.ShouldBe(PostgresErrorCodes.CharacterNotInRepertoire);
        store.CountCases().ShouldBe(0);
    }
}
