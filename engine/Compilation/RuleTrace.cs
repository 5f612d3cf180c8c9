using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// What both executors put in a rule's trace: the member paths an expression reads and their values, error messages
/// with their <c>$(path)</c> placeholders filled in, and exception messages in plain words, cut to a readable length.
/// </summary>
internal static class RuleTrace
{
    /// <summary>Longest exception or error message text a rule result keeps.</summary>
    internal const int MaxMessageLength = 1000;

    private static readonly ConcurrentDictionary<(Type, string), MemberInfo?> Members = new();

    /// <summary>Member paths such as <c>ticket.Severity</c> rooted at an input or parameter that <paramref name="text"/> reads.</summary>
    public static string[] ReadPaths(string text, ImmutableArray<string> roots, ImmutableArray<string> scopeNames)
    {
        var names = new HashSet<string>(roots, StringComparer.Ordinal);
        names.UnionWith(scopeNames.IsDefault ? [] : scopeNames);
        var paths = new List<string>();
        var expression = SyntaxFactory.ParseExpression(text);
        foreach (var identifier in expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (!names.Contains(identifier.Identifier.ValueText) || identifier.Parent is MemberAccessExpressionSyntax { Name: var name } && name == identifier)
            {
                continue;
            }

            ExpressionSyntax current = identifier;
            while (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current && access.IsKind(SyntaxKind.SimpleMemberAccessExpression))
            {
                current = access;
            }

            if (current is MemberAccessExpressionSyntax call && current.Parent is InvocationExpressionSyntax invocation && invocation.Expression == current)
            {
                current = call.Expression;
            }

            var path = new StringBuilder();
            foreach (var c in current.ToString())
            {
                if (!char.IsWhiteSpace(c))
                {
                    path.Append(c);
                }
            }

            if (!paths.Contains(path.ToString()))
            {
                paths.Add(path.ToString());
            }
        }

        return [.. paths];
    }

    /// <summary>
    /// The same paths as <see cref="ReadPaths"/>, found by scanning the text instead of parsing it with Roslyn, so that
    /// the <c>rulesengine</c> executor's first trace does not load the C# compiler: a root name not after a dot, then
    /// <c>.Member</c> links, up to a method call (whose receiver is the path); text in string literals is skipped.
    /// </summary>
    public static string[] ScanPaths(string text, ImmutableArray<string> roots, ImmutableArray<string> scopeNames)
    {
        var names = new HashSet<string>(roots, StringComparer.Ordinal);
        names.UnionWith(scopeNames.IsDefault ? [] : scopeNames);
        var paths = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                i = ExpressionSandbox.ClosingQuote(text, i);

                i++;
                continue;
            }

            if (!(char.IsLetter(c) || c == '_'))
            {
                i++;
                continue;
            }

            var start = i;
            i = WordEnd(text, i);
            var afterDot = PreviousSignificant(text, start) == '.';
            if (afterDot || !names.Contains(text[start..i]))
            {
                continue;
            }

            var path = new StringBuilder(text, start, i - start, 32);
            while (true)
            {
                var dot = SkipSpaces(text, i);
                if (dot >= text.Length || text[dot] != '.')
                {
                    break;
                }

                var member = SkipSpaces(text, dot + 1);
                if (member >= text.Length || !(char.IsLetter(text[member]) || text[member] == '_'))
                {
                    break;
                }

                var end = WordEnd(text, member);
                var next = SkipSpaces(text, end);
                if (next < text.Length && text[next] == '(')
                {
                    // A method call: the path is its receiver.
                    break;
                }

                path.Append('.').Append(text, member, end - member);
                i = end;
            }

            if (!paths.Contains(path.ToString()))
            {
                paths.Add(path.ToString());
            }
        }

        return [.. paths];

        static int WordEnd(string text, int i)
        {
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            return i;
        }

        static int SkipSpaces(string text, int i)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            return i;
        }

        static char PreviousSignificant(string text, int i)
        {
            for (i--; i >= 0; i--)
            {
                if (!char.IsWhiteSpace(text[i]))
                {
                    return text[i];
                }
            }

            return '\0';
        }
    }

    /// <summary>The read paths of <paramref name="text"/>, each ready to read its value fast (see <see cref="ReadPath"/>).</summary>
    public static ReadPath[] ReadPlan(string text, ImmutableArray<string> roots, ImmutableArray<string> scopeNames) =>
        [.. ReadPaths(text, roots, scopeNames).Select(p => new ReadPath(p, scopeNames.IsDefault ? -1 : scopeNames.IndexOf(p.Split('.')[0])))];

    /// <summary>An exception in plain words: a budget says which; others keep their type for the analyst.</summary>
    public static string Describe(Exception ex) => ex is RuleBudgetExceededException or InsufficientExecutionStackException
        ? (ex is InsufficientExecutionStackException ? "the rule exceeded its stack budget" : ex.Message)
        : $"{ex.GetType().Name}: {ex.Message}";

    /// <summary>Cuts a message to <see cref="MaxMessageLength"/> characters, saying how long it was.</summary>
    public static string Limit(string message) =>
        message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), $"… ({message.Length:N0} characters)");

    /// <summary><paramref name="message"/> with each <c>$(path)</c> replaced by the value the path reads.</summary>
    public static string FillPlaceholders<TIn>(string message, in TIn inputs, RootResolver<TIn> roots)
    {
        if (!message.Contains("$(", StringComparison.Ordinal))
        {
            return message;
        }

        var sb = new StringBuilder();
        var i = 0;
        while (i < message.Length)
        {
            var start = message.IndexOf("$(", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf(')', start);
            if (start < 0 || end < 0)
            {
                sb.Append(message, i, message.Length - i);
                break;
            }

            sb.Append(message, i, start - i);
            var value = ResolvePath(message[(start + 2)..end].Trim(), in inputs, roots);
            sb.Append(value is string s ? s : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null");
            i = end + 1;
        }

        return sb.ToString();
    }

    /// <summary>The value <paramref name="path"/> reads from the inputs; null when its root is not an input.</summary>
    public static object? ResolvePath<TIn>(string path, in TIn inputs, RootResolver<TIn> roots)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var rootName = dot < 0 ? path : path[..dot];
        var (found, root) = roots(rootName, in inputs);
        return found ? Resolve(path, root) : null;
    }

    /// <summary>Walks the members after the first segment of <paramref name="path"/> from <paramref name="root"/> by reflection (trace only).</summary>
    public static object? Resolve(string path, object? root)
    {
        var segments = path.Split('.');
        var value = root;
        for (var i = 1; i < segments.Length && value is not null; i++)
        {
            // Only members an expression could read: no placeholder reaches a getter the sandbox refuses.
            var member = Members.GetOrAdd((value.GetType(), segments[i]), static key => !ExpressionSandbox.IsReadableMember(key.Item1, key.Item2) ? null
                : (MemberInfo?)key.Item1.GetProperty(key.Item2, BindingFlags.Public | BindingFlags.Instance)
                ?? key.Item1.GetField(key.Item2, BindingFlags.Public | BindingFlags.Instance));
            try
            {
                value = member switch
                {
                    PropertyInfo p => p.GetValue(value),
                    FieldInfo f => f.GetValue(value),
                    _ => null,
                };
            }
            catch (TargetInvocationException ex)
            {
                return $"<{ex.InnerException?.GetType().Name ?? "error"}>";
            }
        }

        return value;
    }
}

/// <summary>
/// One member path an expression reads (<c>ticket.Customer</c>), with a reader compiled for the runtime type of its
/// root the first time it is read: the trace reads values without reflection and without allocating, but for the
/// boxing of a value type. Only members <see cref="ExpressionSandbox.IsReadableMember"/> allows are read; any other
/// gives null, as <see cref="RuleTrace.Resolve"/> does.
/// </summary>
internal sealed class ReadPath
{
    private static readonly MethodInfo Reflective = typeof(RuleTrace).GetMethod(nameof(RuleTrace.Resolve))!;
    // One reference, swapped whole: a reader is never paired with another type's delegate by a concurrent reader.
    private Reader? _reader;

    public ReadPath(string name, int scopeIndex)
    {
        Name = name;
        var segments = name.Split('.');
        Root = segments[0];
        Members = segments[1..];
        ScopeIndex = scopeIndex;
    }

    /// <summary>The path as written, e.g. <c>ticket.Customer</c>.</summary>
    public string Name { get; }

    /// <summary>Its first segment: an input or a parameter.</summary>
    public string Root { get; }

    /// <summary>The members after the root.</summary>
    public string[] Members { get; }

    /// <summary>Index of <see cref="Root"/> among the rule's parameters in scope; -1 for an input.</summary>
    public int ScopeIndex { get; }

    /// <summary>The value the path reads from <paramref name="root"/> (the value of <see cref="Root"/>).</summary>
    public object? Read(object? root)
    {
        if (root is null || Members.Length == 0)
        {
            return root;
        }

        var type = root.GetType();
        var r = _reader;
        if (r is null || r.Type != type)
        {
            r = new Reader(type, Compile(type));
            _reader = r;
        }

        try
        {
            return r.Read(root);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"<{ex.GetType().Name}>";
        }
    }

    private sealed record Reader(Type Type, Func<object, object?> Read);

    /// <summary>
    /// (object root) => ((T)root).A?.B…, boxed; where a member's static type does not say where the path goes (object,
    /// an interface) the rest is read by reflection.
    /// </summary>
    private Func<object, object?> Compile(Type type)
    {
        var parameter = System.Linq.Expressions.Expression.Parameter(typeof(object), "root");
        System.Linq.Expressions.Expression current = System.Linq.Expressions.Expression.Convert(parameter, type);
        var exit = System.Linq.Expressions.Expression.Label(typeof(object), "exit");
        var steps = new List<System.Linq.Expressions.Expression>();
        var variables = new List<System.Linq.Expressions.ParameterExpression>();
        for (var i = 0; i < Members.Length; i++)
        {
            var owner = current.Type;
            var member = !ExpressionSandbox.IsReadableMember(owner, Members[i]) ? null
                : (MemberInfo?)owner.GetProperty(Members[i], BindingFlags.Public | BindingFlags.Instance) ?? owner.GetField(Members[i], BindingFlags.Public | BindingFlags.Instance);
            if (member is PropertyInfo { GetMethod: null } || member is PropertyInfo p && p.GetIndexParameters().Length > 0)
            {
                member = null;
            }

            if (member is null)
            {
                if (owner.IsSealed || owner.IsValueType)
                {
                    // The member is not there, or not one an expression may read.
                    steps.Add(System.Linq.Expressions.Expression.Return(exit, System.Linq.Expressions.Expression.Constant(null, typeof(object))));
                    current = System.Linq.Expressions.Expression.Constant(null, typeof(object));
                    break;
                }

                // The runtime type may have it: the rest of the path by reflection.
                var rest = Root + "." + string.Join('.', Members[i..]);
                current = System.Linq.Expressions.Expression.Call(Reflective, System.Linq.Expressions.Expression.Constant(rest), System.Linq.Expressions.Expression.Convert(current, typeof(object)));
                break;
            }

            var local = System.Linq.Expressions.Expression.Variable(current.Type, "v" + i);
            variables.Add(local);
            steps.Add(System.Linq.Expressions.Expression.Assign(local, current));
            if (!local.Type.IsValueType)
            {
                steps.Add(System.Linq.Expressions.Expression.IfThen(
                    System.Linq.Expressions.Expression.ReferenceEqual(local, System.Linq.Expressions.Expression.Constant(null, local.Type)),
                    System.Linq.Expressions.Expression.Return(exit, System.Linq.Expressions.Expression.Constant(null, typeof(object)))));
            }
            else if (Nullable.GetUnderlyingType(local.Type) is not null && i < Members.Length - 1)
            {
                steps.Add(System.Linq.Expressions.Expression.IfThen(
                    System.Linq.Expressions.Expression.Not(System.Linq.Expressions.Expression.Property(local, "HasValue")),
                    System.Linq.Expressions.Expression.Return(exit, System.Linq.Expressions.Expression.Constant(null, typeof(object)))));
            }

            current = System.Linq.Expressions.Expression.MakeMemberAccess(local, member);
        }

        steps.Add(System.Linq.Expressions.Expression.Label(exit, System.Linq.Expressions.Expression.Convert(current, typeof(object))));
        var body = System.Linq.Expressions.Expression.Block(typeof(object), variables, steps);
        return System.Linq.Expressions.Expression.Lambda<Func<object, object?>>(body, parameter).Compile();
    }
}
