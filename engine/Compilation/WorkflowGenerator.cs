using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// Turns a resolved <see cref="Policy"/> into its workflow: one generated rule per target, escalation step
/// and availability credit tier, followed by the policy's own <c>rules</c>. Generated rules carry the
/// location of the term they came from, so a decision points at the line an analyst wrote.
/// </summary>
/// <remarks>
/// Rule names and success events are stable (other parts read them):
/// <list type="bullet">
/// <item><c>target:&lt;id&gt;</c>: <c>clock.IsStopped &amp;&amp; clock.Elapsed &lt;= TimeSpan.FromMinutes(n)</c>, success event <c>met</c>.
/// It is evaluated only for the target passed in <see cref="RuleInputs.Target"/>.</item>
/// <item><c>escalation:&lt;id&gt;</c>: <c>clock.PercentUsed &gt;= at</c>, success event <c>escalate:N</c> or <c>&lt;action&gt;:&lt;to&gt;</c>.</item>
/// <item><c>credit:below-&lt;p&gt;</c>: <c>period != null &amp;&amp; period.AvailabilityPercent &lt; p</c>, success event <c>credit:&lt;percent&gt;</c>.</item>
/// </list>
/// </remarks>
public static class WorkflowGenerator
{
    /// <summary>Prefix of generated target rules.</summary>
    public const string TargetRulePrefix = "target:";

    /// <summary>Prefix of generated escalation rules.</summary>
    public const string EscalationRulePrefix = "escalation:";

    /// <summary>Prefix of generated credit-tier rules.</summary>
    public const string CreditRulePrefix = "credit:";

    /// <summary>The workflow name of a policy version: <c>policyId@version</c>.</summary>
    public static string WorkflowName(Policy policy) => $"{policy.Id}@{policy.Version}";

    /// <summary>Builds the workflow of one policy version.</summary>
    public static Workflow Generate(Policy policy)
    {
        var rules = ImmutableArray.CreateBuilder<RuleDefinition>();
        foreach (var target in policy.Targets)
        {
            // A business-day target's length differs per case: the clock carries it.
            var minutes = Number(target.Within.TotalMinutes);
            var businessDays = target.BusinessDays.ToString(CultureInfo.InvariantCulture);
            rules.Add(Generated(
                TargetRulePrefix + target.Id,
                target.BusinessDays > 0 ? "clock.IsStopped && clock.Elapsed <= clock.Within" : $"clock.IsStopped && clock.Elapsed <= TimeSpan.FromMinutes({minutes})",
                "met",
                target.BusinessDays > 0 ? $"target `{target.Id}` not met within {businessDays} business days" : $"target `{target.Id}` not met within {minutes} minutes",
                target.Location,
                target.DefinedBy));
        }

        foreach (var step in policy.Escalations)
        {
            var successEvent = step.Level is { } level && string.Equals(step.Action, "escalate", StringComparison.OrdinalIgnoreCase)
                ? $"escalate:{level.ToString(CultureInfo.InvariantCulture)}"
                : $"{step.Action}:{step.To ?? step.Level?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}";
            rules.Add(Generated(
                EscalationRulePrefix + step.Id,
                $"clock.PercentUsed >= {Number(step.AtPercent)}",
                successEvent,
                null,
                step.Location,
                step.DefinedBy));
        }

        if (policy.Availability is { } availability)
        {
            var serviceTest = new StringBuilder();
            if (!availability.Services.IsDefaultOrEmpty)
            {
                serviceTest.Append(" && (");
                for (var i = 0; i < availability.Services.Length; i++)
                {
                    serviceTest.Append(i == 0 ? string.Empty : " || ").Append("period.Service == ").Append(CSharpText.StringLiteral(availability.Services[i]));
                }

                serviceTest.Append(')');
            }

            foreach (var tier in availability.Credits)
            {
                rules.Add(Generated(
                    $"{CreditRulePrefix}below-{Number(tier.BelowPercent)}",
                    $"period != null{serviceTest} && period.AvailabilityPercent < {Number(tier.BelowPercent)}",
                    $"credit:{Number(tier.CreditPercent)}",
                    null,
                    tier.Location,
                    availability.DefinedBy));
            }
        }

        if (!policy.Rules.IsDefault)
        {
            rules.AddRange(policy.Rules);
        }

        return new Workflow(WorkflowName(policy), rules.ToImmutable(), [], [], policy.Location);
    }

    private static RuleDefinition Generated(string name, string expression, string successEvent, string? errorMessage, SourceLocation location, string definedBy) =>
        new(name, expression, successEvent, errorMessage, Enabled: true, Operator: null, Rules: [], LocalParams: [], OnSuccess: null, OnFailure: null,
            Location: location, ExpressionLocation: SourceLocation.None, DefinedBy: definedBy);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Small helpers for writing C# text.</summary>
internal static class CSharpText
{
    /// <summary>A regular C# string literal for <paramref name="value"/>, quotes included.</summary>
    public static string StringLiteral(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ' || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
