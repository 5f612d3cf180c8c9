using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>
/// Reads the properties of one JSON object against the names it may have. Every problem is added to the
/// bag and the value is returned as null, so reading goes on and one run reports every error of a file.
/// </summary>
internal sealed class ObjectReader
{
    private readonly JObject _object;
    private readonly string _path;

    private ObjectReader(JObject obj, JsonSource source, DiagnosticBag bag, string path) => (_object, Source, Bag, _path) = (obj, source, bag, path);

    public JsonSource Source { get; }

    public DiagnosticBag Bag { get; }

    public SourceLocation Location => Source.Start(_object);

    /// <summary>
    /// Wraps <paramref name="token"/> when it is an object (reporting SLA1003 otherwise) and reports every
    /// property not in <paramref name="allowed"/> with the closest allowed name.
    /// </summary>
    public static ObjectReader? Open(JToken? token, JsonSource source, DiagnosticBag bag, string path, IReadOnlyList<string> allowed)
    {
        if (token is not JObject obj)
        {
            if (token is not null)
            {
                var what = path.Length == 0 ? "the file must hold a JSON object" : $"`{path}` must be an object";
                bag.Add(DiagnosticCatalog.WrongType, source.Start(token), what);
            }

            return null;
        }

        foreach (var property in obj.Properties())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                var suggestion = Suggest(property.Name, allowed);
                var where = path.Length == 0 ? string.Empty : $" in `{path}`";
                bag.Add(
                    DiagnosticCatalog.UnknownProperty,
                    source.Start(property),
                    $"unknown property `{property.Name}`{where}",
                    suggestion is null ? null : $"did you mean `{suggestion}`?");
            }
        }

        return new ObjectReader(obj, source, bag, path);
    }

    /// <summary>The closest name by edit distance, if it is close enough to be a likely typo.</summary>
    /// <remarks>A third of the name's length (at least 2 edits) catches transpositions and case slips, not guesses.</remarks>
    public static string? Suggest(string name, IEnumerable<string> candidates) =>
        Suggestions.Closest(name, candidates, Math.Max(2, name.Length / 3));

    public JToken? Get(string name) => _object.Property(name, StringComparison.Ordinal)?.Value;

    public bool Has(string name) => Get(name) is not null;

    public string Path(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    public SourceLocation LocationOf(string name) => Get(name) is { } token ? Source.Start(token) : Location;

    public void Missing(string name) =>
        Bag.Add(DiagnosticCatalog.MissingProperty, Location, $"missing required property `{Path(name)}`");

    /// <summary>The value of <paramref name="name"/>; null when it is absent or null, reported as missing when <paramref name="required"/>.</summary>
    private JToken? Present(string name, bool required)
    {
        var token = Get(name);
        if (token is null || token.Type == JTokenType.Null)
        {
            if (required)
            {
                Missing(name);
            }

            return null;
        }

        return token;
    }

    public string? String(string name, bool required = false)
    {
        if (Present(name, required) is not { } token)
        {
            return null;
        }

        if (token.Type != JTokenType.String)
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(token), $"`{Path(name)}` must be a string");
            return null;
        }

        var value = (string)token!;
        if (required && value.Length == 0)
        {
            Bag.Add(DiagnosticCatalog.BadValue, Source.Start(token), $"`{Path(name)}` must not be empty");
            return null;
        }

        return value;
    }

    public bool? Bool(string name)
    {
        var token = Get(name);
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type != JTokenType.Boolean)
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(token), $"`{Path(name)}` must be `true` or `false`");
            return null;
        }

        return (bool)token;
    }

    public decimal? Number(string name)
    {
        var token = Get(name);
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type is not (JTokenType.Integer or JTokenType.Float))
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(token), $"`{Path(name)}` must be a number");
            return null;
        }

        return Decimal(token, name);
    }

    /// <summary>
    /// A bound in a metric's own unit: a JSON number (<c>120</c>) or a percent string (<c>"99.5%"</c>, the
    /// number 99.5). Negative numbers are refused: latency, jitter, loss, delivery and throughput never are.
    /// </summary>
    public decimal? NumberOrPercentage(string name, bool required = false)
    {
        if (Present(name, required) is not { } token)
        {
            return null;
        }

        if (token.Type == JTokenType.String)
        {
            var text = (string)token!;
            var percent = ValueParsers.ParsePercentage(text, allowOver100: false, out var error);
            if (percent is null && text.EndsWith('%') && text.Length > 1)
            {
                Bag.Add(DiagnosticCatalog.BadPercentage, Source.Start(token), $"`{text}` is not a percentage: {error}");
            }
            else if (percent is null)
            {
                Bag.Add(
                    DiagnosticCatalog.BadPercentage,
                    Source.Start(token),
                    $"`{Path(name)}` is `{text}`, which is neither a number nor a percentage",
                    "write a number without quotes, e.g. `120`, or a percentage, e.g. `\"99.5%\"`");
            }

            return percent;
        }

        if (token.Type is not (JTokenType.Integer or JTokenType.Float))
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(token), $"`{Path(name)}` must be a number, e.g. `120`, or a percentage, e.g. `\"99.5%\"`");
            return null;
        }

        var value = Decimal(token, name);
        if (value is < 0)
        {
            Bag.Add(DiagnosticCatalog.BadValue, Source.Start(token), $"`{Path(name)}` is `{token}`; it must not be negative");
            return null;
        }

        return value;
    }

    /// <summary>A JSON number as a decimal; numbers beyond decimal's range (about 7.9e28) are reported, not thrown.</summary>
    private decimal? Decimal(JToken token, string name)
    {
        switch ((token as JValue)?.Value)
        {
            case long whole:
                return whole;
            case double real when double.IsFinite(real) && Math.Abs(real) < 7.9e28:
                return (decimal)real;
            case decimal exact:
                return exact;
            default:
                Bag.Add(DiagnosticCatalog.BadValue, Source.Start(token), $"`{Path(name)}` is `{token}`, which is too large");
                return null;
        }
    }

    public int? Integer(string name)
    {
        var token = Get(name);
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type != JTokenType.Integer || token is not JValue { Value: long value } || value is < int.MinValue or > int.MaxValue)
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(token), $"`{Path(name)}` must be a whole number");
            return null;
        }

        return (int)value;
    }

    /// <summary>An array of strings; null when absent or wrong (reported).</summary>
    public ImmutableArray<string>? Strings(string name) => Items<string>(name, "an array of strings", item =>
    {
        if (item.Type != JTokenType.String || ((string)item!).Length == 0)
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(item), $"`{Path(name)}` must hold non-empty strings");
            return (false, null);
        }

        return (true, (string)item!);
    });

    /// <summary>An array of whole numbers of at least 1 (severities).</summary>
    public ImmutableArray<int>? Severities(string name) => Items<int>(name, "an array of severities, e.g. `[1, 2]`", item =>
    {
        if (item is not JValue { Value: long severity } || severity > int.MaxValue)
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(item), $"`{Path(name)}` must hold whole numbers");
            return (false, 0);
        }

        if (severity < 1)
        {
            Bag.Add(DiagnosticCatalog.BadValue, Source.Start(item), $"severity `{item}` must be 1 or more");
            return (false, 0);
        }

        if (severity > Inputs.CaseReader.MaxSeverity)
        {
            // Accepted, as it always was, but said: the case reader rejects such a case, so the term can never apply.
            Bag.Add(
                DiagnosticCatalog.SeverityBeyondCases,
                Source.Start(item),
                $"severity `{item}` is beyond the severities a case can carry ({Inputs.CaseReader.MinSeverity} to {Inputs.CaseReader.MaxSeverity}): no case ever matches it");
        }

        return (true, (int)severity);
    });

    /// <summary>
    /// An array whose every item <paramref name="read"/> accepts (it reports the ones it does not); null when absent, not an
    /// array (reported as not being <paramref name="what"/>) or holding a bad item.
    /// </summary>
    private ImmutableArray<T>? Items<T>(string name, string what, Func<JToken, (bool Ok, T? Value)> read)
    {
        if (Array(name, what) is not { } array)
        {
            return null;
        }

        var builder = ImmutableArray.CreateBuilder<T>();
        var ok = true;
        foreach (var item in array)
        {
            var (good, value) = read(item);
            ok &= good;
            if (good)
            {
                builder.Add(value!);
            }
        }

        return ok ? builder.ToImmutable() : null;
    }

    /// <summary>An array property; reports a wrong type.</summary>
    /// <summary>
    /// The objects of the array <paramref name="name"/>, each opened with the properties <paramref name="allowed"/> and named
    /// <paramref name="path"/> in diagnostics; an item that is no object is reported and left out. None when the array is absent.
    /// </summary>
    public IEnumerable<ObjectReader> Objects(string name, string path, IReadOnlyList<string> allowed)
    {
        foreach (var item in Array(name) ?? [])
        {
            if (Open(item, Source, Bag, path, allowed) is { } reader)
            {
                yield return reader;
            }
        }
    }

    public JArray? Array(string name) => Array(name, "an array");

    /// <summary>An array property; reports a wrong type as not being <paramref name="what"/>.</summary>
    private JArray? Array(string name, string what)
    {
        var token = Get(name);
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token is not JArray array)
        {
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(token), $"`{Path(name)}` must be {what}");
            return null;
        }

        return array;
    }

    public TimeSpan? Duration(string name, bool required = false)
    {
        var text = String(name, required);
        if (text is null)
        {
            return null;
        }

        var value = ValueParsers.ParseDuration(text, out var error);
        if (value is null)
        {
            Bag.Add(DiagnosticCatalog.BadDuration, LocationOf(name), $"`{text}` is not a duration: {error}");
        }

        return value;
    }

    /// <summary>A target's <c>within</c>: a duration, or business days (<paramref name="businessDays"/> &gt; 0, the duration zero).</summary>
    public TimeSpan? Within(string name, out int businessDays, bool required = false)
    {
        businessDays = 0;
        var text = String(name, required);
        if (text is null)
        {
            return null;
        }

        var value = ValueParsers.ParseWithin(text, out businessDays, out var error);
        if (value is null)
        {
            Bag.Add(DiagnosticCatalog.BadDuration, LocationOf(name), $"`{text}` is not a duration: {error}");
        }

        return value;
    }

    public decimal? Percentage(string name, bool required = false, bool allowOver100 = false)
    {
        if (Get(name) is { Type: JTokenType.Integer or JTokenType.Float } number)
        {
            // A bare number is the likeliest slip: say how to write it rather than only that it is not a string.
            Bag.Add(DiagnosticCatalog.WrongType, Source.Start(number), $"`{Path(name)}` must be a percentage string such as `\"{number}%\"`");
            return null;
        }

        var text = String(name, required);
        if (text is null)
        {
            return null;
        }

        var value = ValueParsers.ParsePercentage(text, allowOver100, out var error);
        if (value is null)
        {
            Bag.Add(DiagnosticCatalog.BadPercentage, LocationOf(name), $"`{text}` is not a percentage: {error}");
        }

        return value;
    }

    public DateOnly? Date(string name, bool required = false)
    {
        var text = String(name, required);
        if (text is null)
        {
            return null;
        }

        var value = ValueParsers.ParseDate(text);
        if (value is null)
        {
            Bag.Add(DiagnosticCatalog.BadDate, LocationOf(name), $"`{text}` is not a date of the form `YYYY-MM-DD`");
        }

        return value;
    }
}
