using System.Collections.Immutable;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Clocks;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Explanations;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>
/// Evaluates cases against a compiled policy set: finds the governing policy version, runs each applicable
/// target's clock, runs the policy's workflow (generated target and escalation rules plus custom rules), and
/// returns one decision per target.
/// </summary>
/// <remarks>
/// Immutable and thread-safe once created; creating one resolves calendars and plans for every policy version,
/// so keep one per policy set. Explanations are built only when asked for, from the same clock walk and the
/// same compiled rules (<see cref="ExplanationBuilder"/>), so the hot path pays nothing for them.
/// </remarks>
public sealed class CaseEvaluator : ICaseEvaluator
{
    private readonly ScopeResolver _resolver;
    // By reference: the resolver hands back the very Policy instances of the set; records compare by value otherwise.
    private readonly Dictionary<Policy, PolicyPlan> _plans = new(ReferenceEqualityComparer.Instance);

    private readonly PolicyFingerprints _fingerprints;

    private CaseEvaluator(PolicySet all, ScopeResolver resolver, IEnumerable<PolicyPlan> plans)
    {
        _resolver = resolver;
        foreach (var plan in plans)
        {
            _plans.Add(plan.Policy, plan);
        }

        PolicyVersions = [.. _plans.Keys.Select(p => $"{p.Id}@{p.Version}").Order(StringComparer.Ordinal)];
        _fingerprints = new PolicyFingerprints(all, _plans.ContainsKey, Executor);
    }

    /// <inheritdoc />
    public long? SetFingerprint => _fingerprints.ForSet();

    /// <inheritdoc />
    public long? ScopeFingerprint(string customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return _fingerprints.For(customer);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> PolicyVersions { get; }

    /// <summary>Who runs the rules of this evaluator's policies (<c>Rules:Executor</c>).</summary>
    public RuleExecutor Executor => _plans.Values.Select(p => p.Workflow.Executor).FirstOrDefault();

    /// <summary>
    /// The policy set this evaluator was built from: what figures computed alongside its decisions (availability,
    /// credits) must use, so that one run is judged by one policy set.
    /// </summary>
    public required PolicySet Set { get; init; }

    /// <summary>Builds an evaluator for a policy set that loaded and compiled without errors.</summary>
    public static CaseEvaluator Create(PolicySet set, CompiledPolicySet compiled) => Create(set, compiled, set);

    /// <summary>
    /// Builds an evaluator that decides by the policies of <paramref name="inForce"/> (a part of <paramref name="set"/>
    /// whose rules are in <paramref name="compiled"/>), while cases are still matched against every policy of
    /// <paramref name="set"/>: a case whose policy is not in force is decided <c>no-policy</c>, never by a broader one.
    /// </summary>
    public static CaseEvaluator Create(PolicySet set, CompiledPolicySet compiled, PolicySet inForce)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(compiled);
        ArgumentNullException.ThrowIfNull(inForce);
        var calendars = inForce.Calendars.ToDictionary(kv => kv.Key, kv => BusinessCalendar.Create(kv.Value), StringComparer.Ordinal);
        var plans = new List<PolicyPlan>();
        foreach (var policy in inForce.Policies)
        {
            BusinessCalendar? calendar = null;
            if (policy.Calendar is not null)
            {
                calendars.TryGetValue(policy.Calendar, out calendar);
            }

            plans.Add(new PolicyPlan(policy, compiled.Get(policy), calendar, calendars));
        }

        return new CaseEvaluator(set, new ScopeResolver(set), plans) { Set = inForce };
    }

    /// <summary>The policy that governs a case: the version in effect on the local date of its opening.</summary>
    public Policy? FindPolicy(CaseRecord ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return _resolver.Resolve(ticket);
    }

    /// <inheritdoc />
    public CaseZone ZoneOf(CaseRecord ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return FindPolicy(ticket) is { } policy && _plans.TryGetValue(policy, out var plan) ? plan.ZoneOf(ticket) : CaseZone.Of(null, ticket.OpenedAt);
    }

    /// <inheritdoc />
    public IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var policy = FindPolicy(ticket);
        if (policy is null || !_plans.TryGetValue(policy, out var plan))
        {
            return [NoPolicy(ticket, asOf, explain)];
        }

        var targets = plan.TargetsFor(ticket.Severity, asOf, ticket);
        if (targets.Length == 0)
        {
            return [];
        }

        var decisions = new Decision[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            decisions[i] = EvaluateTarget(plan, targets[i], ticket, asOf, explain);
        }

        return decisions;
    }

    /// <summary>Evaluates every case of a sequence, streaming; decisions come in input order.</summary>
    public IEnumerable<Decision> EvaluateAll(IEnumerable<CaseRecord> tickets, DateTimeOffset asOf, bool explain)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        foreach (var ticket in tickets)
        {
            foreach (var decision in Evaluate(ticket, asOf, explain))
            {
                yield return decision;
            }
        }
    }

    private static Decision EvaluateTarget(PolicyPlan plan, TargetTerm target, CaseRecord ticket, DateTimeOffset asOf, bool explain)
    {
        var policy = plan.Policy;
        var choice = plan.Choose(ticket, asOf);
        if (choice.Clock is { } kind && kind != target.Clock && target.BusinessDays == 0)
        {
            target = target with { Clock = kind };
        }

        var calendar = target.Clock == ClockKind.Business ? choice.Calendar : null;
        RuledClockResult? ruled = null;
        ClockResult clock;
        if (target.HasClockRules)
        {
            // Start, stop, pause, cancel, reopen and severity rules: the plain clock walks a view of each cycle.
            var metric = target.Metric;
            ruled = RuledClock.Compute(target, ticket, policy.PauseOn, calendar, asOf, severity => plan.TargetOf(metric, severity, target.Id));
            clock = ruled.Result;
            target = ruled.DecisiveCycle?.View.Target is { } walked ? target with { Within = walked.Within } : BusinessDayTargets.ForCase(target, ticket, calendar);
        }
        else
        {
            target = BusinessDayTargets.ForCase(target, ticket, calendar);
            clock = SlaClock.Compute(target, ticket, policy.PauseOn, calendar, asOf);
        }

        var inputs = new RuleInputs(ticket, clock, target, policy);
        var outcome = plan.Workflow.Run(inputs);
        if (clock.Status is ClockStatus.Pending or ClockStatus.Cancelled)
        {
            // A target not started or cancelled is not judged, so not escalated either.
            outcome = outcome with { EscalationLevel = 0 };
        }

        var status = outcome.HasErrors ? DecisionStatus.Error : ToDecisionStatus(clock.Status);
        var zone = plan.ZoneOf(ticket);
        var explanation = explain
            ? ExplanationBuilder.ForTarget(plan.Workflow, calendar, inputs, asOf, outcome, zone, plan.HasCaseChoice ? choice : null, ruled)
            : ImmutableArray<ExplanationStep>.Empty;
        return new Decision(
            ticket.Id,
            target.Id,
            policy.Id,
            policy.Version,
            status,
            clock.DueAt is { } due ? zone.Local(due) : null,
            clock.ElapsedMinutes,
            clock.PausedMinutes,
            clock.PercentUsed,
            outcome.EscalationLevel,
            asOf,
            target.Location.File,
            target.Location.Line,
            RuleNames.ForTarget(target),
            ticket.Customer,
            ticket.Service,
            explanation)
        {
            StoppedAt = clock.StoppedAt is { } stopped ? zone.Local(stopped) : null,
            Severity = target.SeverityChange == SeverityChangeRule.None ? ticket.Severity : RuledClock.SeverityAt(ticket, asOf),
            EscalatedAt = outcome.EscalationLevel > 0 && EscalatedAt(plan, target, calendar, ruled?.DecisiveCycle?.View, ticket, clock, asOf, outcome.EscalationLevel) is { } escalated ? zone.Local(escalated) : null,
            Cycles = ruled is { Reopens.Length: > 0 } ? [.. ruled.Cycles.Select(c => new DecisionCycle(c.Number, zone.Local(c.Start), c.Result.StoppedAt is { } end ? zone.Local(end) : null, c.Result.ElapsedMinutes, ToDecisionStatus(c.Result.Status)))] : [],
            Gaps = ruled is not null && target.Metric is TargetMetric.Update or TargetMetric.NextReply ? [.. ruled.Cycles.Select(c => new DecisionCycle(c.Number, zone.Local(c.Start), c.Result.StoppedAt is { } end ? zone.Local(end) : null, c.Result.ElapsedMinutes, ToDecisionStatus(c.Result.Status)))] : [],
            SeverityHistory = ruled?.DecisiveCycle is { Severities.Length: > 0 } decisive ? ExplanationBuilder.SeverityHistory(decisive.Severities, target.SeverityChange, zone) : null,
            Calendar = plan.HasCaseChoice ? (calendar is null ? "24x7" : choice.FollowsTheSun ? BusinessCalendar.FollowTheSunId : calendar.Id) : null,
            CalendarBy = plan.HasCaseChoice
                ? (target.Clock == ClockKind.Business ? (choice.FollowsTheSun ? FollowTheSunBy(choice, zone) : choice.CalendarBy) : choice.ClockBy ?? "the target's clock")
                : null,
        };
    }

    /// <summary>The holders of a follow-the-sun case in a line: "follow-the-sun: uk-office (calendarFrom matches no tag or customer of the case, so the policy's calendar uk-office), then team amer on us-office from 2026-11-16 17:00 +00:00".</summary>
    internal static string FollowTheSunBy(CaseCalendarChoice choice, CaseZone zone)
    {
        var parts = choice.Holders.Select((holder, index) =>
        {
            var who = holder.Team is null ? holder.Calendar.Id : $"team {holder.Team} on {holder.Calendar.Id}";
            var from = index == 0 ? string.Empty : $" from {zone.Format(holder.From)}";
            var why = holder.Team is null ? $" ({holder.Why})" : string.Empty;
            return who + from + why;
        });
        return "follow-the-sun: " + string.Join(", then ", parts);
    }

    /// <summary>
    /// The crossing instant of the lowest ladder step that gives <paramref name="level"/> and has been reached;
    /// null when no such step exists (the level came from a custom rule). Only escalated decisions pay for it.
    /// </summary>
    private static DateTimeOffset? EscalatedAt(PolicyPlan plan, TargetTerm target, BusinessCalendar? calendar, ClockView? view, CaseRecord ticket, ClockResult clock, DateTimeOffset asOf, int level)
    {
        EscalationStep? lowest = null;
        foreach (var step in plan.Policy.Escalations)
        {
            if (step.Level == level && step.AtPercent <= (decimal)clock.PercentUsed && (lowest is null || step.AtPercent < lowest.AtPercent))
            {
                lowest = step;
            }
        }

        if (lowest is null)
        {
            return null;
        }

        var threshold = TimeSpan.FromTicks((long)(target.Within.Ticks * lowest.AtPercent / 100m));
        return view is null
            ? SlaClock.InstantWhenElapsed(target, ticket, plan.Policy.PauseOn, calendar, asOf, threshold)
            : SlaClock.InstantWhenElapsed(view.Target, view.Ticket, view.PauseOn, calendar, asOf, threshold);
    }

    private static Decision NoPolicy(CaseRecord ticket, DateTimeOffset asOf, bool explain)
    {
        var explanation = explain
            ? [ExplanationBuilder.NoPolicy(ticket)]
            : ImmutableArray<ExplanationStep>.Empty;
        return new Decision(
            ticket.Id, null, null, null, DecisionStatus.NoPolicy, null, 0, 0, 0, 0, asOf, null, 0, null,
            ticket.Customer, ticket.Service, explanation)
        {
            Severity = ticket.Severity,
        };
    }

    /// <summary>The decision status a clock status reports.</summary>
    internal static DecisionStatus ToDecisionStatus(ClockStatus status) => status switch
    {
        ClockStatus.Met => DecisionStatus.Met,
        ClockStatus.Breached => DecisionStatus.Breached,
        ClockStatus.Paused => DecisionStatus.Paused,
        ClockStatus.Pending => DecisionStatus.Pending,
        ClockStatus.Cancelled => DecisionStatus.Cancelled,
        _ => DecisionStatus.Running,
    };

    /// <summary>What the evaluator precomputes once per policy version.</summary>
    private sealed class PolicyPlan
    {
        private readonly ImmutableArray<TargetTerm>[] _bySeverity;
        private readonly ImmutableArray<TargetTerm> _otherSeverities;

        private readonly Dictionary<string, BusinessCalendar> _calendars;

        public PolicyPlan(Policy policy, CompiledWorkflow workflow, BusinessCalendar? calendar, Dictionary<string, BusinessCalendar> calendars)
        {
            Policy = policy;
            Workflow = workflow;
            Calendar = calendar;
            _calendars = calendars;
            HasCaseChoice = policy.CalendarFrom is not null || policy.ClockFrom is not null;
            Zone = calendar is null ? null : CaseZone.Of(calendar.TimeZone, default);
            // Severities 1..4 are the valid ones; an index per severity keeps the hot path free of filtering.
            _bySeverity = new ImmutableArray<TargetTerm>[5];
            for (var severity = 0; severity < _bySeverity.Length; severity++)
            {
                _bySeverity[severity] = [.. policy.Targets.Where(t => t.AppliesToSeverity(severity))];
            }

            _otherSeverities = [.. policy.Targets.Where(t => t.Severities.IsDefaultOrEmpty)];
            _followsSeverity = policy.Targets.Any(t => t.SeverityChange != SeverityChangeRule.None);
        }

        private readonly bool _followsSeverity;

        public Policy Policy { get; }

        public CompiledWorkflow Workflow { get; }

        public BusinessCalendar? Calendar { get; }

        public ImmutableArray<TargetTerm> TargetsFor(int severity) =>
            (uint)severity < (uint)_bySeverity.Length ? _bySeverity[severity] : _otherSeverities;

        /// <summary>
        /// The targets of a case: those chosen by its severity, except that a target with <c>severityChange</c> is
        /// chosen by the severity in force at <paramref name="asOf"/> (the last event carrying one, else the case's).
        /// </summary>
        public ImmutableArray<TargetTerm> TargetsFor(int severity, DateTimeOffset asOf, CaseRecord ticket)
        {
            var targets = TargetsFor(severity);
            if (!_followsSeverity || ticket.Events.IsDefaultOrEmpty)
            {
                return targets;
            }

            var current = RuledClock.SeverityAt(ticket, asOf);
            if (current == severity)
            {
                return targets;
            }

            var now = TargetsFor(current);
            return [.. Policy.Targets.Where(t => t.SeverityChange == SeverityChangeRule.None ? targets.Contains(t) : now.Contains(t))];
        }

        /// <summary>The target of <paramref name="metric"/> for a severity: the one with <paramref name="id"/> if it applies, else the first that does.</summary>
        public TargetTerm? TargetOf(TargetMetric metric, int severity, string id)
        {
            var candidates = TargetsFor(severity).Where(t => t.Metric == metric).ToList();
            return candidates.FirstOrDefault(t => t.Id == id) ?? candidates.FirstOrDefault();
        }

        /// <summary>True when the policy lets the case choose its calendar or clock (<c>calendarFrom</c>, <c>clockFrom</c>).</summary>
        public bool HasCaseChoice { get; }

        /// <summary>
        /// <see cref="Choose(CaseRecord)"/>, then, for a policy with <c>calendarFrom.teams</c>, the calendar of each team
        /// that held the case as known at <paramref name="asOf"/> (status events with a <c>team</c>): a follow-the-sun calendar.
        /// </summary>
        public CaseCalendarChoice Choose(CaseRecord ticket, DateTimeOffset asOf)
        {
            var choice = Choose(ticket);
            if (Policy.CalendarFrom is not { FollowsTheSun: true } from || choice.Calendar is not { } home || ticket.Events.IsDefaultOrEmpty)
            {
                return choice;
            }

            var first = new CalendarHolder(DateTimeOffset.MinValue, null, home) { Why = choice.CalendarBy, Location = choice.CalendarLocation };
            List<CalendarHolder>? handovers = null;
            foreach (var e in ticket.Events.OrderBy(e => e.At.UtcTicks))
            {
                if (e.Team is not { } team || e.At > asOf)
                {
                    continue;
                }

                var holder = from.ForTeam(team) is { } entry && _calendars.TryGetValue(entry.Value, out var calendar)
                    ? new CalendarHolder(e.At, team, calendar) { Why = $"calendarFrom.teams maps {team} to {calendar.Id}", Location = entry.Location }
                    : new CalendarHolder(e.At, team, home) { Why = $"calendarFrom.teams does not name {team}, so the case's own calendar ({choice.CalendarBy})", Location = from.Location };
                if (e.At <= ticket.OpenedAt)
                {
                    // Assigned before the clock starts: that team holds the case from the start.
                    first = holder;
                    handovers?.Clear();
                    continue;
                }

                (handovers ??= []).Add(holder);
            }

            if (first.Team is null && handovers is null)
            {
                return choice;
            }

            var followed = BusinessCalendar.FollowTheSun(first, handovers ?? []);
            var holders = followed.IsFollowTheSun ? followed.Holders : [first with { From = DateTimeOffset.MinValue }];
            return choice with { Calendar = followed, Holders = holders, Home = home };
        }

        /// <summary>The calendar and clock a case's tags or customer choose; the policy's calendar when the policy lets it choose nothing.</summary>
        public CaseCalendarChoice Choose(CaseRecord ticket)
        {
            if (!HasCaseChoice)
            {
                return new CaseCalendarChoice(Calendar, null, SourceLocation.None, null, null, SourceLocation.None);
            }

            // No entry of calendarFrom matches the case (or the policy chooses only the clock): the policy's own calendar,
            // told as such, at the calendarFrom term that was looked through.
            var (calendar, calendarBy, calendarAt) = (Calendar, Calendar is null ? null : OwnCalendarWhy(Policy.CalendarFrom, Calendar.Id), Policy.CalendarFrom?.Location ?? SourceLocation.None);
            if (Policy.CalendarFrom?.For(ticket) is { } chosen && _calendars.TryGetValue(chosen.Entry.Value, out var found))
            {
                (calendar, calendarBy, calendarAt) = (found, chosen.Why, chosen.Entry.Location);
            }

            ClockKind? clock = null;
            string? clockBy = null;
            var clockAt = SourceLocation.None;
            if (Policy.ClockFrom?.For(ticket) is { } clockChoice)
            {
                (clock, clockBy, clockAt) = (clockChoice.Entry.Value == "24x7" ? ClockKind.TwentyFourSeven : ClockKind.Business, clockChoice.Why, clockChoice.Entry.Location);
            }

            return new CaseCalendarChoice(calendar, calendarBy, calendarAt, clock, clockBy, clockAt);
        }

        /// <summary>
        /// Why a case counts on the policy's own calendar <paramref name="id"/>: "calendarFrom matches no tag or customer of
        /// the case, so the policy's calendar uk-office" when the policy has <c>calendarFrom</c>, else "uk-office is the
        /// policy's calendar" (the policy chooses only the clock by the case).
        /// </summary>
        internal static string OwnCalendarWhy(CaseChoices? calendarFrom, string id) =>
            calendarFrom is null
                ? $"{id} is the policy's calendar"
                : $"calendarFrom matches no tag or customer of the case, so the policy's calendar {id}";

        /// <summary>The zone of the calendar the case counts on when it has one, else the case's opening offset.</summary>
        public CaseZone ZoneOf(CaseRecord ticket) =>
            HasCaseChoice && Choose(ticket).Calendar is { } chosen && chosen != Calendar
                ? CaseZone.Of(chosen.TimeZone, ticket.OpenedAt)
                : Zone ?? CaseZone.Of(null, ticket.OpenedAt);

        private CaseZone? Zone { get; }
    }
}
