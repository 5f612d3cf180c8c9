using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace SlaPolicy.Engine.Inputs;

/// <summary>What kind of value a field of an input record holds, as JSON Lines write it.</summary>
public enum FieldType
{
    /// <summary>A string; a required one may not be empty.</summary>
    Text,

    /// <summary>An ISO 8601 timestamp with an offset.</summary>
    Timestamp,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A finite number (binary floating point).</summary>
    Number,

    /// <summary>A decimal number kept exactly as written.</summary>
    Decimal,

    /// <summary>An array of strings.</summary>
    TextList,

    /// <summary>An array of status events (<c>at</c>, <c>status</c>).</summary>
    StatusEvents,
}

/// <summary>The type of the store column a field is kept in.</summary>
public enum StoreType
{
    /// <summary>Text (timestamps, decimals and lists are stored as text, see <see cref="StoredForms"/>).</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A double.</summary>
    Real,
}

/// <summary>One stored row as a field reads its column back: implemented by the stores over their data readers.</summary>
public abstract class StoredRow
{
    public abstract bool IsNull(int ordinal);

    public abstract string GetString(int ordinal);

    public abstract int GetInt32(int ordinal);

    public abstract long GetInt64(int ordinal);

    public abstract double GetDouble(int ordinal);

    /// <summary>
    /// The UTF-8 bytes of the text column <paramref name="ordinal"/> (not null), when the store can lend them without
    /// making a string first; they hold until the row moves on. False when it cannot: the column is read by
    /// <see cref="GetString"/>. The fields read timestamps, lists and repeating texts straight from these bytes.
    /// </summary>
    public virtual bool TryGetUtf8(int ordinal, out ReadOnlySpan<byte> utf8)
    {
        utf8 = default;
        return false;
    }

    /// <summary>The texts that repeat across the rows of one reader (customers, services, statuses), made once each.</summary>
    internal StringPool Strings => _strings ??= new();

    private StringPool? _strings;
}

/// <summary>
/// One field of an input record, described once: its name in JSON Lines and CSV, its type, whether it is required, its
/// limits, the store column it is kept in (and whether that column is part of the store's key), and how it is shown.
/// The readers, the writer, the stores' rows and the reports are all driven by these descriptions.
/// </summary>
public abstract class RecordField<TRecord>(string name, FieldType type, bool required, string column, StoreType storeType, bool key)
{
    /// <summary>The field's name in JSON Lines (and the column's name in CSV).</summary>
    public string Name { get; } = name;

    public FieldType Type { get; } = type;

    /// <summary>True when a record without the field is rejected.</summary>
    public bool Required { get; } = required;

    /// <summary>The store column the field is kept in.</summary>
    public string Column { get; } = column;

    public StoreType StoreType { get; } = storeType;

    /// <summary>True when the column is part of the store's key: a later record with the same key replaces the earlier one.</summary>
    public bool Key { get; } = key;

    /// <summary>The field's value in the form the store keeps (text, int or double), or null.</summary>
    public abstract object? StoredValue(TRecord record);

    /// <summary>Writes the field as a JSON property, in the format the readers accept (nothing when an optional field is absent).</summary>
    public abstract void Write(Utf8JsonWriter writer, TRecord record);

    /// <summary>The field's value as shown to a person, or null when absent.</summary>
    public virtual string? Text(TRecord record) => StoredValue(record) is IFormattable value
        ? value.ToString(null, System.Globalization.CultureInfo.InvariantCulture)
        : (string?)StoredValue(record);
}

/// <summary>
/// The description of an input record: its fields, in the order they are read and reported, and the store table that
/// keeps it. See <see cref="InputDescriptions"/>.
/// </summary>
public abstract class RecordDescription<TRecord>
    where TRecord : class
{
    private protected RecordDescription(string table, ImmutableArray<RecordField<TRecord>> fields)
    {
        Table = table;
        Fields = fields;
        Columns = string.Join(", ", fields.Select(f => f.Column));
    }

    /// <summary>The store table.</summary>
    public string Table { get; }

    public ImmutableArray<RecordField<TRecord>> Fields { get; }

    /// <summary>The fields' store columns, comma separated, in field order.</summary>
    public string Columns { get; }

    /// <summary>Reads a record back from a stored row whose columns are <see cref="Columns"/>, from <paramref name="first"/> on.</summary>
    public abstract TRecord FromStored(StoredRow row, int first = 0);

    /// <summary>Reads every line of <paramref name="stream"/> (JSON Lines); <paramref name="source"/> names it in rejections.</summary>
    public IEnumerable<InputResult<TRecord>> Read(Stream stream, string source, InputLimits? limits = null) => JsonLines.Read(stream, source, limits, Parse);

    /// <summary>Reads a JSON Lines file; it stays open until the enumeration ends or is disposed.</summary>
    public IEnumerable<InputResult<TRecord>> ReadFile(string path, InputLimits? limits = null) => InputFiles.Read(path, stream => Read(stream, path, limits));

    /// <summary>Writes <paramref name="record"/> as one JSON object, every field described.</summary>
    public void Write(Utf8JsonWriter writer, TRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        foreach (var field in Fields)
        {
            field.Write(writer, record);
        }

        writer.WriteEndObject();
    }

    internal abstract TRecord Parse(ReadOnlySpan<byte> line, LineParseContext context);

    /// <summary>Reads one record from CSV fields: <paramref name="text"/> gives each field's text by position in <see cref="Fields"/>, null when absent.</summary>
    internal abstract TRecord ParseText(Func<int, string?> text, LineParseContext context);
}

/// <summary>Where one value of a record being read is kept in <typeparamref name="TBuilder"/>: <c>(ref v) => ref v.Service</c>.</summary>
internal delegate ref TValue Slot<TBuilder, TValue>(ref TBuilder builder);

/// <summary>Makes the record from its values once every field is read; throws <see cref="RecordRejectedException"/> for a record that is inconsistent.</summary>
internal delegate TRecord Builder<TBuilder, out TRecord>(ref TBuilder builder);

/// <summary>A field as the description's reader asks it: read from JSON, from CSV text, from a stored row.</summary>
internal abstract class Field<TRecord, TBuilder>(string name, FieldType type, bool required, string column, StoreType storeType, bool key, bool inText)
    : RecordField<TRecord>(name, type, required, column, storeType, key)
{
    public byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(name);

    /// <summary>False for fields CSV cannot hold.</summary>
    public bool InText => inText;

    public abstract void Read(ref RecordReader json, ref TBuilder builder);

    public virtual void ReadText(string? text, LineParseContext context, ref TBuilder builder) => throw new NotSupportedException();

    public abstract void ReadStored(StoredRow row, int ordinal, ref TBuilder builder);

    /// <summary>Rejects a missing required value given as text.</summary>
    protected string RequiredText(string? text) =>
        text ?? throw new RecordRejectedException(Name, $"required field `{Name}` is missing");
}

/// <summary>
/// A field whose value in a record is <paramref name="get"/>, read into <typeparamref name="TBuilder"/> (the mutable
/// values of a record being read) at <paramref name="slot"/>.
/// </summary>
internal abstract class Field<TRecord, TBuilder, TValue>(
    string name, FieldType type, bool required, string column, StoreType storeType, bool key, Func<TRecord, TValue> get, Slot<TBuilder, TValue> slot, bool inText = true)
    : Field<TRecord, TBuilder>(name, type, required, column, storeType, key, inText)
{
    // The slot's place in the value holder, found once: a value read is stored there directly, with no call per field.
    private readonly nint _offset = OffsetOf(slot);

    public override object? StoredValue(TRecord record) => Stored(get(record));

    protected TValue Get(TRecord record) => get(record);

    protected void Set(ref TBuilder builder, TValue value) =>
        Unsafe.As<byte, TValue>(ref Unsafe.AddByteOffset(ref Unsafe.As<TBuilder, byte>(ref builder), _offset)) = value;

    private static nint OffsetOf(Slot<TBuilder, TValue> slot)
    {
        var probe = default(TBuilder);

        // The compiler cannot follow a ref through the slot to a field of a struct the caller owns; no value is assigned here.
#pragma warning disable CS8601
        ref var field = ref slot(ref probe);
#pragma warning restore CS8601
        return Unsafe.ByteOffset(ref Unsafe.As<TBuilder, byte>(ref probe), ref Unsafe.As<TValue, byte>(ref field));
    }

    /// <summary>The value as the store keeps it; the value itself unless the field says otherwise.</summary>
    protected virtual object? Stored(TValue value) => value;
}

/// <summary>The description of <typeparamref name="TRecord"/>, read through the value holder <typeparamref name="TBuilder"/>.</summary>
internal sealed class RecordDescription<TRecord, TBuilder> : RecordDescription<TRecord>
    where TRecord : class
    where TBuilder : struct
{
    private readonly Field<TRecord, TBuilder>[] _fields;
    private readonly string[] _names;
    private readonly int _required;
    private readonly Builder<TBuilder, TRecord> _build;

    public RecordDescription(string table, Builder<TBuilder, TRecord> build, params Field<TRecord, TBuilder>[] fields)
        : base(table, [.. fields])
    {
        if (fields.Length > 31)
        {
            throw new ArgumentException("a record has at most 31 fields", nameof(fields));
        }

        _fields = fields;
        _names = [.. fields.Select(f => f.Name)];
        _build = build;
        for (var i = 0; i < fields.Length; i++)
        {
            _required |= fields[i].Required ? 1 << i : 0;
        }
    }

    /// <summary>The names of the fields, for "did you mean" suggestions.</summary>
    public string[] Names => _names;

    /// <summary>The fields CSV can hold, in field order.</summary>
    public IEnumerable<Field<TRecord, TBuilder>> TextFields => _fields.Where(f => f.InText);

    internal override TRecord Parse(ReadOnlySpan<byte> line, LineParseContext context)
    {
        var json = new RecordReader(line, context);
        var values = default(TBuilder);
        var seen = 0;
        HashSet<string>? unknown = null;
        var fields = _fields;
        var next = 0;
        while (json.NextProperty())
        {
            // Producers write the fields of every line in one order, most often this one: the field after the last one
            // read is tried first, and the whole table only when it is not the one.
            var i = next < fields.Length && json.NameIs(fields[next].Utf8Name) ? next : Find(ref json);
            if (i < 0)
            {
                json.SkipUnknown(_names, null, ref unknown);
                continue;
            }

            next = i + 1;
            var field = fields[i];
            RecordReader.Once(ref seen, 1 << i, field.Name);
            field.Read(ref json, ref values);
        }

        RequireAll(seen);
        return _build(ref values);
    }

    private int Find(ref RecordReader json)
    {
        var fields = _fields;
        for (var i = 0; i < fields.Length; i++)
        {
            if (json.NameIs(fields[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    internal override TRecord ParseText(Func<int, string?> text, LineParseContext context)
    {
        var values = default(TBuilder);
        for (var i = 0; i < _fields.Length; i++)
        {
            if (_fields[i].InText)
            {
                _fields[i].ReadText(text(i), context, ref values);
            }
        }

        return _build(ref values);
    }

    public override TRecord FromStored(StoredRow row, int first = 0)
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = default(TBuilder);
        for (var i = 0; i < _fields.Length; i++)
        {
            _fields[i].ReadStored(row, first + i, ref values);
        }

        return _build(ref values);
    }

    private void RequireAll(int seen)
    {
        var missing = _required & ~seen;
        if (missing != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(missing);
            RecordReader.Require(seen, 1 << i, _fields[i].Name);
        }
    }
}
