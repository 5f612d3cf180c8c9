using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>Names of the rules the compiler generates from a policy's terms.</summary>
public static class RuleNames
{
    public static string ForTarget(TargetTerm target) => WorkflowGenerator.TargetRulePrefix + target.Id;

    public static bool IsGenerated(string ruleName) =>
        ruleName.StartsWith(WorkflowGenerator.TargetRulePrefix, StringComparison.Ordinal)
        || ruleName.StartsWith(WorkflowGenerator.EscalationRulePrefix, StringComparison.Ordinal)
        || ruleName.StartsWith(WorkflowGenerator.CreditRulePrefix, StringComparison.Ordinal);
}
