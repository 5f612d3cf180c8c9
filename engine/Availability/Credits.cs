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

    /// <summary>The subscription's <c>billed</c> amount, pro-rated for the days subscribed in the month.</summary>
    Billed,
}

/// <summary>The tier a credit was taken from: its threshold, its credit percent and where it is written.</summary>
public sealed record ChosenTier(decimal Threshold, decimal CreditPercent, SourceLocation Location)
{
    /// <summary>True when the tier applies at its threshold too (<c>atOrBelow</c>).</summary>
    public bool Inclusive { get; init; }

    /// <summary>How the credit is computed (<see cref="CreditTier.Formula"/>).</summary>
    public CreditFormula Formula { get; init; } = CreditFormula.Percent;

    /// <summary>The formula's number (<see cref="CreditTier.FormulaValue"/>).</summary>
    public decimal FormulaValue { get; init; }

    /// <summary>The tier written an availability term's way.</summary>
    public static ChosenTier Of(CreditTier tier) => new(tier.BelowPercent, tier.CreditPercent, tier.Location)
    {
        Inclusive = tier.Inclusive,
        Formula = tier.Formula,
        FormulaValue = tier.FormulaValue,
    };

    /// <summary>The tier in short, as stored: <c>below 99.9: 10%</c>, <c>at or below 99.9: 3 days of fee</c>.</summary>
    public string Label(string word) =>
        $"{(Inclusive ? "at or " + word : word)} {CreditCalculator.Num(Threshold)}: {Formula switch
        {
            CreditFormula.DaysOfFee => $"{CreditCalculator.Num(FormulaValue)} day(s) of fee",
            CreditFormula.PerHourDown => $"{CreditCalculator.Num(FormulaValue)} per hour down",
            CreditFormula.Proportional => $"{CreditCalculator.Num(FormulaValue)}% of the fee in proportion to downtime",
            _ => CreditCalculator.Num(CreditPercent) + "%",
        }}";
}

/// <summary>A monthly fee with its currency and source.</summary>
public sealed record Fee(decimal? Amount, string Currency, FeeSource Source)
{
    /// <summary>For a <see cref="FeeSource.Billed"/> fee: the days of the month subscribed.</summary>
    public int DaysSubscribed { get; init; }

    /// <summary>For a <see cref="FeeSource.Billed"/> fee: the days of the month.</summary>
    public int DaysInMonth { get; init; }

    /// <summary>For a <see cref="FeeSource.Billed"/> fee: the amount billed for a whole month, before pro-rating.</summary>
    public decimal Billed { get; init; }
}

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
        var applying = tiers.Where(t => below ? value < t.Threshold || (t.Inclusive && value == t.Threshold) : value > t.Threshold || (t.Inclusive && value == t.Threshold));
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
    /// The fee of a subscription in <paramref name="month"/>: with a <c>billed</c> amount, that amount pro-rated for the
    /// days subscribed (a UTC day of the month counts when any part of it lies in [subscribedFrom, subscribedUntil)),
    /// rounded to cents half away from zero; otherwise <see cref="FeeOf(SubscriptionRecord, Policy)"/>.
    /// </summary>
    public static Fee FeeOf(SubscriptionRecord subscription, Policy policy, ReportingMonth month)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.Billed is not { } billed)
        {
            return FeeOf(subscription, policy);
        }

        var currency = subscription.Currency ?? policy.Availability?.Currency ?? string.Empty;
        var (days, subscribed) = DaysSubscribed(subscription, month);
        return new Fee(subscribed == days ? billed : ToCents(billed * subscribed / days), currency, FeeSource.Billed) { DaysSubscribed = subscribed, DaysInMonth = days, Billed = billed };
    }

    /// <summary>The days of <paramref name="month"/> and how many of them the subscription covers, wholly or in part.</summary>
    public static (int Days, int Subscribed) DaysSubscribed(SubscriptionRecord subscription, ReportingMonth month)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var subscribed = 0;
        for (var day = month.Start; day < month.End; day = day.AddDays(1))
        {
            if ((subscription.SubscribedFrom is not { } from || from < day.AddDays(1)) && (subscription.SubscribedUntil is not { } until || until > day))
            {
                subscribed++;
            }
        }

        return (days, subscribed);
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
            steps.Add(new ExplanationStep("tier", $"the tier {(tier.Inclusive ? "at or " + tierWord : tierWord)} {Num(tier.Threshold)} applies: credit {Num(tier.CreditPercent)}%", tier.Location));
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
                    var source = feeDescription ?? fee.Source switch
                    {
                        FeeSource.Subscription => "the subscription's monthly fee",
                        FeeSource.Billed => BilledText(fee),
                        _ => "the policy's default monthlyFee",
                    };
                    steps.Add(new ExplanationStep("fee", $"{Num(percent)}% of {Money(fee.Amount.Value, fee.Currency)} ({source}) = {Money(amount, fee.Currency)}"));
                    break;
            }
        }

        return new CreditAssessment(objective, measured, tier, uncapped, capPercent, capApplied, percent, fee, amount, steps.ToImmutable());
    }

    /// <summary>
    /// Builds the credit of a tier whose amount is not a plain percent of the fee (<see cref="CreditFormula"/>): N days of
    /// the fee (fee × N / days in the month), an amount per hour down (pro rata to the tick), or a percent of the fee in
    /// proportion to the downtime (fee × P / 100 × downtime / window). The amount is rounded to cents, half away from
    /// zero; the term's cap, a percent of the fee, then bounds it. The credit percent reported is amount / fee × 100.
    /// </summary>
    /// <param name="objective">The objective in words.</param>
    /// <param name="measured">The measured availability.</param>
    /// <param name="measuredText">The measured value in words.</param>
    /// <param name="tier">The tier chosen; its formula is not <see cref="CreditFormula.Percent"/>.</param>
    /// <param name="capPercent">The term's credit cap, or null.</param>
    /// <param name="capLocation">Where the cap is written.</param>
    /// <param name="fee">The fee.</param>
    /// <param name="down">The downtime counted.</param>
    /// <param name="window">The window measured.</param>
    /// <param name="daysInMonth">The days of the calendar month (28 to 31).</param>
    public static CreditAssessment AssessFormula(
        string objective,
        decimal measured,
        string measuredText,
        ChosenTier tier,
        decimal? capPercent,
        SourceLocation capLocation,
        Fee fee,
        TimeSpan down,
        TimeSpan window,
        int daysInMonth)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(fee);
        var steps = ImmutableArray.CreateBuilder<ExplanationStep>();
        steps.Add(new ExplanationStep("objective", $"{objective}; measured {measuredText}"));
        var hours = (decimal)down.Ticks / TimeSpan.TicksPerHour;
        var words = tier.Formula switch
        {
            CreditFormula.DaysOfFee => $"{Num(tier.FormulaValue)} day(s) of the monthly fee",
            CreditFormula.PerHourDown => $"{Money(tier.FormulaValue, fee.Currency)} per hour down",
            _ => $"{Num(tier.FormulaValue)}% of the monthly fee in proportion to the downtime",
        };
        steps.Add(new ExplanationStep("tier", $"the tier {(tier.Inclusive ? "at or below" : "below")} {Num(tier.Threshold)} applies: credit {words}", tier.Location));
        decimal? exact = tier.Formula switch
        {
            CreditFormula.DaysOfFee => fee.Amount * tier.FormulaValue / daysInMonth,
            CreditFormula.PerHourDown => tier.FormulaValue * down.Ticks / TimeSpan.TicksPerHour,
            _ => fee.Amount is { } f && window.Ticks > 0 ? f * tier.FormulaValue / 100m * down.Ticks / window.Ticks : null,
        };
        if (exact is null)
        {
            steps.Add(new ExplanationStep("fee", "no monthly fee in the subscription or the policy: amount not computable"));
            return new CreditAssessment(objective, measured, tier, 0m, capPercent, false, 0m, fee, 0m, steps.ToImmutable());
        }

        var uncapped = ToCents(exact.Value);
        var how = tier.Formula switch
        {
            CreditFormula.DaysOfFee => $"{Num(tier.FormulaValue)} / {daysInMonth} days of {Money(fee.Amount!.Value, fee.Currency)} (the month has {daysInMonth} days)",
            CreditFormula.PerHourDown => $"{Num(hours)} hours down × {Money(tier.FormulaValue, fee.Currency)}",
            _ => $"{Num(tier.FormulaValue)}% of {Money(fee.Amount!.Value, fee.Currency)} × {Minutes(down)} / {Minutes(window)} minutes",
        };
        var percentOf = (decimal amount) => fee.Amount is { } f && f > 0 ? Math.Round(amount * 100m / f, 6, MidpointRounding.AwayFromZero) : 0m;
        var uncappedPercent = percentOf(uncapped);
        var amount = uncapped;
        var capApplied = false;
        if (capPercent is { } cap && fee.Amount is { } feeAmount && uncapped > ToCents(feeAmount * cap / 100m))
        {
            amount = ToCents(feeAmount * cap / 100m);
            capApplied = true;
            steps.Add(new ExplanationStep("cap", $"credit capped at {Num(cap)}% of {Money(feeAmount, fee.Currency)} by creditCap = {Money(amount, fee.Currency)}", capLocation));
        }

        steps.Add(new ExplanationStep("fee", $"{how} = {Money(uncapped, fee.Currency)}{(capApplied ? $", capped to {Money(amount, fee.Currency)}" : string.Empty)}"));
        return new CreditAssessment(objective, measured, tier, uncappedPercent, capPercent, capApplied, capApplied ? capPercent!.Value : uncappedPercent, fee, amount, steps.ToImmutable());
    }

    /// <summary>A billed fee in words: <c>billed EUR 900.00 for the month, 20 of 30 days subscribed</c>.</summary>
    internal static string BilledText(Fee fee) => fee.DaysSubscribed == fee.DaysInMonth
        ? $"billed {Money(fee.Billed, fee.Currency)} for the month"
        : $"billed {Money(fee.Billed, fee.Currency)} for the month, pro-rated for {fee.DaysSubscribed} of {fee.DaysInMonth} days subscribed";

    private static string Minutes(TimeSpan span) => Num((decimal)span.Ticks / TimeSpan.TicksPerMinute);

    internal static string Num(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Money(decimal value, string currency)
        => (currency.Length > 0 ? currency + " " : string.Empty) + value.ToString("0.00", CultureInfo.InvariantCulture);
}
