using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// A thin layer over <see cref="Utf8JsonReader"/> for one flat JSON object per line: walks its properties,
/// reads typed values with the input rules (limits, offsets in timestamps), and rejects with the field named.
/// No DOM and no reflection; strings that repeat across records come from the context's pool.
/// </summary>
internal ref struct RecordReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 };

    private readonly LineParseContext _context;
    private Utf8JsonReader _reader;

    public RecordReader(ReadOnlySpan<byte> line, LineParseContext context)
    {
        _context = context;
        _reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(Options));
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RecordRejectedException(null, "line is not a JSON object");
        }
    }

    public readonly LineParseContext Context => _context;

    /// <summary>
    /// Moves to the next property name of the current object; false at its end. At the end of the top-level
    /// object, anything but whitespace after it is malformed JSON.
    /// </summary>
    public bool NextProperty()
    {
        _context.CurrentField = null;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.PropertyName)
        {
            return true;
        }

        // EndObject: for the top-level object, the next Read throws on trailing content.
        if (_reader.CurrentDepth == 0 && _reader.Read())
        {
            throw new RecordRejectedException(null, "line holds more than one JSON value");
        }

        return false;
    }

    /// <summary>True when the current property name is <paramref name="name"/> (exact, case-sensitive).</summary>
    public readonly bool NameIs(ReadOnlySpan<byte> name) => _reader.ValueTextEquals(name);

    /// <summary>
    /// Skips the value of the current, unknown property: unknown properties are ignored, value and all. The name is
    /// still checked: given twice in one object it is rejected like a known one, and a name a small edit away from one
    /// of <paramref name="known"/> is reported as a warning ("did you mean"). <paramref name="prefix"/> is put before
    /// the name in the field reported (<c>events[0].</c>); <paramref name="seen"/> holds the unknown names of the object so far.
    /// </summary>
    public void SkipUnknown(string[] known, string? prefix, ref HashSet<string>? seen)
    {
        string name;
        try
        {
            name = _reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new RecordRejectedException(null, "a property name contains an unpaired surrogate (a lone `\\uD800`-`\\uDFFF` escape), which is not text");
        }

        seen ??= new HashSet<string>(StringComparer.Ordinal);
        if (!seen.Add(name))
        {
            var field = prefix + name;
            throw new RecordRejectedException(field, $"field `{field}` appears more than once");
        }

        if (NearMiss(name, known) is { } suggestion)
        {
            _context.Warnings.Add((prefix + name, $"unknown property `{name}` ignored (did you mean `{suggestion}`?)"));
        }

        _reader.Skip();
    }

    /// <summary>
    /// The known name that <paramref name="name"/> is a small edit away from: the same ignoring case, or at most 2 edits
    /// (1 for names of up to 5 characters, so that short names do not all look alike); null when none is.
    /// </summary>
    public static string? NearMiss(string name, string[] known) =>
        SlaPolicy.Engine.Diagnostics.Suggestions.Closest(name, known, name.Length <= 5 ? 1 : 2);

    /// <summary>Rejects a property given twice in one object.</summary>
    public static void Once(ref int seen, int bit, string field)
    {
        if ((seen & bit) != 0)
        {
            throw new RecordRejectedException(field, $"field `{field}` appears more than once");
        }

        seen |= bit;
    }

    /// <summary>Rejects a record lacking a required field.</summary>
    public static void Require(int seen, int bit, string field)
    {
        if ((seen & bit) == 0)
        {
            throw new RecordRejectedException(field, $"required field `{field}` is missing");
        }
    }

    /// <summary>
    /// Reads a required string value; <paramref name="pooled"/> shares repeated values. Empty or only white space is
    /// refused: a required text names something (a case, a customer, a status), and an empty name could never be asked for.
    /// </summary>
    public string ReadString(string field, bool pooled)
    {
        _context.CurrentField = field;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            throw new RecordRejectedException(field, $"required field `{field}` is null");
        }

        var value = StringValue(field, pooled);
        return string.IsNullOrWhiteSpace(value)
            ? throw new RecordRejectedException(field, $"required field `{field}` is empty")
            : value;
    }

    /// <summary>Reads a string value or null.</summary>
    public string? ReadOptionalString(string field, bool pooled)
    {
        _context.CurrentField = field;
        _reader.Read();
        return _reader.TokenType == JsonTokenType.Null ? null : StringValue(field, pooled);
    }

    /// <summary>Reads a required timestamp with an offset.</summary>
    public DateTimeOffset ReadTimestamp(string field)
    {
        _context.CurrentField = field;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            throw new RecordRejectedException(field, $"required field `{field}` is null");
        }

        return TimestampValue(field);
    }

    /// <summary>Reads a timestamp with an offset, or null.</summary>
    public DateTimeOffset? ReadOptionalTimestamp(string field)
    {
        _context.CurrentField = field;
        _reader.Read();
        return _reader.TokenType == JsonTokenType.Null ? null : TimestampValue(field);
    }

    /// <summary>Reads <c>true</c>, <c>false</c> or null.</summary>
    public bool? ReadOptionalBoolean(string field)
    {
        _context.CurrentField = field;
        _reader.Read();
        return _reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new RecordRejectedException(field, $"`{field}` must be true or false, not {Describe(_reader.TokenType)}"),
        };
    }

    /// <summary>Reads a whole number or null.</summary>
    public int? ReadOptionalInt32(string field)
    {
        _context.CurrentField = field;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(JsonTokenType.Number, field, "a whole number");
        return _reader.TryGetInt32(out var value)
            ? value
            : throw new RecordRejectedException(field, $"`{field}` must be a whole number, not `{RawValue()}`");
    }

    /// <summary>Reads a required whole number.</summary>
    public int ReadInt32(string field)
    {
        _context.CurrentField = field;
        _reader.Read();
        Expect(JsonTokenType.Number, field, "a whole number");
        if (!_reader.TryGetInt32(out var value))
        {
            throw new RecordRejectedException(field, $"`{field}` must be a whole number, not `{RawValue()}`");
        }

        return value;
    }

    /// <summary>Reads a required finite number whose magnitude is at most <paramref name="maxMagnitude"/>.</summary>
    public double ReadDouble(string field, double maxMagnitude)
    {
        _context.CurrentField = field;
        _reader.Read();
        Expect(JsonTokenType.Number, field, "a number");
        if (!_reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new RecordRejectedException(field, $"`{field}` must be a finite number, not `{RawValue()}`");
        }

        if (Math.Abs(value) > maxMagnitude)
        {
            var limit = maxMagnitude.ToString("0", CultureInfo.InvariantCulture);
            throw new RecordRejectedException(field, $"`{field}` `{RawValue()}` is outside the accepted range, from -{limit} to {limit}");
        }

        return value;
    }

    /// <summary>
    /// Reads a decimal number in [0, <paramref name="max"/>], exactly as written (no binary rounding), or null. A number
    /// too large for a decimal is outside the range as well.
    /// </summary>
    public decimal? ReadOptionalDecimal(string field, decimal max)
    {
        _context.CurrentField = field;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(JsonTokenType.Number, field, "a number");
        var parsed = _reader.TryGetDecimal(out var value);
        if ((parsed && value < 0) || (!parsed && RawValue().StartsWith('-')))
        {
            throw new RecordRejectedException(field, $"`{field}` must not be negative");
        }

        if (!parsed || value > max)
        {
            throw new RecordRejectedException(field, $"`{field}` `{RawValue()}` is outside the accepted range, from 0 to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>Moves into an array value; false when the value is null (an absent list).</summary>
    public bool BeginArray(string field)
    {
        _context.CurrentField = field;
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        Expect(JsonTokenType.StartArray, field, "an array");
        return true;
    }

    /// <summary>Moves to the next array element; false at the end of the array.</summary>
    public bool NextElement()
    {
        _reader.Read();
        return _reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>The current array element as a string (the reader is on it already).</summary>
    public string ElementString(string field, bool pooled)
    {
        Expect(JsonTokenType.String, field, "a string");
        return StringValue(field, pooled);
    }

    /// <summary>Checks that the current array element is an object, to be walked with <see cref="NextProperty"/>.</summary>
    public readonly void ElementObject(string field) => Expect(JsonTokenType.StartObject, field, "an object");

    private string StringValue(string field, bool pooled)
    {
        Expect(JsonTokenType.String, field, "a string");
        var raw = _reader.ValueSpan;
        if (raw.Length > _context.Limits.MaxStringBytes)
        {
            throw new RecordRejectedException(field, $"`{field}` is {raw.Length.ToString(CultureInfo.InvariantCulture)} bytes long, over the limit of {_context.Limits.MaxStringBytes.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        if (_reader.ValueIsEscaped)
        {
            // Raw control characters are malformed JSON already; U+0000 can only come escaped, and no store keeps it
            // (PostgreSQL's text refuses it), so it is rejected here rather than failing the whole batch later.
            var text = Unescaped(field);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new RecordRejectedException(field, $"`{field}` contains the character U+0000, which no text field may hold");
            }

            return text;
        }

        return pooled ? _context.Strings.Get(raw) : Encoding.UTF8.GetString(raw);
    }

    /// <summary>The current escaped string value; an escaped lone surrogate (<c>\ud800</c>) is no text and rejects the record.</summary>
    private readonly string Unescaped(string field)
    {
        try
        {
            return _reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Unpaired(field);
        }
    }

    private static RecordRejectedException Unpaired(string field) =>
        new(field, $"`{field}` contains an unpaired surrogate (a lone `\\uD800`-`\\uDFFF` escape), which is not text");

    private readonly DateTimeOffset TimestampValue(string field)
    {
        Expect(JsonTokenType.String, field, "a timestamp string");
        var raw = _reader.ValueSpan;
        if (raw.Length > 64)
        {
            throw new RecordRejectedException(field, $"`{field}` value is not an ISO 8601 timestamp with an offset such as `2026-11-20T16:30:00+01:00`");
        }

        DateTimeOffset value;
        string? reason;
        if (_reader.ValueIsEscaped)
        {
            Span<byte> unescaped = stackalloc byte[64];
            int length;
            try
            {
                length = _reader.CopyString(unescaped);
            }
            catch (InvalidOperationException)
            {
                throw Unpaired(field);
            }

            if (Timestamps.TryParse(unescaped[..length], field, out value, out reason))
            {
                return value;
            }
        }
        else if (Timestamps.TryParse(raw, field, out value, out reason))
        {
            return value;
        }

        throw new RecordRejectedException(field, reason!);
    }

    private readonly void Expect(JsonTokenType type, string field, string expected)
    {
        if (_reader.TokenType != type)
        {
            throw new RecordRejectedException(field, $"`{field}` must be {expected}, not {Describe(_reader.TokenType)}");
        }
    }

    private readonly string RawValue() => Encoding.UTF8.GetString(_reader.ValueSpan);

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "malformed",
    };
}
