using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>One expression text as written, and where it starts in its file.</summary>
internal sealed record ExpressionSlot(int Id, ExpressionText Text, SourceLocation Start, SourceLocation Fallback, bool IsPredicate);

/// <summary>A generated method: which class, its text range in the generated source, and its main expression.</summary>
internal sealed class MethodPlan(string className, string name, int primarySlot)
{
    public string ClassName { get; } = className;

    public string Name { get; } = name;

    public string Key => ClassName + "." + Name;

    public int PrimarySlot { get; } = primarySlot;

    public int Start { get; set; }

    public int End { get; set; }

    public List<int> Slots { get; } = [];
}

/// <summary>Where an expression's text was inserted into the generated source.</summary>
internal readonly record struct Insertion(int Start, int Length, int Slot, MethodPlan Method);

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
    private InputSignature(string parameterType, string prologue, ImmutableArray<string> rootNames, string declarations, ImmutableArray<InputParameter> parameters)
    {
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
        return new InputSignature("object[]", prologue.ToString(), [.. parameters.Select(p => p.Name)], classes.ToString(), parameters);
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
/// Builds the one generated C# source of a compilation: a static class per workflow, a static method per
/// expression. Each expression's text is placed on lines of its own, so its start offset is known exactly.
/// </summary>
internal sealed class SourcePlan
{
    private readonly StringBuilder _source = new();
    private readonly InputSignature _signature;
    private int _methodCounter;

    public SourcePlan(InputSignature signature)
    {
        _signature = signature;
        _source.Append("// generated by SlaPolicy; one method per rule expression\n#nullable disable\n")
            .Append("namespace ").Append(ExpressionSandbox.GeneratedInputsNamespace).Append("\n{\n")
            .Append(signature.Declarations).Append("}\n")
            .Append("namespace ").Append(ExpressionSandbox.GeneratedNamespace).Append("\n{\n")
            .Append("using System;\nusing System.Linq;\nusing System.Collections.Generic;\n");
    }

    public List<ExpressionSlot> Slots { get; } = [];

    public List<Insertion> Insertions { get; } = [];

    public List<MethodPlan> Methods { get; } = [];

    public List<WorkflowPlan> Workflows { get; } = [];

    /// <summary>Parameter slots whose name is not a C# identifier, with that name.</summary>
    public Dictionary<int, string> InvalidNames { get; } = [];

    public InputSignature Signature => _signature;

    public string Text => _source.ToString();

    public void AddWorkflow(Workflow workflow, ImmutableArray<RuleDefinition> rules)
    {
        var plan = new WorkflowPlan(workflow, "W" + Workflows.Count.ToString(CultureInfo.InvariantCulture), rules);
        Workflows.Add(plan);
        _source.Append("public static class ").Append(plan.ClassName).Append("\n{\n");
        var globals = new List<(string Name, ExpressionSlot Slot)>();
        foreach (var g in workflow.GlobalParams.IsDefault ? [] : workflow.GlobalParams)
        {
            globals.Add(ParamSlot(g, workflow.Location));
        }

        foreach (var rule in rules)
        {
            plan.RulePlans.Add(PlanRule(plan, rule, globals));
        }

        _source.Append("}\n");
    }

    public void Finish() => _source.Append("}\n");

    private RulePlan PlanRule(WorkflowPlan workflow, RuleDefinition rule, List<(string Name, ExpressionSlot Slot)> inherited)
    {
        var plan = new RulePlan(rule);
        var scope = new List<(string Name, ExpressionSlot Slot)>(inherited);
        foreach (var local in rule.LocalParams.IsDefault ? [] : rule.LocalParams)
        {
            scope.Add(ParamSlot(local, rule.Location));
        }

        plan.ScopeNames = [.. scope.Select(s => s.Name)];
        var nested = rule.Operator is not null || !rule.Rules.IsDefaultOrEmpty;
        if (nested)
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
            plan.Predicate = EmitMethod(workflow.ClassName, "E", "bool", scope, slot, traced: false);
            if (scope.Count > 0)
            {
                plan.Traced = EmitMethod(workflow.ClassName, "T", "bool", scope, slot, traced: true);
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
        return EmitMethod(workflow.ClassName, "O", "object", scope, slot, traced: false);
    }

    private (string Name, ExpressionSlot Slot) ParamSlot(LocalParam parameter, SourceLocation fallback)
    {
        var slot = NewSlot(parameter.Expression, parameter.ExpressionLocation, fallback, isPredicate: false);
        if (!IsIdentifier(parameter.Name))
        {
            // Never paste a name that is not an identifier into the source: it could carry code.
            InvalidNames[slot.Id] = parameter.Name;
            return ("__invalid" + slot.Id.ToString(CultureInfo.InvariantCulture), slot);
        }

        return (parameter.Name, slot);
    }

    internal static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private ExpressionSlot NewSlot(string text, SourceLocation start, SourceLocation fallback, bool isPredicate)
    {
        var slot = new ExpressionSlot(Slots.Count, ExpressionText.Rewrite(text), start, fallback, isPredicate);
        Slots.Add(slot);
        return slot;
    }

    private MethodPlan EmitMethod(string className, string prefix, string returnType, List<(string Name, ExpressionSlot Slot)> scope, ExpressionSlot body, bool traced)
    {
        var method = new MethodPlan(className, prefix + (_methodCounter++).ToString(CultureInfo.InvariantCulture), body.Id);
        Methods.Add(method);
        method.Start = _source.Length;
        _source.Append("public static ").Append(returnType).Append(' ').Append(method.Name).Append("(in ").Append(_signature.ParameterType).Append(" __in")
            .Append(traced ? ", object[] __p" : string.Empty).Append(")\n{\n").Append(_signature.Prologue);
        for (var i = 0; i < scope.Count; i++)
        {
            var (name, slot) = scope[i];
            _source.Append("var ").Append(name).Append(" =\n");
            Insert(slot, method);
            _source.Append("\n;\n");
            if (traced)
            {
                _source.Append("__p[").Append(i.ToString(CultureInfo.InvariantCulture)).Append("] = ").Append(name).Append(";\n");
            }
        }

        _source.Append("return\n");
        Insert(body, method);
        _source.Append("\n;\n}\n");
        method.End = _source.Length;
        return method;
    }

    private void Insert(ExpressionSlot slot, MethodPlan method)
    {
        Insertions.Add(new Insertion(_source.Length, slot.Text.Rewritten.Length, slot.Id, method));
        method.Slots.Add(slot.Id);
        _source.Append(slot.Text.Rewritten);
    }
}
