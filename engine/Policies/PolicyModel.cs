using System.Collections.Immutable;
using System.Text.Json.Serialization;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies;

// The canonical, immutable policy model. JSON classes stay inside the reader (PolicyReader); the compiler,
// the clocks and the evaluator see only these records. A Policy here is already resolved: `extends`
// has been applied, so Targets, Escalations, Rules, ... hold the inherited terms too, each still pointing
// at the file and line that defined it.

/// <summary>Which metric a target measures.</summary>
public enum TargetMetric
{
    /// <summary>Stops at <c>firstResponseAt</c>, or at <c>resolvedAt</c> when that comes first or no response was recorded.</summary>
    FirstResponse,

    /// <summary>Stops at <c>resolvedAt</c>.</summary>
    Resolution,

    /// <summary>
    /// A periodic target (JSON <c>"metric": "update"</c>): every gap between updates (events the target's <c>stop</c>
    /// matches, by default any event with <c>public: true</c>) must stay within the target, until the case is resolved
    /// (docs/CLOCKS.md "Update targets").
    /// </summary>
    Update,

    /// <summary>
    /// A target per customer message (JSON <c>"metric": "nextReply"</c>): every wait from a customer message (events the
    /// target's <c>start</c> matches, by default <c>author: customer</c>) to the next reply (events its <c>stop</c>
    /// matches, by default <c>author: agent</c> not marked private) must stay within the target (docs/CLOCKS.md "Next
    /// reply targets").
    /// </summary>
    NextReply,
}

/// <summary>How a target's clock counts time.</summary>
public enum ClockKind
{
    /// <summary>Real elapsed time (DST-correct).</summary>
    TwentyFourSeven,

    /// <summary>Business hours of the policy's calendar only, holidays skipped.</summary>
    Business,
}

/// <summary>
/// The scope a policy applies to. An empty list means "all"; entries may contain <c>*</c> globs.
/// </summary>
public sealed record PolicyScope(
    ImmutableArray<string> Customers,
    ImmutableArray<string> Tiers,
    ImmutableArray<string> Regions,
    ImmutableArray<string> Services)
{
    public static readonly PolicyScope All = new([], [], [], []);
}

/// <summary>A response or resolution target: "severity 1 resolved within 4h, 24x7".</summary>
public sealed record TargetTerm(
    string Id,
    TargetMetric Metric,
    ImmutableArray<int> Severities,
    TimeSpan Within,
    ClockKind Clock,
    SourceLocation Location,
    string DefinedBy)
{
    /// <summary>
    /// Business days of a <c>within</c> written <c>Nbd</c>; 0 for a fixed duration. A business-day target has no
    /// fixed length: <see cref="Within"/> is zero as read, and each case's clock gets the business time from its
    /// start to the same point of the day's opening hours N business days later
    /// (<see cref="Calendars.BusinessCalendar.BusinessDays"/>), with <see cref="Within"/> set to it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int BusinessDays { get; init; }

    /// <summary>The event or case field that starts the clock (JSON <c>start</c>); null: the clock starts at <c>openedAt</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ClockCondition? Start { get; init; }

    /// <summary>The event or case field that stops the clock (JSON <c>stop</c>); null: the metric's own stop (<c>firstResponseAt</c>, <c>resolvedAt</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ClockCondition? Stop { get; init; }

    /// <summary>The events that pause this target's clock (JSON <c>pause</c>), instead of the policy's <c>pauseOn</c>; null: the policy's <c>pauseOn</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ClockCondition? Pause { get; init; }

    /// <summary>The event or case field that cancels the target (JSON <c>cancel</c>): the clock is not judged; null: never cancelled.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ClockCondition? Cancel { get; init; }

    /// <summary>What a reopen after a resolution does to a resolution clock (JSON <c>reopen</c>); <see cref="ReopenRule.None"/>: as before, the clock stops at <c>resolvedAt</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ReopenRule Reopen { get; init; }

    /// <summary>Where <see cref="Reopen"/> is written; unknown when it is not.</summary>
    [JsonIgnore]
    public SourceLocation ReopenLocation { get; init; } = SourceLocation.None;

    /// <summary>How a severity change in the case's events moves this target (JSON <c>severityChange</c>); <see cref="SeverityChangeRule.None"/>: only the case's severity counts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SeverityChangeRule SeverityChange { get; init; }

    /// <summary>Where <see cref="SeverityChange"/> is written; unknown when it is not.</summary>
    [JsonIgnore]
    public SourceLocation SeverityChangeLocation { get; init; } = SourceLocation.None;

    /// <summary>True when the target uses any of the conditions, reopen or severity rules that the plain clock does not know.</summary>
    [JsonIgnore]
    public bool HasClockRules => Metric is TargetMetric.Update or TargetMetric.NextReply || Start is not null || Stop is not null || Pause is not null || Cancel is not null || Reopen != ReopenRule.None || SeverityChange != SeverityChangeRule.None;

    /// <summary>What an update of an update target is: its <c>stop</c>, or by default any event with <c>public: true</c>.</summary>
    [JsonIgnore]
    public ClockCondition UpdateCondition => Stop ?? new ClockCondition([], null, true, null, Location);

    /// <summary>What a customer message of a next-reply target is: its <c>start</c>, or by default any event with <c>author: customer</c>.</summary>
    [JsonIgnore]
    public ClockCondition CustomerMessage => Start ?? new ClockCondition([], null, null, null, Location) { Author = "customer" };

    /// <summary>What a reply of a next-reply target is: its <c>stop</c>, or by default any event with <c>author: agent</c> not marked <c>public: false</c>.</summary>
    [JsonIgnore]
    public ClockCondition Reply => Stop ?? new ClockCondition([], null, null, null, Location) { Author = "agent", NotPrivate = true };

    /// <summary>True when the target applies to a case of this severity (an empty list means all).</summary>
    public bool AppliesToSeverity(int severity) => Severities.IsDefaultOrEmpty || Severities.Contains(severity);
}

/// <summary>What a reopened case does to a resolution clock (docs/CLOCKS.md "Reopens and cycles").</summary>
public enum ReopenRule
{
    /// <summary>Not written: the clock stops at the case's <c>resolvedAt</c>, whatever the events say.</summary>
    None,

    /// <summary><c>resume</c>: the clock resumes at the reopen; the time between the resolution and the reopen is not counted.</summary>
    Resume,

    /// <summary><c>newCycle</c>: each reopen starts a new cycle with the whole target, each cycle judged.</summary>
    NewCycle,
}

/// <summary>How a severity change moves a target (docs/CLOCKS.md "Severity changes").</summary>
public enum SeverityChangeRule
{
    /// <summary>Not written: the case's <c>severity</c> chooses the targets, event severities are not read.</summary>
    None,

    /// <summary><c>fromOpening</c>: the clock is measured from its start against the target of the severity in force.</summary>
    FromOpening,

    /// <summary><c>fromChange</c>: the share of each earlier target used carries over; the new target counts the rest.</summary>
    FromChange,
}

/// <summary>
/// A condition on a case's status events or on one of its timestamps (JSON <c>start</c>, <c>stop</c>, <c>pause</c>,
/// <c>cancel</c> of a target). An event matches when every property written matches: its status is one of
/// <see cref="Statuses"/>, its <c>type</c> is <see cref="Type"/>, its <c>public</c> flag is <see cref="Public"/>, its
/// <c>author</c> is <see cref="Author"/>. A condition on <see cref="Field"/> (<c>openedAt</c>, <c>firstResponseAt</c>, <c>resolvedAt</c>) is met at that instant.
/// </summary>
public sealed record ClockCondition(ImmutableArray<string> Statuses, string? Type, bool? Public, string? Field, SourceLocation Location)
{
    /// <summary>The event's <c>author</c> (<c>customer</c>, <c>agent</c>, ...), compared exactly; null: any author.</summary>
    public string? Author { get; init; }

    /// <summary>
    /// True for a next-reply target's default reply: an event marked <c>public: false</c> does not match, one without
    /// <c>public</c> does (a reply is public unless the source system says otherwise). Not written in a policy.
    /// </summary>
    public bool NotPrivate { get; init; }

    /// <summary>True when <paramref name="e"/> matches the event properties of the condition (never for a field condition).</summary>
    public bool Matches(Inputs.StatusEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Field is not null)
        {
            return false;
        }

        if (!Statuses.IsDefaultOrEmpty && !Statuses.Contains(e.Status, StringComparer.Ordinal))
        {
            return false;
        }

        if (Type is not null && !string.Equals(Type, e.Type, StringComparison.Ordinal))
        {
            return false;
        }

        if (Author is not null && !string.Equals(Author, e.Author, StringComparison.Ordinal))
        {
            return false;
        }

        if (NotPrivate && e.Public == false)
        {
            return false;
        }

        return Public is not { } wanted || e.Public == wanted;
    }

    /// <summary>The instant of the case field the condition names; null when it names none or the case has no such time.</summary>
    public DateTimeOffset? FieldInstant(Inputs.CaseRecord ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Field switch
        {
            "openedAt" => ticket.OpenedAt,
            "firstResponseAt" => ticket.FirstResponseAt,
            "resolvedAt" => ticket.ResolvedAt,
            _ => null,
        };
    }

    /// <summary>The condition as a reader sees it: "status resolved, public", "firstResponseAt".</summary>
    public string Describe()
    {
        if (Field is not null)
        {
            return Field;
        }

        var parts = new List<string>(5);
        if (!Statuses.IsDefaultOrEmpty)
        {
            parts.Add($"status {string.Join(" or ", Statuses)}");
        }

        if (Type is not null)
        {
            parts.Add($"type {Type}");
        }

        if (Public is { } isPublic)
        {
            parts.Add(isPublic ? "public" : "not public");
        }

        if (Author is not null)
        {
            parts.Add($"author {Author}");
        }

        if (NotPrivate)
        {
            parts.Add("not marked private");
        }

        return string.Join(", ", parts);
    }
}

/// <summary>An escalation step, reached when percentUsed &gt;= <see cref="AtPercent"/>.</summary>
public sealed record EscalationStep(
    string Id,
    decimal AtPercent,
    string Action,
    int? Level,
    string? To,
    SourceLocation Location,
    string DefinedBy);

/// <summary>Attainment objective over a period: the share of targets met for these severities.</summary>
public sealed record AttainmentTerm(
    ImmutableArray<int> Severities,
    decimal AtLeastPercent,
    decimal CreditPercent,
    SourceLocation Location,
    string DefinedBy);

/// <summary>A credit tier: when the measured value is below <see cref="BelowPercent"/>, credit <see cref="CreditPercent"/> of the fee.</summary>
public sealed record CreditTier(decimal BelowPercent, decimal CreditPercent, SourceLocation Location)
{
    /// <summary>True when the tier also applies at its bound (JSON <c>atOrBelow</c> instead of <c>below</c>).</summary>
    public bool Inclusive { get; init; }

    /// <summary>How the tier's credit is computed; <see cref="CreditFormula.Percent"/> (of the fee, <see cref="CreditPercent"/>) by default.</summary>
    public CreditFormula Formula { get; init; } = CreditFormula.Percent;

    /// <summary>The formula's number: days of fee, the amount per hour down, or the percent of the fee per share of downtime; 0 for <see cref="CreditFormula.Percent"/>.</summary>
    public decimal FormulaValue { get; init; }
}

/// <summary>How a credit tier's amount is computed.</summary>
public enum CreditFormula
{
    /// <summary>A percent of the monthly fee (JSON <c>credit</c>).</summary>
    Percent,

    /// <summary>N days of the monthly fee: fee × N / days in the month (JSON <c>daysOfFee</c>).</summary>
    DaysOfFee,

    /// <summary>An amount per hour of downtime, pro rata to the tick (JSON <c>perHourDown</c>).</summary>
    PerHourDown,

    /// <summary>A percent of the fee in proportion to the downtime: fee × P / 100 × downtime / window (JSON <c>proportional</c>).</summary>
    Proportional,
}

/// <summary>
/// The availability objective of a policy and its service credits. The optional parts (<see cref="Id"/>, downtime from
/// metrics, scope, redundancy, ...) are left default when a file does not write them, so that terms of the older format
/// mean and fingerprint what they did.
/// </summary>
public sealed record AvailabilityTerm(
    ImmutableArray<string> Services,
    decimal ObjectivePercent,
    string Window,
    ImmutableArray<string> Exclude,
    ImmutableArray<CreditTier> Credits,
    decimal? CreditCapPercent,
    decimal? MonthlyFee,
    string? Currency,
    SourceLocation Location,
    string DefinedBy)
{
    /// <summary>The objective's name (JSON <c>id</c>), needed when an agreement writes several; null for a single term written without one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Id { get; init; }

    /// <summary>Downtime read from measurements (JSON <c>downtime</c>) instead of outages; null: outages are the downtime.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public MetricDowntime? DowntimeFrom { get; init; }

    /// <summary>Only spells of downtime at least this long count (JSON <c>minimumDowntime</c>); null: every spell counts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan? MinimumDowntime { get; init; }

    /// <summary>Where <see cref="MinimumDowntime"/> is written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation MinimumDowntimeLocation { get; init; }

    /// <summary>What availability is a share of (JSON <c>measure</c>): time (default) or requests.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public AvailabilityMeasure Measure { get; init; }

    /// <summary>Where <see cref="Measure"/> is written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation MeasureLocation { get; init; }

    /// <summary>Whether the term judges each resource of a subscription on its own (JSON <c>"scope": "resource"</c>) or the service as a whole (default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public AvailabilityScope Scope { get; init; }

    /// <summary>Where <see cref="Scope"/> is written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation ScopeLocation { get; init; }

    /// <summary>Down only when enough resources are down at once (JSON <c>downWhen</c>); null: any downtime counts.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RedundancyRule? DownWhen { get; init; }

    /// <summary>Where <see cref="Window"/> is written (a window other than the calendar month).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation WindowLocation { get; init; }

    /// <summary>
    /// Outage kinds whose time is taken out of the window as well as out of the downtime (JSON <c>excludeFromWindow</c>:
    /// planned maintenance, the customer's planned downtime); default when none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<string> ExcludeFromWindow { get; init; }

    /// <summary>Where <see cref="ExcludeFromWindow"/> is written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation ExcludeFromWindowLocation { get; init; }

    /// <summary>True when availability is measured over the business hours of the policy's calendar only (JSON <c>"hours": "business"</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool BusinessHoursOnly { get; init; }

    /// <summary>Where <see cref="BusinessHoursOnly"/> is written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation HoursLocation { get; init; }

    /// <summary>A single outage longer than a bound is a violation with its own credit (JSON <c>maxOutage</c>); null when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public MaxOutageRule? MaxOutage { get; init; }

    /// <summary>
    /// The time zone whose Mondays start the weeks of a weekly window (JSON <c>zone</c>, with <c>"window": "calendarWeek"</c>);
    /// null: the zone of the policy's calendar, else UTC.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? WeekZone { get; init; }

    /// <summary>True when the term judges each calendar week on its own (JSON <c>"window": "calendarWeek"</c>).</summary>
    [JsonIgnore]
    public bool Weekly => Window == "calendarWeek";

    /// <summary>
    /// True when each minute of an outage counts in proportion to the share of users it affected (JSON
    /// <c>"downtime": { "weight": "affected" }</c>, an outage's <c>affected</c> percent; an outage without one counts in
    /// full). False: every minute down counts whole.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool WeightByAffected { get; init; }

    /// <summary>Where <see cref="WeightByAffected"/> is written (<c>downtime.weight</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation WeightLocation { get; init; }

    /// <summary>
    /// What availability is a share of (JSON <c>denominator</c>): the window (default), or only the minutes of it the
    /// subscription was deployed, from its <c>subscribedFrom</c> to its <c>subscribedUntil</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public AvailabilityDenominator Denominator { get; init; }

    /// <summary>Where <see cref="Denominator"/> is written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SourceLocation DenominatorLocation { get; init; }

    /// <summary>The term's name in explanations and reports: its <see cref="Id"/>, else <c>availability</c>.</summary>
    [JsonIgnore]
    public string Name => Id ?? "availability";
}

/// <summary>What an availability term judges: the service in the region as a whole, or each resource of it.</summary>
public enum AvailabilityScope
{
    /// <summary>Every outage and measurement of the service in the region counts, whatever resource it names (the default).</summary>
    Aggregated,

    /// <summary>A subscription naming a resource is judged on that resource's outages and measurements, and on those that name none.</summary>
    Resource,
}

/// <summary>
/// Redundancy (JSON <c>availability.downWhen</c>): the service is down only while at least <see cref="ResourcesDown"/> of
/// its resources are down at once. <see cref="Resources"/> lists the resources that count (default: every resource the
/// outages or measurements name); <see cref="All"/> means every one of them (then they must be listed). An outage or
/// interval that names no resource puts every resource down.
/// </summary>
public sealed record RedundancyRule(int ResourcesDown, bool All, ImmutableArray<string> Resources, SourceLocation Location)
{
    /// <summary>How many resources must be down at once.</summary>
    public int Needed => All ? Resources.Length : ResourcesDown;
}

/// <summary>
/// A single-outage rule (JSON <c>availability.maxOutage</c>): every spell of downtime longer than <see cref="LongerThan"/>
/// is a violation, whatever the month's percentage. Each one adds <see cref="CreditPercent"/> of the fee, or, with
/// <see cref="PerHourDown"/>, that amount per hour of the whole spell ("restore within 4 hours or the outage is
/// credited"); the term's <c>creditCap</c> bounds the total.
/// </summary>
public sealed record MaxOutageRule(TimeSpan LongerThan, decimal? CreditPercent, decimal? PerHourDown, SourceLocation Location);

/// <summary>The time an availability percentage is a share of.</summary>
public enum AvailabilityDenominator
{
    /// <summary>The window (the month, or its business hours, less the time taken out of it; JSON <c>"denominator": "window"</c>, the default).</summary>
    Window,

    /// <summary>The minutes of the window the subscription was deployed, [subscribedFrom, subscribedUntil) (JSON <c>"denominator": "deployed"</c>).</summary>
    Deployed,
}

/// <summary>What an availability percentage is a share of.</summary>
public enum AvailabilityMeasure
{
    /// <summary>(window − downtime) / window (JSON <c>"measure": "time"</c>, the default).</summary>
    Time,

    /// <summary>Successful requests / all requests, from the counts of measurements (JSON <c>"measure": "requests"</c>).</summary>
    Requests,

    /// <summary>
    /// 100 % minus the mean of the intervals' error rates (JSON <c>"measure": "meanErrorRate"</c>): every interval of the
    /// window counts, one without samples (or under <c>minRequests</c>) at 0 %.
    /// </summary>
    MeanErrorRate,
}

/// <summary>
/// Downtime from measurements (JSON <c>availability.downtime</c>): the window is cut into intervals of
/// <see cref="Interval"/> from its start; an interval is down when the <see cref="Metric"/> measured in it is above
/// <see cref="Above"/> with at least <see cref="MinRequests"/> requests.
/// </summary>
public sealed record MetricDowntime(string Metric, decimal Above, long MinRequests, TimeSpan Interval, SourceLocation Location);

/// <summary>A named local parameter of a rule (RulesEngine's LocalParams).</summary>
public sealed record LocalParam(string Name, string Expression, SourceLocation ExpressionLocation);

/// <summary>An action of a rule (RulesEngine's Actions.OnSuccess / OnFailure).</summary>
public sealed record RuleAction(string Name, ImmutableDictionary<string, string> Context)
{
    /// <summary>
    /// Where each context value's text starts in its file (first character inside the JSON string), keyed like
    /// <see cref="Context"/>; used to point compiler diagnostics of an <c>OutputExpression</c> at the text.
    /// Missing keys mean unknown.
    /// </summary>
    public ImmutableDictionary<string, SourceLocation> ContextLocations { get; init; } = ImmutableDictionary<string, SourceLocation>.Empty;

    /// <summary>Where the action object is written; unknown when not read from a file.</summary>
    public SourceLocation Location { get; init; } = SourceLocation.None;

    /// <summary>The context value under <paramref name="key"/>, matched ignoring case as RulesEngine's action context does; null when absent.</summary>
    public string? ContextValue(string key) => Context.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A rule in Microsoft RulesEngine's workflow-rule shape. A rule has either an <see cref="Expression"/>
/// or nested <see cref="Rules"/> combined by <see cref="Operator"/> (<c>And</c>/<c>AndAlso</c>/<c>Or</c>/<c>OrElse</c>).
/// <see cref="ExpressionLocation"/> points at the first character of the expression text inside the
/// JSON string, so that compiler diagnostics map to file:line:col.
/// </summary>
public sealed record RuleDefinition(
    string RuleName,
    string? Expression,
    string? SuccessEvent,
    string? ErrorMessage,
    bool Enabled,
    string? Operator,
    ImmutableArray<RuleDefinition> Rules,
    ImmutableArray<LocalParam> LocalParams,
    RuleAction? OnSuccess,
    RuleAction? OnFailure,
    SourceLocation Location,
    SourceLocation ExpressionLocation,
    string DefinedBy)
{
    /// <summary>True when the rule combines nested rules (it has an <see cref="Operator"/> or nested <see cref="Rules"/>) rather than being its <see cref="Expression"/>.</summary>
    public bool IsNested => Operator is not null || !Rules.IsDefaultOrEmpty;
}

/// <summary>
/// One version of one agreement, resolved through its <c>extends</c> chain.
/// Effective range: <see cref="EffectiveFrom"/> inclusive, <see cref="EffectiveTo"/> exclusive (null: open-ended).
/// </summary>
public sealed record Policy(
    string Id,
    string Version,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    string? Extends,
    PolicyScope AppliesTo,
    string? Calendar,
    ImmutableArray<string> PauseOn,
    ImmutableArray<TargetTerm> Targets,
    ImmutableArray<EscalationStep> Escalations,
    ImmutableArray<AttainmentTerm> Attainment,
    AvailabilityTerm? Availability,
    ImmutableArray<RuleDefinition> Rules,
    string File,
    SourceLocation Location)
{
    /// <summary>
    /// Performance objectives measured from metric samples (monthly p95 latency, mean packet delivery, ...),
    /// each with its own credits. Empty when the policy has none. See docs/AVAILABILITY.md.
    /// </summary>
    public ImmutableArray<PerformanceTerm> Performance { get; init; } = [];

    /// <summary>
    /// Cap on one customer's total credits under this policy in one month, as a percent of the sum of that
    /// customer's monthly fees under this policy (JSON <c>customerCreditCap</c>). Null: no cap beyond each term's own.
    /// </summary>
    public decimal? CustomerCreditCapPercent { get; init; }

    /// <summary>
    /// Cap on one customer's credits under this policy over any run of months ending with the month computed (JSON
    /// <c>rollingCreditCap</c>: "credits in any 12-month period shall not exceed one month's fee"); null: no such cap.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RollingCreditCap? RollingCreditCap { get; init; }

    /// <summary>
    /// True when no <c>appliesTo</c> is written in the policy or any parent: such a policy is a baseline to
    /// extend and never governs a case by itself.
    /// </summary>
    public bool IsAbstract { get; init; }

    /// <summary>
    /// The date by which this version is to be reviewed (JSON <c>reviewBy</c>), written on the version itself and never
    /// inherited; null when none is set.
    /// </summary>
    public DateOnly? ReviewBy { get; init; }

    /// <summary>Where <see cref="ReviewBy"/> is written; unknown when it is not.</summary>
    public SourceLocation ReviewByLocation { get; init; } = SourceLocation.None;

    /// <summary>
    /// Days before <see cref="ReviewBy"/> from which the review is due (JSON <c>reviewNoticeDays</c>, default
    /// <see cref="DefaultReviewNoticeDays"/>).
    /// </summary>
    public int ReviewNoticeDays { get; init; } = DefaultReviewNoticeDays;

    /// <summary>Where <see cref="EffectiveTo"/> is written; unknown when it is not.</summary>
    public SourceLocation EffectiveToLocation { get; init; } = SourceLocation.None;

    /// <summary>Who owes this agreement's credits (JSON <c>direction</c>): the provider to a customer (default) or a supplier to the provider.</summary>
    public AgreementDirection Direction { get; init; } = AgreementDirection.Customer;

    /// <summary>How credits are claimed and settled (JSON <c>claims</c>); null when the agreement says nothing about claims.</summary>
    public ClaimTerms? Claims { get; init; }

    /// <summary>
    /// Every availability objective when the agreement writes several (JSON <c>availability</c> as an array, each with an
    /// <c>id</c>); default when it writes one object, which is <see cref="Availability"/>. <see cref="Availability"/> is the
    /// first objective either way (its <c>monthlyFee</c> and <c>currency</c> are the policy's defaults).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<AvailabilityTerm> AvailabilityObjectives { get; init; }

    /// <summary>The availability objectives to judge: <see cref="AvailabilityObjectives"/>, else <see cref="Availability"/> alone, else none.</summary>
    [JsonIgnore]
    public ImmutableArray<AvailabilityTerm> AvailabilityTerms =>
        !AvailabilityObjectives.IsDefaultOrEmpty ? AvailabilityObjectives : Availability is { } single ? [single] : [];
    /// <summary>
    /// Calendars chosen by the case (JSON <c>calendarFrom</c>): a tag or the customer names the calendar business clocks
    /// count on, instead of <see cref="Calendar"/>. Null when the policy and its parents have none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public CaseChoices? CalendarFrom { get; init; }

    /// <summary>
    /// Clocks chosen by the case (JSON <c>clockFrom</c>): a tag or the customer makes every target count on the clock it
    /// names (<c>24x7</c> or <c>business</c>), business-day targets excepted. Null when the policy and its parents have none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public CaseChoices? ClockFrom { get; init; }

    /// <summary>The notice period of a review when a policy names none: 30 days.</summary>
    public const int DefaultReviewNoticeDays = 30;

    /// <summary>True when this version is in effect on <paramref name="date"/>.</summary>
    public bool IsEffectiveOn(DateOnly date) => date >= EffectiveFrom && (EffectiveTo is null || date < EffectiveTo.Value);
}

/// <summary>
/// What a case's tags or customer choose for its clocks (<c>calendarFrom</c>, <c>clockFrom</c>): the first entry of
/// <see cref="Tags"/>, in the order written, whose tag the case carries; else the entry of <see cref="Customers"/>
/// for its customer; else the policy's own choice.
/// </summary>
public sealed record CaseChoices(ImmutableArray<CaseChoice> Tags, ImmutableArray<CaseChoice> Customers, SourceLocation Location)
{
    /// <summary>
    /// Follow-the-sun (JSON <c>calendarFrom.teams</c>, only in <c>calendarFrom</c>): a team and the calendar its
    /// business clocks count on while it holds the case (status events with a <c>team</c>); default when none, so
    /// that policies without it keep their fingerprints.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<CaseChoice> Teams { get; init; }

    /// <summary>True when <see cref="Teams"/> names any team: the case's calendar follows its holders.</summary>
    [JsonIgnore]
    public bool FollowsTheSun => !Teams.IsDefaultOrEmpty;

    /// <summary>The <see cref="Teams"/> entry of <paramref name="team"/>; null when the team has none.</summary>
    public CaseChoice? ForTeam(string team)
    {
        foreach (var entry in Teams.IsDefault ? [] : Teams)
        {
            if (string.Equals(entry.Key, team, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The entry that applies to a case, and what made it apply; null when none does.</summary>
    public (CaseChoice Entry, string Why)? For(Inputs.CaseRecord ticket)
    {
        foreach (var entry in Tags)
        {
            if (!ticket.Tags.IsDefaultOrEmpty && ticket.Tags.Contains(entry.Key, StringComparer.Ordinal))
            {
                return (entry, $"the case is tagged {entry.Key}");
            }
        }

        foreach (var entry in Customers)
        {
            if (string.Equals(entry.Key, ticket.Customer, StringComparison.Ordinal))
            {
                return (entry, $"the case's customer is {entry.Key}");
            }
        }

        return null;
    }
}

/// <summary>One entry of <see cref="CaseChoices"/>: a tag or customer and the calendar id or clock (<c>24x7</c>, <c>business</c>) it chooses.</summary>
public sealed record CaseChoice(string Key, string Value, SourceLocation Location);

/// <summary>
/// Days of the week and hour ranges of a business calendar, as written (validated by the reader).
/// Start is inclusive, End exclusive. An <see cref="End"/> of 00:00 means midnight at the end of the day
/// (written <c>24:00</c>); use <see cref="EndOfDayOffset"/> to avoid the special case.
/// </summary>
public sealed record BusinessHoursRange(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    /// <summary>Time since the day's midnight at which the range opens.</summary>
    public TimeSpan StartOffset => Start.ToTimeSpan();

    /// <summary>Time since the day's midnight at which the range closes: 24h when written <c>24:00</c>.</summary>
    public TimeSpan EndOfDayOffset => End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : End.ToTimeSpan();
}

/// <summary>
/// A business calendar: IANA zone, opening hours per weekday (several ranges a day), holidays (<see cref="Holidays"/>
/// the dates written as dates, <see cref="HolidayRules"/> the yearly rules and the days of holiday files) and the
/// hours of particular days (<see cref="DateHours"/>). The optional parts are left default when a file does not use
/// them, so that calendars of the older format keep their fingerprints.
/// </summary>
public sealed record CalendarDefinition(
    string Id,
    string TimeZone,
    ImmutableArray<BusinessHoursRange> Hours,
    ImmutableArray<DateOnly> Holidays,
    SourceLocation Location)
{
    /// <summary>Yearly holiday rules and the days of holiday files, in the order read; default when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<Calendars.DateRule> HolidayRules { get; init; }

    /// <summary>Hours of particular days (<c>dates</c>), which replace the weekday's hours and holidays; default when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<Calendars.DateHours> DateHours { get; init; }

    /// <summary>The holiday files the calendar names (<c>holidays</c> entries ending in <c>.json</c> or <c>.ics</c>), as written; default when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<string> HolidayFiles { get; init; }

    /// <summary>
    /// Spans the calendar is closed for, from the timed events of the iCalendar files named in <c>closures</c>, in the order
    /// read; default when none, so that calendars without them keep their fingerprints.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<Calendars.TimedClosure> Closures { get; init; }

    /// <summary>The iCalendar files the calendar names in <c>closures</c>, as written; default when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<string> ClosureFiles { get; init; }
}

/// <summary>
/// Everything read from a policy directory: resolved policies (every version) and calendars.
/// </summary>
public sealed record PolicySet(
    ImmutableArray<Policy> Policies,
    ImmutableDictionary<string, CalendarDefinition> Calendars);

/// <summary>
/// A cap on a customer's credits over a rolling run of months (JSON <c>rollingCreditCap</c>): the credits of the month
/// computed and of the <see cref="Months"/> − 1 months before it together may not exceed <see cref="CapPercent"/> of the
/// customer's monthly fee base under the policy in the month computed.
/// </summary>
/// <param name="Months">The length of the run, the month computed included (2 to 120).</param>
/// <param name="CapPercent">The cap, a percent of the month's fee base.</param>
/// <param name="Location">Where <c>rollingCreditCap</c> is written.</param>
public sealed record RollingCreditCap(int Months, decimal CapPercent, SourceLocation Location);
