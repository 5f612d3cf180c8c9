using System.Collections.Immutable;
using SlaPolicy.Engine.Decisions;

namespace SlaPolicy.Host.Storage;

/// <summary>What a stored service credit row assesses.</summary>
public enum ServiceCreditKind
{
    /// <summary>A subscription's availability in the month against its policy's objective.</summary>
    Availability,

    /// <summary>A subscription's performance objective (p95 latency, packet delivery, ...) in the month.</summary>
    Performance,

    /// <summary>A customer's attainment (share of targets met) for one severity group in the month.</summary>
    Attainment,

    /// <summary>
    /// A customer's credits under one policy and currency summed, after the policy's <c>customerCreditCap</c>: the
    /// amount actually owed.
    /// </summary>
    CustomerTotal,
}

/// <summary>
/// One assessment of a month's service levels as the nightly run stores it: the measured value against the
/// objective, the credit tier chosen and the amount owed, with the engine's explanation. Rows are kept for met
/// objectives too (amount 0), so that the store answers "was acme's email in eu-west within its objective?".
/// </summary>
/// <remarks>
/// The key is (<see cref="Period"/>, <see cref="Customer"/>, <see cref="Kind"/>, <see cref="Objective"/>,
/// <see cref="Service"/>, <see cref="Region"/>, <see cref="PolicyId"/>, <see cref="PolicyVersion"/>,
/// <see cref="Currency"/>); members that do not apply to a kind are the empty string, never null, so that the key
/// stays unique. Names are stored as the inputs spell them.
/// </remarks>
/// <param name="Period">The UTC month, <c>YYYY-MM</c>.</param>
/// <param name="Customer">The customer.</param>
/// <param name="Kind">What is assessed.</param>
/// <param name="Objective">
/// Which objective of the kind: <c>availability</c>; the performance term's id (e.g. <c>p95-latency</c>); the
/// attainment's severity group (e.g. <c>sev 1</c>); <c>total</c> for a customer total.
/// </param>
/// <param name="Service">The subscription's service; empty for attainment and customer totals.</param>
/// <param name="Region">The subscription's region; empty for attainment and customer totals.</param>
/// <param name="PolicyId">Id of the governing policy.</param>
/// <param name="PolicyVersion">Version of the governing policy; empty for customer totals (they sum one policy id).</param>
/// <param name="Currency">ISO currency code of <see cref="Amount"/>; empty when neither subscription nor policy names one.</param>
/// <param name="Target">The objective in words, e.g. <c>availability at least 99.9%</c>, or the customer cap.</param>
/// <param name="Tier">The credit tier that applied, e.g. <c>below 99.9: 10%</c>; null when none applied.</param>
/// <param name="Measured">
/// The measured value the tiers were compared with: availability or attainment percent, the performance statistic
/// (ms, %, ...). Null for a performance objective without samples and for customer totals.
/// </param>
/// <param name="Met">True when the objective was met; null when it could not be judged and for customer totals.</param>
/// <param name="CreditPercent">Credit as a percent of the monthly fee, after <c>creditCap</c>; null for customer totals.</param>
/// <param name="Amount">Amount owed in <see cref="Currency"/>, rounded to cents (0 when no credit is owed).</param>
/// <param name="Explanation">The engine's reasoning, step by step, with the policy locations used.</param>
public sealed record ServiceCredit(
    string Period,
    string Customer,
    ServiceCreditKind Kind,
    string Objective,
    string Service,
    string Region,
    string PolicyId,
    string PolicyVersion,
    string Currency,
    string Target,
    string? Tier,
    decimal? Measured,
    bool? Met,
    decimal? CreditPercent,
    decimal Amount,
    ImmutableArray<ExplanationStep> Explanation);

/// <summary>A stored service credit, with the asOf and the run of the last run that changed it.</summary>
public sealed record StoredServiceCredit(ServiceCredit Credit, DateTimeOffset AsOf, long RunId);

/// <summary>
/// A filter over stored service credits; all fields optional. <see cref="Period"/> is <c>YYYY-MM</c>;
/// <see cref="Customer"/> matches exactly; <see cref="OwedOnly"/> keeps rows whose amount is above 0.
/// </summary>
public sealed record ServiceCreditQuery(string? Period = null, string? Customer = null, bool OwedOnly = false, int Limit = 1000, int Offset = 0);

/// <summary>
/// What one <see cref="IStore.WriteServiceCredits"/> did: rows written (inserted or already present), of which
/// changed (inserted, or updated to different values), and rows of the same months removed because the run no
/// longer produced them (a subscription gone, a new policy version in force).
/// </summary>
public readonly record struct CreditWriteResult(int Written, int Changed, int Removed);
