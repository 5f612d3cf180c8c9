using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>A run split into partitions by customer, on both stores: same decisions as one partition, each partition once.</summary>
public class PartitionedRunTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-20T19:00:00Z");

    /// <summary>
    /// 60 cases of 12 customers, opened a minute apart so that their decisions differ: `acme` cases are governed by the
    /// sample policies, the other customers' by none (a no-policy decision each), which is as much a decision to keep.
    /// </summary>
    internal static CaseRecord[] Seed(IStore store, int count = 60)
    {
        var opened = DateTimeOffset.Parse("2026-11-20T12:00:00Z");
        var cases = Enumerable.Range(0, count)
            .Select(i => Cases.Open($"C-{i:000}", opened.AddMinutes(i).ToString("O"), customer: i % 12 == 0 ? "acme" : $"customer-{i % 12:00}", tags: i % 5 == 0 ? ["vip"] : []))
            .ToArray();
        store.Ingest(new RecordBatch(cases, [], [], [], [], AsOf));
        return cases;
    }

    internal static NightlyRun Run(IStore store, int partitions, IEvaluatorProvider? evaluators = null, double retrySeconds = 120) =>
        new(store, evaluators ?? SamplePolicyEvaluator.Provider, TimeProvider.System,
            new HostSettings { RunBatchSize = 7, RunParallelism = 1, RunPartitions = partitions, RunRetrySeconds = retrySeconds }, NullLogger<NightlyRun>.Instance);

    /// <summary>Every stored decision, by key, with what a reader sees (the run id aside).</summary>
    /// <summary>A migrated store of <paramref name="kind"/> holding the cases of <see cref="Seed"/>.</summary>
    private static TestStore Seeded(StoreKind kind)
    {
        var test = TestStore.Migrated(kind);
        Seed(test.Store);
        return test;
    }

    internal static string[] Snapshot(IStore store) =>
        [.. store.QueryDecisions(new DecisionQuery(Limit: 10_000))
            .Select(s => s.Decision)
            .Select(d => $"{d.CaseId}|{d.Target}|{d.PolicyVersion}|{d.Status}|{d.ElapsedMinutes}|{d.PercentUsed}|{d.EscalationLevel}|{d.Customer}")
            .Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public void Run_FourPartitions_SameDecisionsAsOnePartitionEachPartitionOnce(StoreKind kind)
    {
        using var single = Seeded(kind);
        using var split = Seeded(kind);

        var one = Run(single.Store, 1).Run(AsOf, RunTrigger.Cli);
        var four = Run(split.Store, 4).Run(AsOf, RunTrigger.Cli);

        one.State.ShouldBe(RunState.Succeeded);
        four.State.ShouldBe(RunState.Succeeded);
        four.CasesRead.ShouldBe(60);
        four.DecisionsWritten.ShouldBe(one.DecisionsWritten);
        four.Partitions.ShouldBe(4);
        four.PartitionsDone.ShouldBe(4);
        var expected = Snapshot(single.Store);
        Snapshot(split.Store).ShouldBe(expected);

        // No key twice: the snapshot holds one line per stored row, and its lines are distinct.
        expected.Distinct().Count().ShouldBe(expected.Length);
        var partitions = split.Store.GetPartitions(four.Id);
        partitions.Select(p => p.Partition).ShouldBe([0, 1, 2, 3]);
        partitions.ShouldAllBe(p => p.State == PartitionState.Done && p.Attempts == 1 && p.Owner == NightlyRun.LocalOwner);

        // Each case in exactly one partition: the partitions' case counts add up to the 60 cases.
        partitions.Sum(p => p.CasesRead).ShouldBe(60);
        partitions.ShouldAllBe(p => p.CasesRead > 0);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void RunPartition_LeftRunningByADeadOwner_TakenOverAndCompletedWithoutDuplicates(StoreKind kind)
    {
        using var reference = Seeded(kind);
        Run(reference.Store, 1).Run(AsOf, RunTrigger.Cli);
        using var test = new TestStore(kind);
        var store = test.Store;
        store.Migrate();
        Seed(store);
        var run = Run(store, 4);
        var runId = run.StartRun(AsOf, RunTrigger.Schedule);

        // A host claims partition 2, writes part of it, then dies: its partition stays `running` under its name.
        store.ClaimPartition(runId, 2, "dead-host", DateTimeOffset.UtcNow, takeOver: false).ShouldBe(1);
        var deadHostsCase = store.ReadCasesOfCustomers(CustomerPartition.Select(store.ReadCustomers(), 2, 4)).First();
        using (var sink = store.OpenDecisionSink(runId))
        {
            sink.Write([.. SamplePolicyEvaluator.Provider.Current.Evaluate(deadHostsCase, AsOf, explain: true)]);
        }

        foreach (var p in new[] { 0, 1, 3 })
        {
            run.RunPartition(runId, p, 4, AsOf, "host-a").State.ShouldBe(PartitionState.Done);
        }

        // Held by another owner and not known dead: left alone, and the run is not complete.
        run.RunPartition(runId, 2, 4, AsOf, "host-a").State.ShouldBeNull();
        store.GetRun(runId)!.State.ShouldBe(RunState.Running);

        // The owner was found gone: taken over, finished, and the run completed by this call.
        var takeOver = run.RunPartition(runId, 2, 4, AsOf, "host-a", takeOver: true);

        takeOver.ShouldBe(new PartitionResult(PartitionState.Done, 2, true));
        var partition = store.GetPartitions(runId)[2];
        partition.Owner.ShouldBe("host-a");
        partition.Attempts.ShouldBe(2);
        var record = store.GetRun(runId)!;
        record.State.ShouldBe(RunState.Succeeded);
        record.CasesRead.ShouldBe(60);
        Snapshot(store).ShouldBe(Snapshot(reference.Store));

        // Done is final: a late fire of the same partition finds nothing to do and changes nothing.
        run.RunPartition(runId, 2, 4, AsOf, "host-b", takeOver: true).ShouldBe(new PartitionResult(null, 0, false));
        store.GetPartitions(runId)[2].Attempts.ShouldBe(2);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void TryCompleteRun_APartitionNotDone_LeavesTheRunRunning(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var runId = store.StartRun(AsOf, AsOf, RunTrigger.Api);
        store.CreatePartitions(runId, 2);
        store.ClaimPartition(runId, 0, "a", AsOf, false).ShouldBe(1);
        store.FinishPartition(runId, 0, "a", new PartitionCompletion(PartitionState.Done, AsOf, 3, 6, 6, 0, null)).ShouldBeTrue();

        store.TryCompleteRun(runId, AsOf.AddMinutes(1), []).ShouldBeFalse();

        store.ClaimPartition(runId, 1, "b", AsOf, false).ShouldBe(1);
        store.FinishPartition(runId, 1, "b", new PartitionCompletion(PartitionState.Done, AsOf, 2, 4, 1, 1, null)).ShouldBeTrue();
        store.TryCompleteRun(runId, AsOf.AddMinutes(1), ["p@1"]).ShouldBeTrue();

        // Exactly once: the second caller finds the run no longer running.
        store.TryCompleteRun(runId, AsOf.AddMinutes(2), ["p@1"]).ShouldBeFalse();
        var run = store.GetRun(runId)!;

        // The sums of the two partitions: 3 + 2 cases, 6 + 4 decisions, 6 + 1 changed, 0 + 1 rejected; one minute long.
        (run.State, run.CasesRead, run.DecisionsWritten, run.DecisionsChanged, run.Rejected, run.DurationMs).ShouldBe((RunState.Succeeded, 5L, 10L, 7L, 1L, 60_000L));
        (run.Partitions, run.PartitionsDone).ShouldBe((2, 2));
    }

    [PostgresFact]
    public void Run_ConnectionsTerminatedMidRun_PartitionRetriedAndTheRunSucceeds()
    {
        using var reference = new TestStore(StoreKind.Sqlite);
        reference.Store.Migrate();
        Seed(reference.Store);
        Run(reference.Store, 1).Run(AsOf, RunTrigger.Cli);
        using var test = new TestStore(StoreKind.Postgres);
        var store = test.Store;
        store.Migrate();
        Seed(store);

        // While the run evaluates case C-030 (in partition 0, between two batches), another connection terminates every
        // other connection to the test database: the run's reader and decision writer, and the idle pooled ones.
        var evaluators = new TerminatingEvaluatorProvider(test.Server!, new NpgsqlConnectionStringBuilder(test.ConnectionString).Database!, "C-030");
        var record = Run(store, 1, evaluators).Run(AsOf, RunTrigger.Cli);

        evaluators.Terminated.ShouldBeGreaterThan(0);
        record.State.ShouldBe(RunState.Succeeded);
        record.CasesRead.ShouldBe(60);
        store.GetPartitions(record.Id).ShouldHaveSingleItem().Attempts.ShouldBe(2);
        Snapshot(store).ShouldBe(Snapshot(reference.Store));
    }

    [PostgresFact]
    public void Run_ConnectionsTerminatedAndNoRetryTime_PartitionAndRunFailWithTheError()
    {
        using var test = new TestStore(StoreKind.Postgres);
        var store = test.Store;
        store.Migrate();
        Seed(store);
        var evaluators = new TerminatingEvaluatorProvider(test.Server!, new NpgsqlConnectionStringBuilder(test.ConnectionString).Database!, "C-030");

        var record = Run(store, 1, evaluators, retrySeconds: 0).Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Failed);
        record.Error.ShouldNotBeNull().ShouldStartWith("partition 0/1: ");
        var partition = store.GetPartitions(record.Id).ShouldHaveSingleItem();
        partition.State.ShouldBe(PartitionState.Failed);
        partition.Attempts.ShouldBe(1);
        partition.Error.ShouldNotBeNullOrEmpty();
    }

    /// <summary>
    /// The sample policies; evaluating <c>caseId</c> the first time also terminates, from a connection of its own, every
    /// other backend of the test database (what a database restart or a network cut does to the run's connections).
    /// </summary>
    private sealed class TerminatingEvaluatorProvider(string server, string database, string caseId) : IEvaluatorProvider, ICaseEvaluator
    {
        private int _terminated = -1;

        public int Terminated => Math.Max(0, _terminated);

        public ICaseEvaluator Current => this;

        public PolicyStatus Status => SamplePolicyEvaluator.Provider.Status;

        public IReadOnlyList<string> PolicyVersions => SamplePolicyEvaluator.Provider.Current.PolicyVersions;

        public IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain)
        {
            if (ticket.Id == caseId && Interlocked.CompareExchange(ref _terminated, 0, -1) == -1)
            {
                using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ToString());
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()";
                command.Parameters.AddWithValue("@db", database);
                _terminated = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return SamplePolicyEvaluator.Provider.Current.Evaluate(ticket, asOf, explain);
        }
    }
}
