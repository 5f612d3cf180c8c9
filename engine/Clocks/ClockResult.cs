namespace SlaPolicy.Engine.Clocks;

/// <summary>Status of one (case, target) clock as of the evaluation time. The rules are in docs/CLOCKS.md "Status, due time and minutes".</summary>
public enum ClockStatus
{
    /// <summary>Stopped, elapsed &lt;= within.</summary>
    Met,

    /// <summary>Elapsed &gt; within, stopped or not.</summary>
    Breached,

    /// <summary>Not stopped, paused at asOf, not breached.</summary>
    Paused,

    /// <summary>Not stopped, not paused, not breached.</summary>
    Running,

    /// <summary>The target's start condition has not been met: the clock has not started.</summary>
    Pending,

    /// <summary>The target's cancel condition was met before the clock stopped: the target is not judged.</summary>
    Cancelled,
}

/// <summary>
/// The state of one target's clock for one case as of the evaluation time. Elapsed and paused time are
/// counted on the target's clock (real time for 24x7, business time for a calendar clock).
/// </summary>
public readonly record struct ClockResult(
    TimeSpan Elapsed,
    TimeSpan Paused,
    TimeSpan Within,
    DateTimeOffset? DueAt,
    DateTimeOffset? StoppedAt,
    ClockStatus Status)
{
    /// <summary>elapsed / within × 100.</summary>
    public double PercentUsed => Within.Ticks == 0 ? 0 : Elapsed.Ticks * 100.0 / Within.Ticks;

    public double ElapsedMinutes => Elapsed.TotalMinutes;

    public double PausedMinutes => Paused.TotalMinutes;

    public bool IsStopped => StoppedAt.HasValue;
}
