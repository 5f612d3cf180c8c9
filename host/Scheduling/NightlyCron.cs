using Cronos;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The nightly schedule (<c>Schedule:Cron</c> in <c>Schedule:TimeZone</c>) in the syntax Hangfire reads: five fields
/// (minute first), or six with seconds first; <c>?</c> is accepted for "any" in the day fields.
/// </summary>
public sealed class NightlyCron
{
    private readonly CronExpression _cron;

    private NightlyCron(string text, CronExpression cron, TimeZoneInfo zone)
    {
        Text = text;
        _cron = cron;
        Zone = zone;
    }

    /// <summary>The expression as configured (what Hangfire is given).</summary>
    public string Text { get; }

    /// <summary>The zone the expression is read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Reads <paramref name="text"/> in the zone <paramref name="zoneId"/>; throws <see cref="InvalidOperationException"/>
    /// naming the setting and what to write when either is not valid.
    /// </summary>
    public static NightlyCron Parse(string text, string zoneId)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"Schedule:TimeZone `{zoneId}` is not a time zone of this machine; use an IANA id such as Europe/Berlin or UTC", ex);
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            var cron = fields switch
            {
                5 => CronExpression.Parse(text, CronFormat.Standard),
                6 => CronExpression.Parse(text, CronFormat.IncludeSeconds),
                _ => throw new CronFormatException($"it has {fields} fields"),
            };
            return new NightlyCron(text, cron, zone);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException(
                $"Schedule:Cron `{text}` is not a cron expression the scheduler reads ({ex.Message}); write 5 fields, minute first (`0 2 * * *`), or 6 with seconds first (`0 0 2 * * ?`); a year field is not supported",
                ex);
        }
    }

    /// <summary>The first fire strictly after <paramref name="instant"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset instant) => _cron.GetNextOccurrence(instant, Zone, inclusive: false);

    /// <summary>
    /// The last fire at or before <paramref name="instant"/>, looking back at most <paramref name="window"/>; null when
    /// there is none in that window.
    /// </summary>
    public DateTimeOffset? Latest(DateTimeOffset instant, TimeSpan window)
    {
        DateTimeOffset? latest = null;
        for (var next = _cron.GetNextOccurrence(instant - window, Zone, inclusive: true); next is { } fire && fire <= instant; next = _cron.GetNextOccurrence(fire, Zone, inclusive: false))
        {
            latest = fire;
        }

        return latest;
    }
}
