using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Policies;
using static SlaPolicy.Engine.Availability.CreditCalculator;

namespace SlaPolicy.Engine.Availability;

/// <summary>Where a claim stands.</summary>
public enum ClaimStatus
{
    /// <summary>Owed (a customer's credit) or claimable (a supplier's), not claimed yet, and its deadline not passed.</summary>
    Owed,

    /// <summary>Claimed: the customer asked for it, or the provider asked its supplier; not settled yet.</summary>
    Claimed,

    /// <summary>Settled: credited on a bill or paid.</summary>
    Settled,

    /// <summary>Not claimed by its deadline: no longer owed.</summary>
    Expired,
}

/// <summary>
/// A month's credit to be claimed and settled: a customer total (per party, policy and currency, after every cap and the
/// minimum credit) whose amount is above 0. For an agreement with a customer the provider owes it; for a supplier
/// agreement (<see cref="AgreementDirection.Supplier"/>) the supplier owes it and the provider claims it.
/// </summary>
/// <param name="Period">The month the credit was earned in, <c>YYYY-MM</c>.</param>
/// <param name="Party">The other party: the customer, or for a supplier agreement the supplier.</param>
/// <param name="PolicyId">The agreement.</param>
/// <param name="Currency">ISO currency code of <see cref="Amount"/>.</param>
/// <param name="Direction">Who owes it.</param>
/// <param name="Amount">The amount to be claimed, rounded to cents.</param>
/// <param name="ClaimableUntil">The instant (UTC, exclusive) by which it must be claimed; null when the agreement sets no deadline.</param>
/// <param name="FutureBillsOnly">True when it is only deducted from future bills, never paid out.</param>
/// <param name="HasTerms">True when the agreement writes <c>claims</c> or is a supplier agreement (reports show the claim then).</param>
/// <param name="Explanation">The customer total's explanation, claim steps included.</param>
public sealed record CreditClaim(
    string Period,
    string Party,
    string PolicyId,
    string Currency,
    AgreementDirection Direction,
    decimal Amount,
    DateTimeOffset? ClaimableUntil,
    bool FutureBillsOnly,
    bool HasTerms,
    ImmutableArray<ExplanationStep> Explanation)
{
    /// <summary>The status of a claim not marked claimed or settled, at <paramref name="asOf"/>: expired once its deadline has passed.</summary>
    public ClaimStatus StatusAt(DateTimeOffset asOf) => ClaimableUntil is { } until && asOf >= until ? ClaimStatus.Expired : ClaimStatus.Owed;

    /// <summary>The last day to claim (UTC), the day before <see cref="ClaimableUntil"/>; null without a deadline.</summary>
    public DateOnly? LastDay => ClaimableUntil is { } until ? DateOnly.FromDateTime(until.UtcDateTime.AddTicks(-1)) : null;
}

/// <summary>The claim terms of an agreement applied to a customer's monthly total, and the claims of a month.</summary>
public static class ClaimSettlement
{
    /// <summary>
    /// Applies <paramref name="terms"/> to a payable total, in this order: the cap per billing period (a percent of the
    /// fee base, or an amount), then the minimum credit (a total under it is not issued: 0), and says how the credit is
    /// settled and by when it must be claimed. Each step is added to <paramref name="steps"/> with where it is written.
    /// </summary>
    /// <returns>The amount to claim and whether it fell under the minimum credit.</returns>
    public static (decimal Payable, bool NotIssued) Apply(
        ClaimTerms terms, AgreementDirection direction, decimal payable, decimal feeBase, string currency, ReportingMonth month, ImmutableArray<ExplanationStep>.Builder steps)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(steps);
        if (terms.CapPerPeriodPercent is { } percent)
        {
            var cap = ToCents(feeBase * percent / 100m);
            if (payable > cap)
            {
                payable = cap;
                steps.Add(new ExplanationStep("period cap", $"capped at {Num(percent)}% of {Money(feeBase, currency)} for the billing period by claims.capPerPeriod = {Money(cap, currency)}", terms.Location));
            }
        }

        if (terms.CapPerPeriodAmount is { } amount && payable > amount)
        {
            payable = ToCents(amount);
            steps.Add(new ExplanationStep("period cap", $"capped at {Money(payable, currency)} for the billing period by claims.capPerPeriod", terms.Location));
        }

        var notIssued = false;
        if (terms.MinimumCredit is { } minimum && payable > 0 && payable < minimum)
        {
            steps.Add(new ExplanationStep("minimum", $"{Money(payable, currency)} is under the minimum credit of {Money(minimum, currency)}: not issued", terms.Location));
            payable = 0;
            notIssued = true;
        }

        if (payable > 0)
        {
            var who = direction == AgreementDirection.Supplier ? "the supplier owes it: claim it" : "owed to the customer";
            var deadline = terms.Deadline is { } d
                ? $"{who} {d.Describe()}, by {DateOnly.FromDateTime(d.ClaimableUntil(month.Start).UtcDateTime.AddTicks(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (UTC)"
                : $"{who}; no claim deadline";
            steps.Add(new ExplanationStep("deadline", deadline, terms.Deadline?.Location ?? terms.Location));
            if (terms.FutureBillsOnly)
            {
                steps.Add(new ExplanationStep("settlement", "settled only as a credit against a future bill, never paid out", terms.Location));
            }
        }

        return (payable, notIssued);
    }

    /// <summary>The claims of a month: one per customer total above 0, in the totals' order.</summary>
    public static ImmutableArray<CreditClaim> FromTotals(IEnumerable<CustomerCreditTotal> totals, ReportingMonth month)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return [.. totals.Where(t => t.Payable > 0).Select(t => new CreditClaim(
            t.Period, t.Customer, t.PolicyId, t.Currency, t.Direction, t.Payable, t.Claims?.Deadline?.ClaimableUntil(month.Start),
            t.Claims?.FutureBillsOnly ?? false, t.Claims is not null || t.Direction == AgreementDirection.Supplier, t.Explanation))];
    }
}
