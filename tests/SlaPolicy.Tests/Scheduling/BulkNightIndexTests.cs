using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Host.Notifications;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>
/// A night that writes a decision for every case of a large store (Run:BulkIndexCases) drops the SQLite indexes of the
/// current decisions and the triggers of the attainment counts while it writes, and builds them and counts again once
/// afterwards: the decisions and credits are those of a night that kept them, the indexes and triggers are back and the
/// counts right once the night ends, whether it succeeded or not, and a start builds any that are missing.
/// </summary>
public class BulkNightIndexTests
{
    private static readonly string[] Indexes =
        ["ix_decisions_current_status", "ix_decisions_current_stopped", "tr_attainment_counts_delete", "tr_attainment_counts_insert", "tr_attainment_counts_update"];

    private static readonly DateTimeOffset Night = DateTimeOffset.Parse("2026-11-21T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static NightlyRun Run(IStore store, long bulkIndexCases, IEscalationNotifier? notifier = null) =>
        new(store, SamplePolicyEvaluator.Provider, TimeProvider.System,
            new HostSettings { RunBatchSize = 50, RunParallelism = 2, BulkIndexCases = bulkIndexCases }, NullLogger<NightlyRun>.Instance, notifier);

    private static string[] IndexesOf(IStore store)
    {
        using var connection = new SqliteConnection($"Data Source={((SqliteStore)store).Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT name FROM sqlite_master
            WHERE (type = 'index' AND name IN ('ix_decisions_current_status', 'ix_decisions_current_stopped'))
                OR (type = 'trigger' AND name LIKE 'tr_attainment_counts_%')
            ORDER BY name
            """;
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }

    private static string[] Current(IStore store) =>
        [.. store.QueryDecisions(new DecisionQuery(LatestOnly: true, Limit: 100_000))
            .Select(s => s.Decision)
            .Select(d => string.Join('|', d.CaseId, d.Target, d.Policy, d.PolicyVersion, d.Status, d.DueAt?.UtcTicks, d.StoppedAt?.UtcTicks, d.ElapsedMinutes,
                d.PausedMinutes, d.PercentUsed, d.EscalationLevel, d.Explanation.Count()))
            .Order(StringComparer.Ordinal)];

    private static string[] Credits(IStore store) => IncrementalNightTests.Credits(store);

    private static void IngestSamples(IStore store) => IncrementalNightTests.IngestSamples(store);

    /// <summary>Records which of the indexes exist each time a batch has been written.</summary>
    private sealed class IndexWatch(IStore store, Action? after = null) : IEscalationNotifier
    {
        public List<string[]> Seen { get; } = [];

        public void Written(long runId, IReadOnlyList<Decision> decisions, ICaseEvaluator evaluator)
        {
            Seen.Add(IndexesOf(store));
            after?.Invoke();
        }
    }

    [Fact]
    public void WholeStoreNight_WritesWithoutTheIndexes_AndLeavesTheSameDecisionsAndCreditsWithTheIndexesBack()
    {
        using var bulk = TestStore.Migrated(StoreKind.Sqlite);
        using var kept = TestStore.Migrated(StoreKind.Sqlite);
        IngestSamples(bulk.Store);
        IngestSamples(kept.Store);

        var watchBulk = new IndexWatch(bulk.Store);
        var watchKept = new IndexWatch(kept.Store);
        var nights = new[] { Night, Night.AddDays(1) };
        foreach (var night in nights)
        {
            Run(bulk.Store, bulkIndexCases: 1, watchBulk).Run(night, RunTrigger.Cli, full: true).State.ShouldBe(RunState.Succeeded);
            Run(kept.Store, bulkIndexCases: 0, watchKept).Run(night, RunTrigger.Cli, full: true).State.ShouldBe(RunState.Succeeded);
            Current(bulk.Store).ShouldBe(Current(kept.Store), $"current decisions as of {night:O}");
            Credits(bulk.Store).ShouldBe(Credits(kept.Store), $"service credits as of {night:O}");
            IndexesOf(bulk.Store).ShouldBe(Indexes);
            AttainmentCountsCheck.ShouldMatchTheRows(bulk.Store, $"as of {night:O}");
        }

        watchBulk.Seen.ShouldNotBeEmpty();
        watchBulk.Seen.ShouldAllBe(seen => seen.Length == 0);
        watchKept.Seen.ShouldAllBe(seen => seen.SequenceEqual(Indexes));
    }

    [Fact]
    public void NightOfTheChangedCasesOnly_OrASmallStore_KeepsTheIndexes()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        IngestSamples(store);
        var watch = new IndexWatch(store);
        Run(store, bulkIndexCases: store.CountCases() + 1, watch).Run(Night, RunTrigger.Cli).State.ShouldBe(RunState.Succeeded);
        Run(store, bulkIndexCases: 1, watch).Run(Night.AddDays(1), RunTrigger.Cli).State.ShouldBe(RunState.Succeeded);
        watch.Seen.ShouldNotBeEmpty();
        watch.Seen.ShouldAllBe(seen => seen.SequenceEqual(Indexes));
    }

    [Fact]
    public void CancelledWholeStoreNight_BuildsTheIndexesAgain()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        IngestSamples(store);
        using var cancel = new CancellationTokenSource();
        var watch = new IndexWatch(store, cancel.Cancel);
        // What a stopped host sees: the cancellation itself, not an error of putting the indexes back.
        Should.Throw<OperationCanceledException>(() => Run(store, bulkIndexCases: 1, watch).Run(Night, RunTrigger.Cli, cancellationToken: cancel.Token));

        watch.Seen.ShouldNotBeEmpty();
        watch.Seen[0].ShouldBeEmpty();
        IndexesOf(store).ShouldBe(Indexes);
        AttainmentCountsCheck.ShouldMatchTheRows(store);
    }

    /// <summary>
    /// The count after a whole-store night keeps each value as the rows give it: a decision without customer or policy
    /// counts under the absent value (a zero-length BLOB), as the triggers and the count from the rows keep it.
    /// </summary>
    [Fact]
    public void WholeStoreCount_DecisionsWithoutCustomerOrPolicy_CountedAsTheRowsGiveThem()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        var asOf = Night;
        Decision Stopped(string caseId, string? customer, string? policy, DecisionStatus status) =>
            new(caseId, "sev2-resolution", policy, "2026.1", status, asOf.AddHours(-3), 60, 0, 50, 0, asOf, "policies/x.json", 1, "x", customer, "email", [])
            {
                Severity = 2,
                StoppedAt = asOf.AddHours(-2),
            };

        using (var rebuild = ((SqliteStore)store).DeferCurrentDecisionIndexes())
        {
            using var sink = store.OpenDecisionSink(1);
            sink.Write([Stopped("C-1", null, null, DecisionStatus.Met), Stopped("C-2", "acme", null, DecisionStatus.Breached), Stopped("C-3", null, "gold", DecisionStatus.Met), Stopped("C-4", "acme", "gold", DecisionStatus.Met)]);
        }

        IndexesOf(store).ShouldBe(Indexes);
        AttainmentCountsCheck.ShouldMatchTheRows(store);
        using var connection = new SqliteConnection($"Data Source={((SqliteStore)store).Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM attainment_counts WHERE typeof(customer) = 'blob' AND length(customer) = 0";
        Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(2);
    }

    [Fact]
    public void Start_BuildsTheIndexesANightThatDiedLeftDropped_AndCountsAgain()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        IngestSamples(store);
        ((SqliteStore)store).DeferCurrentDecisionIndexes().ShouldNotBeNull();
        IndexesOf(store).ShouldBeEmpty();

        // The night writes its decisions with the triggers dropped, then the process dies before it counts again.
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([.. store.ReadCases().SelectMany(c => SamplePolicyEvaluator.Provider.Current.Evaluate(c, Night, explain: false))]).Written.ShouldBeGreaterThan(100);
        }

        Should.Throw<ShouldAssertException>(() => AttainmentCountsCheck.ShouldMatchTheRows(store));
        test.Open().Migrate();
        IndexesOf(store).ShouldBe(Indexes);
        AttainmentCountsCheck.ShouldMatchTheRows(store);
    }
}
