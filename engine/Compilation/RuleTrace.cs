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
