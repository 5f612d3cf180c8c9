using System.Globalization;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Availability;

/// <summary>
/// Downtime read from measurements (an availability term's <c>downtime</c>) and availability as a share of requests
/// (<c>"measure": "requests"</c>). Pure functions; names are compared ordinally ignoring case.
/// </summary>
public static class MetricDowntimes
{
    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// The intervals of the window that count as down under <paramref name="rule"/>: the window is cut into intervals of
    /// <see cref="MetricDowntime.Interval"/> from its start (the last one ends at the window's end); the samples of an interval
    /// are those of the rule's metric whose <c>at</c> lies in it. Their error rate is the mean of their values weighted by
    /// their <c>requests</c> when every sample counts requests (and they are more than 0), else the plain mean; their
    /// requests are the sum of <c>requests</c> (a sample without counts adds none). The interval is down when the rate is
    /// above <see cref="MetricDowntime.Above"/> and the requests at least <see cref="MetricDowntime.MinRequests"/>. An
    /// interval without samples is not down. Returns the down intervals, ordered, and how many intervals had samples.
    /// </summary>
    public static (List<TimeInterval> Down, int Measured) DownIntervals(
        MetricDowntime rule, IEnumerable<MeasurementRecord> samples, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var rates = IntervalRates(rule, samples, windowStart, windowEnd);
        var down = new List<TimeInterval>();
        foreach (var interval in rates)
        {
            if (interval.Rate > rule.Above && interval.Requests >= rule.MinRequests)
            {
                down.Add(interval.Span);
            }
        }

        return (down, rates.Count);
    }

    /// <summary>
    /// The error rate and requests of every interval of the window that has samples of the rule's metric, ordered: the
    /// window is cut into intervals of <see cref="MetricDowntime.Interval"/> from its start (the last one ends at the
    /// window's end); an interval's rate is the mean of its samples' values weighted by their <c>requests</c> when every
    /// sample counts requests (and they are more than 0), else the plain mean.
    /// </summary>
    public static List<(TimeInterval Span, decimal Rate, decimal Requests)> IntervalRates(
        MetricDowntime rule, IEnumerable<MeasurementRecord> samples, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(samples);
        var byInterval = new SortedDictionary<long, (decimal Weighted, decimal Sum, int Count, decimal Requests, bool AllCounted)>();
        var width = rule.Interval.Ticks;
        foreach (var m in samples)
        {
            if (m.At < windowStart || m.At >= windowEnd || !Names.Equals(m.Metric, rule.Metric) || !double.IsFinite(m.Value))
            {
                continue;
            }

            var index = (m.At - windowStart).Ticks / width;
            var value = (decimal)m.Value;
            byInterval.TryGetValue(index, out var acc);
            acc = acc.Count == 0 ? (0m, 0m, 0, 0m, true) : acc;
            var requests = m.Requests ?? 0m;
            byInterval[index] = (acc.Weighted + (value * requests), acc.Sum + value, acc.Count + 1, acc.Requests + requests, acc.AllCounted && m.Requests is not null);
        }

        var rates = new List<(TimeInterval Span, decimal Rate, decimal Requests)>(byInterval.Count);
        foreach (var (index, acc) in byInterval)
        {
            var rate = acc.AllCounted && acc.Requests > 0 ? acc.Weighted / acc.Requests : acc.Sum / acc.Count;
            var start = windowStart.AddTicks(index * width);
            var end = start.AddTicks(width);
            rates.Add((new TimeInterval(start, end < windowEnd ? end : windowEnd), rate, acc.Requests));
        }

        return rates;
    }

    /// <summary>
    /// The mean error rate over <paramref name="measured"/> (disjoint, ordered spans of the window, whose total is the
    /// denominator): each interval's rate (<see cref="IntervalRates"/>) weighs by the time it shares with the measured
    /// spans, so with whole intervals it is the plain mean of every interval's rate; an interval without samples, or with
    /// fewer than <see cref="MetricDowntime.MinRequests"/> requests, has a rate of 0. Rates above 100 count as 100.
    /// Returns the mean (0 when nothing is measured) and how many intervals had a rate above 0.
    /// </summary>
    public static (decimal Mean, int WithErrors) MeanErrorRate(
        MetricDowntime rule, IEnumerable<MeasurementRecord> samples, IReadOnlyList<TimeInterval> measured, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(measured);
        var total = Downtime.Total(measured).Ticks;
        if (total == 0)
        {
            return (0m, 0);
        }

        decimal weighted = 0;
        var withErrors = 0;
        foreach (var (span, rate, requests) in IntervalRates(rule, samples, windowStart, windowEnd))
        {
            if (rate <= 0 || requests < rule.MinRequests)
            {
                continue;
            }

            var shared = Downtime.Total(Downtime.Intersect([span], measured)).Ticks;
            if (shared > 0)
            {
                weighted += Math.Min(rate, 100m) * shared;
                withErrors++;
            }
        }

        return (weighted / total, withErrors);
    }

    /// <summary>
    /// The spells of <paramref name="merged"/> (disjoint, ordered) that last at least <paramref name="minimum"/>; the others
    /// are returned in <paramref name="dropped"/>. With no minimum every spell counts.
    /// </summary>
    public static List<TimeInterval> AtLeast(IReadOnlyList<TimeInterval> merged, TimeSpan? minimum, out List<TimeInterval> dropped)
    {
        dropped = [];
        if (minimum is not { } min)
        {
            return [.. merged];
        }

        var kept = new List<TimeInterval>(merged.Count);
        foreach (var spell in merged)
        {
            (spell.Duration >= min ? kept : dropped).Add(spell);
        }

        return kept;
    }

    /// <summary>
    /// The requests counted in the window by the samples of <paramref name="metric"/> that carry both <c>requests</c> and
    /// <c>failed</c>: all of them and those that failed.
    /// </summary>
    public static (decimal Total, decimal Failed, int Samples) RequestCounts(
        string metric, IEnumerable<MeasurementRecord> samples, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        decimal total = 0, failed = 0;
        var count = 0;
        foreach (var m in samples)
        {
            if (m.At >= windowStart && m.At < windowEnd && Names.Equals(m.Metric, metric) && m.Requests is { } r && m.Failed is { } f)
            {
                total += r;
                failed += f;
                count++;
            }
        }

        return (total, failed, count);
    }

    /// <summary>A duration in words: <c>5 minutes</c>, <c>1 hour</c>, <c>1 day</c>, <c>90 seconds</c>.</summary>
    internal static string Words(TimeSpan span)
    {
        static string Of(double n, string unit) => $"{n.ToString("0.###", CultureInfo.InvariantCulture)} {unit}{(n == 1 ? string.Empty : "s")}";
        return span.Ticks % TimeSpan.TicksPerDay == 0 ? Of(span.TotalDays, "day")
            : span.Ticks % TimeSpan.TicksPerHour == 0 ? Of(span.TotalHours, "hour")
            : span.Ticks % TimeSpan.TicksPerMinute == 0 ? Of(span.TotalMinutes, "minute")
            : Of(span.TotalSeconds, "second");
    }

    /// <summary>A duration as an adjective: <c>5-minute</c>, <c>1-hour</c>.</summary>
    internal static string Adjective(TimeSpan span)
    {
        var words = Words(span).Split(' ');
        return $"{words[0]}-{words[1].TrimEnd('s')}";
    }

    /// <summary>A count in words, grouped by thousands: <c>1,000,000</c>.</summary>
    internal static string Count(decimal n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
