using System.Collections.Frozen;
using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Expressions;
using System.Reflection;
using RulesEngine.ExpressionBuilders;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The sandbox of the <c>rulesengine</c> executor: every expression of a workflow is parsed as Microsoft RulesEngine
/// parses it (its own <see cref="RuleExpressionParser"/>, same settings) and the resulting expression tree is checked
/// before RulesEngine ever compiles it. A rule with an expression refused here is never given to RulesEngine.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Text</b>: the limits of the compiled executor (length, bracket nesting, checked before any parser runs), and
/// at most <see cref="MaxPrefixRun"/> prefix operators or conditional operators in a row, so that Dynamic LINQ's
/// recursive parser stays far from the end of the stack.</item>
/// <item><b>Members</b>: the allow-list of the compiled executor (<see cref="ExpressionSandbox.IsAllowedMember(Type, string, bool)"/>,
/// <see cref="ExpressionSandbox.IsValueType"/>), plus the inputs' own data (the types of the parameters and of their
/// properties), the anonymous types Dynamic LINQ builds (<c>new (x as Name)</c>) and the custom types the
/// configuration registers (<c>Rules:CustomTypes</c>), whose members are all reachable: registering a type is the
/// operator's decision.</item>
/// <item><b>Cost</b>: RulesEngine's compiled delegates cannot be metered, so cost is bounded by construction: at most
/// <see cref="ExpressionSandbox.MaxLambdaNesting"/> lambdas inside each other, no <c>SelectMany</c> (products of
/// sequences), no generators, nothing whose result multiplies in size (as for the compiled executor), and a tree at
/// most <see cref="MaxTreeDepth"/> deep. An expression's work is then at most quadratic in the size of its inputs.</item>
/// </list>
/// </remarks>
internal static class DynamicLinqSandbox
{
    /// <summary>Longest run of prefix operators (<c>! - + ~ not</c>) or of <c>?</c> operators.</summary>
    public const int MaxPrefixRun = 32;

    /// <summary>Deepest expression tree accepted (compiling and running it recurse on it).</summary>
    public const int MaxTreeDepth = 100;

    /// <summary>Query operators whose result is a product of sequences: refused, since nothing meters them here.</summary>
    private static readonly FrozenSet<string> Multiplying = new[] { "SelectMany", "Join", "GroupJoin", "Aggregate", "Range", "Repeat" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Parses <paramref name="text"/> as RulesEngine would, with <paramref name="parameters"/> in scope, and checks the
    /// tree. Returns the parsed expression (its <see cref="Expression.Type"/> types a parameter for the next ones) or why
    /// it is refused.
    /// </summary>
    public static (Expression? Expression, ExpressionSandbox.Violation? Violation) Check(
        string text, ParameterExpression[] parameters, Type? returnType, RuleExpressionParser parser, IReadOnlySet<Type> customTypes)
    {
        if ((ExpressionSandbox.CheckText(text) ?? CheckRuns(text)) is { } limit)
        {
            return (null, limit);
        }

        Expression parsed;
        try
        {
            parsed = parser.Parse(text, parameters, returnType);
        }
        catch (ParseException ex)
        {
            return (null, new ExpressionSandbox.Violation(Math.Clamp(ex.Position, 0, text.Length), DiagnosticCatalog.ExpressionSyntax, RuleCompiler.Sentence(ex.Message)));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException or InvalidCastException or AmbiguousMatchException)
        {
            return (null, new ExpressionSandbox.Violation(0, DiagnosticCatalog.ExpressionType, RuleCompiler.Sentence(ex.Message)));
        }

        var data = DataTypes(parameters.Select(p => p.Type), customTypes);
        var checker = new TreeChecker(data, customTypes);
        checker.Visit(parsed);
        return checker.Refusal is { } refusal ? (null, new ExpressionSandbox.Violation(0, refusal.Descriptor, refusal.Message)) : (parsed, null);
    }

    private static ExpressionSandbox.Violation? CheckRuns(string text)
    {
        var prefix = 0;
        var questions = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                i = ExpressionSandbox.ClosingQuote(text, i);

                prefix = 0;
                continue;
            }

            if (char.IsWhiteSpace(c) || c == '(')
            {
                continue;
            }

            var isNot = (c is 'n' or 'N') && i + 3 <= text.Length && string.Compare(text, i, "not", 0, 3, StringComparison.OrdinalIgnoreCase) == 0
                && (i + 3 == text.Length || !char.IsLetterOrDigit(text[i + 3])) && (i == 0 || !char.IsLetterOrDigit(text[i - 1]));
            prefix = c is '!' or '-' or '+' or '~' || isNot ? prefix + 1 : 0;
            questions += c == '?' ? 1 : 0;
            if (prefix > MaxPrefixRun || questions > MaxPrefixRun * 2)
            {
                return new ExpressionSandbox.Violation(i, DiagnosticCatalog.ExpressionLimit,
                    prefix > MaxPrefixRun ? $"more than {MaxPrefixRun} prefix operators in a row" : $"more than {MaxPrefixRun * 2} `?` operators");
            }

            i += isNot ? 2 : 0;
        }

        return null;
    }

    /// <summary>Per root type, the types reachable from it: walked once, as every expression of a rule set has the same inputs.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type[]> Reachable = new();

    /// <summary>The parameters' types and every type reachable through their public properties and fields.</summary>
    private static HashSet<Type> DataTypes(IEnumerable<Type> roots, IReadOnlySet<Type> customTypes)
    {
        var seen = new HashSet<Type>();
        foreach (var root in roots)
        {
            seen.UnionWith(Reachable.GetOrAdd(root, ReachableFrom));
        }

        // Types that act on the world are never data, whatever an input holds.
        seen.RemoveWhere(t => !customTypes.Contains(t) && IsDangerous(t));
        return seen;
    }

    private static Type[] ReachableFrom(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    pending.Push(argument);
                }
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
                continue;
            }

            if (type.IsPrimitive || type == typeof(string) || type == typeof(object) || ExpressionSandbox.IsValueType(type) && !IsInputShaped(type) || !seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                pending.Push(property.PropertyType);
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                pending.Push(field.FieldType);
            }
        }

        return [.. seen];
    }

    private static bool IsInputShaped(Type type) => type.Namespace?.StartsWith("SlaPolicy.Engine", StringComparison.Ordinal) == true;

    private static bool IsDangerous(Type type) =>
        typeof(Delegate).IsAssignableFrom(type) || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type)
        || typeof(Stream).IsAssignableFrom(type) || typeof(Module).IsAssignableFrom(type) || type == typeof(AppDomain) || type == typeof(IntPtr) || type == typeof(UIntPtr)
        || type.IsPointer || type.IsByRef || (type.Namespace ?? string.Empty) is var ns && (ns.StartsWith("System.Reflection", StringComparison.Ordinal)
            || ns.StartsWith("System.IO", StringComparison.Ordinal) || ns.StartsWith("System.Net", StringComparison.Ordinal)
            || ns.StartsWith("System.Diagnostics", StringComparison.Ordinal) || ns.StartsWith("System.Runtime", StringComparison.Ordinal)
            || ns.StartsWith("System.Threading", StringComparison.Ordinal));

    private sealed record Refused(DiagnosticDescriptor Descriptor, string Message);

    /// <summary>Walks the whole tree; the first refusal is kept.</summary>
    private sealed class TreeChecker(HashSet<Type> data, IReadOnlySet<Type> customTypes) : ExpressionVisitor
    {
        private int _depth;
        private int _lambdas;

        public Refused? Refusal { get; private set; }

        public override Expression? Visit(Expression? node)
        {
            if (node is null || Refusal is not null)
            {
                return node;
            }

            if (++_depth > MaxTreeDepth)
            {
                Refuse(DiagnosticCatalog.ExpressionLimit, $"the expression nests more than {MaxTreeDepth} operations inside each other");
                _depth--;
                return node;
            }

            if (!IsHoldable(node.Type))
            {
                Refuse(DiagnosticCatalog.ForbiddenApi, $"a value of type `{Name(node.Type)}` is not allowed in an expression");
            }
            else if (Construct(node) is { } construct)
            {
                Refuse(DiagnosticCatalog.ForbiddenConstruct, construct);
            }

            var result = Refusal is null ? base.Visit(node) : node;
            _depth--;
            return result;
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            if (++_lambdas > ExpressionSandbox.MaxLambdaNesting)
            {
                Refuse(DiagnosticCatalog.ExpressionLimit, $"lambdas are nested more than {ExpressionSandbox.MaxLambdaNesting} deep");
            }

            var result = base.VisitLambda(node);
            _lambdas--;
            return result;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            var owner = node.Member.DeclaringType!;
            if (!IsOpen(owner) && !ExpressionSandbox.IsAllowedMember(owner, node.Member.Name, isMethod: false))
            {
                Refuse(DiagnosticCatalog.ForbiddenApi, $"`{Name(owner)}.{node.Member.Name}` is not allowed in an expression");
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            CheckMethod(node.Method);
            var parameters = node.Method.GetParameters();
            for (var i = 0; i < parameters.Length && i < node.Arguments.Count; i++)
            {
                // As for the compiled executor: a format is a small literal, never an input.
                if (parameters[i].Name == "format" && parameters[i].ParameterType == typeof(string)
                    && !(node.Arguments[i] is ConstantExpression { Value: string format } && ExpressionSandbox.IsSmallFormat(format)))
                {
                    Refuse(DiagnosticCatalog.ForbiddenConstruct, "a format must be a string literal of at most 32 characters with no number of more than two digits");
                }
            }

            return base.VisitMethodCall(node);
        }

        protected override Expression VisitBinary(BinaryExpression node)
        {
            // `a + b` on text is string.Concat: linear in its operands, as `+` is for the compiled executor.
            if (node.Method is { } method && !(node.NodeType == ExpressionType.Add && method.DeclaringType == typeof(string) && method.Name == nameof(string.Concat)))
            {
                CheckMethod(method);
            }

            return base.VisitBinary(node);
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (node.Method is { } method)
            {
                CheckMethod(method);
            }

            return base.VisitUnary(node);
        }

        protected override Expression VisitNew(NewExpression node)
        {
            // Dynamic LINQ's `String(x)` on text parses as `new string((ReadOnlySpan<char>)x)`: a copy of x.
            if (IsTextCopy(node) is { } copied)
            {
                Visit(copied);
                return node;
            }

            var type = node.Type;
            if (node.Constructor is not null && !IsAnonymous(type) && !customTypes.Contains(type) && !ExpressionSandbox.IsAllowedMember(type, ".ctor", isMethod: true))
            {
                Refuse(DiagnosticCatalog.ForbiddenApi, $"`new {Name(type)}(…)` is not allowed in an expression");
            }

            return base.VisitNew(node);
        }

        protected override Expression VisitMemberInit(MemberInitExpression node)
        {
            if (!IsAnonymous(node.Type) && !customTypes.Contains(node.Type))
            {
                Refuse(DiagnosticCatalog.ForbiddenConstruct, $"setting members of `{Name(node.Type)}` is not allowed in an expression");
            }

            return base.VisitMemberInit(node);
        }

        protected override Expression VisitIndex(IndexExpression node)
        {
            if (node.Indexer is { } indexer && !IsOpen(indexer.DeclaringType!) && !ExpressionSandbox.IsAllowedMember(indexer.DeclaringType!, "Item", isMethod: false))
            {
                Refuse(DiagnosticCatalog.ForbiddenApi, $"the indexer of `{Name(indexer.DeclaringType!)}` is not allowed in an expression");
            }

            return base.VisitIndex(node);
        }

        /// <summary>The text <c>new string(…)</c> copies, when it copies one string (or char array) and nothing else.</summary>
        private static Expression? IsTextCopy(NewExpression node)
        {
            if (node.Type != typeof(string) || node.Arguments.Count != 1)
            {
                return null;
            }

            var argument = node.Arguments[0];
            if (argument.Type == typeof(char[]))
            {
                return argument;
            }

            return argument is UnaryExpression { NodeType: ExpressionType.Convert, Operand: { } operand } && argument.Type == typeof(ReadOnlySpan<char>) && operand.Type == typeof(string)
                ? operand
                : null;
        }

        /// <summary>
        /// <c>string.Concat</c> of two to four strings or values: what Dynamic LINQ makes of <c>a + " " + b</c>, linear in
        /// its operands as <c>+</c> is.
        /// </summary>
        private static bool IsConcatOfValues(MethodInfo method) =>
            method.DeclaringType == typeof(string) && method.Name == nameof(string.Concat) && method.GetParameters() is { Length: >= 2 and <= 4 } ps
            && ps.All(p => p.ParameterType == typeof(string) || p.ParameterType == typeof(object));

        private void CheckMethod(MethodInfo method)
        {
            var owner = method.DeclaringType!;
            if (customTypes.Contains(owner) || IsAnonymous(owner) || IsConcatOfValues(method))
            {
                return;
            }

            if (Multiplying.Contains(method.Name) && owner.Namespace == "System.Linq")
            {
                Refuse(DiagnosticCatalog.ForbiddenApi, $"`{method.Name}` is not allowed under the rulesengine executor (its result is a product of sequences, which nothing meters there); nest `Any`/`All` instead");
            }
            else if (!ExpressionSandbox.IsAllowedMember(owner, method.Name, isMethod: true))
            {
                Refuse(DiagnosticCatalog.ForbiddenApi, $"`{Name(owner)}.{method.Name}` is not allowed in an expression");
            }
        }

        private static string? Construct(Expression node) => node.NodeType switch
        {
            ExpressionType.Assign or ExpressionType.AddAssign or ExpressionType.SubtractAssign or ExpressionType.MultiplyAssign
                or ExpressionType.DivideAssign or ExpressionType.PreIncrementAssign or ExpressionType.PostIncrementAssign
                or ExpressionType.PreDecrementAssign or ExpressionType.PostDecrementAssign => "assignment is not allowed in an expression",
            ExpressionType.Invoke => "invoking a delegate is not allowed in an expression",
            ExpressionType.Block or ExpressionType.Loop or ExpressionType.Goto or ExpressionType.Label or ExpressionType.Try
                or ExpressionType.Throw or ExpressionType.Switch or ExpressionType.RuntimeVariables or ExpressionType.DebugInfo
                or ExpressionType.Dynamic or ExpressionType.Extension => $"`{node.NodeType}` is not allowed in an expression",
            ExpressionType.NewArrayBounds => "an array of a computed size is not allowed in an expression; list its elements",
            ExpressionType.ListInit => "collection initializers are not allowed in an expression; list the elements of an array",
            _ => null,
        };

        /// <summary>Every member of these may be read: the inputs' data, Dynamic LINQ's anonymous types, registered types.</summary>
        private bool IsOpen(Type type) => data.Contains(type) || IsAnonymous(type) || customTypes.Contains(type);

        private bool IsHoldable(Type type)
        {
            if (type.IsArray)
            {
                return IsHoldable(type.GetElementType()!);
            }

            if (IsOpen(type))
            {
                return true;
            }

            if (type.IsGenericType)
            {
                // A lambda, as the argument of an allowed query operator (its delegate type), or a holdable generic value.
                var definition = type.GetGenericTypeDefinition();
                var lambda = definition.FullName?.StartsWith("System.Func`", StringComparison.Ordinal) == true
                    || definition == typeof(Expression<>);
                return (lambda || ExpressionSandbox.IsValueTypeDefinition(definition)) && type.GetGenericArguments().All(IsHoldable);
            }

            return ExpressionSandbox.IsValueType(type);
        }

        private static bool IsAnonymous(Type type) => typeof(DynamicClass).IsAssignableFrom(type);

        private void Refuse(DiagnosticDescriptor descriptor, string message) => Refusal ??= new Refused(descriptor, message);

        private static string Name(Type type) => type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
            : type.FullName ?? type.Name;
    }
}
