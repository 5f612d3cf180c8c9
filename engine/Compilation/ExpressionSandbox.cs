using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SlaPolicy.Engine.Diagnostics;
using Diagnostic = SlaPolicy.Engine.Diagnostics.Diagnostic;
using DiagnosticDescriptor = SlaPolicy.Engine.Diagnostics.DiagnosticDescriptor;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// Decides what an expression may touch. Every syntax node of the expression is checked against forbidden
/// constructs, and every symbol and type the semantic model binds its names, accesses, calls, creations and
/// conversions to against an allow-list, so that
/// aliases, <c>global::</c>, unicode escapes or extension methods cannot hide a forbidden API.
/// </summary>
internal static class ExpressionSandbox
{
    /// <summary>Namespace of generated code; only its <c>Inputs</c> types may be referenced by expressions.</summary>
    public const string GeneratedNamespace = "SlaPolicyRules";

    public const string GeneratedInputsNamespace = GeneratedNamespace + ".Inputs";

    /// <summary>Types expressions may use, by namespace-qualified metadata name.</summary>
    private static readonly FrozenSet<string> AllowedTypes = new[]
    {
        "System.Object", "System.Void", "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler", "System.Boolean", "System.Byte", "System.SByte", "System.Char", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
        "System.String", "System.Math", "System.MathF", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan",
        "System.DateOnly", "System.TimeOnly", "System.DayOfWeek", "System.Convert", "System.StringComparison",
        "System.StringComparer", "System.StringSplitOptions", "System.MidpointRounding", "System.Nullable`1", "System.Guid",
        "System.IFormatProvider", "System.IComparable`1", "System.IEquatable`1",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Func`1", "System.Func`2", "System.Func`3", "System.Func`4", "System.Func`5",
        "System.Globalization.CultureInfo", "System.Globalization.NumberStyles", "System.Globalization.DateTimeStyles",
        "System.Collections.IEnumerable", "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IReadOnlyList`1",
        "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IList`1", "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.IEqualityComparer`1",
        "System.Collections.Generic.IComparer`1", "System.Collections.Generic.HashSet`1", "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.IReadOnlyDictionary`2", "System.Collections.Generic.IReadOnlySet`1",
        "System.Linq.Enumerable", "System.Linq.IGrouping`2", "System.Linq.IOrderedEnumerable`1", "System.Linq.ILookup`2",
        "System.Linq.ImmutableArrayExtensions",
        "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableArray",
        "System.Collections.Immutable.ImmutableDictionary`2", "System.Collections.Immutable.IImmutableList`1",
        "SlaPolicy.Engine.Inputs.CaseRecord", "SlaPolicy.Engine.Inputs.StatusEvent", "SlaPolicy.Engine.Inputs.OutageRecord",
        "SlaPolicy.Engine.Inputs.SubscriptionRecord", "SlaPolicy.Engine.Inputs.MeasurementRecord",
        "SlaPolicy.Engine.Clocks.ClockResult", "SlaPolicy.Engine.Clocks.ClockStatus",
        "SlaPolicy.Engine.Policies.Policy", "SlaPolicy.Engine.Policies.PolicyScope", "SlaPolicy.Engine.Policies.TargetTerm",
        "SlaPolicy.Engine.Policies.TargetMetric", "SlaPolicy.Engine.Policies.ClockKind", "SlaPolicy.Engine.Policies.EscalationStep",
        "SlaPolicy.Engine.Policies.AttainmentTerm", "SlaPolicy.Engine.Policies.CreditTier", "SlaPolicy.Engine.Policies.AvailabilityTerm",
        "SlaPolicy.Engine.Compilation.AvailabilityPeriod", "SlaPolicy.Engine.Compilation.RuleInputs",
        "SlaPolicy.Engine.Diagnostics.SourceLocation",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Members of allowed types that are still refused: reflection entry points and the wall clock.</summary>
    private static readonly FrozenSet<string> ForbiddenMembers = new[]
    {
        "System.Object.GetType", "System.Object.MemberwiseClone",
        "System.DateTime.Now", "System.DateTime.UtcNow", "System.DateTime.Today",
        "System.DateTimeOffset.Now", "System.DateTimeOffset.UtcNow",
        "System.Globalization.CultureInfo.CurrentCulture", "System.Globalization.CultureInfo.CurrentUICulture",
        "System.Globalization.CultureInfo.DefaultThreadCurrentCulture", "System.Globalization.CultureInfo.DefaultThreadCurrentUICulture",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>A reason to reject an expression, at a position of the compiled text.</summary>
    public readonly record struct Violation(int Position, DiagnosticDescriptor Descriptor, string Message);

    /// <summary>
    /// Checks a standalone parse of an expression: it must be exactly one expression, with no comments,
    /// directives or trailing text that could break out of the generated method.
    /// </summary>
    public static Violation? CheckShape(string text, CSharpParseOptions options)
    {
        var expression = SyntaxFactory.ParseExpression(text, 0, options, consumeFullText: true);
        foreach (var trivia in expression.DescendantTrivia(descendIntoTrivia: true))
        {
            switch (trivia.Kind())
            {
                case SyntaxKind.WhitespaceTrivia:
                case SyntaxKind.EndOfLineTrivia:
                    continue;
                case SyntaxKind.SkippedTokensTrivia:
                    return new Violation(trivia.SpanStart, DiagnosticCatalog.NotSingleExpression, $"unexpected `{Shorten(trivia.ToString())}` after the end of the expression");
                case SyntaxKind.SingleLineCommentTrivia:
                case SyntaxKind.MultiLineCommentTrivia:
                case SyntaxKind.SingleLineDocumentationCommentTrivia:
                case SyntaxKind.MultiLineDocumentationCommentTrivia:
                    return new Violation(trivia.SpanStart, DiagnosticCatalog.NotSingleExpression, "comments are not allowed inside an expression");
                default:
                    return new Violation(trivia.SpanStart, DiagnosticCatalog.NotSingleExpression, "directives are not allowed inside an expression");
            }
        }

        var error = expression.GetDiagnostics().FirstOrDefault(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        if (error is not null)
        {
            return new Violation(error.Location.SourceSpan.Start, DiagnosticCatalog.ExpressionSyntax, RuleCompiler.Sentence(error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Forbidden constructs are decided on syntax alone, so they are reported even where the code would not compile.
        foreach (var node in expression.DescendantNodesAndSelf())
        {
            if (CheckSyntax(node) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>Checks every node of a bound expression; returns the first violation in text order.</summary>
    public static Violation? Check(SemanticModel model, ExpressionSyntax root)
    {
        foreach (var node in root.DescendantNodesAndSelf())
        {
            var violation = CheckSemantics(model, node);
            if (violation is not null)
            {
                return violation;
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
                // `dynamic` is decided on syntax: it would otherwise fail to emit before the semantic check runs.
                return Construct("`dynamic` is not allowed in an expression");
            case RefExpressionSyntax:
                return Construct("`ref` is not allowed in an expression");
            case SizeOfExpressionSyntax:
                return Construct("`sizeof` is not allowed in an expression");
            case TypeOfExpressionSyntax:
                return new Violation(Anchor(node), DiagnosticCatalog.ForbiddenApi, "`typeof` (reflection) is not allowed in an expression");
            case AnonymousMethodExpressionSyntax:
                return Construct("anonymous methods are not allowed; write an expression lambda such as `x => x > 1`");
            case LambdaExpressionSyntax { Block: not null }:
                return Construct("lambdas with a statement body are not allowed; write an expression lambda such as `x => x > 1`");
            case LocalFunctionStatementSyntax:
                return Construct("local functions are not allowed in an expression");
            case AttributeListSyntax:
                return Construct("attributes are not allowed in an expression");
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } }:
                return Construct("`nameof` is not allowed in an expression");
            default:
                return null;
        }
    }

    private static Violation? CheckSemantics(SemanticModel model, SyntaxNode node)
    {
        // Only nodes that can name a symbol or introduce a type are asked about: names, member access, calls,
        // creations, element access, casts, defaults, lambdas (their delegate type) and collection literals.
        // Operators, literals and parentheses only combine values whose own nodes are checked.
        if (node is not (NameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax
            or ElementAccessExpressionSyntax or CastExpressionSyntax or DefaultExpressionSyntax or LambdaExpressionSyntax
            or MemberBindingExpressionSyntax or ElementBindingExpressionSyntax or ArrayCreationExpressionSyntax
            or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax or AnonymousObjectCreationExpressionSyntax
            or LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression } or PredefinedTypeSyntax
            or QueryExpressionSyntax or WithExpressionSyntax or TupleExpressionSyntax))
        {
            return null;
        }

        var typeInfo = model.GetTypeInfo(node);
        foreach (var type in new[] { typeInfo.Type, typeInfo.ConvertedType })
        {
            if (type is null)
            {
                continue;
            }

            if (type.TypeKind == TypeKind.Dynamic)
            {
                return new Violation(Anchor(node), DiagnosticCatalog.ForbiddenConstruct, "`dynamic` is not allowed in an expression");
            }

            if (ContainsPointer(type))
            {
                return new Violation(Anchor(node), DiagnosticCatalog.ForbiddenConstruct, "pointers are not allowed in an expression");
            }

            if (!IsAllowedType(type))
            {
                return new Violation(Anchor(node), DiagnosticCatalog.ForbiddenApi, $"type `{Display(type)}` is not allowed in an expression");
            }
        }

        var info = model.GetSymbolInfo(node);
        var symbol = info.Symbol ?? (info.CandidateReason is CandidateReason.OverloadResolutionFailure or CandidateReason.Ambiguous ? null : info.CandidateSymbols.FirstOrDefault());
        return symbol is null ? null : CheckSymbol(symbol, Anchor(node));
    }

    private static Violation? CheckSymbol(ISymbol symbol, int position)
    {
        switch (symbol)
        {
            case ITypeSymbol type:
                if (type.TypeKind == TypeKind.Dynamic)
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "`dynamic` is not allowed in an expression");
                }

                return IsAllowedType(type) ? null : new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(type)}` is not allowed in an expression");
            case IMethodSymbol method:
                if (method.MethodKind == MethodKind.DelegateInvoke)
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "calling a delegate is not allowed in an expression (it would allow recursion)");
                }

                if (method.MethodKind == MethodKind.LocalFunction)
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenConstruct, "local functions are not allowed in an expression");
                }

                if (method.MethodKind is MethodKind.AnonymousFunction)
                {
                    return null;
                }

                var definition = method.ReducedFrom ?? method;
                if (!IsAllowedType(definition.ContainingType) || ForbiddenMembers.Contains(MemberName(definition)))
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenApi, $"`{Display(definition.ContainingType)}.{method.Name}` is not allowed in an expression");
                }

                foreach (var argument in method.TypeArguments)
                {
                    if (!IsAllowedType(argument))
                    {
                        return new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(argument)}` is not allowed in an expression");
                    }
                }

                return IsAllowedType(method.ReturnType) ? null : new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(method.ReturnType)}` is not allowed in an expression");
            case IPropertySymbol or IFieldSymbol:
                if (symbol.ContainingType is { IsAnonymousType: true })
                {
                    return null;
                }

                if (symbol.ContainingType is null || !IsAllowedType(symbol.ContainingType) || ForbiddenMembers.Contains(MemberName(symbol)))
                {
                    return new Violation(position, DiagnosticCatalog.ForbiddenApi, $"`{Display(symbol.ContainingType)}.{symbol.Name}` is not allowed in an expression");
                }

                var memberType = symbol is IPropertySymbol p ? p.Type : ((IFieldSymbol)symbol).Type;
                return IsAllowedType(memberType) ? null : new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(memberType)}` is not allowed in an expression");
            case IEventSymbol:
                return new Violation(position, DiagnosticCatalog.ForbiddenApi, "events are not allowed in an expression");
            case ILocalSymbol local:
                return IsAllowedType(local.Type) ? null : new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(local.Type)}` is not allowed in an expression");
            case IParameterSymbol parameter:
                return IsAllowedType(parameter.Type) ? null : new Violation(position, DiagnosticCatalog.ForbiddenApi, $"type `{Display(parameter.Type)}` is not allowed in an expression");
            default:
                return null;
        }
    }

    /// <summary>True when an expression may use <paramref name="type"/>.</summary>
    public static bool IsAllowedType(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return true;
            case IErrorTypeSymbol:
                return true;
            case ITypeParameterSymbol:
                return true;
            case IArrayTypeSymbol array:
                return IsAllowedType(array.ElementType);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return false;
            case INamedTypeSymbol named:
                if (named.TypeKind == TypeKind.Dynamic)
                {
                    return false;
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
                    // Nested types (enumerators, key collections) are allowed with their container.
                    if (!IsAllowedType(definition.ContainingType))
                    {
                        return false;
                    }
                }
                else
                {
                    var ns = definition.ContainingNamespace?.ToDisplayString() ?? string.Empty;
                    if (ns != GeneratedInputsNamespace && !AllowedTypes.Contains(ns.Length == 0 ? definition.MetadataName : ns + "." + definition.MetadataName))
                    {
                        return false;
                    }
                }

                return named.TypeArguments.All(IsAllowedType);
            default:
                return false;
        }
    }

    private static bool ContainsPointer(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        IArrayTypeSymbol array => ContainsPointer(array.ElementType),
        _ => false,
    };

    private static string MemberName(ISymbol member)
    {
        var container = member.ContainingType?.OriginalDefinition;
        var ns = container?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return $"{ns}.{container?.Name}.{member.Name}";
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
