using Microsoft.Data.Sqlite;

namespace SlaPolicy.Tests.Storage;

/// <summary>
/// Checks a SQLite store's <c>attainment_counts</c> (kept by triggers, <see cref="AttainmentCounts"/>) against what its
/// decision rows give: every day and group, absent values told apart from empty texts. Other stores have no such table.
/// </summary>
internal static class AttainmentCountsCheck
{
    public static void ShouldMatchTheRows(IStore store, string? because = null)
    {
        if (store is not SqliteStore sqlite)
        {
            return;
        }

        using var connection = new SqliteConnection($"Data Source={sqlite.Path};Pooling=False");
        connection.Open();
        Rows(connection, AttainmentCounts.StoredSql).ShouldBe(Rows(connection, AttainmentCounts.RecountSql), because);
    }

    /// <summary>The changes logged and not yet folded into the counts.</summary>
    public static long ChangesLogged(IStore store)
    {
        using var connection = new SqliteConnection($"Data Source={((SqliteStore)store).Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM attainment_count_changes";
        return (long)command.ExecuteScalar()!;
    }

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                DBNull => "NULL",
                string text => $"text '{text.Replace("\0", "\\0", StringComparison.Ordinal)}'",
                byte[] bytes => $"blob {Convert.ToHexString(bytes)}",
                var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
            })));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }
}
