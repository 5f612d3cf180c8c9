using System.Globalization;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies;

/// <summary>Who owes the credits of an agreement (JSON <c>direction</c>).</summary>
public enum AgreementDirection
{
    /// <summary>An agreement with a customer: the provider owes the credits (the default).</summary>
    Customer,

    /// <summary>
    /// An agreement the provider holds with one of its own suppliers: the supplier owes the credits and the provider
    /// claims them. The subscriptions it governs name the supplier as their <c>customer</c> (the other party).
    /// </summary>
    Supplier,
}

/// <summary>When the credit of a month must be claimed (JSON <c>claims.deadline</c>).</summary>
public enum ClaimDeadlineKind
{
    /// <summary>By the end of the Nth month after the month the credit was earned in (<c>{ "months": 2 }</c>).</summary>
    MonthsAfter,

    /// <summary>Within N days after the credit became eligible, the end of its month (<c>{ "days": 30 }</c>).</summary>
    DaysAfter,
}

/// <summary>A claim deadline: <see cref="Kind"/> and its count.</summary>
/// <param name="Kind">Months after the month, or days after its end.</param>
/// <param name="Count">N, at least 1.</param>
/// <param name="Location">Where the deadline is written.</param>
public sealed record ClaimDeadline(ClaimDeadlineKind Kind, int Count, SourceLocation Location)
{
    /// <summary>
    /// The instant (UTC, exclusive) by which the credit of the month starting at <paramref name="monthStart"/> must be
    /// claimed: the start of month M + N + 1 for <see cref="ClaimDeadlineKind.MonthsAfter"/>; the end of M plus N days
    /// for <see cref="ClaimDeadlineKind.DaysAfter"/>.
    /// </summary>
    public DateTimeOffset ClaimableUntil(DateTimeOffset monthStart) => Kind == ClaimDeadlineKind.MonthsAfter
        ? monthStart.AddMonths(Count + 1)
        : monthStart.AddMonths(1).AddDays(Count);

    /// <summary>The deadline in words: <c>by the end of the 2nd month after the month of the incident</c>.</summary>
    public string Describe() => Kind == ClaimDeadlineKind.MonthsAfter
        ? Count == 1 ? "by the end of the following month" : $"by the end of the {Ordinal(Count)} month after the month of the incident"
        : $"within {Count.ToString(CultureInfo.InvariantCulture)} day(s) after the month ends";

    private static string Ordinal(int n)
    {
        var text = n.ToString(CultureInfo.InvariantCulture);
        return (n % 100) is 11 or 12 or 13 ? text + "th" : (n % 10) switch { 1 => text + "st", 2 => text + "nd", 3 => text + "rd", _ => text + "th" };
    }
}

/// <summary>
/// How the credits of an agreement are claimed and settled (JSON <c>claims</c>): a deadline, a minimum credit, whether
/// credits are only set against future bills, and a cap per billing period.
/// </summary>
/// <param name="Deadline">When the credit must be claimed; null: no deadline (claimable until settled).</param>
/// <param name="MinimumCredit">A month's credit (per customer, policy and currency, after every cap) under this amount is not issued; null: any amount.</param>
/// <param name="FutureBillsOnly">True when credits are only deducted from future bills, never paid out.</param>
/// <param name="CapPerPeriodPercent">Cap on a billing period's credits as a percent of the customer's fee base; null: none.</param>
/// <param name="CapPerPeriodAmount">Cap on a billing period's credits as an amount in the credit's currency; null: none.</param>
/// <param name="Location">Where <c>claims</c> is written.</param>
public sealed record ClaimTerms(
    ClaimDeadline? Deadline,
    decimal? MinimumCredit,
    bool FutureBillsOnly,
    decimal? CapPerPeriodPercent,
    decimal? CapPerPeriodAmount,
    SourceLocation Location);
