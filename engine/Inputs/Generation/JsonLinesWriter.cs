using System.Text.Encodings.Web;
using System.Text.Json;

namespace SlaPolicy.Engine.Inputs.Generation;

/// <summary>
/// Writes input records as JSON Lines in the format the readers accept, streaming: each record is written and
/// handed to the stream at once, so any number of records takes flat memory. Timestamps keep their offsets.
/// Not thread-safe.
/// </summary>
public sealed class JsonLinesWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes to <paramref name="stream"/> through a 64 KiB buffer; disposes it only when <paramref name="ownsStream"/>.</summary>
    public JsonLinesWriter(Stream stream, bool ownsStream = false)
    {
        _stream = new BufferedStream(stream, 64 * 1024);
        _ownsStream = ownsStream;
        _writer = new Utf8JsonWriter(_stream, Options);
    }

    /// <summary>How many records were written.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one case; absent response and resolution are written as <c>null</c>.</summary>
    public void Write(CaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("id", record.Id);
        w.WriteString("customer", record.Customer);
        w.WriteString("tier", record.Tier);
        w.WriteString("region", record.Region);
        w.WriteString("service", record.Service);
        w.WriteNumber("severity", record.Severity);
        w.WriteString("openedAt", record.OpenedAt);
        WriteTimestampOrNull("firstResponseAt", record.FirstResponseAt);
        WriteTimestampOrNull("resolvedAt", record.ResolvedAt);
        w.WriteStartArray("tags");
        foreach (var tag in record.Tags)
        {
            w.WriteStringValue(tag);
        }

        w.WriteEndArray();
        w.WriteStartArray("events");
        foreach (var e in record.Events)
        {
            w.WriteStartObject();
            w.WriteString("at", e.At);
            w.WriteString("status", e.Status);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes one outage; <c>id</c> only when it has one.</summary>
    public void Write(OutageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var w = _writer;
        w.WriteStartObject();
        if (record.Id is not null)
        {
            w.WriteString("id", record.Id);
        }

        w.WriteString("service", record.Service);
        w.WriteString("region", record.Region);
        w.WriteString("start", record.Start);
        w.WriteString("end", record.End);
        w.WriteString("kind", record.Kind);
        w.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes one subscription; fee and currency only when known.</summary>
    public void Write(SubscriptionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("customer", record.Customer);
        w.WriteString("tier", record.Tier);
        w.WriteString("region", record.Region);
        w.WriteString("service", record.Service);
        if (record.MonthlyFee is { } fee)
        {
            w.WriteNumber("monthlyFee", fee);
        }

        if (record.Currency is not null)
        {
            w.WriteString("currency", record.Currency);
        }

        w.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes one measurement.</summary>
    public void Write(MeasurementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("service", record.Service);
        w.WriteString("region", record.Region);
        w.WriteString("at", record.At);
        w.WriteString("metric", record.Metric);
        w.WriteNumber("value", record.Value);
        w.WriteEndObject();
        EndLine();
    }

    /// <summary>Flushes buffered lines to the underlying stream.</summary>
    public void Flush()
    {
        _writer.Flush();
        _stream.Flush();
    }

    public void Dispose()
    {
        Flush();
        _writer.Dispose();
        // Disposing the buffer would close the caller's stream; after the flush above it holds nothing.
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void WriteTimestampOrNull(string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            _writer.WriteString(name, v);
        }
        else
        {
            _writer.WriteNull(name);
        }
    }

    private void EndLine()
    {
        // The JSON writer refuses a second top-level value; flush this one, add the line break, start afresh.
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _writer.Reset();
        Count++;
    }
}
