using System.Collections.Immutable;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Availability;

/// <summary>
/// Availability of one subscription in one calendar month (UTC). The first ten members are the stable output
/// fields (docs/AVAILABILITY.md "Outputs"). <see cref="AvailabilityPercent"/> is exact (computed from ticks); round it only
/// to display it.
/// </summary>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="AvailabilityPercent">(window − downtime) / window × 100, unrounded.</param>
/// <param name="Objective">The objective percent of the policy.</param>
/// <param name="Met">True when availability &gt;= objective.</param>
/// <param name="CreditPercent">Credit owed, as a percent of the monthly fee, after <c>creditCap</c>.</param>
/// <param name="CreditAmount">Credit owed, in <see cref="Currency"/>, rounded to cents.</param>
/// <param name="WindowStart">Start of the measured window (the month's start, inclusive).</param>
/// <param name="WindowEnd">End of the measured window: min(month end, asOf), exclusive.</param>
/// <param name="Downtime">Union of the counted outages inside the window.</param>
/// <param name="Outages">The merged downtime intervals, ordered.</param>
/// <param name="Credit">The credit with its explanation.</param>
/// <param name="CountedOutages">The outages counted in <see cref="Downtime"/> (those overlapping the window), as recorded, ordered by start.</param>
/// <param name="Customer">The customer.</param>
/// <param name="Service">The service.</param>
/// <param name="Region">The region.</param>
/// <param name="Currency">ISO currency code of the amounts (empty when neither subscription nor policy names one).</param>
/// <param name="Tier">The subscription's tier.</param>
/// <param name="PolicyId">Id of the governing policy.</param>
/// <param name="PolicyVersion">Version of the governing policy.</param>
public sealed record AvailabilityResult(
    string Customer,
    string Service,
    string Region,
    string Period,
    decimal AvailabilityPercent,
    decimal Objective,
    bool Met,
    decimal CreditPercent,
    decimal CreditAmount,
    string Currency,
    string Tier,
    string PolicyId,
    string PolicyVersion,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    TimeSpan Downtime,
    ImmutableArray<TimeInterval> Outages,
    CreditAssessment Credit,
    ImmutableArray<OutageRecord> CountedOutages = default)
{
    /// <summary>The objective's <c>id</c> when the agreement names it; null for a single term written without one.</summary>
    public string? ObjectiveId { get; init; }

    /// <summary>The resource judged (a term with <c>"scope": "resource"</c>); null: the service in the region as a whole.</summary>
    public string? Resource { get; init; }

    /// <summary>The requests counted in the window (<c>"measure": "requests"</c>); null when availability is a share of time.</summary>
    public decimal? Requests { get; init; }

    /// <summary>The failed requests among <see cref="Requests"/>; null when availability is a share of time.</summary>
    public decimal? FailedRequests { get; init; }

    /// <summary>The mean error rate of the window's intervals, in percent (<c>"measure": "meanErrorRate"</c>); null otherwise.</summary>
    public decimal? MeanErrorRate { get; init; }

    /// <summary>The intervals the measurements put down (a term with <c>downtime</c>); null when downtime is read from outages.</summary>
    public int? DownIntervals { get; init; }

    /// <summary>The outages longer than the term's <c>maxOutage</c> bound; null when the term has no such rule.</summary>
    public int? LongOutages { get; init; }

    /// <summary>
    /// The time availability is a share of: the window, or its business hours, less the time taken out of it
    /// (<c>excludeFromWindow</c>); the window itself for a term that writes neither. Default when not computed.
    /// </summary>
    public TimeSpan MeasuredWindow { get; init; }

    /// <summary>
    /// The weeks judged, in order, for a term with <c>"window": "calendarWeek"</c> (the weeks ending in the month); default
    /// for any other window. <see cref="AvailabilityPercent"/> is then the worst week's.
    /// </summary>
    public ImmutableArray<WeekFigure> Weeks { get; init; }

    /// <summary>For a weekly term, what the percentage is, as reports show it after it: <c>worst of 5 weeks, 2 missed</c>; null otherwise.</summary>
    public string? WeeksNote => Weeks.IsDefault ? null : $"worst of {Weeks.Length} week{(Weeks.Length == 1 ? string.Empty : "s")}, {Weeks.Count(w => !w.Met)} missed";

    /// <summary>What the figure is of, as reports show it: the service, then the objective's id and the resource when there are (<c>object-storage · standard · bucket-a</c>).</summary>
    public string Subject => string.Join(" · ", new[] { Service, ObjectiveId, Resource }.OfType<string>());
}

/// <summary>
/// A performance objective for one subscription in one month. <see cref="MeasuredValue"/> and <see cref="Met"/>
/// are null when no sample fell in the window; such a result owes no credit and the report flags it.
/// </summary>
public sealed record PerformanceResult(
    string Customer,
    string Service,
    string Region,
    string Period,
    string Objective,
    string Metric,
    string Statistic,
    ObjectiveDirection Direction,
    decimal Threshold,
    decimal? MeasuredValue,
    int SampleCount,
    bool? Met,
    decimal CreditPercent,
    decimal CreditAmount,
    string Currency,
    string PolicyId,
    string PolicyVersion,
    CreditAssessment? Credit);

/// <summary>
/// Attainment of one customer for one severity group of one policy version in one month: the share of
/// (case, target) decisions met among those whose clock stopped in the month.
/// </summary>
/// <param name="Severities">The term's severities (empty: all).</param>
/// <param name="MetCount">Decisions met.</param>
/// <param name="StoppedCount">Decisions met or breached whose clock stopped in the month.</param>
/// <param name="AttainmentPercent">MetCount / StoppedCount × 100, unrounded.</param>
/// <param name="AtLeastPercent">The objective.</param>
/// <param name="Met">True when attainment &gt;= the objective.</param>
/// <param name="Customer">The customer.</param>
/// <param name="PolicyId">Id of the governing policy.</param>
/// <param name="PolicyVersion">Version of the governing policy.</param>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="CreditPercent">Credit owed as a percent of the fee, after caps.</param>
/// <param name="CreditAmount">Credit owed, rounded to cents.</param>
/// <param name="Currency">ISO currency code of the amounts (empty when neither subscription nor policy names one).</param>
/// <param name="Credit">The credit with its explanation.</param>
public sealed record AttainmentResult(
    string Customer,
    string PolicyId,
    string PolicyVersion,
    ImmutableArray<int> Severities,
    string Period,
    int MetCount,
    int StoppedCount,
    decimal AttainmentPercent,
    decimal AtLeastPercent,
    bool Met,
    decimal CreditPercent,
    decimal CreditAmount,
    string Currency,
    CreditAssessment Credit)
{
    /// <summary>The severity group as shown in reports: <c>sev 1</c>, <c>sev 2-3</c>, <c>all</c>.</summary>
    public string SeverityLabel => Severities.IsDefaultOrEmpty ? "all severities" : "sev " + string.Join(",", Severities.Order());
}

/// <summary>
/// A customer's credits under one policy in one month and currency, before and after the policy's
/// <c>customerCreditCap</c> (a percent of the customer's monthly fees under that policy).
/// </summary>
/// <param name="Uncapped">Sum of the availability, performance and attainment credit amounts.</param>
/// <param name="CapPercent">The policy's <c>customerCreditCap</c>; null when it has none.</param>
/// <param name="CapAmount">CapPercent × fee base / 100, rounded to cents; null without a cap.</param>
/// <param name="FeeBase">Sum of the customer's monthly fees under the policy (defaults applied).</param>
/// <param name="Payable">min(Uncapped, CapAmount).</param>
/// <param name="Customer">The customer.</param>
/// <param name="PolicyId">Id of the governing policy.</param>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="Currency">ISO currency code of the amounts (empty when neither subscription nor policy names one).</param>
/// <param name="AvailabilityCredits">Sum of availability credit amounts.</param>
/// <param name="PerformanceCredits">Sum of performance credit amounts.</param>
/// <param name="AttainmentCredits">Sum of attainment credit amounts.</param>
/// <param name="Explanation">The reasoning, step by step, with the policy locations used.</param>
public sealed record CustomerCreditTotal(
    string Customer,
    string PolicyId,
    string Period,
    string Currency,
    decimal AvailabilityCredits,
    decimal PerformanceCredits,
    decimal AttainmentCredits,
    decimal Uncapped,
    decimal? CapPercent,
    decimal? CapAmount,
    decimal FeeBase,
    decimal Payable,
    ImmutableArray<Decisions.ExplanationStep> Explanation)
{
    /// <summary>True when a cap lowered the total (not when the minimum credit withheld it).</summary>
    public bool CapApplied => Payable < Uncapped && !NotIssued;

    /// <summary>Who owes the total: the provider (a customer agreement) or a supplier.</summary>
    public Policies.AgreementDirection Direction { get; init; } = Policies.AgreementDirection.Customer;

    /// <summary>The agreement's claim terms; null when it writes none.</summary>
    public Policies.ClaimTerms? Claims { get; init; }

    /// <summary>True when the total fell under the agreement's minimum credit and is not issued (<see cref="Payable"/> is 0).</summary>
    public bool NotIssued { get; init; }

    /// <summary>The amount of the agreement's <c>rollingCreditCap</c> (a share of <see cref="FeeBase"/>); null without one.</summary>
    public decimal? RollingCapAmount { get; init; }

    /// <summary>
    /// What the earlier months of the rolling cap's run credited; null without a <c>rollingCreditCap</c> or when they are
    /// not known (the cap then bounded this month alone).
    /// </summary>
    public decimal? EarlierCredits { get; init; }
}

/// <summary>Number of breached (case, target) decisions whose breach instant falls in a week (Monday 00:00 UTC, 7 days).</summary>
public sealed record WeeklyBreachCount(DateOnly WeekStart, int Count);

/// <summary>
/// One week of a weekly availability term (<c>"window": "calendarWeek"</c>): Monday 00:00 to the next Monday 00:00 in the
/// term's zone, measured to asOf while it runs, judged and credited on its own.
/// </summary>
/// <param name="FirstDay">The week's Monday, in the term's zone.</param>
/// <param name="LastDay">The week's Sunday, in the term's zone: the week belongs to the month of this day.</param>
/// <param name="Start">The week's start (inclusive).</param>
/// <param name="End">The week's end, or asOf while the week runs (exclusive).</param>
/// <param name="AvailabilityPercent">The week's availability, exact.</param>
/// <param name="Measured">The time the percentage is a share of (the week, or its business hours, less what is taken out).</param>
/// <param name="Downtime">The downtime counted in the week.</param>
/// <param name="Met">True when the week meets the objective (and has no outage longer than <c>maxOutage</c> allows).</param>
/// <param name="CreditPercent">The week's credit, a percent of the month's fee.</param>
/// <param name="CreditAmount">The week's credit amount, rounded to cents, before the term's <c>creditCap</c> on the month.</param>
public sealed record WeekFigure(
    DateOnly FirstDay,
    DateOnly LastDay,
    DateTimeOffset Start,
    DateTimeOffset End,
    decimal AvailabilityPercent,
    TimeSpan Measured,
    TimeSpan Downtime,
    bool Met,
    decimal CreditPercent,
    decimal CreditAmount);
