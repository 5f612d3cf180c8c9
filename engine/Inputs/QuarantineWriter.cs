using System.Text.Encodings.Web;
using System.Text.Json;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Appends rejected records to a quarantine file as JSON Lines, one object a line:
/// <c>{"source":..,"line":..,"field":..,"reason":..,"raw":..}</c> (<c>field</c> is null when the whole line is at
/// fault). The file is appended to, never truncated, so quarantines of several runs accumulate. Not thread-safe.
/// </summary>
public sealed class QuarantineWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending; its folder is created if needed.</summary>
    public QuarantineWriter(string path)
        : this(OpenForAppend(path), ownsStream: true)
    {
    }

    /// <summary>Writes to <paramref name="stream"/>; it is disposed with the writer only when <paramref name="ownsStream"/>.</summary>
    public QuarantineWriter(Stream stream, bool ownsStream = false)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _writer = new Utf8JsonWriter(stream, Options);
    }

    /// <summary>How many records were written by this writer.</summary>
    public long Count { get; private set; }

    /// <summary>Appends one rejected record and flushes it, so that a crash loses no rejection already reported.</summary>
    public void Write(RejectedRecord rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        _writer.Reset(_stream);
        _writer.WriteStartObject();
        _writer.WriteString("source", rejected.Source);
        _writer.WriteNumber("line", rejected.LineNumber);
        if (rejected.Field is null)
        {
            _writer.WriteNull("field");
        }
        else
        {
            _writer.WriteString("field", rejected.Field);
        }

        _writer.WriteString("reason", rejected.Reason);
        _writer.WriteString("raw", rejected.RawText);
        _writer.WriteEndObject();
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
        Count++;
    }

    /// <summary>Reads a quarantine file back (for tools and tests); lines that are not quarantine entries are skipped.</summary>
    public static IEnumerable<RejectedRecord> ReadAll(Stream stream)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            yield return new RejectedRecord(
                root.GetProperty("source").GetString() ?? "",
                root.GetProperty("line").GetInt64(),
                root.GetProperty("field").GetString(),
                root.GetProperty("reason").GetString() ?? "",
                root.GetProperty("raw").GetString() ?? "");
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private static FileStream OpenForAppend(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }
}
