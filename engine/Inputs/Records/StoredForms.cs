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
    private const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The JSON options of stored lists and documents: camelCase names, nulls left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>UTC, fixed width: text order is time order.</summary>
    public static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString(UtcFormat, CultureInfo.InvariantCulture);

    /// <summary>Round-trip text keeping the original offset.</summary>
    public static string Instant(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads either form back.</summary>
    public static DateTimeOffset ParseInstant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>A decimal as stored: its invariant text, exact (scale kept: <c>1200.00</c> stays <c>1200.00</c>).</summary>
    public static string? Decimal(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a stored decimal: text as <see cref="Decimal"/> writes it, or a number as a REAL or double prints it (<c>1.0e+20</c>).</summary>
    public static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>A list as stored: a JSON array (an absent list is empty).</summary>
    public static string List<T>(ImmutableArray<T> values) => JsonSerializer.Serialize(values.IsDefault ? [] : values, Json);

    /// <summary>Reads a stored list back.</summary>
    public static ImmutableArray<T> ParseList<T>(string json) => JsonSerializer.Deserialize<ImmutableArray<T>>(json, Json);
}
