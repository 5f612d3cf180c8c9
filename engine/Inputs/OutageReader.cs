namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads outages from JSON Lines: <c>service</c>, <c>region</c>, <c>start</c>, <c>end</c> (not before
/// <c>start</c>; the outage is [start, end)), <c>kind</c> (e.g. <c>unplanned</c>, <c>maintenance</c>,
/// <c>customer-caused</c>), optional <c>id</c>. Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class OutageReader
{
    private const int Service = 1, Region = 2, Start = 4, End = 8, Kind = 16, Id = 32;

    private static readonly string[] Known = ["service", "region", "start", "end", "kind", "id"];

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<OutageRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, Parse);

    /// <summary>Reads an outages file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<OutageRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputFiles.Read(path, stream => Read(stream, path, limits));

    private static OutageRecord Parse(ReadOnlySpan<byte> line, LineParseContext context)
    {
        var json = new RecordReader(line, context);
        var seen = 0;
        string service = "", region = "", kind = "";
        string? id = null;
        DateTimeOffset start = default, end = default;
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
            else if (json.NameIs("start"u8))
            {
                RecordReader.Once(ref seen, Start, "start");
                start = json.ReadTimestamp("start");
            }
            else if (json.NameIs("end"u8))
            {
                RecordReader.Once(ref seen, End, "end");
                end = json.ReadTimestamp("end");
            }
            else if (json.NameIs("kind"u8))
            {
                RecordReader.Once(ref seen, Kind, "kind");
                kind = json.ReadString("kind", pooled: true);
            }
            else if (json.NameIs("id"u8))
            {
                RecordReader.Once(ref seen, Id, "id");
                id = json.ReadOptionalString("id", pooled: false);
            }
            else
            {
                json.SkipUnknown(Known, null, ref unknown);
            }
        }

        RecordReader.Require(seen, Service, "service");
        RecordReader.Require(seen, Region, "region");
        RecordReader.Require(seen, Start, "start");
        RecordReader.Require(seen, End, "end");
        RecordReader.Require(seen, Kind, "kind");
        if (end < start)
        {
            throw new RecordRejectedException("end", $"`end` `{Timestamps.Format(end)}` is before `start` `{Timestamps.Format(start)}`");
        }

        return new OutageRecord(service, region, start, end, kind, id);
    }
}
