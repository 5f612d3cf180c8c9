namespace SlaPolicy.Engine.Diagnostics;

/// <summary>"Did you mean" suggestions for misspelt names, shared by every reader that reports unknown names.</summary>
public static class Suggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="name"/> by edit distance, ignoring case, when that distance is at most
    /// <paramref name="maxDistance"/>; null otherwise. Candidates starting with <c>$</c> (JSON meta properties) are skipped.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int maxDistance)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        var lowered = name.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            if (candidate.StartsWith('$'))
            {
                continue;
            }

            var distance = EditDistance(lowered, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return best is not null && bestDistance <= maxDistance ? best : null;
    }

    /// <summary>The Levenshtein distance between two strings.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
