using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies;

/// <summary>Which summary of a month's samples a performance objective judges.</summary>
public enum PerformanceStatisticKind
{
    /// <summary>Arithmetic mean of the samples.</summary>
    Mean,

    /// <summary>Smallest sample.</summary>
    Min,

    /// <summary>Largest sample.</summary>
    Max,

    /// <summary>Nearest-rank percentile: the sample at rank ⌈p/100 × n⌉ of the n samples sorted ascending.</summary>
    Percentile,
}

/// <summary>
/// A statistic as written in a policy: <c>mean</c>, <c>min</c>, <c>max</c>, <c>median</c> (= <c>p50</c>) or
/// <c>pNN</c> / <c>pNN.N</c> with 0 &lt; NN &lt;= 100 (e.g. <c>p95</c>, <c>p99.9</c>).
/// </summary>
/// <param name="Kind">The kind of statistic.</param>
/// <param name="Percentile">For <see cref="PerformanceStatisticKind.Percentile"/>, the percentile in (0, 100]; 0 otherwise.</param>
public readonly record struct PerformanceStatistic(PerformanceStatisticKind Kind, decimal Percentile)
{
    public static readonly PerformanceStatistic Mean = new(PerformanceStatisticKind.Mean, 0);

    /// <summary>Parses the policy spelling; false for anything else (the reader reports SLA2010).</summary>
    public static bool TryParse(string? text, out PerformanceStatistic statistic)
    {
        statistic = default;
        var t = text?.Trim().ToLowerInvariant();
        switch (t)
        {
            case "mean":
            case "average":
                statistic = Mean;
                return true;
            case "min":
                statistic = new(PerformanceStatisticKind.Min, 0);
                return true;
            case "max":
                statistic = new(PerformanceStatisticKind.Max, 0);
                return true;
            case "median":
                statistic = new(PerformanceStatisticKind.Percentile, 50);
                return true;
        }

        if (t is { Length: > 1 } && t[0] == 'p'
            && decimal.TryParse(t.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p)
            && p > 0 && p <= 100)
        {
            statistic = new(PerformanceStatisticKind.Percentile, p);
            return true;
        }

        return false;
    }

    /// <summary>The policy spelling: <c>mean</c>, <c>min</c>, <c>max</c> or <c>p95</c>.</summary>
    public override string ToString() => Kind switch
    {
        PerformanceStatisticKind.Mean => "mean",
        PerformanceStatisticKind.Min => "min",
        PerformanceStatisticKind.Max => "max",
        _ => "p" + Percentile.ToString("0.####", CultureInfo.InvariantCulture),
    };
}

/// <summary>Whether a performance objective is an upper bound (<c>atMost</c>) or a lower bound (<c>atLeast</c>).</summary>
public enum ObjectiveDirection
{
    /// <summary>Met when the statistic is &lt;= the threshold (latency, jitter, ...).</summary>
    AtMost,

    /// <summary>Met when the statistic is &gt;= the threshold (packet delivery, throughput, ...).</summary>
    AtLeast,
}

/// <summary>
/// A credit tier of a performance objective. For an <see cref="ObjectiveDirection.AtMost"/> objective it applies
/// when the statistic is strictly above <see cref="Threshold"/> (JSON <c>above</c>); for an
/// <see cref="ObjectiveDirection.AtLeast"/> objective, when it is strictly below (JSON <c>below</c>).
/// </summary>
public sealed record PerformanceCreditTier(decimal Threshold, decimal CreditPercent, SourceLocation Location)
{
    /// <summary>True when the tier also applies at its threshold (JSON <c>atOrAbove</c> / <c>atOrBelow</c>).</summary>
    public bool Inclusive { get; init; }
}

/// <summary>
/// A performance objective over a calendar month's measurements of one metric, per subscription (service and
/// region): e.g. "p95 of latencyMs at most 200", "mean of packetDeliveryPercent at least 99.5".
/// </summary>
/// <param name="Id">Name of the objective (JSON <c>id</c>; default <c>metric-statistic</c>).</param>
/// <param name="Metric">The measurement metric, compared ordinally with <c>MeasurementRecord.Metric</c>.</param>
/// <param name="Statistic">Summary of the month's samples that is judged.</param>
/// <param name="Direction">Upper or lower bound.</param>
/// <param name="Threshold">The bound, in the metric's unit (a JSON percent such as <c>"99.5%"</c> is the number 99.5).</param>
/// <param name="Services">Services the objective applies to; empty means all; <c>*</c> globs allowed.</param>
/// <param name="Credits">Credit tiers; the most severe tier that applies is chosen.</param>
/// <param name="CreditCapPercent">Cap on this objective's credit percent; null means no cap.</param>
/// <param name="Location">Where the objective is written (its opening brace).</param>
/// <param name="DefinedBy">Id of the policy that wrote it (a parent when inherited through <c>extends</c>).</param>
public sealed record PerformanceTerm(
    string Id,
    string Metric,
    PerformanceStatistic Statistic,
    ObjectiveDirection Direction,
    decimal Threshold,
    ImmutableArray<string> Services,
    ImmutableArray<PerformanceCreditTier> Credits,
    decimal? CreditCapPercent,
    SourceLocation Location,
    string DefinedBy);
