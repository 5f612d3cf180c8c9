using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Availability;

/// <summary>
/// How far one attainment term of a customer's agreement is from its credit this month.
/// </summary>
/// <param name="Customer">The customer.</param>
/// <param name="PolicyId">The agreement (policy id).</param>
/// <param name="PolicyVersion">The policy version whose term this is.</param>
/// <param name="Severities">The severities the term counts.</param>
/// <param name="SeverityLabel">The severity group in words: <c>sev 4</c>.</param>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="MetCount">Targets met among those whose clock stopped in the month so far.</param>
/// <param name="StoppedCount">Targets whose clock stopped in the month so far.</param>
/// <param name="AttainmentPercent">MetCount / StoppedCount × 100.</param>
/// <param name="AtLeastPercent">The term's objective.</param>
/// <param name="Met">The objective is met so far (no credit owed for it).</param>
/// <param name="BreachesToTrip">
/// While met: how many more breaches (and no more targets met) move attainment under the objective; null when no
/// number of breaches can (an objective of 0%) or when it is not met already.
/// </param>
/// <param name="MetToRecover">
/// While not met: how many more targets met (and no more breaches) bring attainment back to the objective; null when
/// none can (an objective of 100% once a target breached) or when it is met.
/// </param>
/// <param name="CreditAmount">The credit the term trips (while met) or owes (while not), from the engine's tier arithmetic.</param>
/// <param name="Currency">The currency of <paramref name="CreditAmount"/>.</param>
/// <param name="Credit">The credit assessment of that amount, with its explanation.</param>
public sealed record AttainmentMargin(
    string Customer,
    string PolicyId,
    string PolicyVersion,
    ImmutableArray<int> Severities,
    string SeverityLabel,
    string Period,
    int MetCount,
    int StoppedCount,
    decimal AttainmentPercent,
    decimal AtLeastPercent,
    bool Met,
    int? BreachesToTrip,
    int? MetToRecover,
    decimal CreditAmount,
    string Currency,
    CreditAssessment Credit)
{
    /// <summary>
    /// The margin in one sentence, e.g. <c>one more sev 4 breach moves acme's sev 4 attainment under 90%: EUR 300.00</c>,
    /// or <c>acme's sev 1 attainment is under 100% (88.889%): EUR 600.00 owed; no number of targets met this month brings it back</c>.
    /// </summary>
    public string Sentence
    {
        get
        {
            var money = MoneyAtStake.Money(CreditAmount, Currency);
            var objective = MoneyAtStake.Percent(AtLeastPercent);
            if (Met)
            {
                return BreachesToTrip switch
                {
                    null => $"no number of {SeverityLabel} breaches moves {Customer}'s {SeverityLabel} attainment under {objective}",
                    1 => $"one more {SeverityLabel} breach moves {Customer}'s {SeverityLabel} attainment under {objective}: {money}",
                    var n => $"{n} more {SeverityLabel} breaches move {Customer}'s {SeverityLabel} attainment under {objective}: {money}",
                };
            }

            var now = $"{Customer}'s {SeverityLabel} attainment is under {objective} ({MoneyAtStake.Percent(AttainmentPercent)}): {money} owed";
            return MetToRecover switch
            {
                null => $"{now}; no number of targets met this month brings it back",
                1 => $"{now}; one more {SeverityLabel} target met with no breach brings it back",
                var n => $"{now}; {n} more {SeverityLabel} targets met with no breach bring it back",
            };
        }
    }
}

/// <summary>
/// An open target (its clock still counting) whose breach would count toward an attainment term this month, with
/// what its breach would cost.
/// </summary>
/// <param name="Decision">The latest decision of the target (running or paused).</param>
/// <param name="Margin">The attainment term it counts toward.</param>
/// <param name="CostIfBreached">
/// What its breach alone would add: the term's credit when one more breach trips it, else 0 (the credit is owed
/// already, or more breaches than one are needed).
/// </param>
public sealed record CaseAtStake(Decision Decision, AttainmentMargin Margin, decimal CostIfBreached)
{
    /// <summary>The currency of <see cref="CostIfBreached"/>.</summary>
    public string Currency => Margin.Currency;

    /// <summary>What the breach means for its term, in words: <c>its breach alone trips EUR 100.00 (sev 4 attainment)</c>.</summary>
    public string Note
    {
        get
        {
            var m = Margin;
            var money = MoneyAtStake.Money(m.CreditAmount, m.Currency);
            return (m.Met, m.BreachesToTrip) switch
            {
                (true, 1) => $"its breach alone trips {money} ({m.SeverityLabel} attainment)",
                (true, { } n) => $"one of {n} breaches that trip {money} ({m.SeverityLabel} attainment)",
                (true, null) => $"its {m.SeverityLabel} attainment term cannot trip",
                _ => $"{money} is owed already ({m.SeverityLabel} attainment under {MoneyAtStake.Percent(m.AtLeastPercent)})",
            };
        }
    }
}

/// <summary>
/// The money at stake in a month: for each attainment term, how many more breaches before its credit trips (or how
/// many targets met before an owed credit is recovered), and the open targets ranked by what their breach would cost.
/// Built on <see cref="ServiceLevelCalculator.Attainment"/>'s results and <see cref="CreditCalculator"/>'s tier and fee
/// arithmetic: the amounts are those the report would show once the breaches happened.
/// </summary>
/// <remarks>
/// A breach is counted as one more stopped target that was not met, a target met as one more stopped and met; the
/// customer's cap over all credits (<c>customerCreditCap</c>) may lower what is finally payable, as in the report.
/// </remarks>
public static class MoneyAtStake
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The margin of every attainment result whose term is found in <paramref name="policies"/>.</summary>
    public static ImmutableArray<AttainmentMargin> Margins(IEnumerable<AttainmentResult> attainment, IReadOnlyList<Policy> policies)
    {
        ArgumentNullException.ThrowIfNull(attainment);
        ArgumentNullException.ThrowIfNull(policies);
        var margins = ImmutableArray.CreateBuilder<AttainmentMargin>();
        foreach (var result in attainment)
        {
            if (TermOf(policies, result.PolicyId, result.PolicyVersion, result.Severities) is not { } term)
            {
                continue;
            }

            var (met, stopped, atLeast) = (result.MetCount, result.StoppedCount, term.AtLeastPercent);
            int? breaches = null, recover = null;
            decimal percentThen;
            if (result.Met)
            {
                // Under the objective after k more breaches when met × 100 < atLeast × (stopped + k).
                breaches = atLeast <= 0 ? null : (int)Math.Floor(met * 100m / atLeast - stopped) + 1;
                percentThen = breaches is { } k ? met * 100m / (stopped + k) : result.AttainmentPercent;
            }
            else
            {
                // Back at the objective after j more targets met when (met + j) × 100 >= atLeast × (stopped + j).
                recover = atLeast >= 100 ? null : (int)Math.Ceiling((atLeast * stopped - 100m * met) / (100m - atLeast));
                percentThen = result.AttainmentPercent;
            }


            var tier = new ChosenTier(term.AtLeastPercent, term.CreditPercent, term.Location);
            var credit = !result.Met || breaches is null
                ? result.Credit
                : CreditCalculator.Assess(
                    result.Credit.Objective, percentThen, $"{Percent(percentThen)} after them", tier, "below", null, term.Location, result.Credit.Fee,
                    $"the monthly fees of {result.Customer}'s subscriptions under {result.PolicyId}");
            margins.Add(new AttainmentMargin(
                result.Customer, result.PolicyId, result.PolicyVersion, result.Severities, result.SeverityLabel, result.Period, met, stopped,
                result.AttainmentPercent, atLeast, result.Met, breaches, recover, credit.CreditAmount, result.Currency, credit));
        }

        return margins.ToImmutable();
    }

    /// <summary>
    /// The open targets (running or paused) among <paramref name="decisions"/> that count toward one of
    /// <paramref name="margins"/> (same customer, policy id and a severity of the term), costliest breach first, then
    /// the largest credit of their term, then the earliest due.
    /// </summary>
    public static ImmutableArray<CaseAtStake> OpenCases(IEnumerable<Decision> decisions, ImmutableArray<AttainmentMargin> margins)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var cases = new List<CaseAtStake>();
        foreach (var d in decisions)
        {
            if (d.Status is not (DecisionStatus.Running or DecisionStatus.Paused) || d.Severity is not { } severity)
            {
                continue;
            }

            var margin = margins.FirstOrDefault(m => string.Equals(m.Customer, d.Customer, StringComparison.OrdinalIgnoreCase)
                && m.PolicyId == d.Policy && (m.Severities.IsDefaultOrEmpty || m.Severities.Contains(severity)));
            if (margin is not null)
            {
                cases.Add(new CaseAtStake(d, margin, margin.Met && margin.BreachesToTrip == 1 ? margin.CreditAmount : 0m));
            }
        }

        return
        [
            .. cases.OrderByDescending(c => c.CostIfBreached).ThenByDescending(c => c.Margin.CreditAmount)
                .ThenBy(c => c.Decision.DueAt ?? DateTimeOffset.MaxValue).ThenBy(c => c.Decision.CaseId, StringComparer.Ordinal),
        ];
    }

    private static AttainmentTerm? TermOf(IReadOnlyList<Policy> policies, string id, string version, ImmutableArray<int> severities) =>
        policies.Where(p => p.Id == id && p.Version == version)
            .SelectMany(p => p.Attainment)
            .FirstOrDefault(t => t.Severities.IsDefaultOrEmpty ? severities.IsDefaultOrEmpty : !severities.IsDefaultOrEmpty && t.Severities.SequenceEqual(severities));

    internal static string Percent(decimal value) => value.ToString("0.###", Invariant) + "%";

    internal static string Money(decimal value, string currency) =>
        (currency.Length > 0 ? currency + " " : string.Empty) + value.ToString("#,0.00", Invariant);
}
