using System.Data.Common;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// What <see cref="SqliteStore"/> and <see cref="Postgres.PostgresStore"/> do with the same SQL over a connection of
/// either: run partitions, the credits step's reads and writes, and the run's credit counts. The SQL itself lives in
/// <see cref="StoreRows"/>, <see cref="RunPartitionRows"/> and <see cref="StoreCredits"/>; what differs between the
/// two databases (migrations, bulk writes, ingestion) stays in each store.
/// </summary>
public abstract class RelationalStore
{
    /// <summary>Opens a connection to the store's database (pooled); the caller disposes it.</summary>
    internal abstract DbConnection Open();

    /// <inheritdoc cref="IStore.GetRun"/>
    public abstract RunRecord? GetRun(long runId);

    /// <inheritdoc cref="IStore.CountCases"/>
    public long CountCases() => Count("SELECT COUNT(*) FROM cases", []);

    /// <inheritdoc cref="IStore.CountRuns"/>
    public long CountRuns() => Count("SELECT COUNT(*) FROM runs", []);

    /// <inheritdoc cref="IStore.CountQuarantine"/>
    public long CountQuarantine() => Count("SELECT COUNT(*) FROM quarantine", []);

    /// <inheritdoc cref="IStore.CountDecisions"/>
    public long CountDecisions(DecisionQuery query)
    {
        var (sql, parameters) = StoreRows.DecisionCount(query);
        return Count(sql, parameters);
    }

    /// <inheritdoc cref="IStore.CountServiceCredits"/>
    public long CountServiceCredits(ServiceCreditQuery query)
    {
        var (sql, parameters) = StoreCredits.Count(query);
        return Count(sql, parameters);
    }

    /// <inheritdoc cref="IStore.ReadCases"/>
    public IEnumerable<CaseRecord> ReadCases(CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), $"SELECT {StoreRows.CaseColumns} FROM cases ORDER BY id", [], StoreRows.ReadCase, cancellationToken);

    /// <inheritdoc cref="IStore.GetCase"/>
    public CaseRecord? GetCase(string id) =>
        StoreRows.Stream(Open(), $"SELECT {StoreRows.CaseColumns} FROM cases WHERE id = @id", [("@id", id)], StoreRows.ReadCase, CancellationToken.None).FirstOrDefault();

    /// <inheritdoc cref="IStore.RecordRunCredits"/>
    public void RecordRunCredits(long runId, long written, long changed, string? error) =>
        Execute(StoreRows.RecordRunCreditsSql, ("@written", written), ("@changed", changed), ("@error", (object?)error ?? DBNull.Value), ("@id", runId));

    /// <inheritdoc cref="IStore.RecordRunPolicyNote"/>
    public void RecordRunPolicyNote(long runId, string note) => Execute(StoreRows.RecordRunPolicyNoteSql, ("@note", note), ("@id", runId));

    /// <inheritdoc cref="IStore.ReadCustomers"/>
    public IReadOnlyList<string> ReadCustomers()
    {
        using var connection = Open();
        return RunPartitionRows.ReadCustomers(connection);
    }

    /// <inheritdoc cref="IStore.CreatePartitions"/>
    public void CreatePartitions(long runId, int partitions)
    {
        using var connection = Open();
        RunPartitionRows.CreatePartitions(connection, runId, partitions);
    }

    /// <inheritdoc cref="IStore.ClaimPartition"/>
    public int? ClaimPartition(long runId, int partition, string owner, DateTimeOffset at, bool takeOver)
    {
        using var connection = Open();
        return RunPartitionRows.Claim(connection, runId, partition, owner, at, takeOver);
    }

    /// <inheritdoc cref="IStore.FinishPartition"/>
    public bool FinishPartition(long runId, int partition, string owner, PartitionCompletion completion)
    {
        using var connection = Open();
        return RunPartitionRows.Finish(connection, runId, partition, owner, completion);
    }

    /// <inheritdoc cref="IStore.TryCompleteRun"/>
    public bool TryCompleteRun(long runId, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions) =>
        GetRun(runId) is { } run && CompleteOrFail(run, finishedAt, policyVersions, null);

    /// <inheritdoc cref="IStore.FailRun"/>
    public bool FailRun(long runId, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions, string error) =>
        GetRun(runId) is { } run && CompleteOrFail(run, finishedAt, policyVersions, error);

    /// <inheritdoc cref="IStore.GetPartitions"/>
    public IReadOnlyList<RunPartition> GetPartitions(long runId)
    {
        using var connection = Open();
        return RunPartitionRows.GetPartitions(connection, runId);
    }

    /// <inheritdoc cref="IStore.ReadSubscriptions"/>
    public IReadOnlyList<SubscriptionRecord> ReadSubscriptions() =>
        [.. StoreRows.Stream(Open(), StoreRows.SubscriptionsSql, [], StoreRows.ReadSubscription, CancellationToken.None)];

    /// <inheritdoc cref="IStore.ReadOutages"/>
    public IEnumerable<OutageRecord> ReadOutages(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), StoreRows.OutagesSql, [("@from", StoreText.Utc(from)), ("@to", StoreText.Utc(to))], StoreRows.ReadOutage, cancellationToken);

    /// <inheritdoc cref="IStore.ReadMeasurements"/>
    public IEnumerable<MeasurementRecord> ReadMeasurements(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), StoreRows.MeasurementsSql, [("@from", StoreText.Utc(from)), ("@to", StoreText.Utc(to))], StoreRows.ReadMeasurement, cancellationToken);

    /// <inheritdoc cref="IStore.ReadAttainmentDecisions"/>
    public IEnumerable<Decision> ReadAttainmentDecisions(DateTimeOffset asOf, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StoreRows.Stream(Open(), StoreRows.AttainmentDecisionsSql, StoreRows.AttainmentParameters(asOf, from, to), StoreRows.AttainmentDecisionReader(), cancellationToken);

    /// <inheritdoc cref="IStore.CountUnjudgedDecisions"/>
    public long CountUnjudgedDecisions(DateTimeOffset asOf) => StoreRows.CountUnjudged(Open(), asOf);

    /// <inheritdoc cref="IStore.WriteServiceCredits"/>
    public CreditWriteResult WriteServiceCredits(IReadOnlyCollection<string> periods, IReadOnlyList<ServiceCredit> credits, long runId, DateTimeOffset asOf)
    {
        using var connection = Open();
        return StoreCredits.Write(connection, periods, credits, runId, asOf);
    }

    /// <inheritdoc cref="IStore.QueryServiceCredits"/>
    public IReadOnlyList<StoredServiceCredit> QueryServiceCredits(ServiceCreditQuery query)
    {
        var (sql, parameters) = StoreCredits.Query(query);
        return [.. StoreRows.Stream(Open(), sql, parameters, StoreCredits.Read, CancellationToken.None)];
    }

    private long Count(string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        using var connection = Open();
        using var command = StoreRows.Command(connection, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = StoreRows.Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private bool CompleteOrFail(RunRecord run, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions, string? error)
    {
        using var connection = Open();
        return RunPartitionRows.CompleteOrFail(connection, run, finishedAt, policyVersions, error);
    }
}
