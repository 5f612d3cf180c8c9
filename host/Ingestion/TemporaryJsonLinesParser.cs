using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Ingestion;

/// <summary>
/// A minimal System.Text.Json reader of the input formats, so that the host can ingest before the engine's
/// streaming readers are plugged in behind <see cref="IRecordParser"/>. It checks required fields, types
/// and that timestamps carry an offset; it is temporary and will be replaced by the engine's readers.
/// </summary>
public sealed partial class TemporaryJsonLinesParser : IRecordParser
{
    /// <summary>Longest line accepted; longer lines are rejected without being parsed.</summary>
    public const int MaxLineLength = 1 << 20;

    public IEnumerable<Parsed<CaseRecord>> ReadCases(Stream input, string source, RecordFormat format) =>
        format == RecordFormat.Csv ? ReadCsvCases(input, source) : Read(input, source, ParseCase);

    public IEnumerable<Parsed<OutageRecord>> ReadOutages(Stream input, string source) => Read(input, source, ParseOutage);

    public IEnumerable<Parsed<SubscriptionRecord>> ReadSubscriptions(Stream input, string source) => Read(input, source, ParseSubscription);

    public IEnumerable<Parsed<MeasurementRecord>> ReadMeasurements(Stream input, string source) => Read(input, source, ParseMeasurement);

    private static IEnumerable<Parsed<T>> Read<T>(Stream input, string source, Func<JsonElement, T> parse)
        where T : class
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseLine(line, lineNumber, source, parse);
        }
    }

    private static Parsed<T> ParseLine<T>(string line, long lineNumber, string source, Func<JsonElement, T> parse)
        where T : class
    {
        if (line.Length > MaxLineLength)
        {
            return Parsed<T>.Bad(new RejectedRecord(source, lineNumber, null, $"line is longer than {MaxLineLength} characters", line[..1000]));
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Parsed<T>.Bad(new RejectedRecord(source, lineNumber, null, "a record must be a JSON object", line));
            }

            return Parsed<T>.Ok(parse(document.RootElement));
        }
        catch (JsonException ex)
        {
            return Parsed<T>.Bad(new RejectedRecord(source, lineNumber, null, $"malformed JSON: {ex.Message}", line));
        }
        catch (FieldException ex)
        {
            return Parsed<T>.Bad(new RejectedRecord(source, lineNumber, ex.Field, ex.Message, line));
        }
    }

    private static CaseRecord ParseCase(JsonElement e)
    {
        var opened = RequiredTime(e, "openedAt");
        var events = ImmutableArray.CreateBuilder<StatusEvent>();
        if (e.TryGetProperty("events", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new FieldException("events", "`events` must be an array");
            }

            foreach (var item in list.EnumerateArray())
            {
                events.Add(new StatusEvent(RequiredTime(item, "at", "events.at"), RequiredString(item, "status", "events.status")));
            }
        }

        var record = new CaseRecord(
            RequiredString(e, "id"),
            RequiredString(e, "customer"),
            RequiredString(e, "tier"),
            RequiredString(e, "region"),
            RequiredString(e, "service"),
            RequiredInt(e, "severity"),
            opened,
            OptionalTime(e, "firstResponseAt"),
            OptionalTime(e, "resolvedAt"),
            Strings(e, "tags"),
            [.. events.OrderBy(x => x.At)]);
        if (record.ResolvedAt < record.OpenedAt)
        {
            throw new FieldException("resolvedAt", "`resolvedAt` is before `openedAt`");
        }

        return record;
    }

    private static OutageRecord ParseOutage(JsonElement e)
    {
        var record = new OutageRecord(
            RequiredString(e, "service"),
            RequiredString(e, "region"),
            RequiredTime(e, "start"),
            RequiredTime(e, "end"),
            RequiredString(e, "kind"),
            OptionalString(e, "id"));
        if (record.End < record.Start)
        {
            throw new FieldException("end", "`end` is before `start`");
        }

        return record;
    }

    private static SubscriptionRecord ParseSubscription(JsonElement e) => new(
        RequiredString(e, "customer"),
        RequiredString(e, "tier"),
        RequiredString(e, "region"),
        RequiredString(e, "service"),
        e.TryGetProperty("monthlyFee", out var fee) && fee.ValueKind != JsonValueKind.Null
            ? fee.ValueKind == JsonValueKind.Number ? fee.GetDecimal() : throw new FieldException("monthlyFee", "`monthlyFee` must be a number")
            : null,
        OptionalString(e, "currency"));

    private static MeasurementRecord ParseMeasurement(JsonElement e) => new(
        RequiredString(e, "service"),
        RequiredString(e, "region"),
        RequiredTime(e, "at"),
        RequiredString(e, "metric"),
        e.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new FieldException("value", "`value` is missing or not a number"));

    /// <summary>
    /// CSV cases: a header row naming the columns (id, customer, tier, region, service, severity, openedAt,
    /// firstResponseAt, resolvedAt, tags separated by <c>;</c>), comma-separated, no quoting; no events.
    /// </summary>
    private static IEnumerable<Parsed<CaseRecord>> ReadCsvCases(Stream input, string source)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var header = reader.ReadLine();
        if (header is null)
        {
            yield break;
        }

        var columns = header.Split(',').Select(c => c.Trim()).ToArray();
        long lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != columns.Length)
            {
                yield return Parsed<CaseRecord>.Bad(new RejectedRecord(source, lineNumber, null, $"expected {columns.Length} columns, found {cells.Length}", line));
                continue;
            }

            // Rebuild the row as a JSON object so that CSV and JSON Lines share one set of checks.
            var json = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                var cell = cells[i].Trim();
                json[columns[i]] = columns[i] switch
                {
                    "severity" => int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : cell,
                    "tags" => cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    _ => cell.Length == 0 ? null : cell,
                };
            }

            var outcome = ParseLine(JsonSerializer.Serialize(json), lineNumber, source, ParseCase);
            yield return outcome.Rejected is { } rejected ? Parsed<CaseRecord>.Bad(rejected with { RawText = line }) : outcome;
        }
    }

    private static string RequiredString(JsonElement e, string name, string? field = null)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new FieldException(field ?? name, $"`{field ?? name}` is missing");
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw new FieldException(field ?? name, $"`{field ?? name}` must be a non-empty string");
        }

        return text;
    }

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int RequiredInt(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw new FieldException(name, $"`{name}` is missing or not a whole number");
        }

        return number;
    }

    private static ImmutableArray<string> Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FieldException(name, $"`{name}` must be an array of strings");
        }

        return [.. value.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw new FieldException(name, $"`{name}` must be an array of strings"))];
    }

    private static DateTimeOffset RequiredTime(JsonElement e, string name, string? field = null) =>
        OptionalTime(e, name, field) ?? throw new FieldException(field ?? name, $"`{field ?? name}` is missing");

    private static DateTimeOffset? OptionalTime(JsonElement e, string name, string? field = null)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        if (!OffsetSuffix().IsMatch(text))
        {
            throw new FieldException(field ?? name, $"`{field ?? name}` must be an ISO 8601 timestamp with an offset, e.g. `2026-11-20T16:30:00+01:00`");
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant))
        {
            throw new FieldException(field ?? name, $"`{text}` is not a valid timestamp");
        }

        return instant;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetSuffix();

    private sealed class FieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
