using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads cases from CSV (RFC 4180 quoting; a field may not contain a line break). The first non-blank line is
/// the header: <c>id,customer,tier,region,service,severity,openedAt,firstResponseAt,resolvedAt,tags</c>, in any
/// order; unknown columns are ignored. <c>tags</c> are separated by <c>;</c>. Empty optional fields are absent
/// values. Events cannot be written in CSV; use JSON Lines for cases with status changes. The same validation
/// and limits as <see cref="CaseReader"/> apply, and rejections carry the file's line numbers.
/// </summary>
public static class CaseCsvReader
{
    /// <summary>The header's column names, in the order the generator writes them.</summary>
    public static readonly ImmutableArray<string> Columns = [.. Description.TextFields.Select(f => f.Name)];

    private static RecordDescription<CaseRecord, CaseValues> Description => InputDescriptions.CaseDescription;

    private static readonly string[] KnownColumns = [.. Columns];

    private static readonly string[] RequiredColumns = [.. Description.TextFields.Where(f => f.Required).Select(f => f.Name)];

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<CaseRecord>> Read(Stream stream, string source, InputLimits? limits = null)
    {
        var header = new Header();
        var headerWarnings = ImmutableArray<InputWarning>.Empty;
        foreach (var result in JsonLines.Read(stream, source, limits, (line, context) => ParseLine(line, context, header)))
        {
            // The header line parses to the marker record and is not a case; its warnings go with the first row.
            if (ReferenceEquals(result.Record, HeaderMarker))
            {
                headerWarnings = result.Warnings;
            }
            else if (!headerWarnings.IsEmpty)
            {
                yield return result with { Warnings = headerWarnings.AddRange(result.Warnings) };
                headerWarnings = [];
            }
            else
            {
                yield return result;
            }
        }
    }

    private static readonly CaseRecord HeaderMarker = new("", "", "", "", "", 0, default, null, null, [], []);

    private static CaseRecord ParseLine(ReadOnlySpan<byte> line, LineParseContext context, Header header)
    {
        var fields = SplitFields(line);
        if (header.Positions is null)
        {
            header.Positions = new int[Columns.Length];
            header.Count = fields.Count;
            for (var c = 0; c < Columns.Length; c++)
            {
                header.Positions[c] = fields.FindIndex(f => string.Equals(f.Trim(), Columns[c], StringComparison.Ordinal));
            }

            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in fields.Select(f => f.Trim()))
            {
                if (!named.Add(name))
                {
                    header.Problem = name;
                    header.Duplicate = true;
                    throw new RecordRejectedException(name, $"the header names the column `{name}` more than once");
                }

                if (!Columns.Contains(name) && RecordReader.NearMiss(name, KnownColumns) is { } suggestion)
                {
                    context.Warnings.Add((name, $"unknown column `{name}` ignored (did you mean `{suggestion}`?)"));
                }
            }

            var missing = RequiredColumns.FirstOrDefault(r => header.Positions[Columns.IndexOf(r)] < 0);
            if (missing is not null)
            {
                header.Problem = missing;
                throw new RecordRejectedException(missing, $"the header has no `{missing}` column; it needs {string.Join(",", RequiredColumns)}");
            }

            return HeaderMarker;
        }

        if (header.Problem is { } problem)
        {
            throw new RecordRejectedException(problem, header.Duplicate
                ? $"the header names the column `{problem}` more than once, so no row can be read"
                : $"the header has no `{problem}` column, so no row can be read");
        }

        var positions = header.Positions;
        if (fields.Count > header.Count)
        {
            // A field too many is a comma inside an unquoted value, or a row of another file: its columns cannot be trusted.
            throw new RecordRejectedException(null, $"malformed CSV: the row has {fields.Count.ToString(CultureInfo.InvariantCulture)} fields and the header {header.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        string? Get(string column)
        {
            var position = positions[Columns.IndexOf(column)];
            if (position < 0 || position >= fields.Count || string.IsNullOrWhiteSpace(fields[position]))
            {
                return null;
            }

            var value = fields[position];
            if (Encoding.UTF8.GetByteCount(value) > context.Limits.MaxStringBytes)
            {
                throw new RecordRejectedException(column, $"`{column}` is {Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)} bytes long, over the limit of {context.Limits.MaxStringBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new RecordRejectedException(column, $"`{column}` contains the character U+0000, which no text field may hold");
            }

            return value;
        }

        return Description.ParseText(i => Get(Description.Fields[i].Name), context);
    }

    /// <summary>The header's column positions (-1 where a column is absent), set by the first non-blank line.</summary>
    private sealed class Header
    {
        public int[]? Positions { get; set; }

        public string? Problem { get; set; }

        public bool Duplicate { get; set; }

        /// <summary>How many columns the header names.</summary>
        public int Count { get; set; }
    }

    /// <summary>Splits one CSV line into fields: commas separate, double quotes quote, <c>""</c> inside quotes is one quote.</summary>
    private static List<string> SplitFields(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        var fields = new List<string>(Columns.Length);
        var current = new StringBuilder();
        var quoted = false;
        var i = 0;
        var atFieldStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        current.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] != ',')
                    {
                        throw new RecordRejectedException(null, $"malformed CSV at column {(i + 1).ToString(CultureInfo.InvariantCulture)}: a closing quote must end its field");
                    }

                    continue;
                }

                current.Append(c);
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
                atFieldStart = true;
                i++;
                continue;
            }
            else if (c == '"' && atFieldStart)
            {
                quoted = true;
            }
            else if (c == '"')
            {
                // RFC 4180: a quote only opens a field, or is doubled inside a quoted one. A stray one is most often the
                // rest of a quoted field that went over a line break, which one record a line does not allow.
                throw new RecordRejectedException(null, $"malformed CSV at column {(i + 1).ToString(CultureInfo.InvariantCulture)}: a quote inside a field that does not start with one");
            }
            else
            {
                current.Append(c);
            }

            atFieldStart = false;
            i++;
        }

        if (quoted)
        {
            throw new RecordRejectedException(null, "malformed CSV: a quoted field is not closed before the end of the line");
        }

        fields.Add(current.ToString());
        return fields;
    }
}
