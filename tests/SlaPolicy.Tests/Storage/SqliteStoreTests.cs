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

    /// <summary>
    /// A night reads the cases through SQLite's own column functions, their texts lent as the bytes SQLite holds:
    /// every field of generated cases and of hand-made ones (texts needing escapes, wide and empty texts, absent optional
    /// parts, offsets, events with every optional part) comes back as the provider's reader gives it, for the whole store
    /// and for the pending cases of some customers; a text that repeats across rows is one string.
    /// </summary>
    [Fact]
    public void ReadCasesToEvaluate_EveryField_AsTheProvidersReaderGivesIt()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(Path.Combine(folder.Path, "store.db"));
        store.Migrate();
        var at = DateTimeOffset.Parse("2026-11-20T16:30:00+05:30");
        List<CaseRecord> cases = [.. new CaseGenerator(3, GenerationProfile.Realistic).Generate(400)];
        cases.Add(Cases.Open("C-é\\\"<1>", "2026-11-20T16:30:00+05:30", tags: ["é", "<x>", "", "a\"b", "🚀"]) with
        {
            Customer = "Müller \"&\" Söhne " + new string('ß', 100),
            Service = "e\u0001mail",
            FirstResponseAt = at.AddTicks(1),
            Events =
            [
                new(at.AddMinutes(1), "waiting<on>customer") { Type = "reply", Public = false, Severity = 2, Team = "amer", Author = "agent \"x\"" },
                new(at.AddMinutes(2).ToOffset(TimeSpan.FromHours(-8)), "ré-ouvert"),
                new(at.AddMinutes(3), "in_progress") { Public = true },
            ],
        });
        store.Ingest(new RecordBatch(cases, [], [], [], [], AsOf));

        static string Json(CaseRecord record)
        {
            using var buffer = new MemoryStream();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                InputDescriptions.Cases.Write(writer, record);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        static (string, long?, long?, bool) Row(CaseToEvaluate c) => (Json(c.Case), c.PendingSeq, c.InputsHash, c.EvaluatedBefore);
        var expected = store.ReadCases().ToDictionary(c => c.Id, Json, StringComparer.Ordinal);
        var read = store.ReadCasesToEvaluate(null, pendingAsOf: null).ToList();
        read.Select(Row).ShouldBe(store.ReadCasesToEvaluateThroughProvider(null, null).Select(Row));
        read.Select(c => c.Case.Id).ShouldBe(expected.Keys);
        read.Select(c => Json(c.Case)).ShouldBe(read.Select(c => expected[c.Case.Id]));
        read.Single(c => c.Case.Id.StartsWith("C-é", StringComparison.Ordinal)).Case.Events.Select(e => e.At.Offset).ShouldBe([TimeSpan.FromHours(5.5), TimeSpan.FromHours(-8), TimeSpan.FromHours(5.5)]);
        read.Where(c => c.Case.Customer == read[0].Case.Customer).Select(c => c.Case.Customer).Distinct(ReferenceEqualityComparer.Instance).ShouldHaveSingleItem();

        string[] customers = [.. cases.Select(c => c.Customer).Distinct().Take(2)];
        var pending = store.ReadCasesToEvaluate(customers, AsOf).ToList();
        pending.ShouldNotBeEmpty();
        pending.Select(Row).ShouldBe(store.ReadCasesToEvaluateThroughProvider(customers, AsOf).Select(Row));
        pending.ShouldAllBe(c => customers.Contains(c.Case.Customer) && c.PendingSeq != null);
        pending.Select(c => Json(c.Case)).ShouldBe(pending.Select(c => expected[c.Case.Id]));
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
