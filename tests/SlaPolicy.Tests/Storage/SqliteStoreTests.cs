using Microsoft.Data.Sqlite;

namespace SlaPolicy.Tests.Storage;

/// <summary>What only the SQLite store does: its file, its pragmas, rows written by an older schema.</summary>
public class SqliteStoreTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static Decision DecisionOf(string caseId) =>
        new(caseId, "sev1-resolution", "acme-gold", "2026.2", DecisionStatus.Running, AsOf.AddHours(1), 120, 0, 50, 0, AsOf,
            "policies/acme.json", 12, "acme-gold.sev1-resolution", "acme", "email", [new ExplanationStep("clock", "counted")]);

    /// <summary>
    /// The sink and the ingestion bind their texts themselves (UTF-8 in a reused buffer): texts of every width, one
    /// longer than any before it, empty and absent ones, and numbers at their limits come back as written (an empty
    /// target is how the store keeps a decision without one).
    /// </summary>
    [Fact]
    public void DecisionSinkAndIngestion_TextsOfEveryWidth_ComeBackAsWritten()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(Path.Combine(folder.Path, "store.db"));
        store.Migrate();
        var wide = "Müller & Söhne — 東京 🚀 " + new string('ß', 5_000);
        var first = DecisionOf("C-ü-1") with { Customer = "Ørsted", Policy = "東京-gold", PolicyFile = "policies/ümlaut.json", EscalationLevel = int.MaxValue };
        var second = DecisionOf("C-🚀-2") with { Customer = wide, Target = "", Service = null, RuleName = null, PercentUsed = double.MaxValue, PolicyLine = int.MinValue };
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([first, second]);
        }

        var stored = store.QueryDecisions(new DecisionQuery(LatestOnly: true, Limit: 10)).Select(d => d.Decision).OrderBy(d => d.CaseId, StringComparer.Ordinal).ToList();
        stored.Select(d => (d.CaseId, d.Customer, d.Policy, d.PolicyFile, d.Target, d.Service, d.RuleName, d.EscalationLevel, d.PercentUsed, d.PolicyLine))
            .ShouldBe([
                ("C-ü-1", "Ørsted", "東京-gold", "policies/ümlaut.json", "sev1-resolution", "email", "acme-gold.sev1-resolution", int.MaxValue, 50.0, 12),
                ("C-🚀-2", wide, "acme-gold", "policies/acme.json", null, null, null, 0, double.MaxValue, int.MinValue),
            ]);

        store.Ingest(new RecordBatch([Cases.Open("C-東京-3", "2026-11-20T16:30:00+01:00") with { Customer = wide, Tags = ["ü", "", "🚀"] }], [], [], [], [], AsOf));
        var ticket = store.GetCase("C-東京-3").ShouldNotBeNull();
        ticket.Customer.ShouldBe(wide);
        ticket.Tags.ShouldBe(["ü", "", "🚀"]);
    }

    [Fact]
    public void DecisionSink_Disposed_ItsPooledConnectionGoesBackWithTheDefaultCacheAndItsPagesGiven()
    {
        // The sink raises its connection's page cache to 64 MB (-65536 KiB) for the run. Connections are pooled: the
        // next Open takes that same idle connection, which must be back at SQLite's default (-2000 KiB, 2 MB) and hold
        // next to nothing, or every connection a sink ever used would keep a 64 MB cache for the life of the host.
        using var folder = new TempFolder();
        var store = new SqliteStore(Path.Combine(folder.Path, "store.db"));
        store.Migrate();
        long cacheInUse;
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([.. Enumerable.Range(0, 2_000).Select(i => DecisionOf($"C-{i:0000}"))]);
        }

        using (var connection = store.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture).ShouldBe(-2000);
            SQLitePCL.raw.sqlite3_db_status(connection.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_USED, out var used, out _, 0);
            cacheInUse = used;
        }

        // 2,000 rows and their indexes fill well over 100 KB of pages; given back, the cache holds a few pages at most.
        cacheInUse.ShouldBeLessThan(100_000);
    }

    /// <summary>
    /// The sink's commits leave the WAL alone (a night's own read holds a snapshot from its start, so a checkpoint then
    /// copies nothing of the night); closing, the sink copies the WAL into the database, and its pooled connection goes
    /// back with SQLite's default of a checkpoint past 1,000 pages.
    /// </summary>
    [Fact]
    public void DecisionSink_CheckpointsOnceWhenItCloses_AndItsConnectionGoesBackWithTheDefault()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(Path.Combine(folder.Path, "store.db"));
        store.Migrate();
        static (long Log, long Copied) Wal(SqliteConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var reader = command.ExecuteReader();
            reader.Read().ShouldBeTrue();
            return (reader.GetInt64(1), reader.GetInt64(2));
        }

        using (var sink = store.OpenDecisionSink(1))
        {
            // Batches of about 200 pages each: a checkpoint past 1,000 pages would start the WAL over after the fifth.
            for (var batch = 0; batch < 10; batch++)
            {
                sink.Write([.. Enumerable.Range(0, 2_000).Select(i => DecisionOf($"C-{batch}-{i:0000}"))]);
            }

            using var file = new FileStream(Path.Combine(folder.Path, "store.db-wal"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            (file.Length / 4096).ShouldBeGreaterThan(1_600);
        }

        using (var connection = store.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint";
            Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture).ShouldBe(1000);
            // Every frame copied (none at all when the pool closed the file's last connection, which copies and removes the WAL).
            var (log, copied) = Wal(connection);
            copied.ShouldBe(log);
        }
    }

    [Fact]
    public void DecisionSink_RowStoredBeforeTheHashColumn_RewrittenOnceThenUnchanged()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(Path.Combine(folder.Path, "store.db"));
        store.Migrate();
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([DecisionOf("C-1")]);
        }

        // A row written before migration 5 has no hash: it cannot be shown equal, so the next night rewrites it.
        using (var connection = new SqliteConnection($"Data Source={store.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE decisions SET decision_hash = NULL";
            command.ExecuteNonQuery().ShouldBe(1);
        }

        DecisionWriteResult second, third;
        using (var sink = store.OpenDecisionSink(2))
        {
            second = sink.Write([DecisionOf("C-1")]);
        }

        using (var sink = store.OpenDecisionSink(3))
        {
            third = sink.Write([DecisionOf("C-1")]);
        }

        second.Changed.ShouldBe(1);
        third.Changed.ShouldBe(0);
        store.QueryDecisions(new DecisionQuery()).ShouldHaveSingleItem().RunId.ShouldBe(2);
    }
}
