using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Host.Contracts;

/// <summary>
/// <c>compile --diff A B</c> as text: each side is a version (<c>id@version</c>, or <c>id</c> for the version in effect
/// on the date) of the policy directory, or a folder. A version against a folder is compared with the folder's version
/// of the same id (the same version label, else the one in effect on the date, else its latest); two folders are
/// compared version by version.
/// </summary>
public static class PolicyDiffText
{
    /// <summary>Prints the differences; exit 1 when a side cannot be found or a folder has errors.</summary>
    public static int Run(string directory, string a, string b, DateOnly date, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var left = Side(directory, a, error);
        var right = Side(directory, b, error);
        if (left is null || right is null)
        {
            return 1;
        }

        if (left.Value.Version is null && right.Value.Version is null)
        {
            var differences = PolicyDiff.Compare(left.Value.Set, right.Value.Set);
            output.WriteLine($"{a} -> {b}: {(differences.Count == 0 ? "no version differs" : $"{differences.Count} version(s) differ")}");
            foreach (var difference in differences)
            {
                Write(difference, output);
            }

            return 0;
        }

        var before = left.Value.Version ?? Counterpart(left.Value.Set, right.Value.Version!, date);
        var after = right.Value.Version ?? Counterpart(right.Value.Set, left.Value.Version!, date);
        if (before is null || after is null)
        {
            var missing = before is null ? a : b;
            var id = (left.Value.Version ?? right.Value.Version)!.Id;
            error.WriteLine($"compile: `{missing}` has no version of `{id}`");
            return 1;
        }

        Write(new PolicyDifference(before, after, PolicyDiff.Compare(before, left.Value.Set.Calendars, after, right.Value.Set.Calendars)), output);
        return 0;
    }

    private static void Write(PolicyDifference difference, TextWriter output)
    {
        var (b, a) = (difference.Before, difference.After);
        var heading = b is not null && a is not null
            ? $"{Name(b)} -> {Name(a)}"
            : b is null ? $"{Name(a!)}: only in the second" : $"{Name(b)}: only in the first";
        output.WriteLine($"{heading}: {(difference.Terms.Count == 0 ? "no term differs" : difference.Terms.Count == 1 ? "1 term differs" : $"{difference.Terms.Count} terms differ")}");
        foreach (var term in difference.Terms)
        {
            output.WriteLine($"  {term.Change.ToString().ToLowerInvariant(),-8} {term.Term}");
            if (term.Before is not null)
            {
                output.WriteLine($"    - {term.Before}  ({Where(term.BeforeLocation)})");
            }

            if (term.After is not null)
            {
                output.WriteLine($"    + {term.After}  ({Where(term.AfterLocation)})");
            }
        }
    }

    private static string Name(Policy p) => $"{p.Id}@{p.Version} ({p.File})";

    private static string Where(SourceLocation location) => location.IsKnown ? location.ToString() : location.File.Length > 0 ? location.File : "no location";

    /// <summary>The version in <paramref name="set"/> to compare with <paramref name="other"/>.</summary>
    private static Policy? Counterpart(PolicySet set, Policy other, DateOnly date)
    {
        var versions = set.Policies.Where(p => p.Id == other.Id).ToList();
        return versions.FirstOrDefault(p => p.Version == other.Version)
            ?? versions.FirstOrDefault(p => p.IsEffectiveOn(date))
            ?? versions.OrderByDescending(p => p.EffectiveFrom).FirstOrDefault();
    }

    /// <summary>A folder (its set, no version) or a version of <paramref name="directory"/> (its set and the version).</summary>
    private static (PolicySet Set, Policy? Version)? Side(string directory, string spec, TextWriter error)
    {
        var folder = Directory.Exists(spec);
        var loaded = PolicyLoader.Load(folder ? spec : directory);
        if (loaded.HasErrors)
        {
            foreach (var diagnostic in loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                error.WriteLine(diagnostic.ToString());
            }

            error.WriteLine($"compile: `{(folder ? spec : directory)}` has errors; fix them before comparing");
            return null;
        }

        if (folder)
        {
            return (loaded.Set, null);
        }

        var at = spec.IndexOf('@', StringComparison.Ordinal);
        var id = at < 0 ? spec : spec[..at];
        var version = at < 0 ? null : spec[(at + 1)..];
        var candidates = loaded.Set.Policies.Where(p => p.Id == id).ToList();
        var policy = version is null
            ? candidates.OrderByDescending(p => p.EffectiveFrom).FirstOrDefault()
            : candidates.FirstOrDefault(p => p.Version == version);
        if (policy is null)
        {
            var suggestion = Suggestions.Closest(id, loaded.Set.Policies.Select(p => p.Id).Distinct(), 3);
            error.WriteLine(candidates.Count == 0
                ? $"compile: `{spec}` is neither a folder nor a policy of `{directory}`" + (suggestion is null ? string.Empty : $" (did you mean `{suggestion}`?)")
                : $"compile: policy `{id}` has no version `{version}`; versions: {string.Join(", ", candidates.Select(p => p.Version))}");
            return null;
        }

        return (loaded.Set, policy);
    }
}
