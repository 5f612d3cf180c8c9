using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Availability;

/// <summary>Statistics of a month's measurement samples, in decimal arithmetic.</summary>
public static class SampleStatistics
{
    /// <summary>
    /// Nearest-rank percentile: sort the n samples ascending and take the one at 1-based rank ⌈p/100 × n⌉
    /// (at least 1). The result is always an observed sample, so "p95 at most 200 ms" reads "at least 95% of
    /// the samples were at most 200 ms". Throws when <paramref name="samples"/> is empty.
    /// </summary>
    public static decimal Percentile(IReadOnlyList<decimal> samples, decimal percentile)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("a percentile needs at least one sample", nameof(samples));
        }

        if (percentile is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), "a percentile lies in (0, 100]");
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100m * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }

    /// <summary>
    /// The arithmetic mean: the sum divided by the count, exact in decimal; when the sum is beyond decimal's range, the
    /// sum of each sample divided by the count (rounded in the 28th digit, but never overflowing).
    /// </summary>
    private static decimal Mean(IReadOnlyList<decimal> samples)
    {
        try
        {
            return samples.Sum() / samples.Count;
        }
        catch (OverflowException)
        {
            decimal mean = 0;
            foreach (var sample in samples)
            {
                mean += sample / samples.Count;
            }

            return mean;
        }
    }

    /// <summary>Computes <paramref name="statistic"/> over non-empty <paramref name="samples"/>.</summary>
    public static decimal Compute(PerformanceStatistic statistic, IReadOnlyList<decimal> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("a statistic needs at least one sample", nameof(samples));
        }

        return statistic.Kind switch
        {
            PerformanceStatisticKind.Mean => Mean(samples),
            PerformanceStatisticKind.Min => samples.Min(),
            PerformanceStatisticKind.Max => samples.Max(),
            _ => Percentile(samples, statistic.Percentile),
        };
    }
}
