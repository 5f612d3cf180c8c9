using System.Globalization;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads cases from JSON Lines, one object a line, streaming: a file of millions of cases is read in flat memory.
/// </summary>
/// <remarks>
/// Required: <c>id</c>, <c>customer</c>, <c>tier</c>, <c>region</c>, <c>service</c>, <c>severity</c> (1 to 4),
/// <c>openedAt</c>. Optional: <c>firstResponseAt</c>, <c>resolvedAt</c> (not before <c>openedAt</c>), <c>tags</c>,
/// <c>events</c> (each with <c>at</c> and <c>status</c>; sorted by time on read, stable for equal times).
/// Unknown properties are ignored so that newer producers can add fields. Duplicate ids are passed through
/// in file order; whoever stores them keeps the later one (see docs/INPUTS.md). The enumeration is lazy and
/// single-pass; do not enumerate it twice over one stream.
/// </remarks>
public static class CaseReader
{
    /// <summary>The valid severities, inclusive.</summary>
    public const int MinSeverity = 1;

    /// <summary>The valid severities, inclusive.</summary>
    public const int MaxSeverity = 4;

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<CaseRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        InputDescriptions.Cases.Read(stream, source, limits);

    /// <summary>
    /// Reads a cases file: CSV when its name ends in <c>.csv</c> (see <see cref="CaseCsvReader"/>), JSON Lines otherwise.
    /// The file stays open until the enumeration ends or is disposed.
    /// </summary>
    public static IEnumerable<InputResult<CaseRecord>> ReadFile(string path, InputLimits? limits = null)
    {
        var csv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        foreach (var result in InputFiles.Read(path, stream => csv ? CaseCsvReader.Read(stream, path, limits) : Read(stream, path, limits)))
        {
            yield return result;
        }
    }

    /// <summary>Rejects a severity outside 1..4.</summary>
    internal static void CheckSeverity(int severity) => CheckSeverity(severity, "severity");

    internal static void CheckSeverity(int severity, string field)
    {
        if (severity is < MinSeverity or > MaxSeverity)
        {
            throw new RecordRejectedException(field, $"unknown severity `{severity.ToString(CultureInfo.InvariantCulture)}`; severities are 1, 2, 3 and 4");
        }
    }

    /// <summary>Rejects a response or resolution recorded before the case was opened.</summary>
    internal static void CheckNotBeforeOpening(string field, DateTimeOffset? at, DateTimeOffset openedAt)
    {
        if (at is { } value && value < openedAt)
        {
            throw new RecordRejectedException(field, $"`{field}` `{Timestamps.Format(value)}` is before `openedAt` `{Timestamps.Format(openedAt)}`");
        }
    }
}
