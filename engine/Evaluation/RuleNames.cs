using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>Names of the rules the compiler generates from a policy's terms.</summary>
public static class RuleNames
{
    public static string ForTarget(TargetTerm target) => "target:" + target.Id;

    public static bool IsGenerated(string ruleName) =>
        ruleName.StartsWith("target:", StringComparison.Ordinal)
        || ruleName.StartsWith("escalation:", StringComparison.Ordinal)
        || ruleName.StartsWith("credit:", StringComparison.Ordinal);
}
