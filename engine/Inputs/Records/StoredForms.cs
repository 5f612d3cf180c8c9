using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// How the fields of input records are kept as text in a store (the same in every store): instants as UTC text of a
/// fixed width (text order is time order) or as round-trip text keeping their offset, decimals as their exact invariant
/// text, lists as JSON arrays.
/// </summary>
public static class StoredForms
{
    /// <summary>The custom format of <see cref="Utc"/>'s text.</summary>
    internal const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The JSON options of stored lists and documents: camelCase names, nulls left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>UTC, fixed width: text order is time order. Written digit by digit, exactly what <see cref="UtcFormat"/> gives.</summary>
    public static string Utc(DateTimeOffset value) => string.Create(UtcLength, value.UtcDateTime, static (text, utc) =>
    {
        Digits(text[..4], utc.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = '.';
        Digits(text.Slice(20, 7), (int)(utc.Ticks % TimeSpan.TicksPerSecond));
        text[27] = 'Z';
    });

    /// <summary>The width of <see cref="Utc"/>'s text.</summary>
    private const int UtcLength = 28;

    /// <summary>Writes <paramref name="value"/> (not negative) as exactly <c>digits.Length</c> decimal digits, zeros in front.</summary>
    private static void Digits(Span<char> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>Round-trip text keeping the original offset.</summary>
    public static string Instant(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads either form back.</summary>
    public static DateTimeOffset ParseInstant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Reads either form back from its UTF-8 bytes: the same instant and offset as <see cref="ParseInstant(string)"/>.</summary>
    public static DateTimeOffset ParseInstant(ReadOnlySpan<byte> utf8) =>
        Timestamps.TryParseIso(utf8, out var value) ? value : ParseInstant(System.Text.Encoding.UTF8.GetString(utf8));

    /// <summary>A decimal as stored: its invariant text, exact (scale kept: <c>1200.00</c> stays <c>1200.00</c>).</summary>
    public static string? Decimal(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a stored decimal: text as <see cref="Decimal"/> writes it, or a number as a REAL or double prints it (<c>1.0e+20</c>).</summary>
    public static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// A list as stored: a JSON array (an absent list is empty). Lists of texts and of status events (the cases' tags
    /// and events) are written with a <see cref="Utf8JsonWriter"/> of the serializer's defaults, byte for byte what
    /// <see cref="JsonSerializer"/> writes with <see cref="Json"/> (the same escaping, instants in the same form, a
    /// status left out when null), without its reflection.
    /// </summary>
    public static string List<T>(ImmutableArray<T> values)
    {
        if (values.IsDefaultOrEmpty)
        {
            return "[]";
        }

        if (typeof(T) != typeof(string) && typeof(T) != typeof(StatusEvent))
        {
            return JsonSerializer.Serialize(values, Json);
        }

        var scratch = t_writer ??= new ListWriter();
        scratch.Buffer.ResetWrittenCount();
        var writer = scratch.Writer;
        writer.Reset(scratch.Buffer);
        writer.WriteStartArray();
        foreach (var value in values)
        {
            switch (value)
            {
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case StatusEvent e:
                    writer.WriteStartObject();
                    writer.WriteString("at", e.At);
                    if (e.Status is not null)
                    {
                        writer.WriteString("status", e.Status);
                    }

                    WriteEventParts(writer, e);
                    writer.WriteEndObject();
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        return System.Text.Encoding.UTF8.GetString(scratch.Buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads a stored list back. Lists of texts and of status events are read with a <see cref="Utf8JsonReader"/>, as
    /// <see cref="JsonSerializer"/> reads them with <see cref="Json"/> (property names in any case, others skipped).
    /// </summary>
    public static ImmutableArray<T> ParseList<T>(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json is "[]")
        {
            return [];
        }

        if (typeof(T) != typeof(string) && typeof(T) != typeof(StatusEvent))
        {
            return JsonSerializer.Deserialize<ImmutableArray<T>>(json, Json);
        }

        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(json, bytes);
            return ParseList<T>(bytes.AsSpan(0, length), null);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Reads a stored list from its UTF-8 bytes, as <see cref="ParseList{T}(string)"/> does; texts that repeat (tags, the
    /// events' statuses, types and teams) are taken from <paramref name="strings"/> when given.
    /// </summary>
    internal static ImmutableArray<T> ParseList<T>(ReadOnlySpan<byte> json, StringPool? strings)
    {
        if (json.SequenceEqual("[]"u8))
        {
            return [];
        }

        if (typeof(T) == typeof(string))
        {
            return (ImmutableArray<T>)(object)ParseTexts(json, strings);
        }

        if (typeof(T) == typeof(StatusEvent))
        {
            return (ImmutableArray<T>)(object)ParseEvents(json, strings);
        }

        return JsonSerializer.Deserialize<ImmutableArray<T>>(json, Json);
    }

    /// <summary>A string token's text: pooled when <paramref name="strings"/> is given and the token holds no escape.</summary>
    private static string? Text(ref Utf8JsonReader reader, StringPool? strings) =>
        reader.TokenType == JsonTokenType.Null ? null
        : strings is not null && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped ? strings.Get(reader.ValueSpan)
        : reader.GetString();

    [ThreadStatic]
    private static ListWriter? t_writer;

    private sealed class ListWriter
    {
        public ListWriter()
        {
            Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = Json.Encoder, SkipValidation = true });
        }

        public System.Buffers.ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }
    }

    private static ImmutableArray<string> ParseTexts(ReadOnlySpan<byte> json, StringPool? strings)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        var items = ImmutableArray.CreateBuilder<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(Text(ref reader, strings)!);
        }

        return items.DrainToImmutable();
    }

    private static ImmutableArray<StatusEvent> ParseEvents(ReadOnlySpan<byte> json, StringPool? strings)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        var items = ImmutableArray.CreateBuilder<StatusEvent>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                items.Add(null!);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"a stored status event is not an object: {System.Text.Encoding.UTF8.GetString(json)}");
            }

            DateTimeOffset at = default;
            string? status = null;
            string? type = null;
            bool? isPublic = null;
            int? severity = null;
            string? team = null;
            string? author = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = EventPart(ref reader);
                reader.Read();
                var isNull = reader.TokenType == JsonTokenType.Null;
                switch (name)
                {
                    case "at":
                        at = reader.GetDateTimeOffset();
                        break;
                    case "status":
                        status = Text(ref reader, strings);
                        break;
                    case "type":
                        type = Text(ref reader, strings);
                        break;
                    case "public":
                        isPublic = isNull ? null : reader.GetBoolean();
                        break;
                    case "severity":
                        severity = isNull ? null : reader.GetInt32();
                        break;
                    case "team":
                        team = Text(ref reader, strings);
                        break;
                    case "author":
                        author = isNull ? null : reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            items.Add(type is null && isPublic is null && severity is null && team is null && author is null
                ? new StatusEvent(at, status!)
                : new StatusEvent(at, status!) { Type = type, Public = isPublic, Severity = severity, Team = team, Author = author });
        }

        return items.DrainToImmutable();
    }

    /// <summary>
    /// The optional parts of a status event (<c>type</c>, <c>public</c>, <c>severity</c>, <c>team</c>, <c>author</c>), each only when
    /// given and in the order the record declares them, as the serializer writes them: the store and the JSON Lines
    /// writer share it, so both keep an event of the older shape byte for byte as it was.
    /// </summary>
    internal static void WriteEventParts(Utf8JsonWriter writer, StatusEvent e)
    {
        if (e.Type is not null)
        {
            writer.WriteString("type", e.Type);
        }

        if (e.Public is { } isPublic)
        {
            writer.WriteBoolean("public", isPublic);
        }

        if (e.Severity is { } severity)
        {
            writer.WriteNumber("severity", severity);
        }

        if (e.Team is not null)
        {
            writer.WriteString("team", e.Team);
        }

        if (e.Author is not null)
        {
            writer.WriteString("author", e.Author);
        }
    }

    /// <summary>The stored event property the reader is on, by the names the serializer reads (any case); null for others.</summary>
    private static string? EventPart(ref Utf8JsonReader reader)
    {
        foreach (var part in EventParts)
        {
            if (reader.ValueTextEquals(part))
            {
                return part;
            }
        }

        var name = reader.GetString();
        foreach (var part in EventParts)
        {
            if (string.Equals(name, part, StringComparison.OrdinalIgnoreCase))
            {
                return part;
            }
        }

        return null;
    }

    private static readonly string[] EventParts = ["at", "status", "type", "public", "severity", "team", "author"];

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"a stored list is not a JSON array");
        }
    }
}
