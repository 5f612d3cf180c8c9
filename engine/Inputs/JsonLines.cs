using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace SlaPolicy.Engine.Inputs;

/// <summary>Parses the bytes of one line (line break and BOM removed) into a record, or throws <see cref="RecordRejectedException"/>.</summary>
internal delegate T LineParser<T>(ReadOnlySpan<byte> line, LineParseContext context);

/// <summary>State shared by the lines of one input: limits, reusable scratch lists, and a pool of repeated strings.</summary>
internal sealed class LineParseContext(InputLimits limits)
{
    public InputLimits Limits { get; } = limits;

    public StringPool Strings { get; } = new();

    public List<string> ScratchTags { get; } = [];

    public List<StatusEvent> ScratchEvents { get; } = [];

    /// <summary>The field being read, so that malformed JSON inside a value names it.</summary>
    public string? CurrentField { get; set; }

    /// <summary>The warnings of the line being read (field, message); cleared before each line.</summary>
    public List<(string Field, string Message)> Warnings { get; } = [];
}

/// <summary>Thrown inside a line parser to reject the line; caught by the line loop, never escapes a reader.</summary>
internal sealed class RecordRejectedException(string? field, string reason) : Exception(reason)
{
    public string? Field { get; } = field;
}

/// <summary>
/// The streaming core shared by every JSON Lines and CSV reader: reads a stream in chunks, splits lines on
/// <c>\n</c> bytes (a trailing <c>\r</c> is dropped), skips blank lines, enforces the line-size limit and
/// UTF-8 validity, and hands each line's bytes to a parser. Memory stays flat: one buffer of at most
/// <see cref="InputLimits.MaxLineBytes"/> plus one chunk, whatever the size of the stream.
/// </summary>
internal static class JsonLines
{
    private const int InitialBufferBytes = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>How much of an over-long line is kept as its raw text in the quarantine.</summary>
    internal const int OverLongRawTextBytes = 4 * 1024;

    public static IEnumerable<InputResult<T>> Read<T>(Stream stream, string source, InputLimits? limits, LineParser<T> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return ReadIterator(stream, source, limits ?? InputLimits.Default, parse);
    }

    private static IEnumerable<InputResult<T>> ReadIterator<T>(Stream stream, string source, InputLimits limits, LineParser<T> parse)
        where T : class
    {
        var context = new LineParseContext(limits);
        var max = limits.MaxLineBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var start = 0;
        var end = 0;
        long lineNumber = 0;
        var eof = false;

        // While skipping an over-long line: its length so far and its first bytes.
        var skipping = false;
        long skippedLength = 0;
        byte[]? skippedHead = null;

        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0 || (eof && (end > start || skipping)))
                {
                    var length = newline >= 0 ? newline : end - start;
                    lineNumber++;
                    InputResult<T>? result;
                    if (skipping)
                    {
                        result = OverLong<T>(source, lineNumber, skippedLength + length, max, skippedHead!);
                        skipping = false;
                        skippedHead = null;
                    }
                    else if (length > max)
                    {
                        result = OverLong<T>(source, lineNumber, length, max, buffer.AsSpan(start, Math.Min(length, OverLongRawTextBytes)).ToArray());
                    }
                    else
                    {
                        result = ParseLine(buffer.AsSpan(start, length), source, lineNumber, context, parse);
                    }

                    start += newline >= 0 ? newline + 1 : length;
                    if (result is { } r)
                    {
                        yield return r;
                    }

                    continue;
                }

                if (eof)
                {
                    yield break;
                }

                if (skipping)
                {
                    skippedLength += end - start;
                    start = end = 0;
                }
                else if (end - start > max)
                {
                    // The line is already over the limit: keep its head for the quarantine and drop the rest as it comes.
                    skipping = true;
                    skippedHead = buffer.AsSpan(start, Math.Min(end - start, OverLongRawTextBytes)).ToArray();
                    skippedLength = end - start;
                    start = end = 0;
                }
                else
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, 16));
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    eof = true;
                }
                else
                {
                    end += read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static InputResult<T>? ParseLine<T>(ReadOnlySpan<byte> line, string source, long lineNumber, LineParseContext context, LineParser<T> parse)
        where T : class
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (lineNumber == 1 && line.StartsWith(Utf8ByteOrderMark))
        {
            line = line[3..];
        }

        if (IsBlank(line))
        {
            return null;
        }

        if (!Utf8.IsValid(line))
        {
            var offset = FirstInvalidUtf8(line);
            return InputResult<T>.Reject(new RejectedRecord(
                source, lineNumber, null, $"line is not valid UTF-8: invalid byte 0x{line[offset]:X2} at column {offset + 1}", QuarantinedText(line)));
        }

        context.CurrentField = null;
        context.Warnings.Clear();
        InputResult<T> result;
        try
        {
            result = InputResult<T>.Accept(parse(line, context), lineNumber);
        }
        catch (RecordRejectedException e)
        {
            result = InputResult<T>.Reject(new RejectedRecord(source, lineNumber, e.Field, NoNul(e.Message), QuarantinedText(line)));
        }
        catch (JsonException e)
        {
            var column = e.BytePositionInLine is { } position ? position + 1 : 1;
            result = InputResult<T>.Reject(new RejectedRecord(
                source, lineNumber, context.CurrentField, $"malformed JSON at column {column.ToString(CultureInfo.InvariantCulture)}", QuarantinedText(line)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever else a line can make a parser throw (a value the runtime refuses to decode or convert), it costs
            // that line only: it is quarantined with the field being read, and the next line is read as usual.
            result = InputResult<T>.Reject(new RejectedRecord(
                source, lineNumber, context.CurrentField, NoNul($"the line could not be read: {e.Message}".TrimEnd('.')), QuarantinedText(line)));
        }

        return context.Warnings.Count == 0
            ? result
            : result with { Warnings = [.. context.Warnings.Select(w => new InputWarning(source, lineNumber, w.Field, w.Message))] };
    }

    private static InputResult<T> OverLong<T>(string source, long lineNumber, long length, int max, byte[] head)
        where T : class
    {
        var reason = $"line is {length.ToString(CultureInfo.InvariantCulture)} bytes long, over the limit of {max.ToString(CultureInfo.InvariantCulture)} bytes";
        return InputResult<T>.Reject(new RejectedRecord(source, lineNumber, null, reason, Truncated(head, length)));
    }

    /// <summary>
    /// The raw text of a rejected line for the quarantine: whole up to <see cref="InputLimits.MaxQuarantinedRawBytes"/>,
    /// else its first <see cref="OverLongRawTextBytes"/> and its length.
    /// </summary>
    internal static string QuarantinedText(ReadOnlySpan<byte> line) =>
        line.Length <= InputLimits.MaxQuarantinedRawBytes ? RawText(line) : Truncated(line[..OverLongRawTextBytes], line.Length);

    private static string Truncated(ReadOnlySpan<byte> head, long length) =>
        $"{RawText(head)}… ({length.ToString(CultureInfo.InvariantCulture)} bytes in all)";

    /// <summary>
    /// The raw text of a line for the quarantine; invalid UTF-8 sequences become U+FFFD, and so does U+0000, which
    /// PostgreSQL's text cannot hold (one NUL byte must not cost the batch its good records).
    /// </summary>
    internal static string RawText(ReadOnlySpan<byte> line) => NoNul(Encoding.UTF8.GetString(line));

    private static string NoNul(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    internal static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var offset = 0;
        while (offset < line.Length)
        {
            if (Rune.DecodeFromUtf8(line[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return 0;
    }
}
