using System.Collections.Immutable;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation.Scopes;

/// <summary>
/// How an <c>appliesTo</c> scope matches a case and how specific it is. See docs/POLICY-FORMAT.md "Scope".
/// </summary>
/// <remarks>
/// Values compare case-insensitively (ordinal). <c>*</c> in a value matches any run of characters, including
/// none. A dimension that is omitted, empty, or contains a bare <c>*</c> matches everything and does not
/// count towards specificity.
/// </remarks>
public static class ScopeRules
{
    /// <summary>Weight of a specified customer dimension.</summary>
    public const int CustomerWeight = 8;

    /// <summary>Weight of a specified tier dimension.</summary>
    public const int TierWeight = 4;

    /// <summary>Weight of a specified region dimension.</summary>
    public const int RegionWeight = 2;

    /// <summary>Weight of a specified service dimension.</summary>
    public const int ServiceWeight = 1;

    /// <summary>
    /// The sum of the weights of the specified dimensions (0..15). Because each weight exceeds the sum of all
    /// weights below it, a scope naming the customer beats any scope that does not, and so on down.
    /// </summary>
    public static int Specificity(PolicyScope scope) =>
        (IsSpecified(scope.Customers) ? CustomerWeight : 0)
        + (IsSpecified(scope.Tiers) ? TierWeight : 0)
        + (IsSpecified(scope.Regions) ? RegionWeight : 0)
        + (IsSpecified(scope.Services) ? ServiceWeight : 0);

    /// <summary>True when a dimension restricts anything (not omitted, not empty, no bare <c>*</c>).</summary>
    public static bool IsSpecified(ImmutableArray<string> values) =>
        !values.IsDefaultOrEmpty && !values.Any(v => v == "*");

    /// <summary>True when the scope covers this (customer, tier, region, service).</summary>
    public static bool Matches(PolicyScope scope, string customer, string tier, string region, string service) =>
        DimensionMatches(scope.Customers, customer)
        && DimensionMatches(scope.Tiers, tier)
        && DimensionMatches(scope.Regions, region)
        && DimensionMatches(scope.Services, service);

    /// <summary>True when the scope may cover cases of <paramref name="customer"/> (its customer dimension matches), whatever their other attributes.</summary>
    public static bool MayCoverCustomer(PolicyScope scope, string customer) => DimensionMatches(scope.Customers, customer);

    /// <summary>The names of the specified dimensions, for messages: <c>tier, region</c>.</summary>
    public static string DescribeDimensions(PolicyScope scope)
    {
        var names = new List<string>();
        if (IsSpecified(scope.Customers))
        {
            names.Add("customer");
        }

        if (IsSpecified(scope.Tiers))
        {
            names.Add("tier");
        }

        if (IsSpecified(scope.Regions))
        {
            names.Add("region");
        }

        if (IsSpecified(scope.Services))
        {
            names.Add("service");
        }

        return names.Count == 0 ? "nothing (wildcard)" : string.Join(", ", names);
    }

    /// <summary>
    /// Conservative test whether some (customer, tier, region, service) could match both scopes. It never
    /// answers false when a common value exists; for globs it may answer true when none does (then the
    /// analyst narrows one scope). Two patterns are taken to overlap unless their literal text before the
    /// first <c>*</c> differs (neither is a prefix of the other) or their literal text after the last
    /// <c>*</c> differs (neither is a suffix of the other).
    /// </summary>
    public static bool MayOverlap(PolicyScope a, PolicyScope b) =>
        DimensionsMayOverlap(a.Customers, b.Customers)
        && DimensionsMayOverlap(a.Tiers, b.Tiers)
        && DimensionsMayOverlap(a.Regions, b.Regions)
        && DimensionsMayOverlap(a.Services, b.Services);

    /// <summary>Matches <paramref name="value"/> against a pattern where <c>*</c> stands for any run of characters.</summary>
    public static bool GlobMatches(string pattern, string value)
    {
        if (!pattern.Contains('*'))
        {
            return string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);
        }

        // Iterative wildcard matching with backtracking to the last star: linear for the short ids used here.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool DimensionMatches(ImmutableArray<string> values, string value)
    {
        if (!IsSpecified(values))
        {
            return true;
        }

        foreach (var pattern in values)
        {
            if (GlobMatches(pattern, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DimensionsMayOverlap(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        if (!IsSpecified(a) || !IsSpecified(b))
        {
            return true;
        }

        return a.Any(x => b.Any(y => PatternsMayOverlap(x, y)));
    }

    private static bool PatternsMayOverlap(string x, string y)
    {
        if (!x.Contains('*') && !y.Contains('*'))
        {
            return string.Equals(x, y, StringComparison.OrdinalIgnoreCase);
        }

        if (!x.Contains('*'))
        {
            return GlobMatches(y, x);
        }

        if (!y.Contains('*'))
        {
            return GlobMatches(x, y);
        }

        var xPrefix = x[..x.IndexOf('*')];
        var yPrefix = y[..y.IndexOf('*')];
        var xSuffix = x[(x.LastIndexOf('*') + 1)..];
        var ySuffix = y[(y.LastIndexOf('*') + 1)..];
        var prefixesAgree = xPrefix.StartsWith(yPrefix, StringComparison.OrdinalIgnoreCase) || yPrefix.StartsWith(xPrefix, StringComparison.OrdinalIgnoreCase);
        var suffixesAgree = xSuffix.EndsWith(ySuffix, StringComparison.OrdinalIgnoreCase) || ySuffix.EndsWith(xSuffix, StringComparison.OrdinalIgnoreCase);
        return prefixesAgree && suffixesAgree;
    }
}
