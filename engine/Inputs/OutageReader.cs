namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads outages from JSON Lines: <c>service</c>, <c>region</c>, <c>start</c>, <c>end</c> (not before
/// <c>start</c>; the outage is [start, end)), <c>kind</c> (e.g. <c>unplanned</c>, <c>maintenance</c>,
/// <c>customer-caused</c>), optional <c>id</c> and <c>resource</c> (see <see cref="InputDescriptions.Outages"/>). Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class OutageReader
{
    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<OutageRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, InputDescriptions.OutageDescription.Parse);

    /// <summary>Reads an outages file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<OutageRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputFiles.Read(path, stream => Read(stream, path, limits));
}
