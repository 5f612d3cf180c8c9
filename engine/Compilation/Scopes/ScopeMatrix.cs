using System.Collections.Immutable;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation.Scopes;

/// <summary>How a combination of the scope matrix is governed.</summary>
public enum ScopeCoverage
{
    /// <summary>Exactly one most specific policy governs.</summary>
    Governed,

    /// <summary>No policy governs: cases with these attributes have no targets.</summary>
    Gap,

    /// <summary>Two or more equally specific policies match (an SLA3002 error).</summary>
    Overlap,
}

/// <summary>One combination of the matrix; a dimension value of <see cref="ScopeMatrix.Other"/> stands for every value not named in the files.</summary>
public sealed record ScopeMatrixRow(string Customer, string Tier, string Region, string Service, ScopeCoverage Coverage, ImmutableArray<Policy> Policies)
{
    /// <summary>The governing policy, when <see cref="Coverage"/> is <see cref="ScopeCoverage.Governed"/>.</summary>
    public Policy? Governing => Coverage == ScopeCoverage.Governed ? Policies[0] : null;
}

/// <summary>
/// Every customer × tier × region × service combination named in the policy files (literal values of
/// <c>appliesTo</c>, globs left out), plus <see cref="Other"/> in each dimension for values no file names,
/// with the policy that governs it on a date.
/// </summary>
public sealed record ScopeMatrix(
    DateOnly AsOf,
    ImmutableArray<string> Customers,
    ImmutableArray<string> Tiers,
    ImmutableArray<string> Regions,
    ImmutableArray<string> Services,
    ImmutableArray<ScopeMatrixRow> Rows)
{
    /// <summary>Stands for "any value not named in the files". It matches only omitted dimensions and globs such as <c>*</c>.</summary>
    public const string Other = "*";

    // A probe value no analyst writes, standing for "another value": omitted dimensions and a bare `*` match it, `eu-*` does not.
    private const string OtherProbe = "\u0001other\u0001";

    /// <summary>Builds the matrix of <paramref name="set"/> as of <paramref name="asOf"/>.</summary>
    public static ScopeMatrix Build(PolicySet set, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(set);
        var scopes = set.Policies.Select(p => p.AppliesTo).ToList();
        var customers = Named(scopes.SelectMany(s => s.Customers.OrEmpty()));
        var tiers = Named(scopes.SelectMany(s => s.Tiers.OrEmpty()));
        var regions = Named(scopes.SelectMany(s => s.Regions.OrEmpty()));
        var services = Named(scopes.SelectMany(s => s.Services.OrEmpty()));
        var resolver = new ScopeResolver(set);
        var rows = ImmutableArray.CreateBuilder<ScopeMatrixRow>();
        foreach (var customer in customers)
        {
            foreach (var tier in tiers)
            {
                foreach (var region in regions)
                {
                    foreach (var service in services)
                    {
                        var match = resolver.Match(Probe(customer), Probe(tier), Probe(region), Probe(service), asOf);
                        var coverage = match.IsAmbiguous ? ScopeCoverage.Overlap : match.IsGap ? ScopeCoverage.Gap : ScopeCoverage.Governed;
                        rows.Add(new ScopeMatrixRow(customer, tier, region, service, coverage, match.Tied.OrEmpty()));
                    }
                }
            }
        }

        return new ScopeMatrix(asOf, customers, tiers, regions, services, rows.ToImmutable());
    }

    /// <summary>The rows that are gaps or overlaps.</summary>
    public IEnumerable<ScopeMatrixRow> Problems => Rows.Where(r => r.Coverage != ScopeCoverage.Governed);

    private static ImmutableArray<string> Named(IEnumerable<string> values) =>
        [.. values.Where(v => !v.Contains('*')).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal), Other];

    private static string Probe(string value) => value == Other ? OtherProbe : value;
}

internal static class ImmutableArrayExtensions
{
    public static ImmutableArray<T> OrEmpty<T>(this ImmutableArray<T> array) => array.IsDefault ? [] : array;
}
