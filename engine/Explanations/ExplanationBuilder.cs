using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Clocks;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Explanations;

/// <summary>
/// Turns one target's evaluation into sentences a support lead can read: which policy and term, how the
/// clock was counted, what was paused or skipped, which escalation thresholds were crossed and when, which
/// custom rules fired. Built from the same clock walk (<see cref="SlaClock.Trace"/>) and the same compiled
/// workflow (<see cref="CompiledWorkflow.Execute"/>) as the decision, never from a second implementation.
/// </summary>
public static class ExplanationBuilder
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The explanation of a case that no policy covers.</summary>
    public static ExplanationStep NoPolicy(CaseRecord ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new ExplanationStep(
            "no-policy",
            $"no policy covers customer `{ticket.Customer}`, tier `{ticket.Tier}`, region `{ticket.Region}`, service `{ticket.Service}` " +
            $"on {ticket.OpenedAt.ToString("yyyy-MM-dd", Invariant)}: add a policy whose appliesTo matches, or run `slapolicy compile --matrix` to see the gaps");
    }

    /// <summary>The explanation of one (case, target) decision.</summary>
    public static ImmutableArray<ExplanationStep> ForTarget(
        CompiledWorkflow workflow, BusinessCalendar? calendar, in RuleInputs inputs, DateTimeOffset asOf, WorkflowOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var policy = inputs.Policy;
        var target = inputs.Target;
        var ticket = inputs.Ticket;
        var clock = inputs.Clock;
        var offset = ticket.OpenedAt.Offset;
        var steps = ImmutableArray.CreateBuilder<ExplanationStep>();

        steps.Add(new ExplanationStep(
            "policy",
            $"policy `{policy.Id}` version {policy.Version} (effective from {policy.EffectiveFrom:yyyy-MM-dd}) governs customer `{ticket.Customer}`, " +
            $"tier `{ticket.Tier}`, region `{ticket.Region}`, service `{ticket.Service}`",
            policy.Location));

        var clockName = target.Clock == ClockKind.TwentyFourSeven
            ? "the 24x7 clock"
            : $"business hours of calendar `{policy.Calendar}`";
        var inherited = target.DefinedBy == policy.Id ? string.Empty : $", inherited from `{target.DefinedBy}`";
        steps.Add(new ExplanationStep(
            "target",
            $"target `{target.Id}`: {Metric(target.Metric)} within {Minutes(target.Within.TotalMinutes)} on {clockName}, severity {ticket.Severity}{inherited}",
            target.Location));

        var trace = SlaClock.Trace(target, ticket, policy.PauseOn, calendar, asOf);
        steps.Add(new ExplanationStep("clock", $"clock started at {Format(ticket.OpenedAt)} when the case was opened", null, ticket.OpenedAt));
        foreach (var segment in trace.Segments)
        {
            steps.Add(new ExplanationStep(
                "counted",
                $"counted {Format(segment.Start.ToOffset(offset))} to {Format(segment.End.ToOffset(offset))}: {Minutes(segment.Minutes)}",
                null,
                segment.Start));
        }

        foreach (var pause in trace.Pauses)
        {
            var end = pause.OpenAtEnd ? $"{Format(pause.End.ToOffset(offset))}, still paused" : Format(pause.End.ToOffset(offset));
            steps.Add(new ExplanationStep(
                "pause",
                $"paused while `{pause.Status}` from {Format(pause.Start.ToOffset(offset))} to {end}: {Minutes(pause.Minutes)} not counted",
                null,
                pause.Start));
        }

        foreach (var holiday in trace.HolidaysSkipped)
        {
            steps.Add(new ExplanationStep("holiday", $"{holiday:yyyy-MM-dd} is a holiday of calendar `{policy.Calendar}`: not counted"));
        }

        if (trace.Result.StoppedAt is { } stoppedAt)
        {
            var by = trace.StopEvent == ClockStopEvent.FirstResponse ? "the first response" : "the resolution";
            steps.Add(new ExplanationStep("stop", $"clock stopped at {Format(stoppedAt.ToOffset(offset))} by {by}", null, stoppedAt));
        }
        else
        {
            var later = trace.StopAfterAsOfIgnored ? " (a stop recorded after the evaluation time is not known yet at it)" : string.Empty;
            steps.Add(new ExplanationStep("stop", $"clock not stopped: counted up to the evaluation time {Format(asOf)}{later}", null, asOf));
        }

        if (trace.ClosedTimeSkipped > TimeSpan.Zero)
        {
            steps.Add(new ExplanationStep(
                "closed",
                $"{Minutes(trace.ClosedTimeSkipped.TotalMinutes)} outside the opening hours of calendar `{trace.CalendarId}` ({trace.TimeZone}) not counted"));
        }

        foreach (var step in policy.Escalations)
        {
            if ((decimal)clock.PercentUsed < step.AtPercent)
            {
                continue;
            }

            var threshold = TimeSpan.FromTicks((long)(target.Within.Ticks * step.AtPercent / 100m));
            var reachedAt = SlaClock.InstantWhenElapsed(target, ticket, policy.PauseOn, calendar, asOf, threshold);
            var when = reachedAt is { } r ? $" at {Format(r.ToOffset(offset))}" : string.Empty;
            var action = step.Level is { } level ? $"{step.Action} to level {level}" : step.Action;
            var to = step.To is null ? string.Empty : $" (`{step.To}`)";
            steps.Add(new ExplanationStep(
                "escalation",
                $"{step.AtPercent.ToString(Invariant)}% of the target used{when}: {action}{to}",
                step.Location,
                reachedAt));
        }

        foreach (var result in workflow.Execute(inputs))
        {
            AddRuleSteps(steps, result);
        }

        steps.Add(new ExplanationStep("status", Status(clock, target)));
        if (outcome.HasErrors)
        {
            steps.Add(new ExplanationStep("error", "a rule could not be evaluated: the decision fails closed as `error`"));
        }

        return steps.ToImmutable();
    }

    private static void AddRuleSteps(ImmutableArray<ExplanationStep>.Builder steps, RuleResult result)
    {
        if (result.ExceptionMessage is not null)
        {
            steps.Add(new ExplanationStep("rule-error", $"rule `{result.RuleName}` failed: {result.ExceptionMessage}", result.Location));
        }
        else if (result.IsSuccess && result.SuccessEvent is not null && !RuleNames.IsGenerated(result.RuleName))
        {
            var inputsRead = result.Inputs.Length == 0
                ? string.Empty
                : " with " + string.Join(", ", result.Inputs.Select(read => $"{read.Name} = {FormatValue(read.Value)}"));
            steps.Add(new ExplanationStep("rule", $"rule `{result.RuleName}` fired{inputsRead}: `{result.SuccessEvent}`", result.Location));
        }

        foreach (var child in result.ChildResults)
        {
            AddRuleSteps(steps, child);
        }
    }

    private static string Status(ClockResult clock, TargetTerm target)
    {
        var used = $"{Minutes(clock.ElapsedMinutes)} of {Minutes(target.Within.TotalMinutes)} used ({clock.PercentUsed.ToString("0.#", Invariant)}%)";
        return clock.Status switch
        {
            ClockStatus.Met => $"met: {used}",
            ClockStatus.Breached => $"breached: {used}",
            ClockStatus.Paused => $"paused: {used}; no due time while paused",
            _ => $"running: {used}, due at {(clock.DueAt is { } due ? Format(due) : "unknown")}",
        };
    }

    private static string Metric(TargetMetric metric) => metric == TargetMetric.FirstResponse ? "first response" : "resolution";

    private static string Minutes(double minutes) => minutes switch
    {
        _ when minutes % 1440 == 0 && minutes >= 1440 => $"{minutes / 1440:0.##}d ({minutes.ToString("0.##", Invariant)} min)",
        _ when minutes % 60 == 0 && minutes >= 60 => $"{minutes / 60:0.##}h ({minutes.ToString("0.##", Invariant)} min)",
        _ => $"{minutes.ToString("0.##", Invariant)} min",
    };

    private static string Format(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd HH:mm zzz", Invariant);

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, Invariant),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(FormatValue)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
