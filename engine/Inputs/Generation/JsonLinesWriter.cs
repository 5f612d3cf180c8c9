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
    public void Write(CaseRecord record) => Write(InputDescriptions.Cases, record);

    /// <summary>Writes one outage; <c>id</c> and <c>resource</c> only when it has them.</summary>
    public void Write(OutageRecord record) => Write(InputDescriptions.Outages, record);

    /// <summary>Writes one subscription; fee and currency only when known.</summary>
    public void Write(SubscriptionRecord record) => Write(InputDescriptions.Subscriptions, record);

    /// <summary>Writes one measurement.</summary>
    public void Write(MeasurementRecord record) => Write(InputDescriptions.Measurements, record);

    /// <summary>Writes one record of any input, as its description says (<see cref="InputDescriptions"/>).</summary>
    public void Write<TRecord>(RecordDescription<TRecord> description, TRecord record)
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(description);
        description.Write(_writer, record);
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

    private void EndLine()
    {
        // The JSON writer refuses a second top-level value; flush this one, add the line break, start afresh.
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _writer.Reset();
        Count++;
    }
}
