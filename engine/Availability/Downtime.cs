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

    /// <summary>
    /// The times when at least <paramref name="needed"/> of the resources are down at once, each resource's downtime given
    /// as its own intervals (merged per resource first, so that overlapping outages of one resource count it once). The
    /// result is ordered and disjoint; spells that touch are merged.
    /// </summary>
    public static IReadOnlyList<TimeInterval> AtLeastAtOnce(IEnumerable<IEnumerable<TimeInterval>> perResource, int needed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(needed, 1);
        var edges = new List<(DateTimeOffset At, int Step)>();
        foreach (var resource in perResource)
        {
            foreach (var i in Union(resource, DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
            {
                edges.Add((i.Start, 1));
                edges.Add((i.End, -1));
            }
        }

        // Ends before starts at one instant: a resource back up at 10:00 and another down at 10:00 are not down together.
        edges.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Step.CompareTo(b.Step));
        var result = new List<TimeInterval>();
        var down = 0;
        DateTimeOffset? since = null;
        foreach (var (at, step) in edges)
        {
            down += step;
            if (down >= needed && since is null)
            {
                since = at;
            }
            else if (down < needed && since is { } start)
            {
                if (at > start)
                {
                    result.Add(new TimeInterval(start, at));
                }

                since = null;
            }
        }

        return Union(result, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
    }

    /// <summary>The parts of <paramref name="a"/> that lie inside <paramref name="b"/>; both ordered and disjoint, as is the result.</summary>
    public static List<TimeInterval> Intersect(IReadOnlyList<TimeInterval> a, IReadOnlyList<TimeInterval> b)
    {
        var result = new List<TimeInterval>();
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var start = a[i].Start > b[j].Start ? a[i].Start : b[j].Start;
            var end = a[i].End < b[j].End ? a[i].End : b[j].End;
            if (end > start)
            {
                result.Add(new TimeInterval(start, end));
            }

            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    /// <summary>The parts of <paramref name="a"/> that lie outside <paramref name="b"/>; both ordered and disjoint, as is the result.</summary>
    public static List<TimeInterval> Minus(IReadOnlyList<TimeInterval> a, IReadOnlyList<TimeInterval> b)
    {
        var result = new List<TimeInterval>();
        var j = 0;
        foreach (var interval in a)
        {
            var start = interval.Start;
            while (j < b.Count && b[j].End <= start)
            {
                j++;
            }

            for (var k = j; k < b.Count && b[k].Start < interval.End; k++)
            {
                if (b[k].Start > start)
                {
                    result.Add(new TimeInterval(start, b[k].Start));
                }

                if (b[k].End > start)
                {
                    start = b[k].End;
                }
            }

            if (interval.End > start)
            {
                result.Add(new TimeInterval(start, interval.End));
            }
        }

        return result;
    }

    /// <summary>
    /// The duration of <paramref name="down"/> (ordered and disjoint) in ticks, each instant weighted by the largest share
    /// (a percent, at most 100) among the <paramref name="shares"/> intervals covering it; an instant no interval covers
    /// counts in full. Exact: a share of a tick is kept.
    /// </summary>
    public static decimal WeightedTicks(IReadOnlyList<TimeInterval> down, IEnumerable<(TimeInterval Interval, decimal Share)> shares)
    {
        var edges = new List<(DateTimeOffset At, decimal Share, int Step)>();
        foreach (var (interval, share) in shares)
        {
            if (interval.End > interval.Start)
            {
                var bounded = Math.Clamp(share, 0m, 100m);
                edges.Add((interval.Start, bounded, 1));
                edges.Add((interval.End, bounded, -1));
            }
        }

        edges.Sort((a, b) => a.At.CompareTo(b.At));

        // Spells of one largest share: between two consecutive edge instants the covering intervals do not change.
        var segments = new List<(TimeInterval Interval, decimal Share)>();
        var active = new SortedDictionary<decimal, int>();
        for (var k = 0; k < edges.Count;)
        {
            var at = edges[k].At;
            for (; k < edges.Count && edges[k].At == at; k++)
            {
                var (_, share, step) = edges[k];
                var count = active.GetValueOrDefault(share) + step;
                if (count == 0)
                {
                    active.Remove(share);
                }
                else
                {
                    active[share] = count;
                }
            }

            if (k < edges.Count && active.Count > 0)
            {
                segments.Add((new TimeInterval(at, edges[k].At), active.Keys.Last()));
            }
        }

        // What the shares under 100% take off the full duration.
        var reduction = 0m;
        var j = 0;
        foreach (var interval in down)
        {
            while (j < segments.Count && segments[j].Interval.End <= interval.Start)
            {
                j++;
            }

            for (var k = j; k < segments.Count && segments[k].Interval.Start < interval.End; k++)
            {
                var start = segments[k].Interval.Start > interval.Start ? segments[k].Interval.Start : interval.Start;
                var end = segments[k].Interval.End < interval.End ? segments[k].Interval.End : interval.End;
                if (end > start)
                {
                    reduction += (end - start).Ticks * (100m - segments[k].Share) / 100m;
                }
            }
        }

        return Total(down).Ticks - reduction;
    }

    /// <summary>Total duration of disjoint intervals.</summary>
    public static TimeSpan Total(IEnumerable<TimeInterval> disjoint) => TimeSpan.FromTicks(disjoint.Sum(i => i.Duration.Ticks));
}
