using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>
/// The text of one JSON file and a way to turn Newtonsoft's line information into the position where a
/// token starts. Newtonsoft records the position of the last character it consumed for a token (the closing
/// quote of a string, the colon after a property name), so the start is found by scanning back in the text.
/// </summary>
internal sealed class JsonSource
{
    private readonly int[] _lineStarts;

    public JsonSource(string file, string text)
    {
        File = file;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            // Newtonsoft counts \r\n, \r and \n as one line break each.
            if (text[i] == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                starts.Add(i + 1);
            }
            else if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string File { get; }

    public string Text { get; }

    public SourceLocation FileOnly => new(File, 0, 0);

    /// <summary>Parses the text, comments allowed, duplicate property names rejected.</summary>
    public JToken Parse()
    {
        using var reader = new JsonTextReader(new StringReader(Text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        var token = JToken.Load(reader, new JsonLoadSettings
        {
            CommentHandling = CommentHandling.Ignore,
            LineInfoHandling = LineInfoHandling.Load,
            DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
        });

        // JToken.Load stops after the first value; anything after it other than comments is an error.
        while (reader.Read())
        {
            if (reader.TokenType != JsonToken.Comment)
            {
                throw new JsonReaderException("unexpected content after the end of the JSON value", reader.Path, reader.LineNumber, reader.LinePosition, null);
            }
        }

        return token;
    }

    /// <summary>
    /// Parses the text as <see cref="Parse"/> does; malformed JSON is reported to <paramref name="bag"/> as SLA1001 at
    /// the offending character, and null returned.
    /// </summary>
    public JToken? TryParse(DiagnosticBag bag)
    {
        try
        {
            return Parse();
        }
        catch (JsonReaderException e)
        {
            bag.Add(DiagnosticCatalog.MalformedJson, ErrorLocation(e.LineNumber, e.LinePosition), PolicyReader.Describe(e));
            return null;
        }
    }

    /// <summary>Location of a reader error: Newtonsoft reports the character before the offending one.</summary>
    public SourceLocation ErrorLocation(int line, int position)
    {
        if (line <= 0)
        {
            return new SourceLocation(File, 1, 1);
        }

        var lineIndex = Math.Min(line, _lineStarts.Length) - 1;
        var lineLength = LineEnd(lineIndex) - _lineStarts[lineIndex];
        return new SourceLocation(File, lineIndex + 1, Math.Clamp(position + 1, 1, lineLength + 1));
    }

    /// <summary>Where the token starts: a property's name, a string's opening quote, a number's first digit.</summary>
    public SourceLocation Start(JToken token)
    {
        var info = (IJsonLineInfo)token;
        if (!info.HasLineInfo())
        {
            return FileOnly;
        }

        var end = Math.Clamp(_lineStarts[Math.Min(info.LineNumber, _lineStarts.Length) - 1] + info.LinePosition - 1, 0, Math.Max(Text.Length - 1, 0));
        var start = token switch
        {
            JProperty => PropertyStart(end),
            JValue { Type: JTokenType.String } => QuotedStart(end),
            JContainer => end,
            _ => BareStart(end),
        };
        return At(start);
    }

    /// <summary>Where the text of a string value starts: one column after its opening quote.</summary>
    public SourceLocation StringContentStart(JToken token)
    {
        var start = Start(token);
        return start.IsKnown ? start with { Column = start.Column + 1 } : start;
    }

    private SourceLocation At(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return new SourceLocation(File, line + 1, offset - _lineStarts[line] + 1);
    }

    private int LineEnd(int lineIndex)
    {
        var end = lineIndex + 1 < _lineStarts.Length ? _lineStarts[lineIndex + 1] : Text.Length;
        while (end > _lineStarts[lineIndex] && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
        {
            end--;
        }

        return end;
    }

    private int PropertyStart(int end)
    {
        var i = end;
        if (Text[i] == ':')
        {
            i--;
        }

        while (i > 0 && char.IsWhiteSpace(Text[i]))
        {
            i--;
        }

        return Text[i] is '"' or '\'' ? QuotedStart(i) : BareStart(i);
    }

    private int QuotedStart(int closingQuote)
    {
        var quote = Text[closingQuote];
        if (quote is not ('"' or '\''))
        {
            return BareStart(closingQuote);
        }

        for (var i = closingQuote - 1; i >= 0; i--)
        {
            if (Text[i] != quote)
            {
                continue;
            }

            // A quote inside the string is always escaped: an odd number of backslashes precedes it.
            var backslashes = 0;
            for (var j = i - 1; j >= 0 && Text[j] == '\\'; j--)
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                return i;
            }
        }

        return closingQuote;
    }

    private int BareStart(int end)
    {
        var i = end;
        while (i > 0 && !IsDelimiter(Text[i - 1]))
        {
            i--;
        }

        return i;
    }

    private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is ',' or ':' or '[' or '{' or '/' or '*';
}
