using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// A string field. <paramref name="pooled"/> shares values that repeat across records (names of customers, services,
/// regions); a required one may not be empty; an absent optional one is written as <c>null</c> when
/// <paramref name="writeNull"/>, else left out.
/// </summary>
internal sealed class TextField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, string?> get, Setter<TBuilder, string?> set,
    bool required = true, bool pooled = true, bool key = false, bool writeNull = false)
    : Field<TRecord, TBuilder>(name, FieldType.Text, required, column, StoreType.Text, key)
{
    public override void Read(ref RecordReader json, ref TBuilder builder) =>
        set(ref builder, Required ? json.ReadString(Name, pooled) : json.ReadOptionalString(Name, pooled));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder)
    {
        var value = Required ? RequiredText(text) : text;
        set(ref builder, pooled && value is not null ? context.Strings.Get(Encoding.UTF8.GetBytes(value)) : value);
    }

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) =>
        set(ref builder, row.IsNull(ordinal) ? null : row.GetString(ordinal));

    public override object? StoredValue(TRecord record) => get(record);

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(get).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        if (get(record) is { } value)
        {
            writer.WriteString(Name, value);
        }
        else if (writeNull)
        {
            writer.WriteNull(Name);
        }
    }

    public override string? Text(TRecord record) => get(record);
}

/// <summary>
/// A timestamp with an offset. Stored as UTC text of a fixed width when <paramref name="utc"/> (text order is time order,
/// for range queries), else as round-trip text keeping the offset written.
/// </summary>
internal sealed class TimestampField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, DateTimeOffset?> get, Setter<TBuilder, DateTimeOffset?> set,
    bool required = true, bool utc = false, bool key = false, bool writeNull = false)
    : Field<TRecord, TBuilder>(name, FieldType.Timestamp, required, column, StoreType.Text, key)
{
    public override void Read(ref RecordReader json, ref TBuilder builder) =>
        set(ref builder, Required ? json.ReadTimestamp(Name) : json.ReadOptionalTimestamp(Name));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder)
    {
        if ((Required ? RequiredText(text) : text) is not { } value)
        {
            set(ref builder, null);
            return;
        }

        set(ref builder, Timestamps.TryParse(Encoding.UTF8.GetBytes(value), Name, out var at, out var reason)
            ? at
            : throw new RecordRejectedException(Name, reason!));
    }

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) =>
        set(ref builder, row.IsNull(ordinal) ? null : StoredForms.ParseInstant(row.GetString(ordinal)));

    public override object? StoredValue(TRecord record) => Stored(get(record));

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(r => Stored(get(r))).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        if (get(record) is { } value)
        {
            writer.WriteString(Name, value);
        }
        else if (writeNull)
        {
            writer.WriteNull(Name);
        }
    }

    public override string? Text(TRecord record) => get(record) is { } value ? Timestamps.Format(value) : null;

    private string? Stored(DateTimeOffset? value) =>
        value is { } v ? (utc ? StoredForms.Utc(v) : StoredForms.Instant(v)) : null;
}

/// <summary>A required whole number; <paramref name="check"/> rejects a value outside the field's range.</summary>
internal sealed class WholeNumberField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, int> get, Setter<TBuilder, int> set, Action<int> check)
    : Field<TRecord, TBuilder>(name, FieldType.WholeNumber, true, column, StoreType.Integer, false)
{
    public override void Read(ref RecordReader json, ref TBuilder builder)
    {
        var value = json.ReadInt32(Name);
        check(value);
        set(ref builder, value);
    }

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder)
    {
        var value = RequiredText(text);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new RecordRejectedException(Name, $"`{Name}` must be a whole number, not `{value}`");
        }

        check(number);
        set(ref builder, number);
    }

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) => set(ref builder, row.GetInt32(ordinal));

    public override object? StoredValue(TRecord record) => get(record);

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(get).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record) => writer.WriteNumber(Name, get(record));

    public override string? Text(TRecord record) => get(record).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A required finite number whose magnitude is at most <paramref name="maxMagnitude"/>.</summary>
internal sealed class NumberField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, double> get, Setter<TBuilder, double> set, double maxMagnitude)
    : Field<TRecord, TBuilder>(name, FieldType.Number, true, column, StoreType.Real, false)
{
    public override bool InText => false;

    public override void Read(ref RecordReader json, ref TBuilder builder) => set(ref builder, json.ReadDouble(Name, maxMagnitude));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder) => throw new NotSupportedException();

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) => set(ref builder, row.GetDouble(ordinal));

    public override object? StoredValue(TRecord record) => get(record);

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(get).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record) => writer.WriteNumber(Name, get(record));

    public override string? Text(TRecord record) => get(record).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// An optional decimal in [0, <paramref name="max"/>], exact as written, stored as its invariant text.
/// <paramref name="unreadable"/> says which record a stored value that is no decimal belongs to.
/// </summary>
internal sealed class DecimalField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, decimal?> get, Setter<TBuilder, decimal?> set, decimal max, Func<TBuilder, string, string> unreadable)
    : Field<TRecord, TBuilder>(name, FieldType.Decimal, false, column, StoreType.Text, false)
{
    public override bool InText => false;

    public override void Read(ref RecordReader json, ref TBuilder builder) => set(ref builder, json.ReadOptionalDecimal(Name, max));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder) => throw new NotSupportedException();

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder)
    {
        if (row.IsNull(ordinal))
        {
            set(ref builder, null);
            return;
        }

        var text = row.GetString(ordinal);
        set(ref builder, StoredForms.TryParseDecimal(text, out var value) ? value : throw new InvalidDataException(unreadable(builder, text)));
    }

    public override object? StoredValue(TRecord record) => StoredForms.Decimal(get(record));

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(r => StoredForms.Decimal(get(r))).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        if (get(record) is { } value)
        {
            writer.WriteNumber(Name, value);
        }
    }

    public override string? Text(TRecord record) => StoredForms.Decimal(get(record));
}

/// <summary>
/// A list of strings (at most <see cref="InputLimits.MaxTags"/> in JSON Lines), pooled; absent or null is empty. In CSV
/// the values are separated by <c>;</c>. Stored as a JSON array.
/// </summary>
internal sealed class TextListField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, ImmutableArray<string>> get, Setter<TBuilder, ImmutableArray<string>> set)
    : Field<TRecord, TBuilder>(name, FieldType.TextList, false, column, StoreType.Text, false)
{
    public override void Read(ref RecordReader json, ref TBuilder builder)
    {
        if (!json.BeginArray(Name))
        {
            set(ref builder, []);
            return;
        }

        var scratch = json.Context.ScratchTags;
        scratch.Clear();
        while (json.NextElement())
        {
            if (scratch.Count == json.Context.Limits.MaxTags)
            {
                throw new RecordRejectedException(Name, $"`{Name}` holds more than {json.Context.Limits.MaxTags.ToString(CultureInfo.InvariantCulture)} tags, the limit");
            }

            scratch.Add(json.ElementString(Name, pooled: true));
        }

        set(ref builder, scratch.Count == 0 ? [] : [.. scratch]);
    }

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder) =>
        set(ref builder, text is null ? [] : [.. text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]);

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) =>
        set(ref builder, StoredForms.ParseTexts(row.GetString(ordinal)));

    public override object? StoredValue(TRecord record) => StoredForms.Texts(get(record));

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(r => StoredForms.Texts(get(r))).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        writer.WriteStartArray(Name);
        foreach (var value in get(record))
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    public override string? Text(TRecord record) => string.Join(";", get(record));
}

/// <summary>
/// A case's status events, each an object with <c>at</c> and <c>status</c> (at most <see cref="InputLimits.MaxEvents"/>),
/// sorted by time on read (stable for equal times). Not in CSV. Stored as a JSON array.
/// </summary>
internal sealed class StatusEventsField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, ImmutableArray<StatusEvent>> get, Setter<TBuilder, ImmutableArray<StatusEvent>> set)
    : Field<TRecord, TBuilder>(name, FieldType.StatusEvents, false, column, StoreType.Text, false)
{
    private static readonly string[] KnownInEvents = ["at", "status"];

    // Field names of the first events, made once: naming `events[3].at` must not cost an allocation per event read.
    private readonly string[] _atFields = [.. Enumerable.Range(0, 64).Select(i => $"{name}[{i}].at")];
    private readonly string[] _statusFields = [.. Enumerable.Range(0, 64).Select(i => $"{name}[{i}].status")];

    public override bool InText => false;

    public override void Read(ref RecordReader json, ref TBuilder builder) => set(ref builder, ReadEvents(ref json));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder) => throw new NotSupportedException();

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) =>
        set(ref builder, StoredForms.ParseEvents(row.GetString(ordinal)));

    public override object? StoredValue(TRecord record) => StoredForms.Events(get(record));

    public override Array StoredColumn(IReadOnlyList<TRecord> records) => records.Select(r => StoredForms.Events(get(r))).ToArray();

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        writer.WriteStartArray(Name);
        foreach (var e in get(record))
        {
            writer.WriteStartObject();
            writer.WriteString("at", e.At);
            writer.WriteString("status", e.Status);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public override string? Text(TRecord record) => string.Join(", ", get(record).Select(e => $"{Timestamps.Format(e.At)} {e.Status}"));

    private string AtField(int index) => index < _atFields.Length ? _atFields[index] : $"{Name}[{index}].at";

    private string StatusField(int index) => index < _statusFields.Length ? _statusFields[index] : $"{Name}[{index}].status";

    private ImmutableArray<StatusEvent> ReadEvents(ref RecordReader json)
    {
        if (!json.BeginArray(Name))
        {
            return [];
        }

        var scratch = json.Context.ScratchEvents;
        scratch.Clear();
        var sorted = true;
        while (json.NextElement())
        {
            var index = scratch.Count;
            if (index == json.Context.Limits.MaxEvents)
            {
                throw new RecordRejectedException(Name, $"`{Name}` holds more than {json.Context.Limits.MaxEvents.ToString(CultureInfo.InvariantCulture)} events, the limit");
            }

            json.ElementObject(Name);
            DateTimeOffset? at = null;
            string? status = null;
            var seen = 0;
            HashSet<string>? unknown = null;
            while (json.NextProperty())
            {
                if (json.NameIs("at"u8))
                {
                    RecordReader.Once(ref seen, 1, AtField(index));
                    at = json.ReadTimestamp(AtField(index));
                }
                else if (json.NameIs("status"u8))
                {
                    RecordReader.Once(ref seen, 2, StatusField(index));
                    status = json.ReadString(StatusField(index), pooled: true);
                }
                else
                {
                    json.SkipUnknown(KnownInEvents, $"{Name}[{index.ToString(CultureInfo.InvariantCulture)}].", ref unknown);
                }
            }

            RecordReader.Require(seen, 1, AtField(index));
            RecordReader.Require(seen, 2, StatusField(index));
            if (scratch.Count > 0 && at!.Value < scratch[^1].At)
            {
                sorted = false;
            }

            scratch.Add(new StatusEvent(at!.Value, status!));
        }

        if (scratch.Count == 0)
        {
            return [];
        }

        // Producers usually write events in order; sort only when they did not (OrderBy is stable for equal times).
        return sorted ? [.. scratch] : [.. scratch.OrderBy(e => e.At)];
    }
}
