using System.Collections.Immutable;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// A workflow in Microsoft RulesEngine's JSON shape: a name, its rules, workflow-wide parameters
/// (<c>GlobalParams</c>, in scope of every rule) and the names of workflows whose rules it takes over
/// (<c>WorkflowsToInject</c>, appended after its own rules). Immutable.
/// </summary>
/// <param name="WorkflowName">Unique within a compilation; for a policy <c>policyId@version</c>.</param>
/// <param name="Rules">Top-level rules in file order.</param>
/// <param name="GlobalParams">Named values computed before every rule, each in scope of the later ones.</param>
/// <param name="WorkflowsToInject">Names of workflows whose rules are appended to this one's.</param>
/// <param name="Location">Where the workflow starts (the policy or the workflow object in its file).</param>
public sealed record Workflow(
    string WorkflowName,
    ImmutableArray<RuleDefinition> Rules,
    ImmutableArray<LocalParam> GlobalParams,
    ImmutableArray<string> WorkflowsToInject,
    SourceLocation Location)
{
    /// <summary>A workflow with rules only.</summary>
    public Workflow(string workflowName, ImmutableArray<RuleDefinition> rules, SourceLocation location)
        : this(workflowName, rules, [], [], location)
    {
    }
}

/// <summary>
/// The period facts a credit-tier rule reads as <c>period</c>: one service's availability over one
/// reporting window. Percentages are 0–100.
/// </summary>
/// <param name="Service">The service measured.</param>
/// <param name="Region">The region measured.</param>
/// <param name="Period">The reporting period, e.g. <c>2026-11</c>.</param>
/// <param name="AvailabilityPercent">(window − downtime) / window × 100.</param>
/// <param name="DowntimeMinutes">Counted downtime inside the window, overlaps once.</param>
/// <param name="WindowMinutes">Length of the window [start, min(end, asOf)).</param>
public sealed record AvailabilityPeriod(
    string Service,
    string Region,
    string Period,
    double AvailabilityPercent,
    double DowntimeMinutes,
    double WindowMinutes);
