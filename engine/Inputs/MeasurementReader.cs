namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads measurements from JSON Lines: <c>service</c>, <c>region</c>, <c>at</c>, <c>metric</c> (e.g.
/// <c>latencyMs</c>, <c>packetDeliveryPercent</c>) and a finite number <c>value</c>. Unknown properties are
/// ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class MeasurementReader
{
    private const int Service = 1, Region = 2, At = 4, Metric = 8, Value = 16;

    private static readonly string[] Known = ["service", "region", "at", "metric", "value"];

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<MeasurementRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, Parse);

    /// <summary>Reads a measurements file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<MeasurementRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputFiles.Read(path, stream => Read(stream, path, limits));

    private static MeasurementRecord Parse(ReadOnlySpan<byte> line, LineParseContext context)
    {
        var json = new RecordReader(line, context);
        var seen = 0;
        string service = "", region = "", metric = "";
        DateTimeOffset at = default;
        double value = 0;
        HashSet<string>? unknown = null;
        while (json.NextProperty())
        {
            if (json.NameIs("service"u8))
            {
                RecordReader.Once(ref seen, Service, "service");
                service = json.ReadString("service", pooled: true);
            }
            else if (json.NameIs("region"u8))
            {
                RecordReader.Once(ref seen, Region, "region");
                region = json.ReadString("region", pooled: true);
            }
            else if (json.NameIs("at"u8))
            {
                RecordReader.Once(ref seen, At, "at");
                at = json.ReadTimestamp("at");
            }
            else if (json.NameIs("metric"u8))
            {
                RecordReader.Once(ref seen, Metric, "metric");
                metric = json.ReadString("metric", pooled: true);
            }
            else if (json.NameIs("value"u8))
            {
                RecordReader.Once(ref seen, Value, "value");
                value = json.ReadDouble("value", InputRanges.MaxMeasurementMagnitude);
            }
            else
            {
                json.SkipUnknown(Known, null, ref unknown);
            }
        }

        RecordReader.Require(seen, Service, "service");
        RecordReader.Require(seen, Region, "region");
        RecordReader.Require(seen, At, "at");
        RecordReader.Require(seen, Metric, "metric");
        RecordReader.Require(seen, Value, "value");
        return new MeasurementRecord(service, region, at, metric, value);
    }
}
