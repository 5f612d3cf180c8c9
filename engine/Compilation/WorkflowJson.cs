using System.Collections.Immutable;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// Reads and writes workflows in Microsoft RulesEngine's JSON format. Reading keeps file, line and column of
/// every rule and of the first character of every expression, so compiler errors point into the text.
/// </summary>
public static class WorkflowJson
{
    private static readonly string[] WorkflowProperties = ["WorkflowName", "Rules", "GlobalParams", "WorkflowsToInject", "RuleExpressionType"];

    private static readonly string[] RuleProperties =
    [
        "RuleName", "Expression", "SuccessEvent", "ErrorMessage", "ErrorType", "Enabled", "Operator", "Rules", "LocalParams",
        "Actions", "RuleExpressionType", "Properties", "WorkflowsToInject",
    ];

    /// <summary>
    /// Writes one workflow as indented RulesEngine JSON, through RulesEngine's own model (<see cref="RulesEngineModel"/>).
    /// Rule provenance goes into each rule's <c>Properties</c> (<c>DefinedBy</c>, <c>Source</c>).
    /// </summary>
    public static string Serialize(Workflow workflow) => RulesEngineModel.Serialize(RulesEngineModel.ToModel(workflow));

    /// <summary>
    /// Reads a RulesEngine workflow file: an array of workflows or a single workflow object. Every problem is
    /// added to <paramref name="diagnostics"/> with file, line and column; workflows that could be read are
    /// returned even when others could not.
    /// </summary>
    /// <param name="json">The file's text (comments allowed).</param>
    /// <param name="file">The path reported in diagnostics and locations.</param>
    /// <param name="diagnostics">Receives reading errors.</param>
    public static ImmutableArray<Workflow> Parse(string json, string file, DiagnosticBag diagnostics)
    {
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
            root = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, CommentHandling = CommentHandling.Ignore, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
        }
        catch (JsonReaderException ex)
        {
            diagnostics.Add(DiagnosticCatalog.MalformedJson, new SourceLocation(file, ex.LineNumber, ex.LinePosition), FirstSentence(ex.Message));
            return [];
        }

        var context = new ReadContext(file, json, diagnostics);
        var items = root switch
        {
            JArray array => array.Children().ToList(),
            JObject obj => [obj],
            _ => null,
        };
        if (items is null)
        {
            diagnostics.Add(DiagnosticCatalog.WrongType, context.At(root), "a workflow file holds a workflow object or an array of them");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<Workflow>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item is not JObject obj)
            {
                diagnostics.Add(DiagnosticCatalog.WrongType, context.At(item), "a workflow must be an object");
                continue;
            }

            var workflow = ReadWorkflow(obj, context);
            if (workflow is null)
            {
                continue;
            }

            if (!names.Add(workflow.WorkflowName))
            {
                diagnostics.Add(DiagnosticCatalog.DuplicateWorkflowName, workflow.Location, $"workflow `{workflow.WorkflowName}` is defined twice");
                continue;
            }

            result.Add(workflow);
        }

        return result.ToImmutable();
    }

    private static Workflow? ReadWorkflow(JObject obj, ReadContext context)
    {
        CheckProperties(obj, WorkflowProperties, context);
        CheckExpressionType(obj, context);
        var name = context.String(obj, "WorkflowName", required: true);
        var globals = ReadParams(obj, "GlobalParams", context);
        var inject = ReadStrings(obj, "WorkflowsToInject", context);
        var rules = ReadRules(obj, "Rules", context, "workflow", name ?? "?");
        if (name is null)
        {
            return null;
        }

        if (rules.IsEmpty && inject.IsEmpty)
        {
            context.Diagnostics.Add(DiagnosticCatalog.EmptyWorkflow, context.At(obj), $"workflow `{name}` has no rules and injects no workflow");
        }

        return new Workflow(name, rules, globals, inject, context.At(obj));
    }

    /// <summary>The array <paramref name="property"/> of <paramref name="owner"/>: empty when absent or null, and SLA1003 when not an array.</summary>
    private static JArray? ArrayOf(JObject owner, string property, ReadContext context, string mustBe)
    {
        if (!owner.TryGetValue(property, out var token) || token.Type == JTokenType.Null)
        {
            return [];
        }

        if (token is JArray array)
        {
            return array;
        }

        context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(token), $"`{property}` {mustBe}");
        return null;
    }

    private static ImmutableArray<RuleDefinition> ReadRules(JObject owner, string property, ReadContext context, string ownerKind, string ownerName)
    {
        if (ArrayOf(owner, property, context, $"of {ownerKind} `{ownerName}` must be an array") is not { } array)
        {
            return [];
        }

        var rules = ImmutableArray.CreateBuilder<RuleDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is not JObject ruleObj)
            {
                context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(item), "a rule must be an object");
                continue;
            }

            var rule = ReadRule(ruleObj, context);
            if (rule is null)
            {
                continue;
            }

            if (!names.Add(rule.RuleName))
            {
                context.Diagnostics.Add(DiagnosticCatalog.DuplicateRuleName, rule.Location, $"rule `{rule.RuleName}` is defined twice in {ownerKind} `{ownerName}`");
            }

            rules.Add(rule);
        }

        return rules.ToImmutable();
    }

    /// <summary>
    /// <c>RuleExpressionType</c>, as RulesEngine reads it: the name <c>LambdaExpression</c> or its number <c>0</c> (what
    /// RulesEngine writes for a workflow); it is the only type there is.
    /// </summary>
    private static void CheckExpressionType(JObject obj, ReadContext context)
    {
        if (!obj.TryGetValue("RuleExpressionType", out var token) || token.Type == JTokenType.Null
            || token.Type == JTokenType.Integer && token.Value<long>() == 0
            || token.Type == JTokenType.String && string.Equals((string?)token, "LambdaExpression", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        context.Diagnostics.Add(DiagnosticCatalog.BadValue, context.At(token), $"`RuleExpressionType` `{Shorten(token.ToString(Newtonsoft.Json.Formatting.None))}` is not supported", "the only expression type is `LambdaExpression` (or 0)");
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static RuleDefinition? ReadRule(JObject obj, ReadContext context)
    {
        CheckProperties(obj, RuleProperties, context);
        var name = context.String(obj, "RuleName", required: true);
        var expression = context.String(obj, "Expression", required: false, out var expressionLocation);
        var successEvent = context.String(obj, "SuccessEvent", required: false);
        var errorMessage = context.String(obj, "ErrorMessage", required: false);
        var op = context.String(obj, "Operator", required: false);
        CheckExpressionType(obj, context);

        var enabled = true;
        if (obj.TryGetValue("Enabled", out var enabledToken) && enabledToken.Type != JTokenType.Null)
        {
            if (enabledToken.Type == JTokenType.Boolean)
            {
                enabled = enabledToken.Value<bool>();
            }
            else
            {
                context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(enabledToken), "`Enabled` must be `true` or `false`");
            }
        }

        var rules = ReadRules(obj, "Rules", context, "rule", name ?? "?");
        var localParams = ReadParams(obj, "LocalParams", context);
        RuleAction? onSuccess = null, onFailure = null;
        if (obj.TryGetValue("Actions", out var actionsToken) && actionsToken.Type != JTokenType.Null)
        {
            if (actionsToken is JObject actions)
            {
                CheckProperties(actions, ["OnSuccess", "OnFailure"], context);
                onSuccess = ReadAction(actions, "OnSuccess", context);
                onFailure = ReadAction(actions, "OnFailure", context);
            }
            else
            {
                context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(actionsToken), "`Actions` must be an object with `OnSuccess` and/or `OnFailure`");
            }
        }

        if (name is null)
        {
            return null;
        }

        if (op is not null && !RuleOperators.IsKnown(op))
        {
            context.Diagnostics.Add(DiagnosticCatalog.BadOperator, context.At(obj["Operator"]!), $"operator `{op}` of rule `{name}` is not known");
        }

        // As RulesEngine validates a rule: an `Operator` combines nested `Rules` (at least one); without an `Operator` a
        // rule is its `Expression`, and nested `Rules` would be dropped in silence, so they are refused.
        if (op is not null && rules.IsEmpty)
        {
            context.Diagnostics.Add(DiagnosticCatalog.MissingRuleBody, context.At(obj), $"rule `{name}` has `Operator` `{op}` but no nested `Rules` to combine");
        }
        else if (op is null && !rules.IsEmpty)
        {
            context.Diagnostics.Add(DiagnosticCatalog.NestedRulesWithoutOperator, context.At(obj),
                expression is null
                    ? $"rule `{name}` has nested `Rules` but no `Operator` to combine them"
                    : $"rule `{name}` has an `Expression` and nested `Rules` but no `Operator`: the nested rules would never run");
        }
        else if (op is null && expression is null)
        {
            context.Diagnostics.Add(DiagnosticCatalog.MissingRuleBody, context.At(obj), $"rule `{name}` has neither `Expression` nor nested `Rules`");
        }

        return new RuleDefinition(name, expression, successEvent, errorMessage, enabled, op, rules, localParams, onSuccess, onFailure,
            context.At(obj), expressionLocation, context.File);
    }

    private static RuleAction? ReadAction(JObject actions, string property, ReadContext context)
    {
        if (!actions.TryGetValue(property, out var token) || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token is not JObject obj)
        {
            context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(token), $"`{property}` must be an object with `Name` and `Context`");
            return null;
        }

        CheckProperties(obj, ["Name", "Context"], context);
        var name = context.String(obj, "Name", required: true);
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        var locations = ImmutableDictionary.CreateBuilder<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        if (obj.TryGetValue("Context", out var contextToken) && contextToken is JObject contextObj)
        {
            foreach (var p in contextObj.Properties())
            {
                if (p.Value.Type == JTokenType.String)
                {
                    values[p.Name] = p.Value.Value<string>()!;
                    locations[p.Name] = context.StringStart(p.Value);
                }
                else
                {
                    // Non-string context values (e.g. EvaluateRule's additionalInputs) are kept as compact JSON.
                    values[p.Name] = p.Value.ToString(Formatting.None);
                    locations[p.Name] = context.At(p.Value);
                }
            }
        }

        if (name is null)
        {
            return null;
        }

        // Whether the action exists depends on the executor (custom actions are registered with the rulesengine one):
        // the compiler reports an unknown one (SLA5006).
        return new RuleAction(name, values.ToImmutable()) { ContextLocations = locations.ToImmutable(), Location = context.At(obj) };
    }

    private static ImmutableArray<LocalParam> ReadParams(JObject owner, string property, ReadContext context)
    {
        if (ArrayOf(owner, property, context, "must be an array of { Name, Expression }") is not { } array)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<LocalParam>();
        foreach (var item in array)
        {
            if (item is not JObject obj)
            {
                context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(item), "a parameter must be an object with `Name` and `Expression`");
                continue;
            }

            CheckProperties(obj, ["Name", "Expression"], context);
            var name = context.String(obj, "Name", required: true);
            var expression = context.String(obj, "Expression", required: true, out var location);
            if (name is not null && expression is not null)
            {
                if (result.Any(p => p.Name == name))
                {
                    // RulesEngine refuses the workflow; a second value under one name would hide the first.
                    context.Diagnostics.Add(DiagnosticCatalog.DuplicateParamName, context.At(obj), $"`{property}` names `{name}` twice");
                    continue;
                }

                result.Add(new LocalParam(name, expression, location));
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<string> ReadStrings(JObject owner, string property, ReadContext context)
    {
        if (!owner.TryGetValue(property, out var token) || token.Type == JTokenType.Null)
        {
            return [];
        }

        if (token is JArray array && array.All(t => t.Type == JTokenType.String))
        {
            return [.. array.Select(t => t.Value<string>()!)];
        }

        context.Diagnostics.Add(DiagnosticCatalog.WrongType, context.At(token), $"`{property}` must be an array of strings");
        return [];
    }

    private static void CheckProperties(JObject obj, string[] known, ReadContext context)
    {
        foreach (var p in obj.Properties().ToList())
        {
            if (Array.IndexOf(known, p.Name) >= 0)
            {
                continue;
            }

            // `localParams` for `LocalParams`: RulesEngine's users load files with Newtonsoft, which ignores case. Read
            // as the known name (unless that one is written too), with a warning.
            var sameIgnoringCase = known.FirstOrDefault(k => string.Equals(k, p.Name, StringComparison.OrdinalIgnoreCase));
            if (sameIgnoringCase is not null && obj.Property(sameIgnoringCase, StringComparison.Ordinal) is null)
            {
                context.Diagnostics.Add(DiagnosticCatalog.PropertyCase, context.At(p), $"`{p.Name}` is read as `{sameIgnoringCase}`", $"write `{sameIgnoringCase}`");
                var value = p.Value;
                p.Value = JValue.CreateNull();
                p.Replace(new JProperty(sameIgnoringCase, value));
                continue;
            }

            var suggestion = Suggestions.Closest(p.Name, known, maxDistance: 3);
            context.Diagnostics.Add(DiagnosticCatalog.UnknownProperty, context.At(p), $"unknown property `{p.Name}`", suggestion is null ? null : $"did you mean `{suggestion}`?");
        }
    }

    private static string FirstSentence(string message)
    {
        var text = message.Split(". Path", 2)[0].Split(", line", 2)[0].TrimEnd('.');
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    private sealed class ReadContext(string file, string json, DiagnosticBag diagnostics)
    {
        private string[]? _lines;

        public string File { get; } = file;

        public DiagnosticBag Diagnostics { get; } = diagnostics;

        public SourceLocation At(JToken token)
        {
            var info = (IJsonLineInfo)token;
            return info.HasLineInfo() ? new SourceLocation(File, info.LineNumber, info.LinePosition) : new SourceLocation(File, 0, 0);
        }

        public string? String(JObject obj, string property, bool required) => String(obj, property, required, out _);

        public string? String(JObject obj, string property, bool required, out SourceLocation start)
        {
            start = SourceLocation.None;
            if (!obj.TryGetValue(property, out var token) || token.Type == JTokenType.Null)
            {
                if (required)
                {
                    Diagnostics.Add(DiagnosticCatalog.MissingProperty, At(obj), $"required property `{property}` is missing");
                }

                return null;
            }

            if (token.Type != JTokenType.String)
            {
                Diagnostics.Add(DiagnosticCatalog.WrongType, At(token), $"`{property}` must be a string");
                return null;
            }

            start = StringStart(token);
            return token.Value<string>();
        }

        /// <summary>
        /// The location of the first character inside a string token's quotes. Newtonsoft reports the position
        /// after the closing quote; the opening quote is found by walking back over the raw text.
        /// </summary>
        public SourceLocation StringStart(JToken token)
        {
            var info = (IJsonLineInfo)token;
            if (!info.HasLineInfo())
            {
                return SourceLocation.None;
            }

            _lines ??= json.Split('\n');
            var lineIndex = info.LineNumber - 1;
            if (lineIndex < 0 || lineIndex >= _lines.Length)
            {
                return new SourceLocation(File, info.LineNumber, info.LinePosition);
            }

            var line = _lines[lineIndex];
            var close = Math.Min(info.LinePosition, line.Length) - 1;
            while (close >= 0 && (line[close] != '"' || IsEscaped(line, close)))
            {
                close--;
            }

            var open = close - 1;
            while (open >= 0 && (line[open] != '"' || IsEscaped(line, open)))
            {
                open--;
            }

            return open >= 0 ? new SourceLocation(File, info.LineNumber, open + 2) : new SourceLocation(File, info.LineNumber, info.LinePosition);
        }

        private static bool IsEscaped(string line, int index)
        {
            var backslashes = 0;
            for (var i = index - 1; i >= 0 && line[i] == '\\'; i--)
            {
                backslashes++;
            }

            return backslashes % 2 == 1;
        }
    }
}

/// <summary>Operators of nested rules, as RulesEngine spells them.</summary>
public static class RuleOperators
{
    /// <summary>True for <c>And</c>, <c>AndAlso</c>, <c>Or</c>, <c>OrElse</c> (case-insensitive, as RulesEngine).</summary>
    public static bool IsKnown(string op) => IsAnd(op) || IsOr(op);

    /// <summary>True for <c>And</c> and <c>AndAlso</c>: every enabled child must succeed.</summary>
    public static bool IsAnd(string op) => op.Equals("And", StringComparison.OrdinalIgnoreCase) || op.Equals("AndAlso", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for <c>Or</c> and <c>OrElse</c>: at least one enabled child must succeed.</summary>
    public static bool IsOr(string op) => op.Equals("Or", StringComparison.OrdinalIgnoreCase) || op.Equals("OrElse", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Names of the supported rule actions.</summary>
public static class RuleActions
{
    /// <summary>Evaluates the context's <c>Expression</c> and returns its value as the rule's action output.</summary>
    public const string OutputExpression = "OutputExpression";

    /// <summary>Runs the rule named by the context's <c>workflowName</c> and <c>ruleName</c>; its action output becomes this rule's.</summary>
    public const string EvaluateRule = "EvaluateRule";
}
