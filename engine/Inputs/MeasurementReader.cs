namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads measurements from JSON Lines: <c>service</c>, <c>region</c>, <c>at</c>, <c>metric</c> (e.g.
/// <c>latencyMs</c>, <c>packetDeliveryPercent</c>) and a finite number <c>value</c>. Unknown properties are
/// ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class MeasurementReader
{
    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<MeasurementRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, InputDescriptions.MeasurementDescription.Parse);

    /// <summary>Reads a measurements file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<MeasurementRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputFiles.Read(path, stream => Read(stream, path, limits));
}
