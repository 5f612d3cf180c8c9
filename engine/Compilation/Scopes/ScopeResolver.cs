using System.Collections.Concurrent;
using System.Collections.Immutable;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation.Scopes;

/// <summary>
/// The outcome of matching one (customer, tier, region, service, date): the governing policy, or none
/// (a gap), or several equally specific ones (an overlap, never silently resolved).
/// </summary>
public sealed record ScopeMatch(Policy? Policy, ImmutableArray<Policy> Tied)
{
    /// <summary>No policy matches.</summary>
    public bool IsGap => Policy is null && Tied.IsDefaultOrEmpty;

    /// <summary>Two or more equally specific policies match; <see cref="Policy"/> is null.</summary>
    public bool IsAmbiguous => !Tied.IsDefaultOrEmpty && Tied.Length > 1;
}

/// <summary>
/// Finds the policy that governs a case: among the governing policies (not abstract, with targets) whose
/// scope matches and whose version is in effect on the date, the most specific one.
/// </summary>
/// <remarks>
/// Thread-safe and meant to be shared: the candidates of each (customer, tier, region, service) are computed
/// once and memoised, so resolving a case costs a dictionary lookup and a scan of a handful of versions.
/// </remarks>
public sealed class ScopeResolver
{
    private readonly ImmutableArray<(Policy Policy, int Weight)> _governing;
    private readonly ConcurrentDictionary<ScopeKey, (Policy Policy, int Weight)[]> _candidates = new();

    public ScopeResolver(PolicySet set)
        : this(set, ScopeConflicts.CanGovern)
    {
    }

    private ScopeResolver(PolicySet set, Func<Policy, bool> governs)
    {
        ArgumentNullException.ThrowIfNull(set);
        _governing = [.. set.Policies.Where(governs).Select(p => (p, ScopeRules.Specificity(p.AppliesTo)))];
    }

    /// <summary>
    /// The resolver of subscriptions: like a case's, but a policy with an availability term or performance objectives
    /// and no target governs too (<see cref="ScopeConflicts.CanGovernSubscriptions"/>).
    /// </summary>
    public static ScopeResolver ForSubscriptions(PolicySet set) => new(set, ScopeConflicts.CanGovernSubscriptions);

    /// <summary>
    /// The governing policy version for a case with these attributes opened on <paramref name="date"/>, or null
    /// when none matches or when two equally specific policies match (fail closed: the loader reports that as
    /// SLA3002; see <see cref="Match"/> for the details).
    /// </summary>
    public Policy? Resolve(string customer, string tier, string region, string service, DateOnly date) =>
        Match(customer, tier, region, service, date).Policy;

    /// <summary>
    /// Resolves a case by its attributes and the local date of its <c>openedAt</c>, as written with its own
    /// offset (a case opened 2026-10-01T00:30+02:00 is judged by the version in effect on 2026-10-01).
    /// </summary>
    public Policy? Resolve(CaseRecord ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Resolve(ticket.Customer, ticket.Tier, ticket.Region, ticket.Service, CaseDate(ticket.OpenedAt));
    }

    /// <summary>The date a case is judged by: the local date of <paramref name="openedAt"/> in its own offset.</summary>
    public static DateOnly CaseDate(DateTimeOffset openedAt) => DateOnly.FromDateTime(openedAt.DateTime);

    /// <summary>Like <see cref="Resolve(string, string, string, string, DateOnly)"/>, but tells a gap from an overlap.</summary>
    public ScopeMatch Match(string customer, string tier, string region, string service, DateOnly date)
    {
        var candidates = _candidates.GetOrAdd(new ScopeKey(customer, tier, region, service), Candidates);
        Policy? best = null;
        var bestWeight = -1;
        List<Policy>? tied = null;
        foreach (var (policy, weight) in candidates)
        {
            // Candidates are ordered by weight, highest first: once a match is found, lower weights cannot win.
            if (weight < bestWeight)
            {
                break;
            }

            if (!policy.IsEffectiveOn(date))
            {
                continue;
            }

            if (best is null)
            {
                best = policy;
                bestWeight = weight;
            }
            else
            {
                tied ??= [best];
                tied.Add(policy);
            }
        }

        return tied is not null ? new ScopeMatch(null, [.. tied]) : new ScopeMatch(best, best is null ? [] : [best]);
    }

    private (Policy Policy, int Weight)[] Candidates(ScopeKey key) =>
        [.. _governing.Where(g => ScopeRules.Matches(g.Policy.AppliesTo, key.Customer, key.Tier, key.Region, key.Service)).OrderByDescending(g => g.Weight)];

    private readonly record struct ScopeKey(string Customer, string Tier, string Region, string Service);
}
