using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The quick start of the compiled executor: RulesEngine workflows whose every expression is in a small set of C#
/// forms run at once as expression trees, while Roslyn compiles the same rules in the background (see
/// <see cref="TieredWorkflowRunner"/>). The forms are those whose meaning an expression tree states exactly as C# does,
/// so a result never depends on which of the two ran it.
/// </summary>
/// <remarks>
/// Accepted, on the expression as the compiled executor parses and rewrites it (the same syntax tree Roslyn compiles):
/// an input name; a property of an input object (the name exactly as in the JSON); a literal of type <c>int</c>,
/// <c>long</c>, <c>double</c>, <c>string</c> or <c>bool</c> (and <c>-</c> before a number); <c>==</c>, <c>!=</c>,
/// <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> on numbers, with C#'s promotions (<c>int</c> to <c>long</c> to
/// <c>double</c>); <c>==</c> and <c>!=</c> on text against a literal (ordinal, <c>string.op_Equality</c>) and on
/// <c>bool</c>; <c>+ - * / %</c> on numbers (unchecked, as the compiled rules; not between two literals, which the C#
/// compiler folds); <c>?:</c> (Dynamic LINQ's <c>iif</c>); <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>; parentheses. The input types must be objects whose properties
/// are <c>bool</c>, <c>long</c>, <c>double</c>, <c>string</c> or such objects (no arrays, no nullable numbers, no
/// values of mixed kinds, no property that differs from a used name only in case). Nothing else qualifies: no call,
/// no parameters, no actions, no nested rules. Such an expression calls nothing, so it never takes a
/// budget step, as under the compiled executor. The input types are built with <see cref="System.Reflection.Emit"/>
/// under the same names and with the same properties as the generated ones, so binding JSON to them gives the same
/// values and the same errors.
/// </remarks>
internal static class QuickTier
{
    /// <summary>Input types and one predicate per expression slot, or null when anything is outside the forms.</summary>
    internal sealed record Built(Type[] InputTypes, RuleFunc<object?[], bool>?[] Predicates);

    private static readonly MethodInfo StringEquals = typeof(string).GetMethod("op_Equality", [typeof(string), typeof(string)])!;
    private static readonly MethodInfo StringNotEquals = typeof(string).GetMethod("op_Inequality", [typeof(string), typeof(string)])!;
    private static int _assemblies;

    /// <summary>
    /// Tries the quick start for <paramref name="plan"/>, whose slots the shape stage parsed into
    /// <paramref name="expressions"/>; <paramref name="budgeted"/>: the slots with a call or an injected budget step.
    /// </summary>
    public static Built? TryBuild(SourcePlan plan, ExpressionSyntax?[] expressions, HashSet<int> budgeted, ImmutableArray<InputParameter> parameters, ImmutableArray<string> usedMembers)
    {
        if (parameters.IsDefaultOrEmpty || budgeted.Count > 0 || plan.InvalidNames.Count > 0)
        {
            return null;
        }

        foreach (var workflow in plan.Workflows)
        {
            if (!workflow.Workflow.GlobalParams.IsDefaultOrEmpty || workflow.RulePlans.Any(r => !IsPlain(r)))
            {
                return null;
            }
        }

        var used = usedMembers.ToHashSet(StringComparer.Ordinal);
        if (!parameters.All(p => Supported(p.Shape, used)))
        {
            return null;
        }

        var types = EmitTypes(parameters);
        var inputs = Expression.Parameter(typeof(object[]), "__in");
        var locals = parameters.Select((p, i) => Expression.Variable(types[i], p.Name)).ToArray();
        var byName = locals.ToDictionary(l => l.Name!, StringComparer.Ordinal);
        var predicates = new RuleFunc<object?[], bool>?[plan.Slots.Count];
        foreach (var workflow in plan.Workflows)
        {
            foreach (var rule in workflow.RulePlans)
            {
                if (!rule.Rule.Enabled)
                {
                    continue;
                }

                var slot = rule.PredicateSlot!;
                if (expressions[slot.Id] is not { } syntax || Translate(syntax, byName) is not { } body || body.Type != typeof(bool))
                {
                    return null;
                }

                // As the generated method: every input is cast in order first, then the expression is the result.
                var statements = new List<Expression>();
                for (var i = 0; i < locals.Length; i++)
                {
                    statements.Add(Expression.Assign(locals[i], Expression.Convert(Expression.ArrayIndex(inputs, Expression.Constant(i)), types[i])));
                }

                statements.Add(body);
                var function = Expression.Lambda<Func<object?[], bool>>(Expression.Block(locals, statements), inputs).Compile();
                predicates[slot.Id] = (in object?[] values) => function(values);
            }
        }

        return new Built(types, predicates);
    }

    /// <summary>A rule with an expression and nothing else: no parameters, no actions, no nested rules.</summary>
    private static bool IsPlain(RulePlan plan) =>
        !plan.Rule.Enabled
        || !plan.Rule.IsNested && plan.Rule.Expression is not null && plan.PredicateSlot is not null && plan.Predicate is { Scope.Length: 0 }
            && plan.Traced is null && plan.OnSuccessOutput is null && plan.OnFailureOutput is null && plan.Rule.OnSuccess is null && plan.Rule.OnFailure is null
            && plan.Rule.LocalParams.IsDefaultOrEmpty && plan.Children.Count == 0;

    private static bool Supported(InputShape shape, HashSet<string> used) => shape.Kind == ShapeKind.Object && SupportedObject(shape, used);

    private static bool SupportedObject(InputShape shape, HashSet<string> used)
    {
        foreach (var (name, property) in shape.Properties)
        {
            var ok = property.Kind switch
            {
                ShapeKind.Bool or ShapeKind.Long or ShapeKind.Double => !property.Nullable,
                ShapeKind.String => true,
                ShapeKind.Object => SupportedObject(property, used),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        // The generated class would get an alias property for such a name (RulesEngine resolves members ignoring case).
        return !used.Any(u => !shape.Properties.Any(p => p.Name == u) && shape.Properties.Any(p => string.Equals(p.Name, u, StringComparison.OrdinalIgnoreCase)));
    }

    private static Type[] EmitTypes(ImmutableArray<InputParameter> parameters)
    {
        var name = new AssemblyName("SlaPolicyQuickInputs_" + Interlocked.Increment(ref _assemblies).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var module = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.Run).DefineDynamicModule(name.Name!);
        return [.. parameters.Select(p => EmitClass(module, p.Name, p.Shape))];
    }

    /// <summary>The class <see cref="InputShape.TypeName"/> declares for <paramref name="shape"/>: same name, same properties, in order.</summary>
    private static Type EmitClass(ModuleBuilder module, string className, InputShape shape)
    {
        var propertyTypes = shape.Properties.Select(p => p.Shape.Kind switch
        {
            ShapeKind.Bool => typeof(bool),
            ShapeKind.Long => typeof(long),
            ShapeKind.Double => typeof(double),
            ShapeKind.String => typeof(string),
            _ => EmitClass(module, className + "_" + p.Name, p.Shape),
        }).ToArray();
        var type = module.DefineType(ExpressionSandbox.GeneratedInputsNamespace + "." + className, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
        type.DefineDefaultConstructor(MethodAttributes.Public);
        for (var i = 0; i < propertyTypes.Length; i++)
        {
            var propertyName = shape.Properties[i].Name;
            var field = type.DefineField("<" + propertyName + ">k__BackingField", propertyTypes[i], FieldAttributes.Private);
            var property = type.DefineProperty(propertyName, PropertyAttributes.None, propertyTypes[i], null);
            const MethodAttributes accessor = MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig;
            var get = type.DefineMethod("get_" + propertyName, accessor, propertyTypes[i], Type.EmptyTypes);
            var il = get.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ret);
            var set = type.DefineMethod("set_" + propertyName, accessor, null, [propertyTypes[i]]);
            il = set.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Stfld, field);
            il.Emit(OpCodes.Ret);
            property.SetGetMethod(get);
            property.SetSetMethod(set);
        }

        return type.CreateType();
    }

    /// <summary>The expression tree of <paramref name="syntax"/>, or null when it is outside the accepted forms.</summary>
    internal static Expression? Translate(ExpressionSyntax syntax, IReadOnlyDictionary<string, ParameterExpression> inputs)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Translate(parenthesized.Expression, inputs);
            case IdentifierNameSyntax identifier:
                return inputs.TryGetValue(identifier.Identifier.ValueText, out var input) ? input : null;
            case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Name: IdentifierNameSyntax name } access:
                {
                    if (Translate(access.Expression, inputs) is not { } receiver || receiver.Type.Namespace != ExpressionSandbox.GeneratedInputsNamespace)
                    {
                        return null;
                    }

                    var property = receiver.Type.GetProperty(name.Identifier.ValueText, BindingFlags.Public | BindingFlags.Instance);
                    return property is null || property.Name != name.Identifier.ValueText ? null : Expression.Property(receiver, property);
                }

            case LiteralExpressionSyntax literal:
                return literal.Kind() switch
                {
                    SyntaxKind.TrueLiteralExpression => Expression.Constant(true),
                    SyntaxKind.FalseLiteralExpression => Expression.Constant(false),
                    SyntaxKind.StringLiteralExpression when literal.Token.Value is string text => Expression.Constant(text, typeof(string)),
                    SyntaxKind.NumericLiteralExpression when literal.Token.Value is int or long or double => Expression.Constant(literal.Token.Value),
                    _ => null,
                };
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not:
                return Translate(not.Operand, inputs) is { } operand && operand.Type == typeof(bool) ? Expression.Not(operand) : null;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } number }:
                // A negative literal: C# folds it to a constant of the literal's type.
                return number.Token.Value switch
                {
                    int i => Expression.Constant(-i),
                    long l => Expression.Constant(-l),
                    double d => Expression.Constant(-d),
                    _ => null,
                };
            case BinaryExpressionSyntax binary:
                return Binary(binary, inputs);
            case ConditionalExpressionSyntax conditional:
                {
                    if (Translate(conditional.Condition, inputs) is not { } test || test.Type != typeof(bool)
                        || Translate(conditional.WhenTrue, inputs) is not { } whenTrue || Translate(conditional.WhenFalse, inputs) is not { } whenFalse)
                    {
                        return null;
                    }

                    // Both branches of one type, or numbers of the wider one (C#'s better conversion among int, long, double).
                    var type = whenTrue.Type == whenFalse.Type ? whenTrue.Type : Promoted(whenTrue.Type, whenFalse.Type);
                    return type is null ? null : Expression.Condition(test, Widen(whenTrue, type), Widen(whenFalse, type));
                }
            default:
                return null;
        }
    }

    private static Expression? Binary(BinaryExpressionSyntax binary, IReadOnlyDictionary<string, ParameterExpression> inputs)
    {
        if (Translate(binary.Left, inputs) is not { } left || Translate(binary.Right, inputs) is not { } right)
        {
            return null;
        }

        var kind = binary.Kind();
        if (kind is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression)
        {
            return left.Type == typeof(bool) && right.Type == typeof(bool)
                ? kind == SyntaxKind.LogicalAndExpression ? Expression.AndAlso(left, right) : Expression.OrElse(left, right)
                : null;
        }

        if (kind is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression)
        {
            // Unchecked, as the compiled rules are; two constants would be folded (and checked) by the C# compiler.
            if (left is ConstantExpression && right is ConstantExpression || Promoted(left.Type, right.Type) is not { } numeric)
            {
                return null;
            }

            (left, right) = (Widen(left, numeric), Widen(right, numeric));
            return kind switch
            {
                SyntaxKind.AddExpression => Expression.Add(left, right),
                SyntaxKind.SubtractExpression => Expression.Subtract(left, right),
                SyntaxKind.MultiplyExpression => Expression.Multiply(left, right),
                SyntaxKind.DivideExpression => Expression.Divide(left, right),
                _ => Expression.Modulo(left, right),
            };
        }

        var equality = kind is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression;
        var ordering = kind is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression;
        if (!equality && !ordering)
        {
            return null;
        }

        if (left.Type == typeof(string) && right.Type == typeof(string))
        {
            // Text against a literal (two computed strings would take a budget charge: not this tier).
            return equality && (left is ConstantExpression || right is ConstantExpression)
                ? kind == SyntaxKind.EqualsExpression ? Expression.Equal(left, right, false, StringEquals) : Expression.NotEqual(left, right, false, StringNotEquals)
                : null;
        }

        if (left.Type == typeof(bool) && right.Type == typeof(bool))
        {
            return !equality ? null : kind == SyntaxKind.EqualsExpression ? Expression.Equal(left, right) : Expression.NotEqual(left, right);
        }

        if (Promoted(left.Type, right.Type) is not { } type)
        {
            return null;
        }

        (left, right) = (Widen(left, type), Widen(right, type));
        return kind switch
        {
            SyntaxKind.EqualsExpression => Expression.Equal(left, right),
            SyntaxKind.NotEqualsExpression => Expression.NotEqual(left, right),
            SyntaxKind.LessThanExpression => Expression.LessThan(left, right),
            SyntaxKind.LessThanOrEqualExpression => Expression.LessThanOrEqual(left, right),
            SyntaxKind.GreaterThanExpression => Expression.GreaterThan(left, right),
            _ => Expression.GreaterThanOrEqual(left, right),
        };
    }

    private static Expression Widen(Expression value, Type type) => value.Type == type ? value : Expression.Convert(value, type);

    /// <summary>C#'s binary numeric promotion over <c>int</c>, <c>long</c> and <c>double</c>.</summary>
    private static Type? Promoted(Type a, Type b)
    {
        static int Rank(Type t) => t == typeof(int) ? 1 : t == typeof(long) ? 2 : t == typeof(double) ? 3 : 0;
        var (ra, rb) = (Rank(a), Rank(b));
        return ra == 0 || rb == 0 ? null : Math.Max(ra, rb) switch { 1 => typeof(int), 2 => typeof(long), _ => typeof(double) };
    }
}

/// <summary>
/// A workflow that starts on its expression trees (<see cref="QuickTier"/>) and runs values bound after the Roslyn
/// compilation finished on the compiled rules. Which one runs is decided by the values' types, never by the time:
/// a value bound to a quick-start input type always runs on the expression trees, and the two give the same results.
/// </summary>
internal sealed class TieredWorkflowRunner(WorkflowExecutor<object?[]> quick, Type[] quickTypes) : IWorkflowRunner<object?[]>
{
    private volatile WorkflowExecutor<object?[]>? _compiled;

    public Workflow Workflow => quick.Workflow;

    /// <summary>True once the Roslyn-compiled rules run values bound to their types.</summary>
    public bool Promoted => _compiled is not null;

    public void Promote(WorkflowExecutor<object?[]> compiled) => _compiled = compiled;

    public WorkflowOutcome Run(in object?[] inputs, string? targetId) => For(inputs).Run(in inputs, targetId);

    public IReadOnlyList<RuleResult> Execute(in object?[] inputs, string? targetId) => For(inputs).Execute(in inputs, targetId);

    private WorkflowExecutor<object?[]> For(object?[]? inputs)
    {
        var compiled = _compiled;
        if (compiled is null)
        {
            return quick;
        }

        for (var i = 0; inputs is not null && i < inputs.Length && i < quickTypes.Length; i++)
        {
            if (inputs[i] is { } value && value.GetType() == quickTypes[i])
            {
                return quick;
            }
        }

        return compiled;
    }
}
