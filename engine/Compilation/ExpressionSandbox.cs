using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlaPolicy.Engine.Diagnostics;
using DiagnosticDescriptor = SlaPolicy.Engine.Diagnostics.DiagnosticDescriptor;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// Decides what a rule expression may be and touch. It is the whole sandbox, in three layers, each enough alone for
/// the worst cases:
/// <list type="number">
/// <item><b>Shape</b> (<see cref="Parse"/>): the text is parsed alone as one C# expression, within length and
/// nesting limits checked before the parser runs; any comment, directive or token after it is an error. The parsed
/// node, never the text, goes into the generated code, so an expression cannot close a method or declare anything.</item>
/// <item><b>Members</b> (<see cref="Check"/>): every node of the bound expression is checked: each type it holds must
/// be a value type of <see cref="ValueTypes"/>, and each member, operator and conversion it binds to must be on
/// <see cref="AllowedMembers"/>. What is not listed is refused, so a new API is refused until someone lists it.</item>
/// <item><b>References</b> (<see cref="ReferenceAssemblies"/>): the compilation sees only the assemblies the listed
/// members live in, so process, network, file-system helpers outside the core library and reflection emit do not even bind.</item>
/// </list>
/// At run time <see cref="RuleBudget"/> counts every lambda call; see its remarks.
/// </summary>
internal static class ExpressionSandbox
{
    /// <summary>Namespace of generated code; only its <c>Inputs</c> types may be referenced by expressions.</summary>
    public const string GeneratedNamespace = "SlaPolicyRules";

    public const string GeneratedInputsNamespace = GeneratedNamespace + ".Inputs";

    /// <summary>Longest expression text, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>Deepest nesting of <c>( [ {</c> brackets, checked on the text before it is parsed.</summary>
    public const int MaxNesting = 32;

    /// <summary>Deepest syntax tree of an expression.</summary>
    public const int MaxSyntaxDepth = 200;

    /// <summary>Deepest nesting of lambdas inside lambdas (overload resolution of nested lambdas grows exponentially).</summary>
    public const int MaxLambdaNesting = 2;

    /// <summary>Annotation of nodes the compiler inserted (budget steps): not checked, not reported.</summary>
    public const string InjectedKind = "slapolicy-injected";

    /// <summary>The language version of expressions. C# 14's first-class spans would bind <c>array.Contains(x)</c> to span overloads.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp13);

    /// <summary>
    /// The only assemblies a compilation references. The core library holds the primitives, string, Math, dates and
    /// times; System.Linq the query methods; System.Collections.Immutable the inputs' arrays; System.Runtime and
    /// System.Collections are the facades the engine's own types are bound through; the engine holds the inputs.
    /// </summary>
    public static readonly string[] ReferenceAssemblies =
        ["System.Private.CoreLib", "System.Runtime", "System.Linq", "System.Collections", "System.Collections.Immutable"];

    /// <summary>
    /// Types a value of an expression may have (any node, local, lambda parameter or type argument). Every one is an
    /// immutable value or a read-only view of the inputs: holding one cannot act on the world.
    /// </summary>
    private static readonly FrozenSet<string> ValueTypes = new[]
    {
        "System.Object", "System.Void", "System.Boolean", "System.Byte", "System.SByte", "System.Char", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
        "System.String", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly", "System.TimeOnly",
        "System.DayOfWeek", "System.StringComparison", "System.StringSplitOptions", "System.MidpointRounding", "System.Nullable`1",
        "System.Enum", "System.ValueType", "System.Array", "System.IComparable`1", "System.IEquatable`1", "System.IFormatProvider",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Globalization.CultureInfo", "System.StringComparer",
        "System.Collections.IEnumerable", "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IReadOnlyList`1",
        "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IList`1", "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.IEqualityComparer`1",
        "System.Collections.Generic.IComparer`1",
        "System.Linq.IGrouping`2", "System.Linq.IOrderedEnumerable`1",
        "System.Collections.Immutable.ImmutableArray`1",
        "SlaPolicy.Engine.Inputs.CaseRecord", "SlaPolicy.Engine.Inputs.StatusEvent", "SlaPolicy.Engine.Inputs.OutageRecord",
        "SlaPolicy.Engine.Inputs.SubscriptionRecord", "SlaPolicy.Engine.Inputs.MeasurementRecord",
        "SlaPolicy.Engine.Clocks.ClockResult", "SlaPolicy.Engine.Clocks.ClockStatus",
        "SlaPolicy.Engine.Policies.Policy", "SlaPolicy.Engine.Policies.PolicyScope", "SlaPolicy.Engine.Policies.TargetTerm",
        "SlaPolicy.Engine.Policies.TargetMetric", "SlaPolicy.Engine.Policies.ClockKind", "SlaPolicy.Engine.Policies.EscalationStep",
        "SlaPolicy.Engine.Policies.AttainmentTerm", "SlaPolicy.Engine.Policies.CreditTier", "SlaPolicy.Engine.Policies.AvailabilityTerm",
        "SlaPolicy.Engine.Compilation.AvailabilityPeriod", "SlaPolicy.Engine.Compilation.RuleInputs",
        "SlaPolicy.Engine.Diagnostics.SourceLocation",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Delegate types a lambda may be converted to, as the argument of an allowed method; never held as a value.</summary>
    private static readonly FrozenSet<string> LambdaTypes = new[]
    {
        "System.Func`1", "System.Func`2", "System.Func`3", "System.Func`4", "System.Func`5",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Types whose every public instance property and field may be read: the inputs, plain data.</summary>
    private static readonly FrozenSet<string> DataTypes = new[]
    {
        "SlaPolicy.Engine.Inputs.CaseRecord", "SlaPolicy.Engine.Inputs.StatusEvent", "SlaPolicy.Engine.Inputs.OutageRecord",
        "SlaPolicy.Engine.Inputs.SubscriptionRecord", "SlaPolicy.Engine.Inputs.MeasurementRecord", "SlaPolicy.Engine.Clocks.ClockResult",
        "SlaPolicy.Engine.Policies.Policy", "SlaPolicy.Engine.Policies.PolicyScope", "SlaPolicy.Engine.Policies.TargetTerm",
        "SlaPolicy.Engine.Policies.EscalationStep", "SlaPolicy.Engine.Policies.AttainmentTerm", "SlaPolicy.Engine.Policies.CreditTier",
        "SlaPolicy.Engine.Policies.AvailabilityTerm", "SlaPolicy.Engine.Compilation.AvailabilityPeriod",
        "SlaPolicy.Engine.Compilation.RuleInputs", "SlaPolicy.Engine.Diagnostics.SourceLocation",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8", "System.Collections.Generic.KeyValuePair`2",
    }.ToFrozenSet(StringComparer.Ordinal);

    private const string Comparisons = "Equals CompareTo op_Equality op_Inequality op_LessThan op_LessThanOrEqual op_GreaterThan op_GreaterThanOrEqual";
    private const string Arithmetic = "op_Addition op_Subtraction op_Multiply op_Division op_Modulus op_UnaryNegation op_UnaryPlus";
    private const string Numbers = "Parse TryParse ToString MaxValue MinValue " + Comparisons + " " + Arithmetic;

    /// <summary>
    /// Members an expression may call or read, by type; nothing else binds. Each is pure (it reads its arguments
    /// and returns a value), deterministic (no clock, randomness, hash seeds, machine zone; culture is invariant in
    /// every SlaPolicy process), and its result is at most linear in the size of its arguments. Left out on purpose:
    /// <c>new string(c, n)</c>, <c>PadLeft</c>/<c>PadRight</c>, <c>Replace</c>, <c>string.Join</c> and
    /// <c>Aggregate</c> (results that multiply in size), <c>Enumerable.Range</c>/<c>Repeat</c> (generators),
    /// <c>GetHashCode</c> (seeded per process), <c>Now</c>/<c>UtcNow</c>/<c>Today</c>, <c>ToLocalTime</c>/<c>ToUniversalTime</c>
    /// /<c>LocalDateTime</c> and date parsing (the machine's zone), and every type not in <see cref="ValueTypes"/>.
    /// </summary>
    private static readonly FrozenDictionary<string, FrozenSet<string>> AllowedMembers = new Dictionary<string, string>
    {
        // Any value: equality and its text (ToString of an allowed type is pure; culture is invariant).
        ["System.Object"] = "Equals ToString",
        ["System.ValueType"] = "Equals ToString",
        ["System.Enum"] = "Equals ToString HasFlag CompareTo",
        ["System.String"] = "Length Chars Empty Contains StartsWith EndsWith IndexOf LastIndexOf IndexOfAny Substring ToUpper ToLower ToUpperInvariant ToLowerInvariant "
            + "Trim TrimStart TrimEnd Split ToCharArray IsNullOrEmpty IsNullOrWhiteSpace Compare CompareOrdinal op_Addition " + Comparisons,
        ["System.Char"] = "IsDigit IsLetter IsLetterOrDigit IsUpper IsLower IsWhiteSpace IsPunctuation ToUpperInvariant ToLowerInvariant ToUpper ToLower " + Numbers,
        ["System.Boolean"] = "Parse TryParse ToString TrueString FalseString " + Comparisons,
        ["System.Byte"] = Numbers,
        ["System.SByte"] = Numbers,
        ["System.Int16"] = Numbers,
        ["System.UInt16"] = Numbers,
        ["System.Int32"] = Numbers,
        ["System.UInt32"] = Numbers,
        ["System.Int64"] = Numbers,
        ["System.UInt64"] = Numbers,
        ["System.Single"] = Numbers + " IsNaN IsInfinity IsFinite Epsilon NaN PositiveInfinity NegativeInfinity",
        ["System.Double"] = Numbers + " IsNaN IsInfinity IsFinite Epsilon NaN PositiveInfinity NegativeInfinity",
        ["System.Decimal"] = Numbers + " Zero One MinusOne Round Floor Ceiling Truncate op_Implicit op_Explicit op_Increment op_Decrement",
        ["System.Math"] = "Abs Min Max Round Floor Ceiling Truncate Sign Sqrt Pow Clamp Log Log10 Exp PI E",
        ["System.Convert"] = "ToInt16 ToInt32 ToInt64 ToDouble ToSingle ToDecimal ToBoolean ToString ToByte ToChar",
        ["System.Nullable`1"] = "HasValue Value GetValueOrDefault Equals ToString",

        // Dates and times: arithmetic, parts and comparisons; never the clock, the machine's zone or parsing.
        ["System.DateTime"] = ".ctor Year Month Day Hour Minute Second Millisecond DayOfWeek DayOfYear Date TimeOfDay Ticks "
            + "Add AddDays AddHours AddMinutes AddSeconds AddMilliseconds AddMonths AddYears AddTicks Subtract DaysInMonth IsLeapYear "
            + "MinValue MaxValue ToString " + Comparisons + " " + Arithmetic,
        ["System.DateTimeOffset"] = "Year Month Day Hour Minute Second Millisecond DayOfWeek DayOfYear Date TimeOfDay Ticks UtcTicks Offset "
            + "UtcDateTime DateTime ToOffset ToUniversalTime Add AddDays AddHours AddMinutes AddSeconds AddMilliseconds AddMonths AddYears AddTicks Subtract "
            + "ToUnixTimeSeconds ToUnixTimeMilliseconds FromUnixTimeSeconds FromUnixTimeMilliseconds MinValue MaxValue UnixEpoch ToString "
            + Comparisons + " " + Arithmetic,
        ["System.TimeSpan"] = ".ctor FromDays FromHours FromMinutes FromSeconds FromMilliseconds TotalDays TotalHours TotalMinutes TotalSeconds "
            + "TotalMilliseconds Days Hours Minutes Seconds Milliseconds Ticks Zero MaxValue MinValue Add Subtract Duration Negate ToString "
            + Comparisons + " " + Arithmetic,
        ["System.DateOnly"] = ".ctor Year Month Day DayOfWeek DayOfYear DayNumber AddDays AddMonths AddYears MinValue MaxValue FromDateTime ToString " + Comparisons,
        ["System.TimeOnly"] = ".ctor Hour Minute Second Millisecond Ticks IsBetween AddHours AddMinutes MinValue MaxValue ToTimeSpan FromTimeSpan ToString " + Comparisons,

        // Fixed comparers and the invariant culture, for the overloads that take one.
        ["System.StringComparer"] = "Ordinal OrdinalIgnoreCase InvariantCulture InvariantCultureIgnoreCase",
        ["System.Globalization.CultureInfo"] = "InvariantCulture",

        // Queries over the inputs' own collections, through the metered copies of System.Linq's operators: each element
        // walked costs a budget step. No generators, no Aggregate, nothing that builds a hash set or dictionary.
        ["SlaPolicy.Engine.Compilation.Metered.MeteredEnumerable"] = Metered.MeteredEnumerable.Operators,
        ["System.Linq.IGrouping`2"] = "Key",
        ["System.Collections.Immutable.ImmutableArray`1"] = "Length IsEmpty IsDefault IsDefaultOrEmpty Item Contains IndexOf " + Comparisons,
        ["System.Collections.Generic.List`1"] = "Count Item Contains IndexOf",
        ["System.Collections.Generic.IReadOnlyList`1"] = "Item",
        ["System.Collections.Generic.IReadOnlyCollection`1"] = "Count",
        ["System.Collections.Generic.IList`1"] = "Item IndexOf",
        ["System.Collections.Generic.ICollection`1"] = "Count Contains",
        ["System.Array"] = "Length",

        // Two pure helpers of the policy model.
        ["SlaPolicy.Engine.Policies.TargetTerm"] = "AppliesToSeverity",
        ["SlaPolicy.Engine.Policies.Policy"] = "IsEffectiveOn",
    }.ToFrozenDictionary(
        kv => kv.Key,
        kv => kv.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal),
        StringComparer.Ordinal);

    /// <summary>A reason to reject an expression, at an offset of the parsed text.</summary>
    public readonly record struct Violation(int Position, DiagnosticDescriptor Descriptor, string Message);

    /// <summary>
    /// Parses <paramref name="text"/> alone as exactly one expression. Length and bracket nesting are checked on the
    /// text first, so no input can exhaust the parser's stack; then any trivia but whitespace anywhere (comments,
    /// directives, skipped tokens), any parse error and any forbidden construct is a violation.
    /// </summary>
    public static (ExpressionSyntax? Expression, Violation? Violation) Parse(string text)
    {
        if (CheckText(text) is { } limit)
        {
            return (null, limit);
        }

        var expression = SyntaxFactory.ParseExpression(text, 0, ParseOptions, consumeFullText: true);

        // What the parser leaves after the expression (a comment or directive it reads as trivia of the end of the
        // text) is in no node: it is refused, never dropped in silence.
        if (expression.FullSpan.End < text.Length)
        {
            var rest = text[expression.FullSpan.End..].TrimStart();
            var start = text.Length - rest.Length;
            return (null, rest.StartsWith("//", StringComparison.Ordinal) || rest.StartsWith("/*", StringComparison.Ordinal)
                ? new Violation(start, DiagnosticCatalog.NotSingleExpression, "comments are not allowed inside an expression")
                : rest.StartsWith('#')
                    ? new Violation(start, DiagnosticCatalog.NotSingleExpression, "directives are not allowed inside an expression")
                    : new Violation(start, DiagnosticCatalog.NotSingleExpression, $"unexpected `{Shorten(rest)}` after the end of the expression"));
        }

        foreach (var trivia in expression.DescendantTrivia(descendIntoTrivia: true))
        {
            switch (trivia.Kind())
            {
                case SyntaxKind.WhitespaceTrivia:
                case SyntaxKind.EndOfLineTrivia:
                    continue;
                case SyntaxKind.SkippedTokensTrivia:
                    return (null, new Violation(trivia.SpanStart, DiagnosticCatalog.NotSingleExpression, $"unexpected `{Shorten(trivia.ToString())}` after the end of the expression"));
                case SyntaxKind.SingleLineCommentTrivia:
                case SyntaxKind.MultiLineCommentTrivia:
                case SyntaxKind.SingleLineDocumentationCommentTrivia:
                case SyntaxKind.MultiLineDocumentationCommentTrivia:
                    return (null, new Violation(trivia.SpanStart, DiagnosticCatalog.NotSingleExpression, "comments are not allowed inside an expression"));
                default:
                    return (null, new Violation(trivia.SpanStart, DiagnosticCatalog.NotSingleExpression, "directives are not allowed inside an expression"));
            }
        }

        var error = expression.GetDiagnostics().FirstOrDefault(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        if (error is not null)
        {
            return (null, new Violation(error.Location.SourceSpan.Start, DiagnosticCatalog.ExpressionSyntax, RuleCompiler.Sentence(error.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
        }

        if (TooTall(expression) is { } tall)
        {
            return (null, new Violation(tall, DiagnosticCatalog.ExpressionLimit, $"the expression nests more than {MaxSyntaxDepth} operations inside each other"));
        }

        // Forbidden constructs are decided on syntax alone, so they are reported even where the code would not compile.
        foreach (var node in expression.DescendantNodesAndSelf())
        {
            if (CheckSyntax(node) is { } violation)
            {
                return (null, violation);
            }
        }

        return (expression, null);
    }

    /// <summary>
    /// The checks made on an expression's text before any parser reads it: its length and the nesting of its brackets,
    /// so that no text can exhaust a parser's stack (this one's, or Dynamic LINQ's under the <c>rulesengine</c> executor).
    /// </summary>
    internal static Violation? CheckText(string text) =>
        text.Length > MaxLength
            ? new Violation(0, DiagnosticCatalog.ExpressionLimit, $"expression is {text.Length:N0} characters long; the limit is {MaxLength:N0}")
            : TooDeep(text) is { } deep
                ? new Violation(deep, DiagnosticCatalog.ExpressionLimit, $"brackets are nested more than {MaxNesting} deep")
                : null;

    /// <summary>
    /// True when a value of <paramref name="type"/> may be held by an expression: a type of <see cref="ValueTypes"/>
    /// (generic arguments and array elements too). The same list for both executors.
    /// </summary>
    internal static bool IsValueType(Type type)
    {
        if (type.IsArray)
        {
            return IsValueType(type.GetElementType()!);
        }

        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return ValueTypes.Contains(definition.FullName ?? string.Empty) && (!type.IsGenericType || type.GetGenericArguments().All(IsValueType));
    }

    // The system types an expression may name (the engine's own records are reached through the inputs, never by name).
    private static readonly FrozenSet<string> TypeNames = ValueTypes.Concat(AllowedMembers.Keys)
        .Where(n => n.StartsWith("System.", StringComparison.Ordinal))
        .Select(n => n[(n.LastIndexOf('.') + 1)..].Split('`')[0])
        .Concat(["Enumerable"])
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The custom types registered for the compilation being checked (<c>RulesEngineSettings.CustomTypes</c>), by
    /// <see cref="CustomTypeKey"/>: every member of theirs is reachable, as under RulesEngine. Set around one compilation.
    /// </summary>
    internal static readonly AsyncLocal<FrozenSet<string>?> CustomTypeNames = new();

    /// <summary>The key of a type in <see cref="CustomTypeNames"/>: namespace and name, as Roslyn's metadata names give them.</summary>
    internal static string CustomTypeKey(Type type) => (type.Namespace is { Length: > 0 } ns ? ns + "." : string.Empty) + type.Name;

    private static bool IsCustom(INamedTypeSymbol type) => CustomTypeNames.Value is { } custom && custom.Contains(MetadataName(type.OriginalDefinition));

    /// <summary>True when <paramref name="name"/> is the simple name of a system type an expression may use (<c>Math</c>, <c>TimeSpan</c>).</summary>
    internal static bool IsTypeName(string name) => TypeNames.Contains(name);

    /// <summary>True when every public property and field of <paramref name="type"/> may be read: one of the inputs' record types.</summary>
    internal static bool IsDataType(Type type) => DataTypes.Contains((type.IsGenericType ? type.GetGenericTypeDefinition() : type).FullName ?? string.Empty);

    /// <summary>True when <paramref name="definition"/> (a generic type definition) is on <see cref="ValueTypes"/>.</summary>
    internal static bool IsValueTypeDefinition(Type definition) => ValueTypes.Contains(definition.FullName ?? string.Empty);

    /// <summary>
    /// True when an expression may call or read <paramref name="member"/> of <paramref name="type"/>: a member of
    /// <see cref="AllowedMembers"/>, or (not a method) any property or field of a data type. System.Linq's query
    /// operators are allowed as their metered copies are.
    /// </summary>
    internal static bool IsAllowedMember(Type type, string member, bool isMethod)
    {
        // An array's members are System.Array's, as the compiler binds them (`Codes.Length`).
        var definition = type.IsArray ? typeof(Array) : type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var name = definition.FullName ?? string.Empty;
        if (name is "System.Linq.Enumerable" or "System.Linq.Queryable")
        {
            name = "SlaPolicy.Engine.Compilation.Metered.MeteredEnumerable";
        }

        return (!isMethod && DataTypes.Contains(name)) || (AllowedMembers.TryGetValue(name, out var members) && members.Contains(member));
    }

    /// <summary>
    /// Where the syntax tree is deeper than <see cref="MaxSyntaxDepth"/> (a long chain of unary operators or casts),
    /// so that binding, emitting and running the expression stay far from the stack's end.
    /// </summary>
    private static int? TooTall(SyntaxNode root)
    {
        var stack = new Stack<(SyntaxNode Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxSyntaxDepth)
            {
                return node.SpanStart;
            }

            foreach (var child in node.ChildNodes())
            {
                // A chain of binary operators (`a || b || c ...`) is bound and emitted without recursion; it does not count.
                stack.Push((child, node is BinaryExpressionSyntax && child is BinaryExpressionSyntax ? depth : depth + 1));
            }
        }

        return null;
    }

    /// <summary>
    /// The offset of the quote that closes the plain string or character literal opened at <paramref name="open"/>
    /// (backslash escapes skipped), or the text's length when none does.
    /// </summary>
    internal static int ClosingQuote(string text, int open)
    {
        var i = open + 1;
        for (; i < text.Length && text[i] != text[open]; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
        }

        return Math.Min(i, text.Length);
    }

    /// <summary>The offset where bracket nesting first exceeds <see cref="MaxNesting"/>, outside plain string and character literals.</summary>
    private static int? TooDeep(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '"' || c == '\'') && (i == 0 || (text[i - 1] != '$' && text[i - 1] != '@')))
            {
                // A plain literal: its brackets are text. Interpolated and verbatim literals are scanned as code, which
                // only ever counts more brackets than there are.
                i = ClosingQuote(text, i);

                continue;
            }

            if (c is '(' or '[' or '{')
            {
                if (++depth > MaxNesting)
                {
                    return i;
                }
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
        }

        return null;
    }

    private static Violation? CheckSyntax(SyntaxNode node)
    {
        Violation Construct(string message) => new(Anchor(node), DiagnosticCatalog.ForbiddenConstruct, message);
        switch (node)
        {
            case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                return Construct("`stackalloc` is not allowed in an expression");
            case PointerTypeSyntax or FunctionPointerTypeSyntax:
                return Construct("pointers are not allowed in an expression");
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.AddressOfExpression or (int)SyntaxKind.PointerIndirectionExpression }:
                return Construct("pointers are not allowed in an expression");
            case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.PointerMemberAccessExpression }:
                return Construct("pointers are not allowed in an expression");
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }:
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }:
            case AssignmentExpressionSyntax:
                return Construct("assignment is not allowed; an expression may not change anything");
            case ExpressionSyntax when node.IsKind(SyntaxKind.ArgListExpression) || node.IsKind(SyntaxKind.MakeRefExpression)
                || node.IsKind(SyntaxKind.RefTypeExpression) || node.IsKind(SyntaxKind.RefValueExpression):
                return Construct($"`{node.GetFirstToken().Text}` is not allowed in an expression");
            case IdentifierNameSyntax { Identifier.ValueText: "dynamic" } name
                when !(name.Parent is MemberAccessExpressionSyntax access && access.Name == name) && name.Parent is not MemberBindingExpressionSyntax:
                return Construct("`dynamic` is not allowed in an expression");
            case RefExpressionSyntax or RefTypeSyntax or ScopedTypeSyntax:
                return Construct("`ref` is not allowed in an expression");
            case SizeOfExpressionSyntax:
                return Construct("`sizeof` is not allowed in an expression");
            case TypeOfExpressionSyntax:
                return new Violation(Anchor(node), DiagnosticCatalog.ForbiddenApi, "`typeof` (reflection) is not allowed in an expression");
            case AnonymousMethodExpressionSyntax:
                return Construct("anonymous methods are not allowed; write an expression lambda such as `x => x > 1`");
            case LambdaExpressionSyntax { Block: not null }:
                return Construct("lambdas with a statement body are not allowed; write an expression lambda such as `x => x > 1`");
            case LambdaExpressionSyntax lambda when lambda.Ancestors().Count(a => a is LambdaExpressionSyntax) >= MaxLambdaNesting:
                return new Violation(Anchor(node), DiagnosticCatalog.ExpressionLimit, $"lambdas are nested more than {MaxLambdaNesting} deep");
            case LambdaExpressionSyntax lambda when lambda.AncestorsAndSelf().OfType<LambdaExpressionSyntax>().Aggregate(1, (w, l) => w * OverloadWeight(l)) > MaxOverloadWeight:
                return new Violation(Anchor(node), DiagnosticCatalog.ExpressionLimit,
                    "a lambda inside the lambda of a numeric aggregate (`Sum`, `Average`, `Min`, `Max`) multiplies the compiler's work by their twenty overloads each; compute the inner value in a LocalParam or a separate rule");
            case LambdaExpressionSyntax { ExpressionBody: CollectionExpressionSyntax or ImplicitObjectCreationExpressionSyntax }:
                return Construct("a lambda may not return `[...]` or `new()`; write the type, such as `x => new[] { x }`");
            case LambdaExpressionSyntax { Modifiers.Count: > 0 } lambda:
                return Construct($"`{lambda.Modifiers[0].Text}` lambdas are not allowed in an expression");
            case AttributeListSyntax:
                return Construct("attributes are not allowed in an expression");
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } }:
                return Construct("`nameof` is not allowed in an expression");
            case QueryExpressionSyntax:
                return Construct("query syntax (`from ... select`) is not allowed; write method calls such as `Where(x => ...)`");
            case WithExpressionSyntax:
                return Construct("`with` is not allowed in an expression");
            case InterpolationAlignmentClauseSyntax:
                return Construct("alignment in an interpolated string is not allowed");
            case InterpolationFormatClauseSyntax format when !IsSmallFormat(format.FormatStringToken.ValueText):
                return Construct("a format in an interpolated string may have at most 32 characters and no number of more than two digits");
            case ArrayCreationExpressionSyntax creation when creation.Type.RankSpecifiers.Any(r => r.Sizes.Any(s => s is not OmittedArraySizeExpressionSyntax)):
                return Construct("arrays with a size are not allowed; write the elements, such as `new[] { 1, 2 }`");
            default:
                return null;
        }
    }

    /// <summary>The query methods whose lambda has about twenty overloads (one per number type, and nullable).</summary>
    private static readonly FrozenSet<string> NumericAggregates = new[] { "Sum", "Average", "Min", "Max" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The most overload combinations nested lambdas may make the compiler bind (an aggregate in an `Any` is 40, one in another 400).</summary>
    private const int MaxOverloadWeight = 100;

    /// <summary>How many overloads the call a lambda is an argument of offers it: about 20 for a numeric aggregate, else 2.</summary>
    private static int OverloadWeight(LambdaExpressionSyntax lambda)
    {
        var call = lambda.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } } ? invocation.Expression : null;
        var name = call switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        return name is not null && NumericAggregates.Contains(name) ? 20 : 2;
    }

    /// <summary>A format of at most 32 characters with no number of more than two digits (<c>D999999999</c> would allocate gigabytes).</summary>
    internal static bool IsSmallFormat(string format)
    {
        if (format.Length > 32)
        {
            return false;
        }

        var run = 0;
        foreach (var c in format)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            if (run > 2)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks every node of a bound expression (those the compiler injected excepted); returns the first violation in
    /// text order, its position relative to <paramref name="root"/>'s full span.
    /// </summary>
    public static Violation? Check(SemanticModel model, ExpressionSyntax root)
    {
        foreach (var node in root.DescendantNodesAndSelf())
        {
            if (node is not ExpressionSyntax expression || node.HasAnnotations(InjectedKind))
            {
                continue;
            }

            if (CheckSemantics(model, expression) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    private static Violation? CheckSemantics(SemanticModel model, ExpressionSyntax node)
    {
        var position = Anchor(node);
        var typeInfo = model.GetTypeInfo(node);
        foreach (var type in new[] { typeInfo.Type, typeInfo.ConvertedType })
        {
            if (type is null)
            {
                continue;
            }

            if (type.TypeKind == TypeKind.Delegate)
            {
                // A function exists only as a lambda (or method group) handed straight to an allowed method: it is
                // never stored, returned or called, so no expression can recurse.
                if (!(node is LambdaExpressionSyntax or IdentifierNameSyntax or MemberAccessExpressionSyntax && node.Parent is ArgumentSyntax) || !IsLambdaType(type))
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "a function may only be written as a lambda argument, such as `Any(x => x > 1)`; it may not be stored, returned or called");
                }

                continue;
            }

            if (TypeViolation(type, position) is { } violation)
            {
                return violation;
            }
        }

        var conversion = model.GetConversion(node);
        if (conversion.IsUserDefined && conversion.MethodSymbol is { } op && !IsAllowedMember(op))
        {
            return new Violation(position, DiagnosticCatalog.ForbiddenApi, $"the conversion `{Display(op.ContainingType)}.{op.Name}` is not allowed in an expression (converting a DateTime to a DateTimeOffset reads the machine's time zone)");
        }

        var info = model.GetSymbolInfo(node);
        var symbol = info.Symbol ?? (info.CandidateReason is CandidateReason.OverloadResolutionFailure or CandidateReason.Ambiguous ? null : info.CandidateSymbols.FirstOrDefault());
        if (symbol is IMethodSymbol { Parameters: var parameters } && node is InvocationExpressionSyntax invocation && parameters.Any(IsFormat))
        {
            // A format such as "D999999999" would allocate gigabytes: a format is a small literal, never an input.
            var arguments = invocation.ArgumentList.Arguments;
            for (var i = 0; i < arguments.Count; i++)
            {
                var parameter = arguments[i].NameColon is { } named ? parameters.FirstOrDefault(p => p.Name == named.Name.Identifier.ValueText) : i < parameters.Length ? parameters[i] : null;
                if (parameter is not null && IsFormat(parameter)
                    && !(arguments[i].Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal && IsSmallFormat(literal.Token.ValueText)))
                {
                    return new Violation(arguments[i].SpanStart, DiagnosticCatalog.ForbiddenConstruct, "a format must be a string literal of at most 32 characters with no number of more than two digits");
                }
            }
        }

        return symbol is null ? null : CheckSymbol(symbol, position);
    }

    private static bool IsFormat(IParameterSymbol parameter) => parameter.Name == "format" && parameter.Type.SpecialType == SpecialType.System_String;

    private static Violation? CheckSymbol(ISymbol symbol, int position)
    {
        switch (symbol)
        {
            case INamespaceSymbol:
                return null;
            case ITypeSymbol type:
                return TypeViolation(type, position);
            case IMethodSymbol method:
                switch (method.MethodKind)
                {
                    case MethodKind.DelegateInvoke:
                        return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "calling a delegate is not allowed in an expression (it would allow recursion)");
                    case MethodKind.LocalFunction:
                        return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "local functions are not allowed in an expression");
                    case MethodKind.AnonymousFunction:
                        return null;
                    case MethodKind.BuiltinOperator:
                        // The language's own operators on primitives, strings, enums and nullables.
                        return null;
                }

                var definition = method.ReducedFrom ?? method;
                if (!IsAllowedMember(definition))
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenApi, definition.MethodKind == MethodKind.Constructor
                        ? $"`new {Display(definition.ContainingType)}(...)` is not allowed in an expression"
                        : $"`{Display(definition.ContainingType)}.{definition.Name}` is not allowed in an expression");
                }

                foreach (var argument in method.TypeArguments)
                {
                    if (TypeViolation(argument, position) is { } violation)
                    {
                        return violation;
                    }
                }

                return method.ReturnsVoid ? null : TypeViolation(method.ReturnType, position);
            case IPropertySymbol or IFieldSymbol:
                if (!IsAllowedMember(symbol))
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenApi, $"`{Display(symbol.ContainingType)}.{symbol.Name}` is not allowed in an expression");
                }

                return TypeViolation(symbol is IPropertySymbol p ? p.Type : ((IFieldSymbol)symbol).Type, position);
            case IEventSymbol:
                return new Violation(position, DiagnosticCatalog.ForbiddenApi, "events are not allowed in an expression");
            case ILocalSymbol local:
                return local.IsRef ? new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "`ref` is not allowed in an expression") : TypeViolation(local.Type, position);
            case IParameterSymbol parameter:
                return TypeViolation(parameter.Type, position);
            case IRangeVariableSymbol or ILabelSymbol or IAliasSymbol or IDiscardSymbol:
                return null;
            default:
                return new Violation(position, DiagnosticCatalog.ForbiddenApi, $"`{symbol.Name}` is not allowed in an expression");
        }
    }

    private static Violation? TypeViolation(ITypeSymbol type, int position)
    {
        if (type.TypeKind == TypeKind.Dynamic)
        {
            return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "`dynamic` is not allowed in an expression");
        }

        if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
        {
            return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "pointers are not allowed in an expression");
        }

        return IsAllowedType(type) ? null : new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(type)}` is not allowed in an expression");
    }

    /// <summary>True when an expression may hold a value of <paramref name="type"/> (delegates never: see <see cref="CheckSemantics"/>).</summary>
    public static bool IsAllowedType(ITypeSymbol? type)
    {
        switch (type)
        {
            case null or IErrorTypeSymbol or ITypeParameterSymbol:
                // Unbound names fail to compile and are reported as such; type parameters are bound to checked arguments.
                return true;
            case IArrayTypeSymbol array:
                return IsAllowedType(array.ElementType);
            case INamedTypeSymbol named:
                if (named.TypeKind is TypeKind.Dynamic or TypeKind.Delegate || named.IsRefLikeType)
                {
                    return false;
                }

                if (IsCustom(named))
                {
                    return named.TypeArguments.All(IsAllowedType);
                }

                if (named.IsStatic)
                {
                    // A static class, named only to call its listed members (Math, Convert, Enumerable).
                    return AllowedMembers.ContainsKey(MetadataName(named.OriginalDefinition));
                }

                if (named.IsAnonymousType)
                {
                    return named.GetMembers().OfType<IPropertySymbol>().All(p => IsAllowedType(p.Type));
                }

                if (named.IsTupleType)
                {
                    return named.TupleElements.All(e => IsAllowedType(e.Type));
                }

                var definition = named.OriginalDefinition;
                if (definition.ContainingType is not null)
                {
                    // Nested types (enumerators) are allowed with their container.
                    return IsAllowedType(definition.ContainingType) && named.TypeArguments.All(IsAllowedType);
                }

                return (IsGenerated(definition) || ValueTypes.Contains(MetadataName(definition))) && named.TypeArguments.All(IsAllowedType);
            default:
                return false;
        }
    }

    private static bool IsLambdaType(ITypeSymbol type) =>
        type is INamedTypeSymbol named && LambdaTypes.Contains(MetadataName(named.OriginalDefinition)) && named.TypeArguments.All(IsAllowedType);

    /// <summary>True when <paramref name="member"/> (a method, property or field definition) is on the allow-list.</summary>
    private static bool IsAllowedMember(ISymbol member)
    {
        var container = member.ContainingType?.OriginalDefinition;
        if (container is null)
        {
            return false;
        }

        if (IsCustom(container))
        {
            return true;
        }

        if (container.IsAnonymousType || IsGenerated(container))
        {
            return member is IPropertySymbol or IFieldSymbol || member is IMethodSymbol { MethodKind: MethodKind.Constructor };
        }

        var name = MetadataName(container);
        if (member is IFieldSymbol { IsConst: true } && container.TypeKind == TypeKind.Enum && IsAllowedType(container))
        {
            // The named values of an allowed enum (DayOfWeek.Friday, StringComparison.Ordinal).
            return true;
        }

        if (DataTypes.Contains(name) && (!member.IsStatic && member is IPropertySymbol { IsIndexer: false, GetMethod: not null } or IFieldSymbol
            || member is IMethodSymbol { Name: "op_Equality" or "op_Inequality" or "Equals" or "ToString" }))
        {
            // Data: its values and record equality.
            return true;
        }

        var memberName = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ".ctor" : member is IPropertySymbol { IsIndexer: true } ? "Item" : member.Name;
        if (container.SpecialType == SpecialType.System_String && member is IPropertySymbol { IsIndexer: true })
        {
            memberName = "Chars";
        }

        if (!AllowedMembers.TryGetValue(name, out var members) || !members.Contains(memberName))
        {
            return false;
        }

        // DateTimeOffset has no allowed constructor but those with an explicit offset; the others read the machine's zone.
        return !(container.Name == "DateTimeOffset" && memberName == ".ctor"
            && !(member is IMethodSymbol ctor && ctor.Parameters.Any(p => p.Type.Name == "TimeSpan")));
    }

    /// <summary>True when <paramref name="type"/>.<paramref name="member"/> may be read by a rule's message placeholders at run time.</summary>
    public static bool IsReadableMember(Type type, string member) =>
        type.Namespace == GeneratedInputsNamespace || IsAllowedMember(type, member, isMethod: false);

    private static bool IsGenerated(INamedTypeSymbol type) => type.ContainingNamespace?.ToDisplayString() == GeneratedInputsNamespace;

    private static string MetadataName(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + type.MetadataName;
    }

    private static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) ?? "?";

    /// <summary>The position to report for a node: the member name of an access or call, else the node's start.</summary>
    private static int Anchor(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Name.SpanStart,
        MemberAccessExpressionSyntax access => access.Name.SpanStart,
        _ => node.SpanStart,
    };

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= 20 ? text : text[..20] + "…";
    }
}
