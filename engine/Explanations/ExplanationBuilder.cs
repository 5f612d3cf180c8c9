using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Clocks;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Diagnostics;
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
            $"no policy covers customer {ticket.Customer}, tier {ticket.Tier}, region {ticket.Region}, service {ticket.Service} " +
            $"on {ticket.OpenedAt.ToString("yyyy-MM-dd", Invariant)}: add a policy whose appliesTo matches; slapolicy compile --matrix shows the gaps");
    }

    /// <summary>
    /// The explanation of one (case, target) decision, told as a story: first the outcome with the reason for the
    /// escalation level (kind <c>status</c>), then the policy and the target, then what happened to the clock in time
    /// order (<c>clock</c>, <c>counted</c>, <c>pause</c>, <c>closed</c>, <c>holiday</c>, <c>escalation</c>, <c>stop</c>,
    /// each with its instant in <paramref name="zone"/>), then the custom rules that fired.
    /// </summary>
    /// <remarks>
    /// The <c>counted</c>, <c>pause</c> and <c>closed</c> steps tile the clock's span: each lasts until the next of them
    /// begins, the last until the <c>stop</c> step's instant, so a timeline can be drawn from the steps alone.
    /// </remarks>
    public static ImmutableArray<ExplanationStep> ForTarget(
        CompiledWorkflow workflow,
        BusinessCalendar? calendar,
        in RuleInputs inputs,
        DateTimeOffset asOf,
        WorkflowOutcome outcome,
        CaseZone zone,
        CaseCalendarChoice? choice = null,
        RuledClockResult? ruled = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(zone);
        var policy = inputs.Policy;
        var target = inputs.Target;
        var ticket = inputs.Ticket;
        var clock = inputs.Clock;

        // A target with clock rules is walked on a view of its decisive cycle; the case itself is what rules read.
        var view = ruled?.DecisiveCycle?.View;
        var (walkTarget, walkTicket, walkPauseOn) = view is not null ? (view.Target, view.Ticket, view.PauseOn)
            : ruled is { StartedAt: not null } ? (target with { Metric = TargetMetric.Resolution }, ticket with { FirstResponseAt = null, ResolvedAt = ticket.OpenedAt, Events = [] }, []) // no stretch: nothing to walk
            : (target, ticket, policy.PauseOn);
        var story = new List<ExplanationStep>();
        if (ruled is { StartedAt: null })
        {
            return Pending(workflow, inputs, outcome, zone, asOf, choice, calendar);
        }

        var trace = SlaClock.Trace(walkTarget, walkTicket, walkPauseOn, calendar, asOf);
        if (target.Metric == TargetMetric.NextReply)
        {
            story.Add(new ExplanationStep(
                "clock", $"case opened at {zone.Format(ticket.OpenedAt)}: the opening waits for the first response, judged by its own target; from then on each customer message ({target.CustomerMessage.Describe()}) that finds none waiting waits for a reply ({target.Reply.Describe()})", target.CustomerMessage.Location, zone.Local(ticket.OpenedAt)));
        }
        else if (target.Start is { } start && ruled?.StartedAt is { } startedAt)
        {
            story.Add(new ExplanationStep(
                "clock", $"case opened at {zone.Stamp(ticket.OpenedAt)}; the clock starts at {zone.Stamp(startedAt)}, when the start condition ({start.Describe()}) was met", start.Location, zone.Local(startedAt)));
        }
        else
        {
            story.Add(new ExplanationStep("clock", $"case opened at {zone.Stamp(ticket.OpenedAt)}: the clock starts", null, zone.Local(ticket.OpenedAt)));
        }

        if (ruled is not null)
        {
            AddRuledSteps(story, target, ruled, zone);
        }

        if (target.BusinessDays > 0)
        {
            var span = BusinessDayTargets.Span(target, walkTicket, calendar);
            story.Add(new ExplanationStep("business-days", BusinessDays(span, zone), target.Location, zone.Local(span.CountedFrom)));
        }

        var stopAt = trace.Result.StoppedAt ?? asOf;
        if (calendar is not null && choice is { FollowsTheSun: true } sun)
        {
            AddHolders(story, trace, sun, walkTicket.OpenedAt, stopAt, zone);
        }

        foreach (var segment in trace.Segments)
        {
            story.Add(new ExplanationStep(
                "counted", $"{Minutes(segment.Minutes)} counted from {zone.Range(segment.Start, segment.End)}", null, zone.Local(segment.Start)));
        }

        foreach (var pause in trace.Pauses)
        {
            var still = pause.OpenAtEnd ? ", still paused" : string.Empty;
            story.Add(new ExplanationStep(
                "pause",
                pause.Status == RuledClock.ResolvedPause && ruled is { Reopens.Length: > 0 } && target.Reopen == ReopenRule.Resume
                    ? $"not counted from {zone.Range(pause.Start, pause.End)}{still}: resolved until the case was reopened ({Minutes(pause.Minutes)})"
                    : $"paused from {zone.Range(pause.Start, pause.End)}{still} while the status was {pause.Status}: {Minutes(pause.Minutes)} not counted",
                pause.Status == RuledClock.ResolvedPause && target.Reopen == ReopenRule.Resume ? target.ReopenLocation : target.Pause?.Location,
                zone.Local(pause.Start)));
        }

        if (trace.CalendarId is not null)
        {
            AddClosedPeriods(story, trace, walkTicket.OpenedAt, stopAt, zone, calendar);
        }

        if (calendar is { IsFollowTheSun: true })
        {
            // Each holder's holidays and days of its own, on its own calendar and in its own part of the span.
            foreach (var (holder, from, to) in calendar.HoldersBetween(walkTicket.OpenedAt, stopAt))
            {
                var running = Running(trace, from, to);
                foreach (var holiday in running.SelectMany(r => holder.Calendar.HolidaysBetween(r.Start, r.End)).Distinct())
                {
                    story.Add(HolidayStep(holder.Calendar, holiday, zone));
                }

                foreach (var (date, hours) in holder.Calendar.SpecialDaysBetween(from, to))
                {
                    story.Add(HoursStep(holder.Calendar.Id, date, hours, zone));
                }

                AddClosures(story, holder.Calendar, running, zone);
            }
        }
        else
        {
            foreach (var holiday in trace.HolidaysSkipped)
            {
                story.Add(HolidayStep(calendar, holiday, zone, trace.CalendarId));
            }

            if (calendar is not null && trace.CalendarId is not null)
            {
                foreach (var (date, hours) in calendar.SpecialDaysBetween(walkTicket.OpenedAt, stopAt))
                {
                    story.Add(HoursStep(trace.CalendarId, date, hours, zone));
                }

                AddClosures(story, calendar, Running(trace, ticket.OpenedAt, stopAt), zone);
            }
        }

        var reached = new List<(EscalationStep Step, DateTimeOffset? At)>();
        var upcoming = new List<(EscalationStep Step, DateTimeOffset? At)>();
        foreach (var step in policy.Escalations)
        {
            var threshold = TimeSpan.FromTicks((long)(target.Within.Ticks * step.AtPercent / 100m));
            var at = SlaClock.InstantWhenElapsed(walkTarget, walkTicket, walkPauseOn, calendar, asOf, threshold);
            if ((decimal)clock.PercentUsed < step.AtPercent)
            {
                upcoming.Add((step, at));
                continue;
            }

            reached.Add((step, at));
            var crossed = at is { } r ? zone.Local(r) : (DateTimeOffset?)null;
            story.Add(new ExplanationStep(
                "escalation",
                crossed is { } local ? $"{Percent(step.AtPercent)} of the target used at {new LocalStamp(local)}: {Action(step)}" : $"{Percent(step.AtPercent)} of the target used: {Action(step)}",
                step.Location,
                crossed));
        }

        if (ruled?.CancelledAt is { } cancelledAt && clock.Status == ClockStatus.Cancelled)
        {
            story.Add(new ExplanationStep(
                "stop", $"target cancelled at {zone.Stamp(cancelledAt)}, when the cancel condition ({target.Cancel!.Describe()}) was met: not judged", target.Cancel.Location, zone.Local(cancelledAt)));
        }
        else if (target.Metric is TargetMetric.Update or TargetMetric.NextReply && ruled is not null)
        {
            // The story walked the worst stretch; the target itself ends at the resolution or runs on.
            var (kind, judged, location) = target.Metric == TargetMetric.Update
                ? ("gap", "updates", target.UpdateCondition.Location)
                : ("wait", "replies", target.Reply.Location);
            var worst = ruled.DecisiveCycle;
            var head = worst is null
                ? "no customer message waited for a reply"
                : $"the worst {kind} is {kind} {worst.Number.ToString(Invariant)}, from {zone.Format(worst.Start)} {Until(worst, asOf, zone)}";
            var tail = clock.StoppedAt is { } resolvedAt
                ? $"{judged} judged until the resolution at {zone.Format(resolvedAt)}"
                : ruled.Cycles.Length > 0 && ruled.Cycles[^1].Result.StoppedAt is null
                    ? $"the case is open: {kind} {ruled.Cycles.Length.ToString(Invariant)} counted up to the evaluation time, {zone.Format(asOf)}"
                    : $"the case is open and no customer message waits for a reply at the evaluation time, {zone.Format(asOf)}";
            story.Add(new ExplanationStep("stop", $"{head}; {tail}", location, zone.Local(worst?.Result.StoppedAt ?? clock.StoppedAt ?? asOf)));
        }
        else if (trace.Result.StoppedAt is { } stoppedAt)
        {
            var (by, where) = ruled is null
                ? (trace.StopEvent == ClockStopEvent.FirstResponse ? "the first response" : "the resolution", (SourceLocation?)null)
                : target.Stop is { } stopCondition
                    ? ($"the stop condition ({stopCondition.Describe()})", stopCondition.Location)
                    : (ruled.CancelledAt is not null ? "the cancel condition" : target.Metric == TargetMetric.FirstResponse && ticket.FirstResponseAt is { } r && zone.Local(r) == zone.Local(stoppedAt) ? "the first response" : "the resolution", null);
            story.Add(new ExplanationStep("stop", $"clock stopped at {zone.Stamp(stoppedAt)} by {by}", where, zone.Local(stoppedAt)));
        }
        else
        {
            var later = trace.StopAfterAsOfIgnored ? " (a stop recorded after the evaluation time is not known yet at it)" : string.Empty;
            story.Add(new ExplanationStep(
                "stop", $"clock not stopped: counted up to the evaluation time, {zone.Stamp(asOf)}{later}", null, zone.Local(asOf)));
        }

        var rules = ImmutableArray.CreateBuilder<ExplanationStep>();
        var firedLevels = new List<(string Rule, int Level)>();
        foreach (var result in workflow.Execute(inputs))
        {
            AddRuleSteps(rules, firedLevels, result);
        }

        var steps = ImmutableArray.CreateBuilder<ExplanationStep>();
        steps.Add(new ExplanationStep("status", Headline(clock, target, outcome.EscalationLevel, reached, upcoming, firedLevels, zone)));
        steps.Add(new ExplanationStep(
            "policy",
            $"{Governs(policy)}{ticket.Customer}, tier {ticket.Tier}, region {ticket.Region}, service {ticket.Service}",
            policy.Location));

        var clockName = target.Clock == ClockKind.TwentyFourSeven
            ? "the 24x7 clock"
            : $"the business hours of calendar {calendar?.Id ?? policy.Calendar}";
        var inherited = target.DefinedBy == policy.Id ? string.Empty : $", inherited from {target.DefinedBy}";
        var within = target.BusinessDays > 0
            ? $"{target.BusinessDays.ToString(Invariant)} business days ({Minutes(target.Within.TotalMinutes)} of business time for this case)"
            : Minutes(target.Within.TotalMinutes).ToString();
        var severity = ticket.Severity;
        if (ruled?.DecisiveCycle is { Severities.Length: > 1 } changed)
        {
            // The severity in force chose the target; under fromChange the case's length is what the shares leave.
            var last = changed.Severities[^1];
            severity = last.Severity;
            within = target.SeverityChange == SeverityChangeRule.FromChange
                ? $"{Minutes(last.Within.TotalMinutes)} ({Minutes(target.Within.TotalMinutes)} for this case, with the share used under the earlier severities)"
                : Minutes(last.Within.TotalMinutes).ToString();
        }

        steps.Add(new ExplanationStep(
            "target",
            $"{target.Id}: {Metric(target.Metric)} within {within}{target.Metric switch { TargetMetric.Update => " of each other (and of the start), until the resolution,", TargetMetric.NextReply => " of each customer message, until the resolution,", _ => string.Empty }} on {clockName}, for severity {severity}{inherited}",
            target.Location));

        if (choice is { } chosen)
        {
            steps.Add(CalendarStep(target, calendar, chosen));
        }

        // Time order; at one instant, the order things happen in: the clock starts, time is counted or not, thresholds are crossed, the clock stops.
        AddInTimeOrder(steps, story);
        steps.AddRange(rules);
        if (outcome.HasErrors)
        {
            steps.Add(new ExplanationStep("error", "a rule could not be evaluated: the decision fails closed as error"));
        }

        return steps.ToImmutable();
    }

    private static ExplanationStep HolidayStep(BusinessCalendar? calendar, DateOnly holiday, CaseZone zone, string? calendarId = null)
    {
        // A holiday written as a date keeps its sentence; one from a yearly rule or a holiday file names it and where it is written.
        var rule = calendar?.HolidayRuleFor(holiday);
        var named = rule is null ? string.Empty : $" ({HolidayName(rule)})";
        return new ExplanationStep(
            "holiday", $"{holiday:yyyy-MM-dd} is a holiday of calendar {calendarId ?? calendar?.Id}{named}: not counted", rule?.Location, zone.StartOfDay(holiday));
    }

    /// <summary>The timed closures met while the clock was running (not paused), each once, named with the event that closes it.</summary>
    private static void AddClosures(List<ExplanationStep> story, BusinessCalendar calendar, List<(DateTimeOffset Start, DateTimeOffset End)> running, CaseZone zone)
    {
        var seen = new HashSet<TimedClosure>(ReferenceEqualityComparer.Instance);
        foreach (var (from, to) in running)
        {
            foreach (var (closure, start, end) in calendar.ClosuresBetween(from, to))
            {
                if (seen.Add(closure))
                {
                    var named = closure.Name is { Length: > 0 } name ? $" ({name})" : string.Empty;
                    story.Add(new ExplanationStep(
                        "closure",
                        $"{zone.Range(start, end)} is closed in calendar {calendar.Id}{named}: not counted",
                        closure.Location,
                        zone.Local(start > from ? start : from)));
                }
            }
        }
    }

    private static ExplanationStep HoursStep(string calendarId, DateOnly date, DateHours hours, CaseZone zone)
    {
        var rule = hours.When.Kind == DateRuleKind.Date ? string.Empty : $", by the rule {hours.When.Text}";
        return new ExplanationStep(
            "hours",
            $"{date:yyyy-MM-dd} has hours of its own in calendar {calendarId}{rule}: open {hours.HoursText} instead of its weekday's hours",
            hours.When.Location,
            zone.StartOfDay(date));
    }

    /// <summary>The running (not paused) parts of the clock's span inside [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static List<(DateTimeOffset Start, DateTimeOffset End)> Running(ClockTrace trace, DateTimeOffset from, DateTimeOffset to)
    {
        var parts = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        var cursor = from > trace.StartedAt ? from : trace.StartedAt;
        var end = to < trace.CountedUntil ? to : trace.CountedUntil;
        foreach (var pause in trace.Pauses.OrderBy(p => p.Start))
        {
            if (pause.Start > cursor)
            {
                var partEnd = pause.Start < end ? pause.Start : end;
                if (partEnd > cursor)
                {
                    parts.Add((cursor, partEnd));
                }
            }

            if (pause.End > cursor)
            {
                cursor = pause.End;
            }
        }

        if (end > cursor)
        {
            parts.Add((cursor, end));
        }

        return parts;
    }

    /// <summary>
    /// Follow-the-sun: a step per holder of the case during the clock's span, with the calendar counted and the stretches
    /// counted on it, pointing at the <c>calendarFrom.teams</c> entry that maps the team to the calendar.
    /// </summary>
    private static void AddHolders(List<ExplanationStep> story, ClockTrace trace, CaseCalendarChoice choice, DateTimeOffset openedAt, DateTimeOffset stopAt, CaseZone zone)
    {
        var end = stopAt > openedAt ? stopAt : openedAt;
        for (var i = 0; i < choice.Holders.Length; i++)
        {
            var holder = choice.Holders[i];
            var from = holder.From > openedAt ? holder.From : openedAt;
            var to = i + 1 < choice.Holders.Length && choice.Holders[i + 1].From < end ? choice.Holders[i + 1].From : end;
            if (to < from || (to == from && i > 0 && from >= end))
            {
                continue;
            }

            var counted = trace.Segments.Where(s => s.Start >= from && s.End <= to && s.End > s.Start).ToList();
            var minutes = counted.Sum(s => s.Minutes);
            var stretches = counted.Count == 0
                ? "nothing counted"
                : $"{Minutes(minutes)} counted: " + string.Join("; ", counted.Select(s => zone.FormatRange(s.Start, s.End)));
            var who = holder.Team is null ? "before any assignment, from" : $"team {holder.Team} held the case from";
            var until = i + 1 < choice.Holders.Length && choice.Holders[i + 1].From < end ? $" until {zone.Stamp(to)}" : string.Empty;
            story.Add(new ExplanationStep(
                "holder",
                $"{who} {zone.Stamp(from)}{until}: counted on calendar {holder.Calendar.Id} ({holder.Calendar.TimeZone}) because {holder.Why}: {stretches}",
                holder.Location.IsKnown ? holder.Location : choice.CalendarLocation,
                zone.Local(from)));
        }
    }

    /// <summary>
    /// The severity history of a target with <c>severityChange</c>: "severity 3 (standard-resolution, 8h (480 min)) from
    /// 2026-11-02 09:00 +01:00, 120 min counted, 25% used; severity 1 (urgent-resolution) from ...".
    /// </summary>
    public static string SeverityHistory(ImmutableArray<SeverityPeriod> periods, SeverityChangeRule rule, CaseZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parts = new List<string>();
        for (var i = 0; i < periods.Length; i++)
        {
            var p = periods[i];
            var under = p.TargetId is null ? "no target of this metric" : $"{p.TargetId}, {Minutes(p.Within.TotalMinutes)}";
            var used = rule == SeverityChangeRule.FromChange && i < periods.Length - 1
                ? $", {Minutes(p.Counted.TotalMinutes)} counted, {RuledClock.Percent(p.Share)} of it used"
                : string.Empty;
            parts.Add($"severity {p.Severity.ToString(Invariant)} ({under}) from {zone.Stamp(p.From)}{used}");
        }

        return string.Join("; ", parts);
    }

    private static string Until(RuledCycle gap, DateTimeOffset asOf, CaseZone zone) =>
        gap.Result.StoppedAt is { } end ? $"to {zone.Stamp(end)}" : $"still open at {zone.Stamp(asOf)}";

    /// <summary>
    /// A step per stretch of a target of many (an update target's gaps, a next-reply target's waits): from when to when and
    /// what ended it (<paramref name="ender"/>, the resolution or the cancel), minutes counted, status, and the worst one.
    /// </summary>
    private static void AddStretchSteps(List<ExplanationStep> story, RuledClockResult ruled, string kind, string lead, string open, string ender, SourceLocation location, CaseZone zone)
    {
        foreach (var stretch in ruled.Cycles)
        {
            var end = stretch.Result.StoppedAt is { } stop
                ? $"to {zone.Format(stop)} ({(stop != ruled.Result.StoppedAt ? ender : ruled.CancelledAt is not null ? "the cancel" : "the resolution")})"
                : open;
            var worst = stretch.Number == ruled.Decisive + 1 ? ", the worst, which this decision reports" : string.Empty;
            story.Add(new ExplanationStep(
                kind,
                $"{lead}from {zone.Format(stretch.Start)} {end}: {Minutes(stretch.Result.ElapsedMinutes)} counted of {Minutes(stretch.View.Target.Within.TotalMinutes)}, {DecisionJson.StatusName(CaseEvaluator.ToDecisionStatus(stretch.Result.Status))} ({kind} {stretch.Number.ToString(Invariant)}{worst})",
                location,
                zone.Local(stretch.Start)));
        }
    }

    /// <summary>The cycles, reopens and severity changes of a target with clock rules, as story steps.</summary>
    private static void AddRuledSteps(List<ExplanationStep> story, TargetTerm target, RuledClockResult ruled, CaseZone zone)
    {
        if (target.Metric == TargetMetric.Update)
        {
            AddStretchSteps(story, ruled, "gap", string.Empty, "still open", "an update", target.UpdateCondition.Location, zone);
            return;
        }

        if (target.Metric == TargetMetric.NextReply)
        {
            AddStretchSteps(story, ruled, "wait", "a customer message waited ", "and still waits", "a reply", target.CustomerMessage.Location, zone);
            return;
        }

        if (target.Reopen == ReopenRule.NewCycle && ruled.Cycles.Length > 1)
        {
            foreach (var cycle in ruled.Cycles)
            {
                var end = cycle.Result.StoppedAt is { } stop ? $"to {zone.Stamp(stop)}" : "still open";
                var decisive = cycle.Number == ruled.Decisive + 1 ? " (the cycle this decision reports)" : string.Empty;
                story.Add(new ExplanationStep(
                    "cycle",
                    $"in cycle {cycle.Number.ToString(Invariant)}, from {zone.Stamp(cycle.Start)} {end}: {Minutes(cycle.Result.ElapsedMinutes)} of {Minutes(cycle.View.Target.Within.TotalMinutes)}, {DecisionJson.StatusName(CaseEvaluator.ToDecisionStatus(cycle.Result.Status))}{decisive}",
                    target.ReopenLocation,
                    zone.Local(cycle.Start)));
            }
        }

        foreach (var (resolved, reopened) in ruled.Reopens)
        {
            var what = target.Reopen == ReopenRule.Resume
                ? "the resolution clock resumes; the time between is not counted"
                : "a new cycle starts with the whole target";
            story.Add(new ExplanationStep(
                "reopen", $"resolved at {zone.Stamp(resolved)} and reopened at {zone.Stamp(reopened)}: {what}", target.ReopenLocation, zone.Local(reopened)));
        }

        if (ruled.DecisiveCycle is { Severities.Length: > 1 } withSeverities)
        {
            var periods = withSeverities.Severities;
            for (var i = 1; i < periods.Length; i++)
            {
                var before = periods[i - 1];
                var now = periods[i];
                var rule = target.SeverityChange == SeverityChangeRule.FromOpening
                    ? $"the clock is measured from its start against {now.TargetId ?? target.Id} ({Minutes(now.Within.TotalMinutes)})"
                    : $"{RuledClock.Percent(periods.Take(i).Sum(p => p.Share))} of the earlier targets used carries over; {now.TargetId ?? target.Id} ({Minutes(now.Within.TotalMinutes)}) counts the rest";
                story.Add(new ExplanationStep(
                    "severity",
                    $"the severity changed from {before.Severity.ToString(Invariant)} to {now.Severity.ToString(Invariant)} at {zone.Stamp(now.From)}: {rule}; pauses already counted are kept",
                    target.SeverityChangeLocation,
                    zone.Local(now.From)));
            }
        }
    }

    /// <summary>The explanation of a target whose start condition has not been met.</summary>
    private static ImmutableArray<ExplanationStep> Pending(
        CompiledWorkflow workflow, in RuleInputs inputs, WorkflowOutcome outcome, CaseZone zone, DateTimeOffset asOf, CaseCalendarChoice? choice, BusinessCalendar? calendar)
    {
        var target = inputs.Target;
        var policy = inputs.Policy;
        var ticket = inputs.Ticket;
        var steps = ImmutableArray.CreateBuilder<ExplanationStep>();
        steps.Add(new ExplanationStep("status", $"pending: the start condition has not been met by {zone.Stamp(asOf)}; nothing is counted yet"));
        steps.Add(new ExplanationStep(
            "policy",
            $"{Governs(policy)}{ticket.Customer}, tier {ticket.Tier}, region {ticket.Region}, service {ticket.Service}",
            policy.Location));
        var within = target.BusinessDays > 0 ? $"{target.BusinessDays.ToString(Invariant)} business days" : Minutes(target.Within.TotalMinutes).ToString();
        steps.Add(new ExplanationStep("target", $"{target.Id}: {Metric(target.Metric)} within {within}, for severity {ticket.Severity}", target.Location));
        if (choice is { } chosen)
        {
            steps.Add(CalendarStep(target, calendar, chosen));
        }

        steps.Add(new ExplanationStep("clock", $"case opened at {zone.Stamp(ticket.OpenedAt)}: the clock waits for its start condition", null, zone.Local(ticket.OpenedAt)));
        steps.Add(new ExplanationStep(
            "start", $"the start condition ({target.Start!.Describe()}) was not met by the evaluation time, {zone.Stamp(asOf)}", target.Start.Location, zone.Local(asOf)));
        foreach (var result in workflow.Execute(inputs))
        {
            AddRuleSteps(steps, [], result);
        }

        if (outcome.HasErrors)
        {
            steps.Add(new ExplanationStep("error", "a rule could not be evaluated: the decision fails closed as error"));
        }

        return steps.ToImmutable();
    }

    /// <summary>Which calendar or clock the case counted on, and why: for policies that let the case choose them.</summary>
    private static ExplanationStep CalendarStep(TargetTerm target, BusinessCalendar? calendar, CaseCalendarChoice choice)
    {
        if (target.Clock == ClockKind.Business && choice.FollowsTheSun)
        {
            var teams = string.Join(", ", choice.Holders.Where(h => h.Team is not null).Select(h => h.Team).Distinct());
            return new ExplanationStep(
                "calendar",
                $"counted follow-the-sun: at each instant on the calendar of the team holding the case ({teams}); before any assignment, and for a team calendarFrom.teams does not name, on calendar {choice.Home?.Id} ({choice.CalendarBy})",
                choice.Holders.Select(h => h.Location).FirstOrDefault(l => l.IsKnown));
        }

        if (target.Clock == ClockKind.TwentyFourSeven)
        {
            return choice.ClockBy is { } why
                ? new ExplanationStep("calendar", $"counted on the 24x7 clock because {why}", choice.ClockLocation)
                : new ExplanationStep("calendar", "counted on the 24x7 clock, as the target says: nothing of the case chooses another clock");
        }

        var clock = choice.ClockBy is { } clockWhy && choice.Clock == ClockKind.Business ? $"on business hours because {clockWhy}, " : string.Empty;
        var kept = target.BusinessDays > 0 && choice.Clock == ClockKind.TwentyFourSeven ? " (business days are counted on business hours whatever the case's clock)" : string.Empty;
        return new ExplanationStep(
            "calendar",
            $"counted {clock}on calendar {calendar?.Id} ({calendar?.TimeZone}) because {choice.CalendarBy}{kept}",
            choice.CalendarLocation.IsKnown ? choice.CalendarLocation : choice.ClockLocation);
    }

    /// <summary>How the business days of a target were counted: "2 business days: due Thu 3 Dec 15:00".</summary>
    private static string BusinessDays(BusinessDaySpan span, CaseZone zone)
    {
        var days = span.Days == 1 ? "1 business day" : $"{span.Days.ToString(Invariant)} business days";
        var from = zone.Local(span.CountedFrom);
        var due = zone.Local(span.DueAt);
        var point = span.IntoDay == TimeSpan.Zero
            ? $"from the opening of {Day(from)}, so due at the close of the business day before {span.DueDay.ToString("ddd d MMM", Invariant)}"
            : span.CappedAtClose
                ? $"{Minutes(span.IntoDay.TotalMinutes)} into the opening hours of {Day(from)}; {span.DueDay.ToString("ddd d MMM", Invariant)} is a shorter day, so due at its close"
                : $"{Minutes(span.IntoDay.TotalMinutes)} into the opening hours of {Day(from)}, due at the same point of {span.DueDay.ToString("ddd d MMM", Invariant)}";
        return $"{days}: counted from {zone.Stamp(span.CountedFrom)}, {point}: due {Day(due)} {due.ToString("HH:mm", Invariant)}, " +
            $"{Minutes(span.Within.TotalMinutes)} of business time, which pauses extend";
    }

    private static string HolidayName(DateRule rule) => rule.Name is { } name
        ? (rule.Kind == DateRuleKind.Date ? name : $"{name}, {rule.Text}")
        : rule.Text;

    private static string Day(DateTimeOffset local) => local.ToString("ddd d MMM", Invariant);

    /// <summary>
    /// The story's steps by instant (a step without one first), then by <see cref="Rank"/>, then in the order they were
    /// told: a total order, so the sort needs no stability of its own.
    /// </summary>
    private static void AddInTimeOrder(ImmutableArray<ExplanationStep>.Builder steps, List<ExplanationStep> story)
    {
        var keys = new (long At, int Rank, int Index)[story.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var step = story[i];
            keys[i] = (step.At is { } at ? at.UtcTicks : long.MinValue, Rank(step.Kind), i);
        }

        Array.Sort(keys);
        foreach (var key in keys)
        {
            steps.Add(story[key.Index]);
        }
    }

    private static int Rank(string kind) => kind switch
    {
        "clock" => 0,
        "business-days" => 0,
        "holder" => 0,

        // A gap or a wait opens a stretch of time: it comes before what is counted in it from the same instant.
        "gap" or "wait" => 0,
        "closed" or "holiday" or "hours" or "closure" or "pause" or "counted" => 1,
        "reopen" or "cycle" or "severity" => 1,
        "escalation" => 2,
        _ => 3,
    };

    /// <summary>
    /// The gaps of a business clock's span that are neither counted nor paused: outside the calendar's opening hours,
    /// holidays included.
    /// </summary>
    private static void AddClosedPeriods(List<ExplanationStep> story, ClockTrace trace, DateTimeOffset openedAt, DateTimeOffset stopAt, CaseZone zone, BusinessCalendar? calendar)
    {
        var covered = trace.Segments.Select(s => (s.Start, s.End)).Concat(trace.Pauses.Select(p => (p.Start, p.End))).OrderBy(p => p.Start).ToList();
        var cursor = openedAt;
        foreach (var (start, end) in covered.Append((stopAt, stopAt)))
        {
            if (start > cursor)
            {
                var gapEnd = start < stopAt ? start : stopAt;
                if (gapEnd > cursor && calendar is { IsFollowTheSun: true })
                {
                    // A gap is told per holder: the calendar whose hours it is outside of.
                    foreach (var (holder, from, to) in calendar.HoldersBetween(cursor, gapEnd))
                    {
                        story.Add(new ExplanationStep(
                            "closed",
                            $"not counted from {zone.Range(from, to)}: outside the opening hours of calendar {holder.Calendar.Id} ({holder.Calendar.TimeZone})",
                            null,
                            zone.Local(from)));
                    }
                }
                else if (gapEnd > cursor)
                {
                    story.Add(new ExplanationStep(
                        "closed",
                        $"not counted from {zone.Range(cursor, gapEnd)}: outside the opening hours of calendar {trace.CalendarId} ({trace.TimeZone})",
                        null,
                        zone.Local(cursor)));
                }
            }

            if (end > cursor)
            {
                cursor = end;
            }
        }
    }

    private static void AddRuleSteps(ImmutableArray<ExplanationStep>.Builder steps, List<(string Rule, int Level)> levels, RuleResult result)
    {
        if (result.ExceptionMessage is not null)
        {
            steps.Add(new ExplanationStep("rule-error", $"rule {result.RuleName} could not be evaluated: {result.ExceptionMessage}", result.Location));
        }
        else if (result.IsSuccess && result.SuccessEvent is not null && !RuleNames.IsGenerated(result.RuleName))
        {
            var inputsRead = result.Inputs.Length == 0
                ? string.Empty
                : ", reading " + string.Join(" and ", result.Inputs.Select(read => $"{read.Name} = {FormatValue(read.Value)}"));
            steps.Add(new ExplanationStep("rule", $"{result.RuleName} fired{inputsRead}: {Event(result.SuccessEvent)}", result.Location));
            if (RuleNode<RuleInputs>.ParseEvent(result.SuccessEvent, "escalate:", out var level))
            {
                levels.Add((result.RuleName, (int)level));
            }
        }

        foreach (var child in result.ChildResults)
        {
            AddRuleSteps(steps, levels, child);
        }
    }

    private static string Event(string successEvent) =>
        RuleNode<RuleInputs>.ParseEvent(successEvent, "escalate:", out var level) ? $"escalate to level {level.ToString(Invariant)}"
        : RuleNode<RuleInputs>.ParseEvent(successEvent, "credit:", out var credit) ? $"a credit of {Percent(credit)}"
        : $"event {successEvent}";

    /// <summary>What a ladder step does, written once per step of a loaded policy.</summary>
    private static string Action(EscalationStep step) => Actions.GetValue(step, static step =>
    {
        var to = step.To is null ? string.Empty : step.Level is null ? $" {step.To}" : $" ({step.To})";
        return step.Level is { } level ? $"{step.Action} to level {level}{to}" : $"{step.Action}{to}";
    });

    private static readonly ConditionalWeakTable<EscalationStep, string> Actions = [];

    /// <summary>The start of the policy step, "acme-gold version 3, in effect from 2026-01-01, governs customer ", written once per loaded policy.</summary>
    private static string Governs(Policy policy) => GovernsTexts.GetValue(policy, static policy =>
        $"{policy.Id} version {policy.Version}, in effect from {policy.EffectiveFrom:yyyy-MM-dd}, governs customer ");

    private static readonly ConditionalWeakTable<Policy, string> GovernsTexts = [];

    /// <summary>
    /// The outcome in one sentence, the reason for the escalation level with it (the ladder step that gave it and
    /// when, the custom rule that gave it), and while the clock runs, the next ladder step and when it falls due.
    /// </summary>
    private static string Headline(
        ClockResult clock,
        TargetTerm target,
        int level,
        List<(EscalationStep Step, DateTimeOffset? At)> reached,
        List<(EscalationStep Step, DateTimeOffset? At)> upcoming,
        List<(string Rule, int Level)> fired,
        CaseZone zone)
    {
        // One buffer for the whole sentence: no string for its parts.
        var text = new DefaultInterpolatedStringHandler(0, 0, Invariant, stackalloc char[256]);
        text.AppendLiteral(clock.Status switch
        {
            ClockStatus.Met => "met: ",
            ClockStatus.Breached => "breached: ",
            ClockStatus.Paused => "paused: ",
            ClockStatus.Cancelled => "cancelled: ",
            ClockStatus.Pending => "pending: no customer message is waiting for a reply; the longest wait so far: ",
            _ => "running: ",
        });
        text.AppendFormatted(Minutes(clock.ElapsedMinutes));
        text.AppendLiteral(" of ");
        text.AppendFormatted(Minutes(target.Within.TotalMinutes));
        text.AppendLiteral(" used (");
        text.AppendFormatted(new PercentUsedText(clock.PercentUsed));
        text.AppendLiteral(clock.Status switch
        {
            ClockStatus.Paused => "%); no due time while paused",
            ClockStatus.Cancelled => "%) when the cancel condition was met; not judged",
            _ => "%)",
        });
        if (clock.DueAt is { } due && clock.Status is ClockStatus.Breached or ClockStatus.Running)
        {
            text.AppendLiteral(clock.Status == ClockStatus.Breached ? "; it was due at " : "; due at ");
            text.AppendFormatted(zone.Stamp(due));
        }

        if (level > 0)
        {
            text.AppendLiteral(clock.Status == ClockStatus.Met ? ", but escalated to level " : "; escalated to level ");
            text.AppendFormatted(level);
            var separator = " ";

            // The lowest ladder step that gave the level (the first of them listed, when several share it).
            (EscalationStep Step, DateTimeOffset? At)? ladder = null;
            foreach (var r in reached)
            {
                if (r.Step.Level == level && (ladder is null || r.Step.AtPercent < ladder.Value.Step.AtPercent))
                {
                    ladder = r;
                }
            }

            if (ladder is var (step, at))
            {
                text.AppendLiteral(" by the ");
                text.AppendFormatted(new PercentText(step.AtPercent));
                text.AppendLiteral(" step of the ladder");
                if (step.To is not null)
                {
                    text.AppendLiteral(" (");
                    text.AppendLiteral(step.To);
                    text.AppendLiteral(")");
                }

                // The 100% step falls at the due time already given: its instant is not repeated.
                if (at is { } a && a != clock.DueAt)
                {
                    text.AppendLiteral(" at ");
                    text.AppendFormatted(zone.Stamp(a));
                }

                separator = " and ";
            }

            foreach (var (rule, ruleLevel) in fired)
            {
                if (ruleLevel == level)
                {
                    text.AppendLiteral(separator);
                    text.AppendLiteral("by rule ");
                    text.AppendLiteral(rule);
                    separator = " and ";
                }
            }
        }

        if (clock.Status == ClockStatus.Running)
        {
            // The lowest ladder step still ahead (the first of them listed, when several share it).
            (EscalationStep Step, DateTimeOffset? At)? next = null;
            foreach (var u in upcoming)
            {
                if (next is null || u.Step.AtPercent < next.Value.Step.AtPercent)
                {
                    next = u;
                }
            }

            if (next is var (step, at) && step is not null)
            {
                text.AppendLiteral("; next: ");
                text.AppendLiteral(Action(step));
                text.AppendLiteral(" at ");
                text.AppendFormatted(new PercentText(step.AtPercent));
                if (at is { } n)
                {
                    text.AppendLiteral(" at ");
                    text.AppendFormatted(zone.Stamp(n));
                }
            }
        }

        return text.ToStringAndClear();
    }

    private static PercentText Percent(decimal percent) => new(percent);

    /// <summary>
    /// A percentage of a policy (a ladder step, a credit): <c>75%</c>, <c>12.5%</c> (<c>0.##</c>). A whole number is
    /// written with integer digits, anything else through the number format.
    /// </summary>
    internal readonly record struct PercentText(decimal Value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            charsWritten = 0;
            var percent = Value;
            var written = percent >= 1 && percent < 1_000_000_000_000m && percent == decimal.Truncate(percent)
                ? ((long)percent).TryFormat(destination, out charsWritten, default, Invariant)
                : percent.TryFormat(destination, out charsWritten, "0.##", Invariant);
            if (!written || destination.Length <= charsWritten)
            {
                charsWritten = 0;
                return false;
            }

            destination[charsWritten++] = '%';
            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public override string ToString() => $"{this}";
    }

    /// <summary>
    /// The share of a target used, as the headline writes it (<c>0.#</c>): <c>462.5</c>, <c>73.3</c>, <c>100</c>.
    /// When ten times the value is a whole number (a value given to one decimal, which is what the format shows), the
    /// digits are written as integers: the number format's 15 significant digits round to that same tenth.
    /// </summary>
    internal readonly record struct PercentUsedText(double Value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            var tenths = Value * 10;
            if (!(Value >= 0 && !double.IsNegative(Value) && tenths < 1e14 && tenths == Math.Floor(tenths)))
            {
                return Value.TryFormat(destination, out charsWritten, "0.#", Invariant);
            }

            var whole = (long)tenths;
            if (!(whole / 10).TryFormat(destination, out charsWritten, default, Invariant))
            {
                return false;
            }

            if (whole % 10 != 0)
            {
                if (destination.Length < charsWritten + 2)
                {
                    charsWritten = 0;
                    return false;
                }

                destination[charsWritten++] = '.';
                destination[charsWritten++] = (char)('0' + (whole % 10));
            }

            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public override string ToString() => $"{this}";
    }

    private static string Metric(TargetMetric metric) => metric switch
    {
        TargetMetric.FirstResponse => "first response",
        TargetMetric.Update => "updates",
        TargetMetric.NextReply => "next reply",
        _ => "resolution",
    };

    private static MinutesText Minutes(double minutes) => new(minutes);

    /// <summary>
    /// A length of time as the explanations write it: <c>4h (240 min)</c>, <c>2d (2880 min)</c>, <c>37.5 min</c>.
    /// Formats itself straight into an interpolated string; a whole number of minutes (nearly every one) is written
    /// with integer digits, anything else through the <c>0.##</c> number format.
    /// </summary>
    internal readonly record struct MinutesText(double Value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            charsWritten = 0;
            var minutes = Value;
            if (!(minutes >= 0 && minutes < 1e15 && !double.IsNegative(minutes) && minutes == Math.Floor(minutes)))
            {
                var text = Slow(minutes);
                if (!text.TryCopyTo(destination))
                {
                    return false;
                }

                charsWritten = text.Length;
                return true;
            }

            var whole = (long)minutes;
            var (unit, per) = whole % 1440 == 0 && whole >= 1440 ? ('d', 1440L) : whole % 60 == 0 && whole >= 60 ? ('h', 60L) : (' ', 0L);
            var at = 0;
            if (per > 0)
            {
                if (!(whole / per).TryFormat(destination, out at, default, Invariant) || destination.Length < at + 3)
                {
                    return false;
                }

                destination[at++] = unit;
                destination[at++] = ' ';
                destination[at++] = '(';
            }

            if (!whole.TryFormat(destination[at..], out var digits, default, Invariant))
            {
                return false;
            }

            at += digits;
            var tail = per > 0 ? " min)" : " min";
            if (!tail.TryCopyTo(destination[at..]))
            {
                return false;
            }

            charsWritten = at + tail.Length;
            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public override string ToString() => $"{this}";

        private static string Slow(double minutes) => minutes switch
        {
            _ when minutes % 1440 == 0 && minutes >= 1440 => $"{minutes / 1440:0.##}d ({minutes.ToString("0.##", Invariant)} min)",
            _ when minutes % 60 == 0 && minutes >= 60 => $"{minutes / 60:0.##}h ({minutes.ToString("0.##", Invariant)} min)",
            _ => $"{minutes.ToString("0.##", Invariant)} min",
        };
    }

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, Invariant),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(FormatValue)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
