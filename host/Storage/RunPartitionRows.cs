using System.Data.Common;
using System.Globalization;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The partition bookkeeping both stores share (<c>run_partitions</c>, see <see cref="StoreRows"/> for the SQL): one
/// implementation over an open <see cref="DbConnection"/>, so SQLite and PostgreSQL claim, finish and complete exactly
/// alike. Every statement is a single UPDATE or INSERT, atomic on its own.
/// </summary>
internal static class RunPartitionRows
{
    public static IReadOnlyList<string> ReadCustomers(DbConnection connection)
    {
        using var command = Command(connection, StoreRows.CustomersSql);
        using var reader = command.ExecuteReader();
        var customers = new List<string>();
        while (reader.Read())
        {
            customers.Add(reader.GetString(0));
        }

        return customers;
    }

    public static void CreatePartitions(DbConnection connection, long runId, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        using var transaction = connection.BeginTransaction();
        for (var p = 0; p < partitions; p++)
        {
            using var command = Command(connection, StoreRows.InsertPartitionSql, ("@run", runId), ("@p", p), ("@n", partitions));
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static int? Claim(DbConnection connection, long runId, int partition, string owner, DateTimeOffset at, bool takeOver, string? job)
    {
        using var command = Command(connection, StoreRows.ClaimPartitionSql,
            ("@owner", owner), ("@job", job), ("@at", StoreText.Utc(at)), ("@run", runId), ("@p", partition), ("@takeOver", takeOver ? 1 : 0));
        var attempts = command.ExecuteScalar();
        return attempts is null or DBNull ? null : Convert.ToInt32(attempts, CultureInfo.InvariantCulture);
    }

    public static bool Finish(DbConnection connection, long runId, int partition, string owner, PartitionCompletion completion)
    {
        using var command = Command(connection, StoreRows.FinishPartitionSql,
            ("@state", completion.State.ToString().ToLowerInvariant()), ("@finished", StoreText.Utc(completion.FinishedAt)),
            ("@cases", completion.CasesRead), ("@written", completion.DecisionsWritten), ("@changed", completion.DecisionsChanged),
            ("@rejected", completion.Rejected), ("@error", completion.Error), ("@unknown", completion.UnknownStatuses),
            ("@unknownNames", completion.UnknownStatusNames), ("@kept", completion.CasesKept), ("@full", completion.CustomersFull), ("@run", runId), ("@p", partition), ("@owner", owner));
        return command.ExecuteNonQuery() == 1;
    }

    public static bool CompleteOrFail(DbConnection connection, RunRecord run, DateTimeOffset finishedAt, IReadOnlyList<string> policyVersions, string? error)
    {
        var duration = Math.Max(0, (long)(finishedAt - run.StartedAt).TotalMilliseconds);
        using var command = error is null
            ? Command(connection, StoreRows.CompleteRunSql,
                ("@finished", StoreText.Utc(finishedAt)), ("@duration", duration), ("@versions", StoreText.Strings(policyVersions)), ("@id", run.Id))
            : Command(connection, StoreRows.FailRunSql,
                ("@finished", StoreText.Utc(finishedAt)), ("@duration", duration), ("@versions", StoreText.Strings(policyVersions)), ("@error", error), ("@id", run.Id));
        return command.ExecuteNonQuery() == 1;
    }

    public static IReadOnlyList<RunPartition> GetPartitions(DbConnection connection, long runId)
    {
        using var command = Command(connection, $"SELECT {StoreRows.PartitionColumns} FROM run_partitions WHERE run_id = @run ORDER BY partition_no", ("@run", runId));
        using var reader = command.ExecuteReader();
        var partitions = new List<RunPartition>();
        while (reader.Read())
        {
            partitions.Add(StoreRows.ReadPartition(reader));
        }

        return partitions;
    }

    /// <summary>A command of <paramref name="sql"/> with <paramref name="parameters"/>, a null value sent as SQL NULL; the caller disposes it.</summary>
    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
