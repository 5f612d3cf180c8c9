using System.Globalization;
using Microsoft.AspNetCore.Http;
using SlaPolicy.Host.Cli;

namespace SlaPolicy.Host.Web;

/// <summary>
/// Reads the query parameters of one request, collecting what is wrong with them: <see cref="Problem"/> is then a 400
/// with a JSON problem (<c>application/problem+json</c>) whose <c>errors</c> name each bad parameter and what it
/// accepts. Times are read by <see cref="InstantText"/>, as the commands read them.
/// </summary>
internal sealed class QueryParameters(HttpRequest request)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    /// <summary>The 400 for the parameters found bad so far; null when none was.</summary>
    public IResult? Problem => _errors.Count == 0
        ? null
        : Results.ValidationProblem(_errors, title: "bad query parameters", detail: $"see the `errors` for what each of {string.Join(", ", _errors.Keys)} accepts");

    /// <summary>The parameter as given; null when absent or empty.</summary>
    public string? Text(string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="absent"/> when not given.</summary>
    public int Int(string name, int absent, int min, int max)
    {
        if (Text(name) is not { } text)
        {
            return absent;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(name, text, $"a whole number from {min} to {max}");
        return absent;
    }

    /// <summary><c>true</c> or <c>false</c>; false when not given.</summary>
    public bool Bool(string name)
    {
        if (Text(name) is not { } text)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Fail(name, text, "`true` or `false`");
        return false;
    }

    /// <summary>An instant (<see cref="InstantText.TryParseInstant"/>); null when not given.</summary>
    public DateTimeOffset? Instant(string name) => Time(name, InstantText.TryParseInstant, InstantText.InstantAccepted);

    /// <summary>A date or an instant (<see cref="InstantText.TryParseDateOrInstant"/>); null when not given.</summary>
    public DateTimeOffset? DateOrInstant(string name) => Time(name, InstantText.TryParseDateOrInstant, InstantText.DateOrInstantAccepted);

    /// <summary>The parameter when <paramref name="valid"/> accepts it; null when not given or refused (then reported with <paramref name="accepted"/>).</summary>
    public string? Checked(string name, Func<string, bool> valid, string accepted)
    {
        var text = Text(name);
        if (text is null || valid(text))
        {
            return text;
        }

        Fail(name, text, accepted);
        return null;
    }

    private delegate bool Parser(string? text, out DateTimeOffset value);

    private DateTimeOffset? Time(string name, Parser parse, string accepted)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        // A `+` of an offset arrives as a space unless it was written %2B.
        if (parse(text.Trim().Replace(' ', '+'), out var value))
        {
            return value;
        }

        Fail(name, text, accepted);
        return null;
    }

    private void Fail(string name, string value, string accepted) =>
        _errors[name] = [$"`{name}` must be {accepted}, not `{(value.Length > 100 ? value[..100] + "..." : value)}`"];
}
