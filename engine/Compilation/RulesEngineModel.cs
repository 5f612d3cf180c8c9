using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SlaPolicy.Engine.Policies;
using Model = RulesEngine.Models;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The compiled workflows as Microsoft RulesEngine's own model (<see cref="Model.Workflow"/>, <see cref="Model.Rule"/>):
/// what <c>compile --show</c> prints and what the <c>rulesengine</c> executor runs. A rule's provenance goes into its
/// <c>Properties</c> (<c>DefinedBy</c>, <c>Source</c> as <c>file:line:col</c>), a field RulesEngine carries and ignores.
/// </summary>
public static class RulesEngineModel
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Expressions are shown as written: `&&` and `"` stay readable instead of becoming \u0026 and \u0022.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The RulesEngine workflow of <paramref name="workflow"/>: same names, rules, parameters and injections.</summary>
    public static Model.Workflow ToModel(Workflow workflow) => new()
    {
        WorkflowName = workflow.WorkflowName,
        WorkflowsToInject = workflow.WorkflowsToInject.IsDefaultOrEmpty ? null : [.. workflow.WorkflowsToInject],
        GlobalParams = Params(workflow.GlobalParams),
        Rules = [.. (workflow.Rules.IsDefault ? [] : workflow.Rules).Select(ToModel)],
    };

    /// <summary>The RulesEngine rule of <paramref name="rule"/>, its nested rules included.</summary>
    public static Model.Rule ToModel(RuleDefinition rule) => new()
    {
        RuleName = rule.RuleName,
        Expression = rule.Expression,
        SuccessEvent = rule.SuccessEvent,
        ErrorMessage = rule.ErrorMessage,
        Enabled = rule.Enabled,
        Operator = rule.Operator,
        RuleExpressionType = Model.RuleExpressionType.LambdaExpression,
        Rules = rule.Rules.IsDefaultOrEmpty ? null : [.. rule.Rules.Select(ToModel)],
        LocalParams = Params(rule.LocalParams),
        Actions = rule.OnSuccess is null && rule.OnFailure is null ? null : new Model.RuleActions { OnSuccess = Action(rule.OnSuccess), OnFailure = Action(rule.OnFailure) },
        Properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["DefinedBy"] = rule.DefinedBy,
            ["Source"] = rule.Location.ToString(),
        },
    };

    /// <summary>Indented JSON of a RulesEngine workflow, as RulesEngine reads it (enum names as text, nulls left out).</summary>
    public static string Serialize(Model.Workflow workflow) => JsonSerializer.Serialize(workflow, Indented);

    private static List<Model.ScopedParam>? Params(ImmutableArray<LocalParam> parameters) =>
        parameters.IsDefaultOrEmpty ? null : [.. parameters.Select(p => new Model.ScopedParam { Name = p.Name, Expression = p.Expression })];

    private static Model.ActionInfo? Action(RuleAction? action) => action is null
        ? null
        : new Model.ActionInfo
        {
            Name = action.Name,
            Context = action.Context.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal),
        };
}
