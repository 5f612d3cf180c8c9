using System.Collections.Immutable;

namespace SlaPolicy.Engine.Availability;

/// <summary>Matching of service names against a term's list: empty means all; <c>*</c> matches any run of characters.</summary>
internal static class NamePatterns
{
    public static bool Matches(ImmutableArray<string> patterns, string value)
        => patterns.IsDefaultOrEmpty || patterns.Any(p => Glob(p, value));

    public static bool Glob(string pattern, string value)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);
        }

        var parts = pattern.Split('*');
        var pos = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!value.StartsWith(part, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                pos = part.Length;
            }
            else if (i == parts.Length - 1)
            {
                return value.Length - pos >= part.Length && value.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                var at = value.IndexOf(part, pos, StringComparison.OrdinalIgnoreCase);
                if (at < 0)
                {
                    return false;
                }

                pos = at + part.Length;
            }
        }

        return true;
    }
}
