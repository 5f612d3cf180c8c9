using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation.Scopes;

/// <summary>Two governing policies that are equally specific, may cover a common case, and are in effect together.</summary>
public sealed record ScopeConflict(Policy First, Policy Second);

/// <summary>Finds pairs of policies that would make scope resolution ambiguous (SLA3002).</summary>
public static class ScopeConflicts
{
    /// <summary>
    /// True when the policy can govern a case: it is not abstract (it or a parent has <c>appliesTo</c>) and it
    /// has at least one target. Abstract baselines never match a case, even with no other policy around.
    /// </summary>
    public static bool CanGovern(Policy policy) => !policy.IsAbstract && !policy.Targets.IsDefaultOrEmpty;

    /// <summary>
    /// True when the policy can govern a subscription: it is not abstract and it has a target, an availability term or a
    /// performance objective. An availability-only or performance-only agreement governs its subscriptions (never a case:
    /// with no target there is no clock to run).
    /// </summary>
    public static bool CanGovernSubscriptions(Policy policy) =>
        CanGovern(policy) || (!policy.IsAbstract && (policy.Availability is not null || !policy.Performance.IsDefaultOrEmpty));

    /// <summary>True when the effective ranges [from, to) of two versions share a day.</summary>
    public static bool EffectiveRangesOverlap(Policy a, Policy b) =>
        (b.EffectiveTo is null || a.EffectiveFrom < b.EffectiveTo.Value)
        && (a.EffectiveTo is null || b.EffectiveFrom < a.EffectiveTo.Value);

    /// <summary>
    /// Every pair of governing policies with different ids, equal specificity, scopes that may overlap (see
    /// <see cref="ScopeRules.MayOverlap"/>) and effective ranges that share a day. Versions of one id never
    /// conflict here; their ranges are checked separately (SLA3001).
    /// </summary>
    public static IReadOnlyList<ScopeConflict> Find(IEnumerable<Policy> policies)
    {
        var governing = policies.Where(CanGovern)
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.EffectiveFrom)
            .ToList();
        var conflicts = new List<ScopeConflict>();
        foreach (var group in governing.GroupBy(p => ScopeRules.Specificity(p.AppliesTo)))
        {
            var members = group.ToList();
            for (var i = 0; i < members.Count; i++)
            {
                for (var j = i + 1; j < members.Count; j++)
                {
                    var a = members[i];
                    var b = members[j];
                    if (a.Id != b.Id && EffectiveRangesOverlap(a, b) && ScopeRules.MayOverlap(a.AppliesTo, b.AppliesTo))
                    {
                        conflicts.Add(new ScopeConflict(a, b));
                    }
                }
            }
        }

        return conflicts;
    }
}
