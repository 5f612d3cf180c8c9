using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// A string field. <paramref name="pooled"/> shares values that repeat across records (names of customers, services,
/// regions); a required one may not be empty; an absent optional one is written as <c>null</c> when
/// <paramref name="writeNull"/>, else left out. An optional key field is stored as the empty string when absent (a
/// UNIQUE constraint treats NULLs as distinct), and read back as absent.
/// </summary>
internal sealed class TextField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, string?> get, Slot<TBuilder, string?> slot,
    bool required = true, bool pooled = true, bool key = false, bool writeNull = false)
    : Field<TRecord, TBuilder, string?>(name, FieldType.Text, required, column, StoreType.Text, key, get, slot)
{
    private readonly bool _emptyWhenAbsent = key && !required;

    protected override object? Stored(string? value) => value ?? (_emptyWhenAbsent ? string.Empty : null);

    public override void Read(ref RecordReader json, ref TBuilder builder) =>
        Set(ref builder, Required ? json.ReadString(Name, pooled) : json.ReadOptionalString(Name, pooled));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder)
    {
        var value = Required ? RequiredText(text) : text;
        Set(ref builder, pooled && value is not null ? context.Strings.Get(Encoding.UTF8.GetBytes(value)) : value);
    }

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder)
    {
        string? value = null;
        if (row.IsNull(ordinal))
        {
            // Absent.
        }
        else if (pooled && row.TryGetUtf8(ordinal, out var utf8))
        {
            value = utf8.IsEmpty && _emptyWhenAbsent ? null : row.Strings.Get(utf8);
        }
        else if (row.GetString(ordinal) is var text && !(text.Length == 0 && _emptyWhenAbsent))
        {
            value = text;
        }

        Set(ref builder, value);
    }

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        if (Get(record) is { } value)
        {
            writer.WriteString(Name, value);
        }
        else if (writeNull)
        {
            writer.WriteNull(Name);
        }
    }

    /// <summary>Writes a present value; an absent one as <c>null</c> when <paramref name="writeNull"/>, else not at all.</summary>
    internal static void WriteOrNull<T>(Utf8JsonWriter writer, string name, T? value, bool writeNull, Action<Utf8JsonWriter, string, T> write)
        where T : struct
    {
        if (value is { } present)
        {
            write(writer, name, present);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }
}

/// <summary>
/// A timestamp with an offset. Stored as UTC text of a fixed width when <paramref name="utc"/> (text order is time order,
/// for range queries), else as round-trip text keeping the offset written.
/// </summary>
internal sealed class TimestampField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, DateTimeOffset?> get, Slot<TBuilder, DateTimeOffset?> slot,
    bool required = true, bool utc = false, bool key = false, bool writeNull = false)
    : Field<TRecord, TBuilder, DateTimeOffset?>(name, FieldType.Timestamp, required, column, StoreType.Text, key, get, slot)
{
    public override void Read(ref RecordReader json, ref TBuilder builder) =>
        Set(ref builder, Required ? json.ReadTimestamp(Name) : json.ReadOptionalTimestamp(Name));

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder)
    {
        if ((Required ? RequiredText(text) : text) is not { } value)
        {
            Set(ref builder, null);
            return;
        }

        Set(ref builder, Timestamps.TryParse(Encoding.UTF8.GetBytes(value), Name, out var at, out var reason)
            ? at
            : throw new RecordRejectedException(Name, reason!));
    }

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) =>
        Set(ref builder, row.IsNull(ordinal) ? null : row.TryGetUtf8(ordinal, out var utf8) ? StoredForms.ParseInstant(utf8) : StoredForms.ParseInstant(row.GetString(ordinal)));

    public override void Write(Utf8JsonWriter writer, TRecord record) =>
        TextField<TRecord, TBuilder>.WriteOrNull(writer, Name, Get(record), writeNull, static (w, n, v) => w.WriteString(n, v));

    public override string? Text(TRecord record) => Get(record) is { } value ? Timestamps.Format(value) : null;

    protected override object? Stored(DateTimeOffset? value) =>
        value is { } v ? (utc ? StoredForms.Utc(v) : StoredForms.Instant(v)) : null;
}

/// <summary>A required whole number; <paramref name="check"/> rejects a value outside the field's range.</summary>
internal sealed class WholeNumberField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, int> get, Slot<TBuilder, int> slot, Action<int> check)
    : Field<TRecord, TBuilder, int>(name, FieldType.WholeNumber, true, column, StoreType.Integer, false, get, slot)
{
    public override void Read(ref RecordReader json, ref TBuilder builder)
    {
        var value = json.ReadInt32(Name);
        check(value);
        Set(ref builder, value);
    }

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder)
    {
        var value = RequiredText(text);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new RecordRejectedException(Name, $"`{Name}` must be a whole number, not `{value}`");
        }

        check(number);
        Set(ref builder, number);
    }

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) => Set(ref builder, row.GetInt32(ordinal));

    public override void Write(Utf8JsonWriter writer, TRecord record) => writer.WriteNumber(Name, Get(record));
}

/// <summary>A required finite number whose magnitude is at most <paramref name="maxMagnitude"/>; not in CSV.</summary>
internal sealed class NumberField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, double> get, Slot<TBuilder, double> slot, double maxMagnitude)
    : Field<TRecord, TBuilder, double>(name, FieldType.Number, true, column, StoreType.Real, false, get, slot, inText: false)
{
    public override void Read(ref RecordReader json, ref TBuilder builder) => Set(ref builder, json.ReadDouble(Name, maxMagnitude));

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) => Set(ref builder, row.GetDouble(ordinal));

    public override void Write(Utf8JsonWriter writer, TRecord record) => writer.WriteNumber(Name, Get(record));
}

/// <summary>
/// An optional decimal in [0, <paramref name="max"/>], exact as written, stored as its invariant text; not in CSV.
/// <paramref name="unreadable"/> says which record a stored value that is no decimal belongs to.
/// </summary>
internal sealed class DecimalField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, decimal?> get, Slot<TBuilder, decimal?> slot, decimal max, Func<TBuilder, string, string> unreadable)
    : Field<TRecord, TBuilder, decimal?>(name, FieldType.Decimal, false, column, StoreType.Text, false, get, slot, inText: false)
{
    public override void Read(ref RecordReader json, ref TBuilder builder) => Set(ref builder, json.ReadOptionalDecimal(Name, max));

    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder)
    {
        var text = row.IsNull(ordinal) ? null : row.GetString(ordinal);
        decimal? value = null;
        if (text is not null)
        {
            value = StoredForms.TryParseDecimal(text, out var parsed) ? parsed : throw new InvalidDataException(unreadable(builder, text));
        }

        Set(ref builder, value);
    }

    public override void Write(Utf8JsonWriter writer, TRecord record) =>
        TextField<TRecord, TBuilder>.WriteOrNull(writer, Name, Get(record), false, static (w, n, v) => w.WriteNumber(n, v));

    protected override object? Stored(decimal? value) => StoredForms.Decimal(value);
}

/// <summary>An optional list (absent or null: empty), written as a JSON array and stored as one.</summary>
internal abstract class ListField<TRecord, TBuilder, TItem>(
    string name, FieldType type, string column, Func<TRecord, ImmutableArray<TItem>> get, Slot<TBuilder, ImmutableArray<TItem>> slot, bool inText)
    : Field<TRecord, TBuilder, ImmutableArray<TItem>>(name, type, false, column, StoreType.Text, false, get, slot, inText)
{
    public override void ReadStored(StoredRow row, int ordinal, ref TBuilder builder) =>
        Set(ref builder, row.TryGetUtf8(ordinal, out var utf8) ? StoredForms.ParseList<TItem>(utf8, row.Strings) : StoredForms.ParseList<TItem>(row.GetString(ordinal)));

    public override void Write(Utf8JsonWriter writer, TRecord record)
    {
        writer.WriteStartArray(Name);
        foreach (var item in Get(record))
        {
            WriteItem(writer, item);
        }

        writer.WriteEndArray();
    }

    protected abstract void WriteItem(Utf8JsonWriter writer, TItem item);

    protected override object? Stored(ImmutableArray<TItem> value) => StoredForms.List(value);
}

/// <summary>
/// A list of strings (at most <see cref="InputLimits.MaxTags"/> in JSON Lines), pooled; absent or null is empty. In CSV
/// the values are separated by <c>;</c>. Stored as a JSON array.
/// </summary>
internal sealed class TextListField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, ImmutableArray<string>> get, Slot<TBuilder, ImmutableArray<string>> slot)
    : ListField<TRecord, TBuilder, string>(name, FieldType.TextList, column, get, slot, inText: true)
{
    public override void Read(ref RecordReader json, ref TBuilder builder)
    {
        if (!json.BeginArray(Name))
        {
            Set(ref builder, []);
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

        Set(ref builder, scratch.Count == 0 ? [] : [.. scratch]);
    }

    public override void ReadText(string? text, LineParseContext context, ref TBuilder builder) =>
        Set(ref builder, text is null ? [] : [.. text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]);

    protected override void WriteItem(Utf8JsonWriter writer, string item) => writer.WriteStringValue(item);

    public override string? Text(TRecord record) => string.Join(";", Get(record));
}

/// <summary>
/// A case's status events, each an object with <c>at</c>, <c>status</c> and an optional <c>team</c> (at most <see cref="InputLimits.MaxEvents"/>),
/// sorted by time on read (stable for equal times). Not in CSV. Stored as a JSON array.
/// </summary>
internal sealed class StatusEventsField<TRecord, TBuilder>(
    string name, string column, Func<TRecord, ImmutableArray<StatusEvent>> get, Slot<TBuilder, ImmutableArray<StatusEvent>> slot)
    : ListField<TRecord, TBuilder, StatusEvent>(name, FieldType.StatusEvents, column, get, slot, inText: false)
{
    private static readonly string[] KnownInEvents = ["at", "status", "type", "public", "severity", "team", "author"];

    // Field names of the first events, made once: naming `events[3].at` must not cost an allocation per event read.
    private readonly string[] _atFields = [.. Enumerable.Range(0, 64).Select(i => $"{name}[{i}].at")];
    private readonly string[] _statusFields = [.. Enumerable.Range(0, 64).Select(i => $"{name}[{i}].status")];

    public override void Read(ref RecordReader json, ref TBuilder builder) => Set(ref builder, ReadEvents(ref json));

    protected override void WriteItem(Utf8JsonWriter writer, StatusEvent item)
    {
        writer.WriteStartObject();
        writer.WriteString("at", item.At);
        writer.WriteString("status", item.Status);

        // The optional parts only when given: an event of the older shape is written (and fingerprinted) as before.
        StoredForms.WriteEventParts(writer, item);
        writer.WriteEndObject();
    }

    public override string? Text(TRecord record) => string.Join(", ", Get(record).Select(e => e.Team is null ? $"{Timestamps.Format(e.At)} {e.Status}" : $"{Timestamps.Format(e.At)} {e.Status} (team {e.Team})"));

    private string AtField(int index) => index < _atFields.Length ? _atFields[index] : $"{Name}[{index}].at";

    private string Field(int index, string part) => $"{Name}[{index.ToString(CultureInfo.InvariantCulture)}].{part}";

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
            string? type = null;
            bool? isPublic = null;
            int? severity = null;
            string? team = null;
            string? author = null;
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
                else if (json.NameIs("type"u8))
                {
                    RecordReader.Once(ref seen, 4, Field(index, "type"));
                    type = json.ReadOptionalString(Field(index, "type"), pooled: true);
                }
                else if (json.NameIs("public"u8))
                {
                    RecordReader.Once(ref seen, 8, Field(index, "public"));
                    isPublic = json.ReadOptionalBoolean(Field(index, "public"));
                }
                else if (json.NameIs("severity"u8))
                {
                    RecordReader.Once(ref seen, 16, Field(index, "severity"));
                    severity = json.ReadOptionalInt32(Field(index, "severity"));
                    if (severity is { } value)
                    {
                        CaseReader.CheckSeverity(value, Field(index, "severity"));
                    }
                }
                else if (json.NameIs("team"u8))
                {
                    RecordReader.Once(ref seen, 32, Field(index, "team"));
                    team = json.ReadString(Field(index, "team"), pooled: true);
                }
                else if (json.NameIs("author"u8))
                {
                    RecordReader.Once(ref seen, 64, Field(index, "author"));
                    author = json.ReadOptionalString(Field(index, "author"), pooled: true);
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

            scratch.Add(type is null && isPublic is null && severity is null && team is null && author is null
                ? new StatusEvent(at!.Value, status!)
                : new StatusEvent(at!.Value, status!) { Type = type, Public = isPublic, Severity = severity, Team = team, Author = author });
        }

        if (scratch.Count == 0)
        {
            return [];
        }

        // Producers usually write events in order; sort only when they did not (OrderBy is stable for equal times).
        return sorted ? [.. scratch] : [.. scratch.OrderBy(e => e.At)];
    }
}
