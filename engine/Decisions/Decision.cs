using System.Collections.Immutable;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Decisions;

/// <summary>Outcome of one (case, target). <see cref="NoPolicy"/> and <see cref="Error"/> are never silent.</summary>
public enum DecisionStatus
{
    Met,
    Breached,
    Running,
    Paused,

    /// <summary>No policy covers the case's customer, tier, region and service on its opening date.</summary>
    NoPolicy,

    /// <summary>A rule could not be evaluated; the decision fails closed and shows up in reports.</summary>
    Error,

    /// <summary>The target's start condition has not been met yet: its clock has not started.</summary>
    Pending,

    /// <summary>The target's cancel condition was met before its clock stopped: the target is not judged.</summary>
    Cancelled,
}

/// <summary>
/// One cycle of a target whose clock restarts when the case is reopened (<c>"reopen": "newCycle"</c>), or the one
/// cycle of a target that resumes: from <see cref="Start"/> to <see cref="Stop"/> (null while it runs), with its
/// own elapsed time and status. Instants in the case's zone.
/// </summary>
public sealed record DecisionCycle(int Number, DateTimeOffset Start, DateTimeOffset? Stop, double ElapsedMinutes, DecisionStatus Status);

/// <summary>One line of an explanation: a kind (policy, clock, pause, holiday, escalation, rule, ...), a sentence, and where it came from.</summary>
public sealed record ExplanationStep(string Kind, string Text, SourceLocation? Location = null, DateTimeOffset? At = null);

/// <summary>
/// The decision for one (case, target) as of an evaluation time, with where it came from.
/// Its JSON field names (<see cref="DecisionJson"/>) are stable: a change to one is a breaking change; <see cref="Explanation"/> is empty unless
/// explanations were requested (they are built off the hot path).
/// </summary>
public sealed record Decision(
    string CaseId,
    string? Target,
    string? Policy,
    string? PolicyVersion,
    DecisionStatus Status,
    DateTimeOffset? DueAt,
    double ElapsedMinutes,
    double PausedMinutes,
    double PercentUsed,
    int EscalationLevel,
    DateTimeOffset AsOf,
    string? PolicyFile,
    int PolicyLine,
    string? RuleName,
    string? Customer,
    string? Service,
    ImmutableArray<ExplanationStep> Explanation)
{
    /// <summary>
    /// The instant the target's clock stopped (first response or resolution); null while it runs.
    /// Attainment counts a decision in the month that contains this instant (UTC).
    /// </summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The case's severity, so that attainment can group decisions by severity without the case.</summary>
    public int? Severity { get; init; }

    /// <summary>
    /// When <see cref="EscalationLevel"/> was reached: the instant the clock crossed the lowest escalation step of
    /// the policy's ladder that gives this level (given the pauses known at <see cref="AsOf"/>). Null when the level
    /// is 0, or when it came only from a custom rule, whose moment of first firing is not known.
    /// </summary>
    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>
    /// The calendar the target's clock counted on (<c>24x7</c> for real time), given only when the policy lets the case
    /// choose its calendar or clock (<c>calendarFrom</c>, <c>clockFrom</c>); null otherwise.
    /// </summary>
    public string? Calendar { get; init; }

    /// <summary>
    /// The cycles of a target with a <c>reopen</c> rule, in order; empty (and not written) for every other target, and
    /// for a case never reopened.
    /// </summary>
    public ImmutableArray<DecisionCycle> Cycles { get; init; } = [];

    /// <summary>
    /// The gaps of an update target (<c>"metric": "update"</c>), in order: each from the start or an update to the next
    /// update, the resolution, or still open (<see cref="DecisionCycle.Stop"/> null); the waits of a next-reply target
    /// (<c>"metric": "nextReply"</c>), each from a customer message to its reply, the resolution or still open; empty
    /// (and not written) for every other target.
    /// </summary>
    public ImmutableArray<DecisionCycle> Gaps { get; init; } = [];

    /// <summary>
    /// The severity history the target followed (<c>severityChange</c>), e.g. "severity 3 from 2026-11-02 09:00 +01:00
    /// (standard-resolution, 30% used), severity 1 from 2026-11-02 12:00 +01:00 (urgent-resolution)"; null when the
    /// severity did not change or the target has no <c>severityChange</c>.
    /// </summary>
    public string? SeverityHistory { get; init; }

    /// <summary>Why <see cref="Calendar"/> was used: "the case is tagged `site:berlin`"; null when <see cref="Calendar"/> is.</summary>
    public string? CalendarBy { get; init; }
}
