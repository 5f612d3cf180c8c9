using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// Counts rows of a store straight from its tables, the same SQL on SQLite and PostgreSQL, while a host in another
/// process writes to it: what a fault test checks (nothing lost, nothing doubled) and how it sees a run's progress
/// (a run records its counts only when it ends, but its decisions are committed batch by batch).
/// Every call opens its own connection, unpooled, so that a database restart between calls does not matter.
/// </summary>
internal sealed class StoreProbe
{
    private readonly Func<DbConnection> _connect;

    private StoreProbe(Func<DbConnection> connect) => _connect = connect;

    public static StoreProbe Sqlite(string path) =>
        new(() => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()));

    public static StoreProbe Postgres(string connectionString) =>
        new(() => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString()));

    /// <summary>Stored cases.</summary>
    public long Cases() => Scalar("SELECT COUNT(*) FROM cases");

    /// <summary>Stored decision rows, all evaluation dates.</summary>
    public long Decisions() => Scalar("SELECT COUNT(*) FROM decisions");

    /// <summary>Decision rows of the evaluation date of <paramref name="asOf"/> (its UTC date).</summary>
    public long Decisions(DateTimeOffset asOf) => Scalar($"SELECT COUNT(*) FROM decisions WHERE evaluation_date = '{Date(asOf)}'");

    /// <summary>Cases with at least one decision of the evaluation date of <paramref name="asOf"/>.</summary>
    public long DecidedCases(DateTimeOffset asOf) => Scalar($"SELECT COUNT(DISTINCT case_id) FROM decisions WHERE evaluation_date = '{Date(asOf)}'");

    /// <summary>Stored cases without any decision of the evaluation date of <paramref name="asOf"/>.</summary>
    public long UndecidedCases(DateTimeOffset asOf) => Scalar(
        $"SELECT COUNT(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c.id AND d.evaluation_date = '{Date(asOf)}')");

    /// <summary>
    /// Decision keys (case, target, evaluation date, policy version) stored more than once. The schema's unique key
    /// should make this 0 whatever happens; the probe says so from the rows themselves, so that a schema change
    /// (a partition column in the key, say) cannot let a double decision through unseen.
    /// </summary>
    public long DuplicateDecisionKeys() => Scalar(
        "SELECT COUNT(*) FROM (SELECT case_id FROM decisions GROUP BY case_id, target, evaluation_date, policy_version HAVING COUNT(*) > 1) doubled");

    /// <summary>Runs whose status is still <c>running</c>.</summary>
    public long RunningRuns() => Scalar("SELECT COUNT(*) FROM runs WHERE status = 'running'");

    /// <summary>Decision rows last written by run <paramref name="runId"/> (a row rewritten unchanged keeps its earlier run).</summary>
    public long DecisionsOfRun(long runId) => Scalar(string.Create(CultureInfo.InvariantCulture, $"SELECT COUNT(*) FROM decisions WHERE run_id = {runId}"));

    private static string Date(DateTimeOffset asOf) => asOf.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private long Scalar(string sql)
    {
        using var connection = _connect();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
