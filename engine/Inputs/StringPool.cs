using System.Text;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Shares the strings that repeat across records of one input (customers, tiers, regions, services, statuses,
/// tags, kinds), so a million cases hold a handful of region strings, not a million. Bounded: once full it
/// stops adding and simply allocates.
/// </summary>
internal sealed class StringPool
{
    private const int MaxEntries = 16 * 1024;
    private const int MaxPooledBytes = 64;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string for the given UTF-8 bytes (valid UTF-8 is assumed: lines are checked before parsing).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxPooledBytes];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        var span = chars[..count];
        if (_lookup.TryGetValue(span, out var existing))
        {
            return existing;
        }

        var created = new string(span);
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
