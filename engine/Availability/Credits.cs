using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Availability;

/// <summary>Where the monthly fee behind a credit amount came from.</summary>
public enum FeeSource
{
    /// <summary>The subscription's own <c>monthlyFee</c>.</summary>
    Subscription,

    /// <summary>The policy's <c>availability.monthlyFee</c>, because the subscription names none.</summary>
    Policy,

    /// <summary>Neither names a fee: the credit percent stands, its amount is 0 and the report warns.</summary>
    None,
}

/// <summary>The tier a credit was taken from: its threshold, its credit percent and where it is written.</summary>
public sealed record ChosenTier(decimal Threshold, decimal CreditPercent, SourceLocation Location);

/// <summary>A monthly fee with its currency and source.</summary>
public sealed record Fee(decimal? Amount, string Currency, FeeSource Source);

/// <summary>
/// A service credit with its explanation: which objective, the measured value, the tier chosen, the cap
/// applied and the fee it was taken from.
/// </summary>
/// <param name="Objective">The objective in words, e.g. <c>availability at least 99.9%</c>.</param>
/// <param name="MeasuredValue">The measured value the tiers were compared with.</param>
/// <param name="Tier">The tier chosen; null when no tier applies (no credit).</param>
/// <param name="UncappedPercent">The tier's credit percent before the cap (0 without a tier).</param>
/// <param name="CapPercent">The term's credit cap; null when it has none.</param>
/// <param name="CapApplied">True when the cap lowered the percent.</param>
/// <param name="CreditPercent">The credit percent owed, after the cap.</param>
/// <param name="Fee">The monthly fee the amount is a share of.</param>
/// <param name="CreditAmount">CreditPercent × fee / 100, rounded to cents (midpoint away from zero).</param>
/// <param name="Explanation">The reasoning, step by step, with the policy locations used.</param>
public sealed record CreditAssessment(
    string Objective,
    decimal MeasuredValue,
    ChosenTier? Tier,
    decimal UncappedPercent,
    decimal? CapPercent,
    bool CapApplied,
    decimal CreditPercent,
    Fee Fee,
    decimal CreditAmount,
    ImmutableArray<ExplanationStep> Explanation);

/// <summary>Tier choice, caps, fees and amounts: the arithmetic shared by every kind of credit.</summary>
public static class CreditCalculator
{
    /// <summary>
    /// Chooses the most severe tier that applies. With <paramref name="below"/> true a tier applies when
    /// <paramref name="value"/> &lt; its threshold and the most severe is the one with the lowest threshold;
    /// otherwise a tier applies when value &gt; its threshold and the most severe has the highest threshold.
    /// Equal thresholds: the larger credit. Null when no tier applies.
    /// </summary>
    public static ChosenTier? ChooseTier(IEnumerable<ChosenTier> tiers, decimal value, bool below)
    {
        var applying = tiers.Where(t => below ? value < t.Threshold : value > t.Threshold);
        var ordered = below
            ? applying.OrderBy(t => t.Threshold).ThenByDescending(t => t.CreditPercent)
            : applying.OrderByDescending(t => t.Threshold).ThenByDescending(t => t.CreditPercent);
        return ordered.FirstOrDefault();
    }

    /// <summary>
    /// The fee of a subscription: its own <c>monthlyFee</c>, else the policy's <c>availability.monthlyFee</c>.
    /// Currency: the subscription's, else the policy's, else empty.
    /// </summary>
    public static Fee FeeOf(SubscriptionRecord subscription, Policy policy)
    {
        var currency = subscription.Currency ?? policy.Availability?.Currency ?? string.Empty;
        if (subscription.MonthlyFee is { } own)
        {
            return new Fee(own, currency, FeeSource.Subscription);
        }

        return policy.Availability?.MonthlyFee is { } fallback
            ? new Fee(fallback, currency, FeeSource.Policy)
            : new Fee(null, currency, FeeSource.None);
    }

    /// <summary>
    /// The largest amount computed, 10^16 in any currency: in whole cents it still fits a 64-bit integer with room to
    /// spare (a month's fees are at most 10^12 a subscription, see <see cref="Inputs.InputRanges"/>).
    /// </summary>
    public const decimal MaxAmount = 10_000_000_000_000_000m;

    /// <summary>Rounds a money amount to cents, midpoint away from zero.</summary>
    public static decimal ToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Builds a credit assessment with its explanation from a tier choice, a cap and a fee.</summary>
    /// <param name="objective">The objective in words.</param>
    /// <param name="measured">The measured value.</param>
    /// <param name="measuredText">The measured value in words, for the explanation.</param>
    /// <param name="tier">The tier chosen, or null.</param>
    /// <param name="tierWord">How the tier's threshold reads: <c>below</c> or <c>above</c>.</param>
    /// <param name="capPercent">The term's credit cap, or null.</param>
    /// <param name="capLocation">Where the cap is written.</param>
    /// <param name="fee">The fee the amount is a share of.</param>
    /// <param name="feeDescription">What the fee is, in words, when it is not one subscription's (attainment: a customer's fee base).</param>
    public static CreditAssessment Assess(
        string objective,
        decimal measured,
        string measuredText,
        ChosenTier? tier,
        string tierWord,
        decimal? capPercent,
        SourceLocation capLocation,
        Fee fee,
        string? feeDescription = null)
    {
        var steps = ImmutableArray.CreateBuilder<ExplanationStep>();
        steps.Add(new ExplanationStep("objective", $"{objective}; measured {measuredText}"));
        var uncapped = tier?.CreditPercent ?? 0m;
        if (tier is null)
        {
            steps.Add(new ExplanationStep("tier", "no credit tier applies"));
        }
        else
        {
            steps.Add(new ExplanationStep("tier", $"the tier {tierWord} {Num(tier.Threshold)} applies: credit {Num(tier.CreditPercent)}%", tier.Location));
        }

        var percent = uncapped;
        var capApplied = false;
        if (capPercent is { } cap && uncapped > cap)
        {
            percent = cap;
            capApplied = true;
            steps.Add(new ExplanationStep("cap", $"credit capped at {Num(cap)}% by creditCap", capLocation));
        }

        decimal amount = 0;
        if (percent > 0)
        {
            switch (fee.Source)
            {
                case FeeSource.None:
                    steps.Add(new ExplanationStep("fee", "no monthly fee in the subscription or the policy: amount not computable"));
                    break;
                default:
                    amount = ToCents(fee.Amount!.Value * percent / 100m);
                    var source = feeDescription ?? (fee.Source == FeeSource.Subscription ? "the subscription's monthly fee" : "the policy's default monthlyFee");
                    steps.Add(new ExplanationStep("fee", $"{Num(percent)}% of {Money(fee.Amount.Value, fee.Currency)} ({source}) = {Money(amount, fee.Currency)}"));
                    break;
            }
        }

        return new CreditAssessment(objective, measured, tier, uncapped, capPercent, capApplied, percent, fee, amount, steps.ToImmutable());
    }

    internal static string Num(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Money(decimal value, string currency)
        => (currency.Length > 0 ? currency + " " : string.Empty) + value.ToString("0.00", CultureInfo.InvariantCulture);
}
