using System.Data.Common;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The store table of one kind of input record, made from its description (<see cref="InputDescriptions"/>): the
/// columns, the key a later record replaces an earlier one by, the upsert's conflict clause, and the mapping of a row
/// back to a record. One for both stores; each store's dialect only says how a batch of rows is sent.
/// </summary>
internal sealed class RecordTable<TRecord>
    where TRecord : class
{
    public RecordTable(RecordDescription<TRecord> description, Func<object?[], long>? hash = null)
    {
        Description = description;
        Hash = hash;
        var fields = description.Fields;
        var keys = fields.Where(f => f.Key).Select(f => f.Column);
        var updates = fields.Where(f => !f.Key).Select(f => $"{f.Column} = excluded.{f.Column}");
        if (hash is not null)
        {
            updates = updates.Append($"{HashColumn} = excluded.{HashColumn}");
        }

        updates = updates.Append("received_at = excluded.received_at");
        InsertColumns = hash is null ? $"{description.Columns}, received_at" : $"{description.Columns}, {HashColumn}, received_at";
        ConflictClause = $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", updates)}";
    }

    /// <summary>The column of <see cref="Hash"/>.</summary>
    public const string HashColumn = "inputs_hash";

    /// <summary>
    /// The hash of a record's stored values (<see cref="StoredValues"/>), kept in <see cref="HashColumn"/> after the
    /// description's columns (cases only: a night evaluates a case again when it changed, see <see cref="CaseInputs"/>);
    /// null for a table without one.
    /// </summary>
    public Func<object?[], long>? Hash { get; }

    /// <summary>The record's stored values, one per field of the description, in its order (text, int, double or null).</summary>
    public object?[] StoredValues(TRecord record)
    {
        var fields = Description.Fields;
        var values = new object?[fields.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = fields[i].StoredValue(record);
        }

        return values;
    }

    /// <summary>
    /// The rows of <paramref name="records"/> as a store writes them: each record's stored values taken once, and its hash
    /// when the table keeps one (what tells a changed record, and what the row keeps).
    /// </summary>
    public StoredRows Rows(IReadOnlyList<TRecord> records)
    {
        var values = new object?[records.Count][];
        var hashes = Hash is null ? null : new long[records.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = StoredValues(records[i]);
            if (hashes is not null)
            {
                hashes[i] = Hash!(values[i]);
            }
        }

        return new StoredRows(values, hashes);
    }

    /// <summary>The key of a row as the store compares it: its key columns' stored values, joined by U+001F.</summary>
    public string Key(object?[] values) =>
        string.Join('\u001f', Description.Fields.Select((f, i) => (f, i)).Where(p => p.f.Key).Select(p => values[p.i]));

    public RecordDescription<TRecord> Description { get; }

    public string Name => Description.Table;

    /// <summary>The description's columns: what a SELECT reads for <see cref="Reader"/>.</summary>
    public string Columns => Description.Columns;

    /// <summary>The columns an insert writes: the description's, the hash when the table has one, then <c>received_at</c>.</summary>
    public string InsertColumns { get; }

    /// <summary>A later record under the key of a stored one replaces every other column of it.</summary>
    public string ConflictClause { get; }

    /// <summary>
    /// A reader of rows whose columns are <see cref="Columns"/> (from <paramref name="first"/> on), for one query at a
    /// time: it keeps one wrapper of the data reader for every row.
    /// </summary>
    public Func<DbDataReader, TRecord> Reader(int first = 0)
    {
        var row = new DataReaderRow();
        return reader =>
        {
            row.Reader = reader;
            return Description.FromStored(row, first);
        };
    }
}

/// <summary>The current row of a data reader, as a record's description reads it; one wrapper serves every row of a query.</summary>
internal sealed class DataReaderRow : StoredRow
{
    public DbDataReader Reader { get; set; } = null!;

    public override bool IsNull(int ordinal) => Reader.IsDBNull(ordinal);

    public override string GetString(int ordinal) => Reader.GetString(ordinal);

    public override int GetInt32(int ordinal) => Reader.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => Reader.GetInt64(ordinal);

    public override double GetDouble(int ordinal) => Reader.GetDouble(ordinal);
}

/// <summary>
/// Rows to write: the stored values of each record (<see cref="RecordTable{TRecord}.StoredValues"/>) and, for a table
/// that keeps one, each record's hash, in the records' order.
/// </summary>
internal sealed record StoredRows(object?[][] Values, long[]? Hashes)
{
    public int Count => Values.Length;

    /// <summary>The column <paramref name="field"/> of the rows <paramref name="rows"/> as one array of its store type (for bulk statements).</summary>
    public Array Column(IReadOnlyList<int> rows, int field, StoreType type) => type switch
    {
        StoreType.Integer => rows.Select(r => (int)Values[r][field]!).ToArray(),
        StoreType.Real => rows.Select(r => (double)Values[r][field]!).ToArray(),
        _ => rows.Select(r => (string?)Values[r][field]).ToArray(),
    };
}

/// <summary>The tables of the four kinds of input records.</summary>
internal static class RecordTables
{
    public static readonly RecordTable<CaseRecord> Cases = new(InputDescriptions.Cases, CaseInputs.HashStored);

    public static readonly RecordTable<OutageRecord> Outages = new(InputDescriptions.Outages);

    public static readonly RecordTable<SubscriptionRecord> Subscriptions = new(InputDescriptions.Subscriptions);

    public static readonly RecordTable<MeasurementRecord> Measurements = new(InputDescriptions.Measurements);
}
