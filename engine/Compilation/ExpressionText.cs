using System.Text;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// An expression as written and as compiled: Dynamic LINQ keywords rewritten to C# operators, with a map from
/// every character of the compiled text back to the written text, so diagnostics point at what the analyst wrote.
/// </summary>
internal sealed class ExpressionText
{
    private readonly int[] _map;

    private ExpressionText(string original, string rewritten, int[] map)
    {
        Original = original;
        Rewritten = rewritten;
        _map = map;
    }

    /// <summary>The text as written (the JSON string's value).</summary>
    public string Original { get; }

    /// <summary>The text handed to the C# compiler.</summary>
    public string Rewritten { get; }

    /// <summary>Offset in <see cref="Original"/> of the character at <paramref name="rewrittenOffset"/> of <see cref="Rewritten"/>.</summary>
    public int ToOriginal(int rewrittenOffset) => _map[Math.Clamp(rewrittenOffset, 0, _map.Length - 1)];

    /// <summary>
    /// Rewrites Dynamic LINQ's <c>=</c> and <c>&lt;&gt;</c> comparisons (outside braces) to <c>==</c> and <c>!=</c>, its
    /// <c>iif(test, a, b)</c> to <c>((test) ? (a) : (b))</c> and its keywords <c>AND</c>, <c>OR</c>, <c>NOT</c> (and <c>AndAlso</c>, <c>OrElse</c>), in any
    /// case, outside string and character literals and not after a member-access dot, to <c>&amp;&amp;</c>,
    /// <c>||</c>, <c>!</c>. C#'s pattern combinators <c>and</c>, <c>or</c>, <c>not</c> are therefore not available.
    /// </summary>
    public static ExpressionText Rewrite(string text)
    {
        var sb = new StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        RewriteRange(text, 0, text.Length, sb, map);
        map.Add(text.Length);
        return new ExpressionText(text, sb.ToString(), [.. map]);
    }

    private static void RewriteRange(string text, int from, int to, StringBuilder sb, List<int> map)
    {
        var i = from;
        var lastSignificant = '\0';
        var braces = 0;

        void Copy(int start, int end)
        {
            for (var k = start; k < end; k++)
            {
                sb.Append(text[k]);
                map.Add(k);
            }
        }

        void Emit(string replacement, int origin)
        {
            foreach (var r in replacement)
            {
                sb.Append(r);
                map.Add(origin);
            }
        }

        while (i < to)
        {
            var c = text[i];
            if (c == '"' || c == '\'' || (c == '@' && i + 1 < to && text[i + 1] == '"') || (c == '$' && i + 1 < to && (text[i + 1] == '"' || text[i + 1] == '@')))
            {
                var end = Math.Min(SkipLiteral(text, i), to);
                Copy(i, end);
                i = end;
                lastSignificant = '"';
                continue;
            }

            if (char.IsLetter(c) || c == '_' || c == '@')
            {
                var start = i;
                i++;
                while (i < to && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i].ToLowerInvariant();
                if (lastSignificant != '.' && word == "iif" && TrySplitCall(text, i, to, out var args, out var close) && args.Count == 3)
                {
                    // Dynamic LINQ's iif(test, a, b) becomes the conditional operator, which evaluates only one branch.
                    Emit("((", start);
                    RewriteRange(text, args[0].Start, args[0].End, sb, map);
                    Emit(") ? (", args[1].Start);
                    RewriteRange(text, args[1].Start, args[1].End, sb, map);
                    Emit(") : (", args[2].Start);
                    RewriteRange(text, args[2].Start, args[2].End, sb, map);
                    Emit("))", close);
                    i = close + 1;
                    lastSignificant = ')';
                    continue;
                }

                var replacement = lastSignificant == '.' ? null : word switch
                {
                    "and" or "andalso" => "&&",
                    "or" or "orelse" => "||",
                    "not" => "!",
                    _ => null,
                };
                if (replacement is null)
                {
                    Copy(start, i);
                }
                else
                {
                    Emit(replacement, start);
                }

                lastSignificant = 'a';
                continue;
            }

            // Dynamic LINQ's comparisons `=` and `<>`: an expression never assigns (the sandbox refuses it), so a lone
            // `=` can only mean equality. Inside braces (`new { A = 1 }`) `=` names a member and is left alone.
            braces += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (braces == 0 && c == '=' && (i == from || "=!<>+-*/%&|^?".IndexOf(text[i - 1]) < 0) && (i + 1 >= to || (text[i + 1] != '=' && text[i + 1] != '>')))
            {
                Emit("==", i);
                i++;
                lastSignificant = '=';
                continue;
            }

            if (braces == 0 && c == '<' && i + 1 < to && text[i + 1] == '>')
            {
                Emit("!=", i);
                i += 2;
                lastSignificant = '=';
                continue;
            }

            if (!char.IsWhiteSpace(c))
            {
                lastSignificant = c;
            }

            Copy(i, i + 1);
            i++;
        }
    }

    /// <summary>Splits the argument list of a call whose name ends at <paramref name="afterName"/> at its top-level commas.</summary>
    private static bool TrySplitCall(string text, int afterName, int to, out List<(int Start, int End)> args, out int close)
    {
        args = [];
        close = -1;
        var i = afterName;
        while (i < to && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= to || text[i] != '(')
        {
            return false;
        }

        var depth = 0;
        var argStart = i + 1;
        for (; i < to; i++)
        {
            var c = text[i];
            if (c == '"' || c == '\'' || (c == '@' && i + 1 < to && text[i + 1] == '"') || (c == '$' && i + 1 < to && text[i + 1] == '"'))
            {
                i = SkipLiteral(text, i) - 1;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
                if (depth == 0)
                {
                    args.Add((argStart, i));
                    close = i;
                    return true;
                }
            }
            else if (c == ',' && depth == 1)
            {
                args.Add((argStart, i));
                argStart = i + 1;
            }
        }

        return false;
    }

    /// <summary>Index just after the string or character literal starting at <paramref name="start"/>.</summary>
    private static int SkipLiteral(string text, int start)
    {
        var i = start;
        var interpolated = false;
        var verbatim = false;
        while (i < text.Length && (text[i] == '$' || text[i] == '@'))
        {
            interpolated |= text[i] == '$';
            verbatim |= text[i] == '@';
            i++;
        }

        if (i >= text.Length)
        {
            return text.Length;
        }

        var quote = text[i];
        var quotes = 0;
        while (i + quotes < text.Length && text[i + quotes] == quote && quote == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            // Raw string literal: ends at the same number of quotes.
            var close = text.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
            return close < 0 ? text.Length : close + quotes;
        }

        i++;
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (interpolated && c == '{')
            {
                if (i + 1 < text.Length && text[i + 1] == '{' && depth == 0)
                {
                    i += 2;
                    continue;
                }

                depth++;
            }
            else if (interpolated && c == '}' && depth > 0)
            {
                depth--;
            }
            else if (!verbatim && c == '\\')
            {
                i += 2;
                continue;
            }
            else if (c == quote && depth == 0)
            {
                if (verbatim && i + 1 < text.Length && text[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return text.Length;
    }
}

/// <summary>Maps an offset inside an expression's string value to file:line:col, accounting for JSON escapes.</summary>
internal sealed class ExpressionLocator
{
    private readonly Dictionary<string, string[]?> _files = new(StringComparer.Ordinal);

    /// <summary>
    /// The file location of character <paramref name="offset"/> of <paramref name="expression"/>, whose first
    /// character is at <paramref name="start"/>. When the file can be read the JSON text is walked (so <c>\"</c>,
    /// <c>\\</c> and <c>\uXXXX</c> count as written); otherwise standard escaping is assumed.
    /// Unknown <paramref name="start"/> yields <paramref name="fallback"/>.
    /// </summary>
    public SourceLocation Locate(SourceLocation start, string expression, int offset, SourceLocation fallback)
    {
        if (!start.IsKnown)
        {
            return fallback;
        }

        offset = Math.Clamp(offset, 0, expression.Length);
        var line = ReadLine(start.File, start.Line);
        var column = start.Column - 1;
        if (line is not null && column >= 0 && column <= line.Length)
        {
            var p = column;
            var ok = true;
            for (var k = 0; k < offset; k++)
            {
                if (p >= line.Length)
                {
                    ok = false;
                    break;
                }

                if (line[p] == '\\')
                {
                    p += p + 1 < line.Length && line[p + 1] == 'u' ? 6 : 2;
                }
                else if (line[p] == expression[k])
                {
                    p++;
                }
                else
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                return start with { Column = p + 1 };
            }
        }

        var col = start.Column;
        for (var k = 0; k < offset; k++)
        {
            var c = expression[k];
            col += c switch
            {
                '"' or '\\' or '\n' or '\r' or '\t' or '\b' or '\f' => 2,
                < ' ' => 6,
                _ => 1,
            };
        }

        return start with { Column = col };
    }

    private string? ReadLine(string file, int line)
    {
        if (!_files.TryGetValue(file, out var lines))
        {
            try
            {
                lines = File.Exists(file) ? File.ReadAllText(file).Split('\n') : null;
            }
            catch (IOException)
            {
                lines = null;
            }
            catch (UnauthorizedAccessException)
            {
                lines = null;
            }

            _files[file] = lines;
        }

        return lines is not null && line >= 1 && line <= lines.Length ? lines[line - 1] : null;
    }
}
