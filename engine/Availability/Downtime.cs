namespace SlaPolicy.Engine.Availability;

/// <summary>A half-open interval of time [Start, End).</summary>
public readonly record struct TimeInterval(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>Union of outage intervals, clipped to a window, so that overlapping outages count once.</summary>
public static class Downtime
{
    /// <summary>
    /// Clips every interval to [<paramref name="windowStart"/>, <paramref name="windowEnd"/>) and merges those that
    /// overlap or touch. The result is ordered by start and disjoint; its total duration is the downtime.
    /// Exact to the tick: no rounding to minutes happens here.
    /// </summary>
    public static IReadOnlyList<TimeInterval> Union(IEnumerable<TimeInterval> intervals, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        var clipped = new List<TimeInterval>();
        foreach (var i in intervals)
        {
            var s = i.Start > windowStart ? i.Start : windowStart;
            var e = i.End < windowEnd ? i.End : windowEnd;
            if (e > s)
            {
                clipped.Add(new TimeInterval(s, e));
            }
        }

        clipped.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<TimeInterval>(clipped.Count);
        foreach (var i in clipped)
        {
            if (merged.Count > 0 && i.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = i.End > last.End ? i.End : last.End };
            }
            else
            {
                merged.Add(i);
            }
        }

        return merged;
    }

    /// <summary>Total duration of disjoint intervals.</summary>
    public static TimeSpan Total(IEnumerable<TimeInterval> disjoint) => TimeSpan.FromTicks(disjoint.Sum(i => i.Duration.Ticks));
}
