using System.Collections.Immutable;
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

    private const int Id = 1, Customer = 2, Tier = 4, Region = 8, Service = 16, Severity = 32, OpenedAt = 64,
        FirstResponseAt = 128, ResolvedAt = 256, Tags = 512, Events = 1024;

    private static readonly string[] KnownInEvents = ["at", "status"];

    private static readonly string[] Known = ["id", "customer", "tier", "region", "service", "severity", "openedAt", "firstResponseAt", "resolvedAt", "tags", "events"];

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<CaseRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, Parse);

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

    private static CaseRecord Parse(ReadOnlySpan<byte> line, LineParseContext context)
    {
        var json = new RecordReader(line, context);
        var seen = 0;
        string id = "", customer = "", tier = "", region = "", service = "";
        var severity = 0;
        DateTimeOffset openedAt = default;
        DateTimeOffset? firstResponseAt = null, resolvedAt = null;
        var tags = ImmutableArray<string>.Empty;
        var events = ImmutableArray<StatusEvent>.Empty;

        HashSet<string>? unknown = null;
        while (json.NextProperty())
        {
            if (json.NameIs("id"u8))
            {
                RecordReader.Once(ref seen, Id, "id");
                id = json.ReadString("id", pooled: false);
            }
            else if (json.NameIs("customer"u8))
            {
                RecordReader.Once(ref seen, Customer, "customer");
                customer = json.ReadString("customer", pooled: true);
            }
            else if (json.NameIs("tier"u8))
            {
                RecordReader.Once(ref seen, Tier, "tier");
                tier = json.ReadString("tier", pooled: true);
            }
            else if (json.NameIs("region"u8))
            {
                RecordReader.Once(ref seen, Region, "region");
                region = json.ReadString("region", pooled: true);
            }
            else if (json.NameIs("service"u8))
            {
                RecordReader.Once(ref seen, Service, "service");
                service = json.ReadString("service", pooled: true);
            }
            else if (json.NameIs("severity"u8))
            {
                RecordReader.Once(ref seen, Severity, "severity");
                severity = json.ReadInt32("severity");
                CheckSeverity(severity);
            }
            else if (json.NameIs("openedAt"u8))
            {
                RecordReader.Once(ref seen, OpenedAt, "openedAt");
                openedAt = json.ReadTimestamp("openedAt");
            }
            else if (json.NameIs("firstResponseAt"u8))
            {
                RecordReader.Once(ref seen, FirstResponseAt, "firstResponseAt");
                firstResponseAt = json.ReadOptionalTimestamp("firstResponseAt");
            }
            else if (json.NameIs("resolvedAt"u8))
            {
                RecordReader.Once(ref seen, ResolvedAt, "resolvedAt");
                resolvedAt = json.ReadOptionalTimestamp("resolvedAt");
            }
            else if (json.NameIs("tags"u8))
            {
                RecordReader.Once(ref seen, Tags, "tags");
                tags = ReadTags(ref json);
            }
            else if (json.NameIs("events"u8))
            {
                RecordReader.Once(ref seen, Events, "events");
                events = ReadEvents(ref json);
            }
            else
            {
                json.SkipUnknown(Known, null, ref unknown);
            }
        }

        RecordReader.Require(seen, Id, "id");
        RecordReader.Require(seen, Customer, "customer");
        RecordReader.Require(seen, Tier, "tier");
        RecordReader.Require(seen, Region, "region");
        RecordReader.Require(seen, Service, "service");
        RecordReader.Require(seen, Severity, "severity");
        RecordReader.Require(seen, OpenedAt, "openedAt");
        CheckNotBeforeOpening("firstResponseAt", firstResponseAt, openedAt);
        CheckNotBeforeOpening("resolvedAt", resolvedAt, openedAt);
        return new CaseRecord(id, customer, tier, region, service, severity, openedAt, firstResponseAt, resolvedAt, tags, events);
    }

    /// <summary>Rejects a severity outside 1..4.</summary>
    internal static void CheckSeverity(int severity)
    {
        if (severity is < MinSeverity or > MaxSeverity)
        {
            throw new RecordRejectedException("severity", $"unknown severity `{severity.ToString(CultureInfo.InvariantCulture)}`; severities are 1, 2, 3 and 4");
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

    // Field names of the first events, made once: naming `events[3].at` must not cost an allocation per event read.
    private static readonly string[] EventAtFields = [.. Enumerable.Range(0, 64).Select(i => $"events[{i}].at")];
    private static readonly string[] EventStatusFields = [.. Enumerable.Range(0, 64).Select(i => $"events[{i}].status")];

    private static string EventField(int index, string name) =>
        index < EventAtFields.Length ? (name == "at" ? EventAtFields[index] : EventStatusFields[index]) : $"events[{index}].{name}";

    private static ImmutableArray<string> ReadTags(ref RecordReader json)
    {
        if (!json.BeginArray("tags"))
        {
            return [];
        }

        var scratch = json.Context.ScratchTags;
        scratch.Clear();
        while (json.NextElement())
        {
            if (scratch.Count == json.Context.Limits.MaxTags)
            {
                throw new RecordRejectedException("tags", $"`tags` holds more than {json.Context.Limits.MaxTags.ToString(CultureInfo.InvariantCulture)} tags, the limit");
            }

            scratch.Add(json.ElementString("tags", pooled: true));
        }

        return scratch.Count == 0 ? [] : [.. scratch];
    }

    private static ImmutableArray<StatusEvent> ReadEvents(ref RecordReader json)
    {
        if (!json.BeginArray("events"))
        {
            return [];
        }

        var scratch = json.Context.ScratchEvents;
        scratch.Clear();
        var sorted = true;
        while (json.NextElement())
        {
            var index = scratch.Count;
            if (index == json.Context.Limits.MaxEvents)
            {
                throw new RecordRejectedException("events", $"`events` holds more than {json.Context.Limits.MaxEvents.ToString(CultureInfo.InvariantCulture)} events, the limit");
            }

            json.ElementObject("events");
            DateTimeOffset? at = null;
            string? status = null;
            var seen = 0;
            HashSet<string>? unknown = null;
            while (json.NextProperty())
            {
                if (json.NameIs("at"u8))
                {
                    RecordReader.Once(ref seen, 1, EventField(index, "at"));
                    at = json.ReadTimestamp(EventField(index, "at"));
                }
                else if (json.NameIs("status"u8))
                {
                    RecordReader.Once(ref seen, 2, EventField(index, "status"));
                    status = json.ReadString(EventField(index, "status"), pooled: true);
                }
                else
                {
                    json.SkipUnknown(KnownInEvents, $"events[{index.ToString(CultureInfo.InvariantCulture)}].", ref unknown);
                }
            }

            if (at is null)
            {
                throw new RecordRejectedException(EventField(index, "at"), $"required field `{EventField(index, "at")}` is missing");
            }

            if (status is null)
            {
                throw new RecordRejectedException(EventField(index, "status"), $"required field `{EventField(index, "status")}` is missing");
            }

            if (scratch.Count > 0 && at.Value < scratch[^1].At)
            {
                sorted = false;
            }

            scratch.Add(new StatusEvent(at.Value, status));
        }

        if (scratch.Count == 0)
        {
            return [];
        }

        // Producers usually write events in order; sort only when they did not (OrderBy is stable for equal times).
        return sorted ? [.. scratch] : [.. scratch.OrderBy(e => e.At)];
    }
}
