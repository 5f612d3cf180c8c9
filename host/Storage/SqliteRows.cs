using Microsoft.Data.Sqlite;
using SQLitePCL;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// A query of the SQLite store read row by row through SQLite's own column functions (<see cref="SqliteNative"/>):
/// each row is a <see cref="StoredRow"/> that lends its texts as the UTF-8 bytes SQLite holds, so that a record's
/// timestamps, lists and repeating texts are read without a string made first (the night's read of a million cases).
/// </summary>
internal static class SqliteRows
{
    /// <summary>
    /// Streams the rows of <paramref name="sql"/> (named parameters in the forms a store keeps) read by
    /// <paramref name="read"/>, which must not keep the row; the statement is finalized and the connection disposed
    /// when the enumeration ends or is abandoned. A first step that finds the database busy is tried again for up to
    /// the connection's default timeout, as the provider's own reader does.
    /// </summary>
    public static IEnumerable<T> Stream<T>(SqliteConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters, Func<StoredRow, T> read, CancellationToken cancellationToken)
    {
        using (connection)
        {
            SqliteNative.EnsureSameLibrary();
            SqliteStore.Check(connection, raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement));
            using (statement)
            {
                var s = SqliteNative.Of(statement);
                var native = new SqliteNative();
                foreach (var (name, value) in parameters)
                {
                    var index = raw.sqlite3_bind_parameter_index(statement, name);
                    if (index == 0)
                    {
                        throw new InvalidOperationException($"the query has no parameter {name}");
                    }

                    if (!native.TryBind(s, index, value, out var bound))
                    {
                        throw new InvalidOperationException($"no bound form for {value.GetType()}");
                    }

                    SqliteStore.Check(connection, bound);
                }

                var row = new Row(s);
                var rc = FirstStep(connection, s, cancellationToken);
                while (rc == raw.SQLITE_ROW)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return read(row);
                    rc = SqliteNative.Step(s);
                }

                SqliteStore.Check(connection, rc);
            }
        }
    }

    private static int FirstStep(SqliteConnection connection, nint statement, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rc = SqliteNative.Step(statement);
            if (rc is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED) || waited.Elapsed.TotalSeconds >= connection.DefaultTimeout)
            {
                return rc;
            }

            SqliteNative.Reset(statement);
            if (cancellationToken.WaitHandle.WaitOne(50))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The current row of a statement, as a record's description reads it.</summary>
    private sealed class Row(nint statement) : StoredRow
    {
        private const int Null = 5;

        public override bool IsNull(int ordinal) => SqliteNative.ColumnType(statement, ordinal) == Null;

        // A NULL read as a value throws, as the provider's reader does; SQLite itself would give 0 or an empty text.
        public override string GetString(int ordinal) => System.Text.Encoding.UTF8.GetString(Text(ordinal));

        public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

        public override long GetInt64(int ordinal) => SqliteNative.ColumnInt64(statement, NotNull(ordinal));

        public override double GetDouble(int ordinal) => SqliteNative.ColumnDouble(statement, NotNull(ordinal));

        public override bool TryGetUtf8(int ordinal, out ReadOnlySpan<byte> utf8)
        {
            utf8 = Text(ordinal);
            return true;
        }

        private ReadOnlySpan<byte> Text(int ordinal) => SqliteNative.ColumnText(statement, NotNull(ordinal));

        private int NotNull(int ordinal) => IsNull(ordinal)
            ? throw new InvalidOperationException($"column {ordinal} of the row is NULL where a value is read")
            : ordinal;
    }
}
