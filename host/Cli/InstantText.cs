using System.Globalization;
using System.Text.RegularExpressions;
using SlaPolicy.Engine.Calendars;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// How times are read wherever a person writes one, and written wherever a person reads one (<see cref="Format(DateTimeOffset?, CaseZone)"/>: in
/// the case's own zone, <see cref="CaseZone"/>): the commands' <c>--as-of</c> and the HTTP API's <c>asOf</c>,
/// <c>from</c> and <c>to</c>. An instant is an ISO 8601 timestamp with an offset (<c>Z</c> or <c>±hh:mm</c>); a time
/// without one is refused, never guessed. Only range filters (<c>from</c>, <c>to</c>) also take a bare date, meaning
/// midnight UTC.
/// </summary>
public static partial class InstantText
{
    /// <summary>What <see cref="TryParseInstant"/> accepts, in words, for error messages.</summary>
    public const string InstantAccepted = "an ISO 8601 timestamp with an offset, e.g. 2026-11-22T02:00:00Z or 2026-11-22T03:00:00+01:00";

    /// <summary>What <see cref="TryParseDateOrInstant"/> accepts, in words, for error messages.</summary>
    public const string DateOrInstantAccepted = "a date written yyyy-MM-dd (midnight UTC) or " + InstantAccepted;

    /// <summary>Parses an ISO 8601 timestamp that carries an offset.</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        var trimmed = text?.Trim();
        return trimmed is not null
            && Shape().IsMatch(trimmed)
            && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    /// <summary>Parses a bare date (midnight UTC) or what <see cref="TryParseInstant"/> accepts.</summary>
    public static bool TryParseDateOrInstant(string? text, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return TryParseInstant(text, out value);
    }

    /// <summary>An instant as a person reads it, in <paramref name="zone"/> (<c>2026-11-21 12:30 +01:00</c>); <c>-</c> for none.</summary>
    public static string Format(DateTimeOffset? instant, CaseZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return instant is { } at ? zone.Format(at) : "-";
    }

    /// <summary>An instant in the offset it carries (<c>2026-11-21 12:30 +01:00</c>), for one read in its case's zone already.</summary>
    public static string FormatAsWritten(DateTimeOffset? instant) => instant is { } at ? CaseZone.Fixed(at.Offset).Format(at) : "-";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
