using System.Globalization;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Strict ISO 8601 timestamps with an offset, as inputs must carry them:
/// <c>yyyy-MM-ddTHH:mm[:ss[.fffffff]](Z|+HH:MM|-HH:MM)</c>. A timestamp without an offset is rejected,
/// never guessed. Instants outside <see cref="InputRanges"/>' window (1970 up to 2200) are rejected.
/// </summary>
public static class Timestamps
{
    /// <summary>
    /// Parses <paramref name="utf8"/>; on failure returns false and a reason naming <paramref name="field"/>,
    /// in the style of rejection messages.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, string field, out DateTimeOffset value, out string? reason)
    {
        value = default;
        reason = null;
        var parsed = TryParseCore(utf8, out value, out var missingOffset);
        if (parsed && InputRanges.InWindow(value))
        {
            return true;
        }

        var text = System.Text.Encoding.UTF8.GetString(utf8);
        if (parsed)
        {
            value = default;
            reason = $"`{field}` `{text}` is outside the accepted window, {InputRanges.WindowText}";
            return false;
        }

        reason = missingOffset
            ? $"`{field}` timestamp `{text}` has no offset; write one, e.g. `2026-11-20T16:30:00+01:00` or `2026-11-20T15:30:00Z`"
            : $"`{field}` value `{text}` is not an ISO 8601 timestamp with an offset such as `2026-11-20T16:30:00+01:00`";
        return false;
    }

    /// <summary>
    /// An ISO 8601 timestamp with an offset (<c>Z</c> or <c>±hh:mm</c>), at most seven digits of fractions kept, without the
    /// accepted window: how a store reads back the forms it writes (see <see cref="StoredForms"/>). False for more than
    /// seven digits of fractions, which the text reader rounds where this one would cut them.
    /// </summary>
    internal static bool TryParseIso(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        var fraction = utf8.Length > 20 && utf8[19] is (byte)'.' or (byte)',' ? utf8[20..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') : 0;
        if (fraction > 7 || fraction < 0)
        {
            value = default;
            return false;
        }

        return TryParseCore(utf8, out value, out _);
    }

    /// <summary>Formats a timestamp the way inputs write it: seconds precision and the offset (<c>Z</c> for UTC is not used).</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToString(value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:sszzz" : "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

    private static bool TryParseCore(ReadOnlySpan<byte> s, out DateTimeOffset value, out bool missingOffset)
    {
        value = default;
        missingOffset = false;

        // Date: yyyy-MM-dd
        if (s.Length < 16 || !Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month) || s[7] != '-'
            || !Digits(s, 8, 2, out var day) || (s[10] != 'T' && s[10] != 't')
            || !Digits(s, 11, 2, out var hour) || s[13] != ':' || !Digits(s, 14, 2, out var minute))
        {
            // A date-only or short value may still be a local time without offset; say so when it looks like one.
            missingOffset = s.Length >= 10 && Digits(s, 0, 4, out _) && s[4] == '-' && !HasOffsetMarker(s, 10);
            return false;
        }

        var i = 16;
        var second = 0;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!Digits(s, i + 1, 2, out second))
            {
                return false;
            }

            i += 3;
            if (i < s.Length && (s[i] == '.' || s[i] == ','))
            {
                i++;
                var digits = 0;
                long scale = TimeSpan.TicksPerSecond;
                while (i < s.Length && s[i] >= '0' && s[i] <= '9')
                {
                    if (digits < 7)
                    {
                        scale /= 10;
                        fractionTicks += (s[i] - '0') * scale;
                    }

                    digits++;
                    i++;
                }

                if (digits == 0)
                {
                    return false;
                }
            }
        }

        TimeSpan offset;
        if (i == s.Length)
        {
            missingOffset = true;
            return false;
        }

        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
        }
        else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.Length && Digits(s, i + 1, 2, out var offsetHours) && s[i + 3] == ':'
            && Digits(s, i + 4, 2, out var offsetMinutes) && offsetHours <= 14 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (s[i] == '-')
            {
                offset = -offset;
            }

            if (offset.Duration() > TimeSpan.FromHours(14))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool HasOffsetMarker(ReadOnlySpan<byte> s, int from)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (s[i] is (byte)'Z' or (byte)'z' or (byte)'+' || (s[i] == '-' && i > 10))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
