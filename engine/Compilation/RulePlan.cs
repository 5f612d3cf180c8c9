using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>One expression text as written, and where it starts in its file.</summary>
internal sealed record ExpressionSlot(int Id, ExpressionText Text, SourceLocation Start, SourceLocation Fallback, bool IsPredicate);

/// <summary>A generated method: which class, its parameters in scope and its main expression.</summary>
internal sealed class MethodPlan(string className, string name, int primarySlot, string returnType, bool traced, ImmutableArray<(string Name, ExpressionSlot Slot)> scope)
{
    public string ClassName { get; } = className;

    public string Name { get; } = name;

    public string Key => ClassName + "." + Name;

    public int PrimarySlot { get; } = primarySlot;

    /// <summary><c>bool</c> for a rule's predicate, <c>object</c> for an action's output.</summary>
    public string ReturnType { get; } = returnType;

    /// <summary>True for the variant that also stores each parameter's value for the trace.</summary>
    public bool Traced { get; } = traced;

    /// <summary>The parameters in scope, in order: each becomes a local the body can read.</summary>
    public ImmutableArray<(string Name, ExpressionSlot Slot)> Scope { get; } = scope;

    public List<int> Slots { get; } = [];
}


/// <summary>The generated methods of one rule, and its nested rules.</summary>
internal sealed class RulePlan(RuleDefinition rule)
{
    public RuleDefinition Rule { get; } = rule;

    public MethodPlan? Predicate { get; set; }

    public MethodPlan? Traced { get; set; }

    public MethodPlan? OnSuccessOutput { get; set; }

    public MethodPlan? OnFailureOutput { get; set; }

    public ExpressionSlot? PredicateSlot { get; set; }

    public ImmutableArray<string> ScopeNames { get; set; } = [];

    public List<RulePlan> Children { get; } = [];
}

internal sealed class WorkflowPlan(Workflow workflow, string className, ImmutableArray<RuleDefinition> rules)
{
    public Workflow Workflow { get; } = workflow;

    public string ClassName { get; } = className;

    public ImmutableArray<RuleDefinition> Rules { get; } = rules;

    public List<RulePlan> RulePlans { get; } = [];
}

/// <summary>How generated methods receive their inputs.</summary>
internal sealed class InputSignature
{
    private InputSignature(string parameterType, string prologue, ImmutableArray<string> rootNames, string declarations, ImmutableArray<InputParameter> parameters, ImmutableArray<string> usedMembers = default)
    {
        UsedMembers = usedMembers.IsDefault ? [] : usedMembers;
        ParameterType = parameterType;
        Prologue = prologue;
        RootNames = rootNames;
        Declarations = declarations;
        Parameters = parameters;
    }

    public string ParameterType { get; }

    public string Prologue { get; }

    public ImmutableArray<string> RootNames { get; }

    public string Declarations { get; }

    public ImmutableArray<InputParameter> Parameters { get; }

    /// <summary>Identifiers written right after a dot in the expressions: the member names the input classes are given aliases for.</summary>
    public ImmutableArray<string> UsedMembers { get; }

    public static InputSignature Policy { get; } = new(
        "global::SlaPolicy.Engine.Compilation.RuleInputs",
        "global::SlaPolicy.Engine.Inputs.CaseRecord ticket = __in.Ticket;\n" +
        "global::SlaPolicy.Engine.Clocks.ClockResult clock = __in.Clock;\n" +
        "global::SlaPolicy.Engine.Policies.TargetTerm target = __in.Target;\n" +
        "global::SlaPolicy.Engine.Policies.Policy policy = __in.Policy;\n" +
        "global::SlaPolicy.Engine.Compilation.AvailabilityPeriod period = __in.Period;\n",
        ["ticket", "clock", "target", "policy", "period"],
        string.Empty,
        []);

    public static InputSignature ForParameters(ImmutableArray<InputParameter> parameters, IEnumerable<string> expressions)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in expressions)
        {
            CollectMemberNames(text, used);
        }

        var classes = new StringBuilder();
        var prologue = new StringBuilder();
        var types = new StringBuilder();
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var type = p.Shape.TypeName(p.Name, classes, used);
            prologue.Append(type).Append(' ').Append(InputShape.Escape(p.Name)).Append(" = (").Append(type).Append(")__in[")
                .Append(i.ToString(CultureInfo.InvariantCulture)).Append("];\n");
            types.Append("typeof(").Append(type).Append("), ");
        }

        classes.Append("public static class __InputTypes\n{\n    public static readonly global::System.Type[] All = { ").Append(types).Append("};\n}\n");
        return new InputSignature("object[]", prologue.ToString(), [.. parameters.Select(p => p.Name)], classes.ToString(), parameters, [.. used.Order(StringComparer.Ordinal)]);
    }

    /// <summary>Identifiers written right after a dot: candidate member names for case-insensitive aliases.</summary>
    private static void CollectMemberNames(string text, HashSet<string> names)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '.')
            {
                continue;
            }

            var j = i + 1;
            while (j < text.Length && char.IsWhiteSpace(text[j]))
            {
                j++;
            }

            var start = j;
            while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
            {
                j++;
            }

            if (j > start && !char.IsDigit(text[start]))
            {
                names.Add(text[start..j]);
            }
        }
    }
}

/// <summary>
/// Plans the one generated compilation of a policy set: a static class per workflow, a static method per expression.
/// The plan holds expressions as text until <see cref="RuleCompiler"/> parses each alone; <see cref="GeneratedSource"/>
/// then builds the compilation unit from syntax nodes, so no text of a policy file is ever pasted into source code.
/// </summary>
internal sealed class SourcePlan
{
    private readonly StringBuilder _identity = new();
    private readonly InputSignature _signature;
    private int _methodCounter;

    public SourcePlan(InputSignature signature)
    {
        _signature = signature;
        _identity.Append(signature.ParameterType).Append('\n').Append(signature.Prologue).Append(signature.Declarations);
    }

    public List<ExpressionSlot> Slots { get; } = [];

    public List<MethodPlan> Methods { get; } = [];

    public List<WorkflowPlan> Workflows { get; } = [];

    /// <summary>Parameter slots whose name is not a C# identifier, with that name.</summary>
    public Dictionary<int, string> InvalidNames { get; } = [];

    public InputSignature Signature => _signature;

    /// <summary>
    /// A description of everything the generated code is made of: each expression as its length and text, each method
    /// as its name and the slots it reads. Equal descriptions give equal assemblies; it is the cache key.
    /// </summary>
    public string Text => _identity.ToString();

    public void AddWorkflow(Workflow workflow, ImmutableArray<RuleDefinition> rules)
    {
        var plan = new WorkflowPlan(workflow, "W" + Workflows.Count.ToString(CultureInfo.InvariantCulture), rules);
        Workflows.Add(plan);
        _identity.Append("class ").Append(plan.ClassName).Append('\n');
        var globals = new List<(string Name, ExpressionSlot Slot)>();
        foreach (var g in workflow.GlobalParams.IsDefault ? [] : workflow.GlobalParams)
        {
            globals.Add(ParamSlot(g, workflow.Location));
        }

        foreach (var rule in rules)
        {
            plan.RulePlans.Add(PlanRule(plan, rule, globals));
        }
    }

    private RulePlan PlanRule(WorkflowPlan workflow, RuleDefinition rule, List<(string Name, ExpressionSlot Slot)> inherited)
    {
        var plan = new RulePlan(rule);
        var scope = new List<(string Name, ExpressionSlot Slot)>(inherited);
        foreach (var local in rule.LocalParams.IsDefault ? [] : rule.LocalParams)
        {
            scope.Add(ParamSlot(local, rule.Location));
        }

        plan.ScopeNames = [.. scope.Select(s => s.Name)];
        if (rule.IsNested)
        {
            foreach (var child in rule.Rules.IsDefault ? [] : rule.Rules)
            {
                plan.Children.Add(PlanRule(workflow, child, scope));
            }
        }
        else if (rule.Expression is not null)
        {
            var slot = NewSlot(rule.Expression, rule.ExpressionLocation, rule.Location, isPredicate: true);
            plan.PredicateSlot = slot;
            plan.Predicate = AddMethod(workflow.ClassName, "E", "bool", scope, slot, traced: false);
            if (scope.Count > 0)
            {
                plan.Traced = AddMethod(workflow.ClassName, "T", "bool", scope, slot, traced: true);
            }
        }

        plan.OnSuccessOutput = OutputMethod(workflow, rule.OnSuccess, rule.Location, scope);
        plan.OnFailureOutput = OutputMethod(workflow, rule.OnFailure, rule.Location, scope);
        return plan;
    }

    private MethodPlan? OutputMethod(WorkflowPlan workflow, RuleAction? action, SourceLocation fallback, List<(string Name, ExpressionSlot Slot)> scope)
    {
        if (action is null || action.Name != RuleActions.OutputExpression)
        {
            return null;
        }

        var key = action.Context.Keys.FirstOrDefault(k => string.Equals(k, "Expression", StringComparison.OrdinalIgnoreCase));
        if (key is null)
        {
            return null;
        }

        var start = action.ContextLocations.TryGetValue(key, out var location) ? location : SourceLocation.None;
        var slot = NewSlot(action.Context[key], start, fallback, isPredicate: false);
        return AddMethod(workflow.ClassName, "O", "object", scope, slot, traced: false);
    }

    private (string Name, ExpressionSlot Slot) ParamSlot(LocalParam parameter, SourceLocation fallback)
    {
        var slot = NewSlot(parameter.Expression, parameter.ExpressionLocation, fallback, isPredicate: false);
        if (!IsIdentifier(parameter.Name))
        {
            // A name that is not an identifier never becomes one: the slot is reported and its methods not compiled.
            InvalidNames[slot.Id] = parameter.Name;
            return ("__invalid" + slot.Id.ToString(CultureInfo.InvariantCulture), slot);
        }

        return (parameter.Name, slot);
    }

    /// <summary>
    /// True when <paramref name="name"/> is a plain C# identifier: letters, digits and underscores, not starting with a
    /// digit, not a keyword and not starting with the <c>__</c> of generated names.
    /// </summary>
    internal static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 128 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || char.IsLetter(c))
        && !name.StartsWith("__", StringComparison.Ordinal) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None
        && SyntaxFacts.IsValidIdentifier(name);

    private ExpressionSlot NewSlot(string text, SourceLocation start, SourceLocation fallback, bool isPredicate)
    {
        var slot = new ExpressionSlot(Slots.Count, ExpressionText.Rewrite(text), start, fallback, isPredicate);
        Slots.Add(slot);
        _identity.Append("slot ").Append(slot.Id.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(slot.Text.Rewritten.Length.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(slot.Text.Rewritten).Append('\n');
        return slot;
    }

    private MethodPlan AddMethod(string className, string prefix, string returnType, List<(string Name, ExpressionSlot Slot)> scope, ExpressionSlot body, bool traced)
    {
        var method = new MethodPlan(className, prefix + (_methodCounter++).ToString(CultureInfo.InvariantCulture), body.Id, returnType, traced, [.. scope]);
        Methods.Add(method);
        _identity.Append("method ").Append(method.Key).Append(' ').Append(returnType).Append(traced ? " traced" : string.Empty);
        foreach (var (name, slot) in scope)
        {
            method.Slots.Add(slot.Id);
            _identity.Append(' ').Append(name).Append('=').Append(slot.Id.ToString(CultureInfo.InvariantCulture));
        }

        method.Slots.Add(body.Id);
        _identity.Append(" return ").Append(body.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return method;
    }
}
