namespace SlaPolicy.Host.Storage;

/// <summary>The names an enum's values are stored under, and the way back (ignoring case when <paramref name="ignoreCase"/>).</summary>
internal sealed class EnumText<TEnum>(bool ignoreCase, params (TEnum Value, string Text)[] names)
    where TEnum : struct, Enum
{
    /// <summary>The stored name of <paramref name="value"/>.</summary>
    public string Text(TEnum value)
    {
        foreach (var (candidate, text) in names)
        {
            if (EqualityComparer<TEnum>.Default.Equals(candidate, value))
            {
                return text;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, null);
    }

    /// <summary>The value stored as <paramref name="text"/>, if any.</summary>
    public bool TryParse(string text, out TEnum value)
    {
        foreach (var (candidate, name) in names)
        {
            if (string.Equals(name, text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
