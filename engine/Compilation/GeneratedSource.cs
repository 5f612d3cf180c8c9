using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace SlaPolicy.Engine.Compilation;

/// <summary>Where one parsed expression sits in the generated compilation unit: the slot and the method it is in.</summary>
internal readonly record struct Insertion(int Slot, MethodPlan Method);

/// <summary>
/// Builds the generated compilation unit from syntax nodes. Each expression arrives parsed on its own
/// (<see cref="ExpressionSandbox.Parse"/>) and is inserted as a node; names of parameters are validated identifiers
/// (<see cref="SourcePlan.IsIdentifier"/>) made into identifier tokens. The unit is compiled as a tree, never as text,
/// so nothing in an expression can reach outside the node it is.
/// </summary>
internal sealed class GeneratedSource
{
    /// <summary>Annotation of an inserted expression; its data is the index of the insertion.</summary>
    public const string InsertionKind = "slapolicy-insertion";

    /// <summary>Annotation of every token of an expression; its data is the token's offset in the parsed text.</summary>
    public const string OffsetKind = "slapolicy-offset";

    private static readonly SyntaxAnnotation Injected = new(ExpressionSandbox.InjectedKind);

    private static readonly ExpressionSyntax StepMethod = MarkInjected(ParseExpression("global::" + typeof(RuleBudget).FullName + "." + nameof(RuleBudget.Step)));

    private static readonly ExpressionSyntax ChargeMethod = MarkInjected(ParseExpression("global::" + typeof(RuleBudget).FullName + "." + nameof(RuleBudget.Charge)));

    /// <summary>Instance methods of allowed types that walk their receiver: each call is charged by the receiver's size.</summary>
    private static readonly HashSet<string> WalkingMethods = new(StringComparer.Ordinal)
    {
        "Contains", "IndexOf", "LastIndexOf", "IndexOfAny", "StartsWith", "EndsWith", "Substring", "Split", "ToCharArray", "Trim",
        "TrimStart", "TrimEnd", "ToUpperInvariant", "ToLowerInvariant", "ToUpper", "ToLower", "Equals", "CompareTo", "Compare", "CompareOrdinal",
    };

    private readonly SourcePlan _plan;
    private readonly ExpressionSyntax?[] _expressions;
    private readonly ImmutableArray<StatementSyntax> _prologue;
    private readonly MemberDeclarationSyntax _inputs;

    private readonly ImmutableArray<Type> _customTypes;

    public GeneratedSource(SourcePlan plan, ExpressionSyntax?[] expressions, ImmutableArray<Type> customTypes = default)
    {
        _plan = plan;
        _expressions = expressions;
        _customTypes = customTypes.IsDefault ? [] : customTypes;

        // The prologue and the input classes are the compiler's own text, with validated identifiers only.
        _prologue = [.. plan.Signature.Prologue.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => ParseStatement(line))];
        _inputs = ParseCompilationUnit("namespace " + ExpressionSandbox.GeneratedInputsNamespace + " {\n" + plan.Signature.Declarations + "}\n", options: ExpressionSandbox.ParseOptions).Members[0];
    }

    /// <summary>
    /// Annotates every token of <paramref name="parsed"/> with its offset, so that diagnostics map back to the text,
    /// rewrites the Dynamic LINQ forms C# can say (see <see cref="DialectRewriter"/>) and injects the budget's steps
    /// and charges (see <see cref="BudgetInjector"/>).
    /// </summary>
    /// <param name="parsed">The expression as parsed.</param>
    /// <param name="names">Inputs and parameters in scope; null leaves names as written.</param>
    /// <param name="ignoreCase">Names of inputs and parameters ignore case, as in RulesEngine by default.</param>
    /// <param name="implicitInput">The one input of a workflow that has exactly one: Dynamic LINQ's implicit <c>it</c>.</param>
    public static ExpressionSyntax Prepare(ExpressionSyntax parsed, IReadOnlySet<string>? names = null, bool ignoreCase = false, string? implicitInput = null)
    {
        var annotated = parsed.ReplaceTokens(parsed.DescendantTokens(), (original, _) =>
            original.WithAdditionalAnnotations(new SyntaxAnnotation(OffsetKind, original.SpanStart.ToString(CultureInfo.InvariantCulture))));
        var dialect = names is null ? annotated : (ExpressionSyntax)new DialectRewriter(names, LambdaNames(annotated), ignoreCase, implicitInput).Visit(annotated);
        return (ExpressionSyntax)new BudgetInjector().Visit(dialect);
    }

    /// <summary>Names the expression binds itself: lambda parameters and pattern variables (<c>is var x</c>).</summary>
    private static HashSet<string> LambdaNames(ExpressionSyntax expression) =>
    [
        .. expression.DescendantNodes().OfType<ParameterSyntax>().Select(p => p.Identifier.ValueText),
        .. expression.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Select(d => d.Identifier.ValueText),
    ];

    /// <summary>
    /// RulesEngine's Dynamic LINQ forms that C# can say directly. The written tokens keep their offsets, so a
    /// diagnostic still points at what the analyst wrote.
    /// <list type="bullet">
    /// <item><c>new (x as Name, y as Other)</c>, its anonymous object (which C# would read as a target-typed
    /// <c>new</c> of nothing), becomes <c>new { Name = x, Other = y }</c>.</item>
    /// <item>A name of an input or parameter written in another case (<c>INPUT1</c>) reads that input or parameter.</item>
    /// <item>Implicit <c>it</c>: in a workflow with a single input, a bare name that is nothing else (<c>SimpleProp</c>)
    /// reads that member of the input; the argument of a query operator that is not a lambda
    /// (<c>list.FirstOrDefault(country == "india")</c>) is a predicate on the element (<c>it => it.country == "india"</c>).</item>
    /// </list>
    /// A name that is an input's or parameter's exactly, a lambda's parameter, a member after a dot, or a type the
    /// sandbox allows is never rewritten.
    /// </summary>
    private sealed class DialectRewriter(IReadOnlySet<string> names, HashSet<string> lambdaNames, bool ignoreCase, string? implicitInput) : CSharpSyntaxRewriter
    {
        private static readonly HashSet<string> QueryOperators = new(StringComparer.Ordinal)
        {
            "Any", "All", "Count", "LongCount", "Where", "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault",
            "SkipWhile", "TakeWhile", "Select", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Sum", "Min", "Max", "Average",
        };

        private const string Element = "it";
        private int _elementScopes;

        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
        {
            var text = node.Identifier.ValueText;
            if (IsKnown(text) || IsNotAMember(node) || (_elementScopes > 0 && text == Element))
            {
                return base.VisitIdentifierName(node);
            }

            if (InAnotherCase(text) is { } input)
            {
                return node.WithIdentifier(Identifier(node.Identifier.LeadingTrivia, input, node.Identifier.TrailingTrivia).WithAdditionalAnnotations(node.Identifier.GetAnnotations(OffsetKind)));
            }

            // Implicit `it`: the element inside a query operator's predicate, else the single input.
            var owner = _elementScopes > 0 ? Element : text == Element ? null : implicitInput;
            return owner is null
                ? text == Element && implicitInput is not null ? node.WithIdentifier(Identifier(node.Identifier.LeadingTrivia, implicitInput, node.Identifier.TrailingTrivia).WithAdditionalAnnotations(node.Identifier.GetAnnotations(OffsetKind))) : base.VisitIdentifierName(node)
                : MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(owner), node.WithoutTrivia()).WithTriviaFrom(node);
        }

        /// <summary>An input or parameter (exactly), a name the expression binds itself, or a system type.</summary>
        private bool IsKnown(string text) => names.Contains(text) || lambdaNames.Contains(text) || ExpressionSandbox.IsTypeName(text);

        /// <summary>The one input or parameter <paramref name="text"/> names in another case, when names ignore case.</summary>
        private string? InAnotherCase(string text)
        {
            var matches = ignoreCase ? names.Where(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)).Take(2).ToList() : [];
            return matches.Count == 1 ? matches[0] : null;
        }

        /// <summary>
        /// A name that cannot stand for a member of an input: the member after a dot, a member declarator's or argument's
        /// name, a called name, or a name in a type's place (`x as Name`, `x is Name`, a cast, a type argument).
        /// </summary>
        private static bool IsNotAMember(IdentifierNameSyntax node) =>
            node.Parent is MemberAccessExpressionSyntax { Name: var name } && name == node
            || node.Parent is NameEqualsSyntax or NameColonSyntax
            || node.Parent is InvocationExpressionSyntax { Expression: var callee } && callee == node
            || node.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AsExpression or (int)SyntaxKind.IsExpression, Right: var type } && type == node
            || node.Parent is CastExpressionSyntax or TypeArgumentListSyntax or QualifiedNameSyntax or TypeOfExpressionSyntax or ObjectCreationExpressionSyntax
                or DeclarationPatternSyntax or TypePatternSyntax;

        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            if (node.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var op } access || !QueryOperators.Contains(op)
                || node.ArgumentList.Arguments.Count != 1 || node.ArgumentList.Arguments[0].Expression is LambdaExpressionSyntax
                || !HasFreeName(node.ArgumentList.Arguments[0].Expression))
            {
                return base.VisitInvocationExpression(node);
            }

            var receiver = (ExpressionSyntax)Visit(access.Expression)!;
            _elementScopes++;
            var body = (ExpressionSyntax)Visit(node.ArgumentList.Arguments[0].Expression)!;
            _elementScopes--;
            var lambda = SimpleLambdaExpression(Parameter(Identifier(Element)), body.WithoutTrivia());
            return node.WithExpression(access.WithExpression(receiver))
                .WithArgumentList(node.ArgumentList.WithArguments(SingletonSeparatedList(node.ArgumentList.Arguments[0].WithExpression(lambda))));
        }

        /// <summary>True when <paramref name="argument"/> reads a bare name that is no input, parameter, lambda parameter or type.</summary>
        private bool HasFreeName(ExpressionSyntax argument) => argument.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Any(n => !IsKnown(n.Identifier.ValueText) && !IsNotAMember(n) && InAnotherCase(n.Identifier.ValueText) is null);

        public override SyntaxNode? VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node)
        {
            var visited = (ImplicitObjectCreationExpressionSyntax)base.VisitImplicitObjectCreationExpression(node)!;
            var arguments = visited.ArgumentList.Arguments;
            if (visited.Initializer is not null || arguments.Count == 0
                || !arguments.All(a => a.NameColon is null && a.RefKindKeyword == default && a.Expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AsExpression, Right: IdentifierNameSyntax }))
            {
                return visited;
            }

            var members = arguments.Select(a => (BinaryExpressionSyntax)a.Expression)
                .Select(b => AnonymousObjectMemberDeclarator(NameEquals(((IdentifierNameSyntax)b.Right).WithoutTrivia()), b.Left.WithoutTrivia()));
            return AnonymousObjectCreationExpression(SeparatedList(members)).WithTriviaFrom(visited);
        }
    }

    /// <summary>The compilation unit with every method but those in <paramref name="excluded"/>, and its insertions by index.</summary>
    public (CompilationUnitSyntax Root, List<Insertion> Insertions) Build(IReadOnlySet<string> excluded)
    {
        var insertions = new List<Insertion>();
        var classes = new List<MemberDeclarationSyntax>();
        foreach (var workflow in _plan.Workflows)
        {
            var methods = _plan.Methods.Where(m => m.ClassName == workflow.ClassName && !excluded.Contains(m.Key)).Select(m => Method(m, insertions));
            classes.Add(ClassDeclaration(workflow.ClassName)
                .WithModifiers(TokenList(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword)))
                .WithMembers(List<MemberDeclarationSyntax>(methods)));
        }

        var rules = NamespaceDeclaration(ParseName(ExpressionSandbox.GeneratedNamespace))
            .WithUsings(List(new[] { "System", "System.Collections.Generic", typeof(Metered.MeteredEnumerable).Namespace! }.Select(n => UsingDirective(ParseName(n)))
                .Concat(_customTypes.Select(t => UsingDirective(NameEquals(IdentifierName(t.Name)), ParseName("global::" + t.FullName!.Replace('+', '.')))))))
            .WithMembers(List(classes));
        return (CompilationUnit().WithMembers(List(new[] { _inputs, rules })), insertions);
    }

    /// <summary>The index of the insertion <paramref name="node"/> is.</summary>
    public static int InsertionIndex(SyntaxNode node) => int.Parse(node.GetAnnotations(InsertionKind).First().Data!, CultureInfo.InvariantCulture);

    /// <summary>The insertion that <paramref name="position"/> of <paramref name="root"/> falls in, if any.</summary>
    public static (int Index, SyntaxNode Node)? FindInsertion(SyntaxNode root, int position)
    {
        if (position < 0 || position >= root.FullSpan.End)
        {
            return null;
        }

        var node = root.FindToken(position).Parent?.AncestorsAndSelf().FirstOrDefault(n => n.HasAnnotations(InsertionKind));
        return node is null ? null : (InsertionIndex(node), node);
    }

    /// <summary>The offset in its parsed text of <paramref name="position"/>, inside the inserted <paramref name="insertion"/>.</summary>
    public static int OriginalOffset(SyntaxNode insertion, int position)
    {
        var token = insertion.FindToken(Math.Clamp(position, insertion.FullSpan.Start, Math.Max(insertion.FullSpan.Start, insertion.FullSpan.End - 1)));
        var delta = Math.Clamp(position - token.SpanStart, 0, token.Span.Length);

        // A token the compiler injected has no offset; the next written token stands for it.
        while (!token.HasAnnotations(OffsetKind) && token != default && insertion.FullSpan.Contains(token.SpanStart))
        {
            token = token.GetNextToken();
            delta = 0;
        }

        return token.GetAnnotations(OffsetKind).FirstOrDefault() is { Data: { } data } ? int.Parse(data, CultureInfo.InvariantCulture) + delta : 0;
    }

    private MethodDeclarationSyntax Method(MethodPlan method, List<Insertion> insertions)
    {
        ExpressionSyntax Insert(ExpressionSlot slot)
        {
            var expression = _expressions[slot.Id] ?? throw new InvalidOperationException($"slot {slot.Id} of {method.Key} was not parsed");
            insertions.Add(new Insertion(slot.Id, method));
            return expression.WithAdditionalAnnotations(new SyntaxAnnotation(InsertionKind, (insertions.Count - 1).ToString(CultureInfo.InvariantCulture)));
        }

        var statements = new List<StatementSyntax>(_prologue);
        for (var i = 0; i < method.Scope.Length; i++)
        {
            var (name, slot) = method.Scope[i];
            statements.Add(LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                .WithVariables(SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(Insert(slot)))))));
            if (method.Traced)
            {
                var element = ElementAccessExpression(IdentifierName("__p"))
                    .WithArgumentList(BracketedArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(i))))));
                statements.Add(ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, element, IdentifierName(name))));
            }
        }

        statements.Add(ReturnStatement(Insert(_plan.Slots[method.PrimarySlot])));
        var parameters = ParseParameterList("(in " + _plan.Signature.ParameterType + " __in" + (method.Traced ? ", object[] __p)" : ")"));
        return MethodDeclaration(ParseTypeName(method.ReturnType), Identifier(method.Name))
            .WithModifiers(TokenList(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword)))
            .WithParameterList(parameters)
            .WithBody(Block(statements));
    }

    private static T MarkInjected<T>(T node)
        where T : SyntaxNode =>
        node.ReplaceNodes(node.DescendantNodesAndSelf(), (_, rewritten) => rewritten.WithAdditionalAnnotations(Injected));

    /// <summary>
    /// Wraps the body of every expression lambda in <c>RuleBudget.Step(...)</c>, and the receiver of every call of a
    /// walking method and every operand of <c>+</c> and of an interpolation in <c>RuleBudget.Charge(...)</c>, which
    /// returns it unchanged (same type, same binding).
    /// </summary>
    private sealed class BudgetInjector : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node)
        {
            var visited = (BinaryExpressionSyntax)base.VisitBinaryExpression(node)!;

            // `a + b` may join strings: each operand is charged by its length before they are joined, so parameters built
            // from each other (`p2 = p1 + p1 + ...`) cannot grow past the budget. Links of a chain are not charged twice.
            // `a == b` walks two strings of equal length: both are charged too, unless one is a literal, whose length
            // bounds the walk.
            return visited.Kind() switch
            {
                SyntaxKind.AddExpression =>
                    visited.WithLeft(ChargeOperand(visited.Left)).WithRight(ChargeOperand(visited.Right)),
                SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression when visited.Left is not LiteralExpressionSyntax && visited.Right is not LiteralExpressionSyntax =>
                    visited.WithLeft(ChargeOperand(visited.Left)).WithRight(ChargeOperand(visited.Right)),
                _ => visited,
            };
        }

        public override SyntaxNode? VisitInterpolation(InterpolationSyntax node)
        {
            var visited = (InterpolationSyntax)base.VisitInterpolation(node)!;
            return visited.WithExpression(ChargeOperand(visited.Expression));
        }

        private static ExpressionSyntax ChargeOperand(ExpressionSyntax operand) =>
            operand is LiteralExpressionSyntax || operand.IsKind(SyntaxKind.AddExpression)
                ? operand
                : InvocationExpression(ChargeMethod, ArgumentList(SingletonSeparatedList(Argument(operand)))).WithAdditionalAnnotations(Injected);

        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;

            if (visited.Expression is not MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access
                || !WalkingMethods.Contains(access.Name.Identifier.ValueText))
            {
                return visited;
            }

            // `string.Equals(a, b)` and `string.Compare(a, b)` name a type, not a value: their arguments are what they walk.
            if (access.Expression is PredefinedTypeSyntax)
            {
                return visited.WithArgumentList(visited.ArgumentList.WithArguments(
                    SeparatedList(visited.ArgumentList.Arguments.Select(a => a.WithExpression(ChargeOperand(a.Expression))), visited.ArgumentList.Arguments.GetSeparators())));
            }

            var charged = InvocationExpression(ChargeMethod, ArgumentList(SingletonSeparatedList(Argument(access.Expression)))).WithAdditionalAnnotations(Injected);
            return visited.WithExpression(access.WithExpression(charged));
        }

        public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
            Meter((LambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!);

        public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
            Meter((LambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!);

        private static LambdaExpressionSyntax Meter(LambdaExpressionSyntax lambda)
        {
            // A constant or throw body costs nothing to run; a target-typed body (`[..]`, `new()`) is refused by the
            // sandbox, because a step cannot be typed for it.
            if (lambda.ExpressionBody is null or LiteralExpressionSyntax or ThrowExpressionSyntax or CollectionExpressionSyntax or ImplicitObjectCreationExpressionSyntax)
            {
                return lambda;
            }

            var step = InvocationExpression(StepMethod, ArgumentList(SingletonSeparatedList(Argument(lambda.ExpressionBody))))
                .WithAdditionalAnnotations(Injected);
            return lambda.WithExpressionBody(step);
        }
    }
}
