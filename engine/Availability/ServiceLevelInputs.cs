using System.Collections.Immutable;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Availability;

/// <summary>Everything a period's service level figures are computed from.</summary>
/// <param name="Policies">Every policy version; attainment finds a decision's terms by its policy id and version.</param>
/// <param name="ResolvePolicy">The scope resolver: the policy version governing a subscription on a date (the first day of the month); null when none covers it.</param>
/// <param name="Decisions">Case decisions (met / breached / ...) with <see cref="Decision.StoppedAt"/> filled.</param>
/// <param name="Cases">Optional cases, used only to find a decision's severity when <see cref="Decision.Severity"/> is null.</param>
/// <param name="Subscriptions">Who buys which service where, at what fee.</param>
/// <param name="Outages">Outages of services in regions.</param>
/// <param name="Measurements">Metric samples of services in regions.</param>
public sealed record ServiceLevelInputs(
    IReadOnlyList<Policy> Policies,
    Func<SubscriptionRecord, DateOnly, Policy?> ResolvePolicy,
    IReadOnlyList<SubscriptionRecord> Subscriptions,
    IReadOnlyList<OutageRecord> Outages,
    IReadOnlyList<MeasurementRecord> Measurements,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<CaseRecord> Cases)
{
    /// <summary>
    /// The policy set's calendars by id, for availability measured over business hours (<c>"hours": "business"</c>);
    /// empty when the inputs name none.
    /// </summary>
    public IReadOnlyDictionary<string, CalendarDefinition> Calendars { get; init; } = ImmutableDictionary<string, CalendarDefinition>.Empty;

    /// <summary>
    /// What earlier months credited each customer (the payable totals), for a <c>rollingCreditCap</c>; null when the
    /// earlier months are not known (the cap then bounds the month computed alone, and its explanation says so).
    /// </summary>
    public IReadOnlyList<EarlierCredit>? CreditHistory { get; init; }
}

/// <summary>What an earlier month credited a customer under a policy in a currency: its payable total.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="PolicyId">The policy's id.</param>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="Currency">ISO currency code of the amount.</param>
/// <param name="Amount">The amount credited, after every cap.</param>
public sealed record EarlierCredit(string Customer, string PolicyId, string Period, string Currency, decimal Amount);

/// <summary>The service level figures of one month, optionally for one customer.</summary>
/// <param name="Warnings">Things the figures could not account for (no policy, no fee, no samples, ...); shown in every report.</param>
/// <param name="DecisionsWithErrors">Decisions of the month's cases with status <c>Error</c> or <c>NoPolicy</c>; never silent.</param>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="AsOf">The evaluation time; the month in progress is measured up to it.</param>
/// <param name="Customer">The customer.</param>
/// <param name="Availability">Availability per subscription.</param>
/// <param name="Performance">Performance objectives per subscription.</param>
/// <param name="Attainment">Attainment per customer and severity group.</param>
/// <param name="CreditTotals">Credits per customer and policy, after the customer cap.</param>
/// <param name="BreachesPerWeek">Breached decisions per week of the month.</param>
public sealed record ServiceLevelReport(
    string Period,
    DateTimeOffset AsOf,
    string? Customer,
    ImmutableArray<AvailabilityResult> Availability,
    ImmutableArray<PerformanceResult> Performance,
    ImmutableArray<AttainmentResult> Attainment,
    ImmutableArray<CustomerCreditTotal> CreditTotals,
    ImmutableArray<WeeklyBreachCount> BreachesPerWeek,
    int DecisionsWithErrors,
    ImmutableArray<string> Warnings)
{
    /// <summary>
    /// Targets met and breached per customer and severity, for every customer with a subscription or a decision in the
    /// month, whether or not its agreement has attainment terms. Empty unless computed by <see cref="ServiceLevelCalculator.Compute"/>.
    /// </summary>
    public ImmutableArray<ComplianceResult> Compliance { get; init; } = [];

    /// <summary>
    /// What could not be computed, one sentence each naming the subscription or customer (an amount beyond
    /// <see cref="CreditCalculator.MaxAmount"/>, an arithmetic overflow): its figures are left out, the others stand.
    /// </summary>
    public ImmutableArray<string> Errors { get; init; } = [];

    /// <summary>How far each attainment term is from its credit (<see cref="MoneyAtStake.Margins"/>).</summary>
    public ImmutableArray<AttainmentMargin> AtStake { get; init; } = [];

    /// <summary>
    /// The open targets among the report's decisions that count toward an attainment term, costliest breach first
    /// (<see cref="MoneyAtStake.OpenCases"/>); empty when the decisions read hold only stopped clocks (the store's).
    /// </summary>
    public ImmutableArray<CaseAtStake> OpenAtStake { get; init; } = [];

    /// <summary>The month's credits to be claimed and settled, one per customer total above 0 (<see cref="ClaimSettlement.FromTotals"/>).</summary>
    public ImmutableArray<CreditClaim> Claims { get; init; } = [];
}

/// <summary>
/// How one customer's cases of one severity fared against their targets in a month, whatever the agreement says about
/// attainment. <see cref="Severity"/> is null for a customer with subscriptions but no decision in the month.
/// </summary>
/// <param name="Customer">The customer.</param>
/// <param name="Severity">The cases' severity; null on the row of a customer with no decision counted.</param>
/// <param name="Met">(case, target) decisions met whose clock stopped in the month, not after asOf.</param>
/// <param name="Breached">(case, target) decisions breached whose clock stopped in the month, not after asOf.</param>
/// <param name="OverdueOpen">Breached decisions whose clock had not stopped at asOf and whose due time is before the month's end: still open past their target.</param>
/// <param name="Subscriptions">The customer's subscriptions (repeated on each of its rows).</param>
public sealed record ComplianceResult(string Customer, int? Severity, int Met, int Breached, int OverdueOpen, int Subscriptions)
{
    /// <summary>Met / (Met + Breached) × 100, unrounded; null when no clock stopped.</summary>
    public decimal? WithinTargetPercent => Met + Breached == 0 ? null : Met * 100m / (Met + Breached);
}
