using SlaPolicy.Tests.Policies;
using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// Inclusive tier bounds, credit formulas other than a percent of the fee, a fee base from what was billed, claim terms
/// (deadline, minimum credit, future bills only, cap per billing period) and supplier agreements; the reader's checks.
/// </summary>
public class ClaimTermsTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly ReportingMonth December = new(2026, 12);

    private static Policy WithTiers(params CreditTier[] tiers) => Policy(AvailabilityTerm(creditCap: null) with { Credits = [.. tiers] });

    private static CreditTier Tier(decimal below, decimal credit = 0m, bool inclusive = false, CreditFormula formula = CreditFormula.Percent, decimal value = 0m) =>
        new(below, credit, At) { Inclusive = inclusive, Formula = formula, FormulaValue = value };

    private static AvailabilityResult Judge(Policy policy, ReportingMonth month, int minutesDown, decimal? fee = 1200m, SubscriptionRecord? subscription = null)
    {
        var start = month.Start.AddDays(2);
        var outages = minutesDown == 0 ? Array.Empty<OutageRecord>() : [new OutageRecord("email", "eu-west", start, start.AddMinutes(minutesDown), "unplanned")];
        return ServiceLevelCalculator.Availability(subscription ?? Subscription(fee: fee), policy, outages, month, month.End)!;
    }

    [Theory]
    // 43.2 minutes of November's 43200 is exactly 0.1%: availability exactly 99.9%.
    // Strictly `below 99.9%`: 99.9 is not below it, no credit. `atOrBelow 99.9%`: it applies, 10% of EUR 1200 = EUR 120.00.
    [InlineData(false, 0.00)]
    [InlineData(true, 120.00)]
    public void InclusiveBound_AppliesAtTheBoundItself(bool inclusive, decimal expected)
    {
        var policy = WithTiers(Tier(99.9m, 10m, inclusive));
        var start = November.Start.AddDays(2);
        var outage = new OutageRecord("email", "eu-west", start, start.AddSeconds(43.2 * 60), "unplanned");

        var result = ServiceLevelCalculator.Availability(Subscription(fee: 1200m), policy, [outage], November, November.End)!;

        result.AvailabilityPercent.ShouldBe(99.9m);
        result.CreditAmount.ShouldBe(expected);
        if (inclusive)
        {
            result.Credit.Explanation[1].Text.ShouldBe("the tier at or below 99.9 applies: credit 10%");
        }
    }

    [Theory]
    // daysOfFee 3 in November (30 days): 1200 × 3 / 30 = 120.00; in December (31 days): 1200 × 3 / 31 = 116.129… → 116.13.
    [InlineData(CreditFormula.DaysOfFee, 3, 11, 135, 120.00)]
    [InlineData(CreditFormula.DaysOfFee, 3, 12, 135, 116.13)]
    // perHourDown 25: 135 minutes = 2.25 h × 25 = 56.25 (no fee needed, but in the fee's currency).
    [InlineData(CreditFormula.PerHourDown, 25, 11, 135, 56.25)]
    // perHourDown 10 for 50 minutes: 0.8333… h × 10 = 8.333… → 8.33.
    [InlineData(CreditFormula.PerHourDown, 10, 11, 50, 8.33)]
    // proportional 100%: 1200 × 135 / 43200 = 3.75; proportional 1000% (ten times the downtime's share): 37.50.
    [InlineData(CreditFormula.Proportional, 100, 11, 135, 3.75)]
    [InlineData(CreditFormula.Proportional, 1000, 11, 135, 37.50)]
    // December has 44640 minutes: 1200 × 135 / 44640 = 3.629… → 3.63.
    [InlineData(CreditFormula.Proportional, 100, 12, 135, 3.63)]
    public void Formula_AmountAsHandWorked(CreditFormula formula, decimal value, int month, int minutesDown, decimal expected)
    {
        var policy = WithTiers(Tier(99.9m, formula: formula, value: value));

        var result = Judge(policy, new ReportingMonth(2026, month), minutesDown);

        result.Met.ShouldBeFalse();
        result.CreditAmount.ShouldBe(expected);
        result.Credit.Explanation.Select(s => s.Kind).ShouldBe(["objective", "tier", "fee"]);
        result.Credit.Explanation[1].Location.ShouldBe(At);
    }

    [Fact]
    public void Formula_CappedByCreditCap()
    {
        // 100 per hour × 2.25 h = 225.00, over the cap of 10% of EUR 1200 = 120.00 → 120.00, reported as 10%.
        var policy = Policy(AvailabilityTerm(creditCap: 10m) with { Credits = [Tier(99.9m, formula: CreditFormula.PerHourDown, value: 100m)] });

        var result = Judge(policy, November, 135);

        result.CreditAmount.ShouldBe(120.00m);
        result.CreditPercent.ShouldBe(10m);
        result.Credit.CapApplied.ShouldBeTrue();
        result.Credit.Explanation.Last().Text.ShouldBe("2.25 hours down × EUR 100.00 = EUR 225.00, capped to EUR 120.00");
    }

    [Fact]
    public void Formula_MostSevereTierStillChosenByBound()
    {
        // 98.5%: below 99.9 (1 day of fee) and below 99 (7 days) apply; the lowest bound wins: 1200 × 7 / 30 = 280.00.
        var policy = WithTiers(Tier(99.9m, formula: CreditFormula.DaysOfFee, value: 1), Tier(99m, formula: CreditFormula.DaysOfFee, value: 7));

        Judge(policy, November, 648).CreditAmount.ShouldBe(280.00m);
    }

    [Theory]
    // Billed 900 for a whole month; subscribed from the 11th: days 11 to 30 = 20 of 30 → 600.00.
    [InlineData("2026-11-11T00:00:00Z", null, 20, 600.00)]
    // From noon on the 10th: the 10th counts (part of it subscribed), 21 days → 900 × 21 / 30 = 630.00.
    [InlineData("2026-11-10T12:00:00Z", null, 21, 630.00)]
    // Until the 16th 00:00 (exclusive): days 1 to 15 → 450.00.
    [InlineData(null, "2026-11-16T00:00:00Z", 15, 450.00)]
    // From before the month to after it: the whole month, the billed amount as is.
    [InlineData("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 30, 900.00)]
    // Subscribed from the 3rd until the 10th 00:00: 7 days → 900 × 7 / 30 = 210.00.
    [InlineData("2026-11-03T00:00:00Z", "2026-11-10T00:00:00Z", 7, 210.00)]
    public void BilledFee_ProRatedForTheDaysSubscribed(string? from, string? until, int days, decimal fee)
    {
        var subscription = Subscription(fee: 1200m) with
        {
            Billed = 900m,
            SubscribedFrom = from is null ? null : T(from),
            SubscribedUntil = until is null ? null : T(until),
        };

        var billed = CreditCalculator.FeeOf(subscription, Policy(AvailabilityTerm()), November);

        billed.Source.ShouldBe(FeeSource.Billed);
        billed.DaysSubscribed.ShouldBe(days);
        billed.Amount.ShouldBe(fee);
        // The credit is a share of the billed fee: 135 minutes down → 99.6875% → 10% tier.
        var result = Judge(Policy(AvailabilityTerm()), November, 135, subscription: subscription);
        result.CreditAmount.ShouldBe(fee / 10m);
        result.Credit.Explanation.Last().Text.ShouldContain($"billed EUR 900.00 for the month");
    }

    [Fact]
    public void BilledFee_Absent_IsTheMonthlyFee()
    {
        CreditCalculator.FeeOf(Subscription(fee: 1200m), Policy(AvailabilityTerm()), November).ShouldBe(new Fee(1200m, "EUR", FeeSource.Subscription));
    }

    private static ServiceLevelReport Report(Policy policy, params (string Customer, int MinutesDown, decimal Fee)[] subscriptions)
    {
        var subs = subscriptions.Select(s => Subscription(customer: s.Customer, fee: s.Fee)).ToList();
        var outages = subscriptions.Where(s => s.MinutesDown > 0)
            .Select(s => new OutageRecord("email", "eu-west", November.Start.AddDays(2), November.Start.AddDays(2).AddMinutes(s.MinutesDown), "unplanned")).ToList();
        var inputs = new ServiceLevelInputs([policy], (_, _) => policy, subs, outages, [], [], []);
        return ServiceLevelCalculator.Compute(inputs, November, November.End);
    }

    [Theory]
    // months 2: a November credit must be claimed by the end of January: until 2027-02-01 00:00Z, last day 2027-01-31.
    [InlineData(ClaimDeadlineKind.MonthsAfter, 2, "2027-02-01T00:00:00Z", "2027-01-31")]
    // months 1 ("the end of the following month"): until 2027-01-01, last day 2026-12-31.
    [InlineData(ClaimDeadlineKind.MonthsAfter, 1, "2027-01-01T00:00:00Z", "2026-12-31")]
    // days 30 after eligibility (the month's end, 2026-12-01): until 2026-12-31 00:00Z, last day 2026-12-30.
    [InlineData(ClaimDeadlineKind.DaysAfter, 30, "2026-12-31T00:00:00Z", "2026-12-30")]
    public void Deadline_AsHandWorked(ClaimDeadlineKind kind, int count, string until, string lastDay)
    {
        var policy = Policy(AvailabilityTerm()) with { Claims = new ClaimTerms(new ClaimDeadline(kind, count, At), null, false, null, null, At) };

        // 135 minutes down → 99.6875% → 10% of EUR 1200 = EUR 120.00, owed and claimable.
        var claim = Report(policy, ("acme", 135, 1200m)).Claims.ShouldHaveSingleItem();

        claim.Amount.ShouldBe(120.00m);
        claim.ClaimableUntil.ShouldBe(T(until));
        claim.LastDay.ShouldBe(DateOnly.Parse(lastDay, CultureInfo.InvariantCulture));
        claim.HasTerms.ShouldBeTrue();
        claim.StatusAt(T(until).AddTicks(-1)).ShouldBe(ClaimStatus.Owed);
        claim.StatusAt(T(until)).ShouldBe(ClaimStatus.Expired);
    }

    [Theory]
    // EUR 1200 fee, 135 minutes down: 10% = EUR 120.00.
    // Minimum 1: 120.00 is issued. Minimum 150: under it, not issued, 0 and no claim.
    [InlineData(1, null, null, 120.00, false)]
    [InlineData(150, null, null, 0.00, true)]
    // Cap per period 5% of the fee base (EUR 1200) = 60.00; an amount cap of 75 → 75.00.
    [InlineData(null, 5, null, 60.00, false)]
    [InlineData(null, null, 75, 75.00, false)]
    // The cap comes first: capped to 60.00, then under a minimum of 100 → not issued.
    [InlineData(100, 5, null, 0.00, true)]
    public void MinimumAndPeriodCap_AsHandWorked(int? minimum, int? capPercent, int? capAmount, decimal payable, bool notIssued)
    {
        var policy = Policy(AvailabilityTerm()) with { Claims = new ClaimTerms(null, minimum, true, capPercent, capAmount, At) };

        var report = Report(policy, ("acme", 135, 1200m));

        var total = report.CreditTotals.ShouldHaveSingleItem();
        total.Uncapped.ShouldBe(120.00m);
        total.Payable.ShouldBe(payable);
        total.NotIssued.ShouldBe(notIssued);
        report.Claims.Length.ShouldBe(payable > 0 ? 1 : 0);
        if (notIssued)
        {
            total.Explanation.ShouldContain(s => s.Kind == "minimum" && s.Text.Contains("not issued", StringComparison.Ordinal) && s.Location == At);
        }
        else
        {
            total.Explanation.ShouldContain(s => s.Kind == "settlement" && s.Text == "settled only as a credit against a future bill, never paid out");
        }
    }

    [Fact]
    public void SupplierAgreement_ClaimIsTheProvidersToMake()
    {
        var policy = Policy(AvailabilityTerm()) with { Direction = AgreementDirection.Supplier };

        var claim = Report(policy, ("fibrelink", 135, 1200m)).Claims.ShouldHaveSingleItem();

        claim.Direction.ShouldBe(AgreementDirection.Supplier);
        claim.Party.ShouldBe("fibrelink");
        claim.ClaimableUntil.ShouldBeNull();
        claim.HasTerms.ShouldBeTrue();
        claim.Explanation.ShouldContain(s => s.Kind == "deadline" && s.Text == "the supplier owes it: claim it; no claim deadline");
    }

    [Fact]
    public void NoClaimTerms_TotalsAndClaimAsBefore()
    {
        var report = Report(Policy(AvailabilityTerm()), ("acme", 135, 1200m));

        // The claim is listed (finance sees every credit owed) but without terms; the total's explanation is unchanged.
        report.CreditTotals.ShouldHaveSingleItem().Explanation.Select(s => s.Kind).ShouldBe(["total"]);
        var claim = report.Claims.ShouldHaveSingleItem();
        claim.HasTerms.ShouldBeFalse();
        claim.ClaimableUntil.ShouldBeNull();
    }

    [Fact]
    public void Property_ClaimTermsNeverRaiseATotal_AndAnIssuedOneIsAtLeastTheMinimum()
    {
        // Seeded random agreements and months: whatever the caps and the minimum, the amount to claim is never above the
        // total before them, never above a cap, and either 0 (not issued) or at least the minimum credit.
        var random = new Random(20261201);
        for (var i = 0; i < 300; i++)
        {
            decimal? minimum = random.Next(3) == 0 ? null : random.Next(0, 20000) / 100m;
            decimal? capPercent = random.Next(3) == 0 ? null : random.Next(0, 5000) / 100m;
            decimal? capAmount = random.Next(3) == 0 ? null : random.Next(0, 50000) / 100m;
            var fee = random.Next(0, 500000) / 100m;
            var minutes = random.Next(0, 43200);
            var policy = Policy(AvailabilityTerm(creditCap: null) with { Credits = [Tier(100m, formula: CreditFormula.Proportional, value: random.Next(1, 3000))] })
                with
            { Claims = new ClaimTerms(null, minimum, false, capPercent, capAmount, At) };

            var total = Report(policy, ("acme", minutes, fee)).CreditTotals.ShouldHaveSingleItem();

            total.Payable.ShouldBeLessThanOrEqualTo(total.Uncapped);
            if (capAmount is { } amount)
            {
                total.Payable.ShouldBeLessThanOrEqualTo(amount);
            }

            if (capPercent is { } percent)
            {
                total.Payable.ShouldBeLessThanOrEqualTo(CreditCalculator.ToCents(fee * percent / 100m));
            }

            (total.Payable == 0 || minimum is null || total.Payable >= minimum).ShouldBeTrue($"{total.Payable} under the minimum {minimum}");
            if (total.NotIssued)
            {
                total.Payable.ShouldBe(0m);
                minimum.ShouldNotBeNull();
            }
        }
    }

    [Fact]
    public void Property_BilledFee_NeverAboveTheBilledAmount_AndTheWholeMonthIsTheBilledAmount()
    {
        var random = new Random(1111);
        for (var i = 0; i < 300; i++)
        {
            var billed = random.Next(0, 10_000_000) / 100m;
            var from = November.Start.AddHours(random.Next(-24 * 40, 24 * 40));
            var until = from.AddHours(random.Next(1, 24 * 80));
            var subscription = Subscription() with { Billed = billed, SubscribedFrom = from, SubscribedUntil = until };

            var fee = CreditCalculator.FeeOf(subscription, Policy(AvailabilityTerm()), November);

            fee.Amount!.Value.ShouldBeInRange(0m, billed);
            fee.DaysSubscribed.ShouldBeInRange(0, 30);
            // Hand rule: a UTC day of November counts when [from, until) touches it.
            var days = Enumerable.Range(0, 30).Count(d => from < November.Start.AddDays(d + 1) && until > November.Start.AddDays(d));
            fee.DaysSubscribed.ShouldBe(days);
            if (days == 30)
            {
                fee.Amount.ShouldBe(billed);
            }
        }
    }

    [Theory]
    // The month's highest latency is exactly 250 ms against "at most 200": a tier `above` 250 does not apply at 250 itself,
    // a tier `atOrAbove` 250 does: 5% of EUR 1200 = EUR 60.00.
    [InlineData(false, 0.00)]
    [InlineData(true, 60.00)]
    public void Performance_InclusiveBound_AppliesAtTheBoundItself(bool inclusive, decimal expected)
    {
        var term = new PerformanceTerm(
            "latency-max", "latencyMs", new PerformanceStatistic(PerformanceStatisticKind.Max, 0), ObjectiveDirection.AtMost, 200m, [],
            [new PerformanceCreditTier(250m, 5m, At) { Inclusive = inclusive }], null, At, "acme-gold");
        var samples = new[] { 120.0, 250.0, 180.0 }.Select((v, i) => new MeasurementRecord("email", "eu-west", November.Start.AddHours(i + 1), "latencyMs", v)).ToList();

        var result = ServiceLevelCalculator.Performance(Subscription(), Policy(performance: [term]), samples, November, November.End).ShouldHaveSingleItem();

        result.MeasuredValue.ShouldBe(250m);
        result.Met.ShouldBe(false);
        result.CreditAmount.ShouldBe(expected);
        if (inclusive)
        {
            result.Credit!.Explanation[1].Text.ShouldBe("the tier at or above 250 applies: credit 5%");
        }
    }

    [Theory]
    [InlineData("{ \"metric\": \"latencyMs\", \"statistic\": \"p95\", \"atMost\": 120, \"credits\": [ { \"atOrAbove\": 120, \"credit\": \"5%\" } ] }", "SLA2010")]
    [InlineData("{ \"metric\": \"latencyMs\", \"statistic\": \"p95\", \"atMost\": 120, \"credits\": [ { \"above\": 130, \"atOrAbove\": 130, \"credit\": \"5%\" } ] }", "SLA2041")]
    [InlineData("{ \"metric\": \"loss\", \"statistic\": \"mean\", \"atLeast\": \"99%\", \"credits\": [ { \"atOrAbove\": \"98%\", \"credit\": \"5%\" } ] }", "SLA2010")]
    public void Reader_BadInclusivePerformanceTier_IsAnError(string term, string code)
    {
        Load("\"performance\": [ " + term + " ]").ShouldHaveSingleItem().Code.ShouldBe(code);
    }

    [Fact]
    public void Reader_InclusivePerformanceTier_Read()
    {
        var diagnostics = Load("\"performance\": [ { \"metric\": \"loss\", \"statistic\": \"mean\", \"atLeast\": \"99%\", \"credits\": [ { \"atOrBelow\": \"98%\", \"credit\": \"5%\" } ] } ]");

        diagnostics.ShouldBeEmpty();
    }

    private static IReadOnlyList<Diagnostic> Load(string body)
    {
        using var dir = new TempPolicyDirectory(("p.json", "{ \"id\": \"p\", \"version\": \"1\", \"effective\": { \"from\": \"2026-01-01\" }, \"appliesTo\": {},\n" + body + " }"));
        return PolicyLoader.Load(dir.Path).Diagnostics;
    }

    [Theory]
    [InlineData("\"availability\": { \"objective\": \"99.9%\", \"credits\": [ { \"below\": \"99.9%\", \"atOrBelow\": \"99.9%\", \"credit\": \"10%\" } ] }", "SLA2041", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\", \"credits\": [ { \"below\": \"99.9%\", \"credit\": \"10%\", \"daysOfFee\": 3 } ] }", "SLA2042", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\", \"credits\": [ { \"below\": \"99.9%\", \"daysOfFee\": 0 } ] }", "SLA2010", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\" }, \"claims\": { \"deadline\": { \"months\": 2, \"days\": 30 } }", "SLA2043", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\" }, \"claims\": { \"deadline\": {} }", "SLA2043", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\" }, \"claims\": { \"deadline\": { \"days\": 0 } }", "SLA2043", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\" }, \"claims\": { \"minimumCredit\": -1 }", "SLA2010", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\" }, \"claims\": { \"deadlines\": { \"days\": 3 } }", "SLA1002", 2)]
    [InlineData("\"availability\": { \"objective\": \"99.9%\" }, \"direction\": \"suplier\"", "SLA2010", 2)]
    public void Reader_BadClaimOrTier_IsAnErrorAtItsLine(string body, string code, int line)
    {
        var diagnostic = Load(body).ShouldHaveSingleItem();

        diagnostic.Code.ShouldBe(code);
        diagnostic.Severity.ShouldBe(DiagnosticSeverity.Error);
        diagnostic.Location.Line.ShouldBe(line);
        if (body.Contains("suplier", StringComparison.Ordinal))
        {
            diagnostic.ToString().ShouldContain("did you mean `supplier`?");
        }
    }

    [Fact]
    public void Reader_ClaimsAndFormulas_Read()
    {
        using var dir = new TempPolicyDirectory(("p.json", """
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": {}, "direction": "supplier",
              "availability": { "objective": "99.9%", "credits": [
                { "atOrBelow": "99.9%", "daysOfFee": 3 }, { "below": "99%", "perHourDown": 25 }, { "below": "95%", "proportional": "1000%" } ] },
              "claims": { "deadline": { "months": 2 }, "minimumCredit": 1, "futureBillsOnly": true, "capPerPeriod": 5000 } }
            """));

        var result = PolicyLoader.Load(dir.Path);

        result.Diagnostics.ShouldBeEmpty();
        var policy = result.Set.Policies.ShouldHaveSingleItem();
        policy.Direction.ShouldBe(AgreementDirection.Supplier);
        policy.Claims.ShouldNotBeNull();
        policy.Claims.Deadline!.Kind.ShouldBe(ClaimDeadlineKind.MonthsAfter);
        policy.Claims.Deadline.Count.ShouldBe(2);
        policy.Claims.Deadline.Location.Line.ShouldBe(4);
        policy.Claims.MinimumCredit.ShouldBe(1m);
        policy.Claims.FutureBillsOnly.ShouldBeTrue();
        policy.Claims.CapPerPeriodAmount.ShouldBe(5000m);
        policy.Claims.CapPerPeriodPercent.ShouldBeNull();
        policy.Availability!.Credits.Select(c => (c.Inclusive, c.Formula, c.FormulaValue)).ShouldBe(
            [(true, CreditFormula.DaysOfFee, 3m), (false, CreditFormula.PerHourDown, 25m), (false, CreditFormula.Proportional, 1000m)]);
    }

    [Fact]
    public void Reader_SeverityFive_IsAWarningAndStillRead()
    {
        // Cases carry severities 1 to 4 (the case reader rejects 5): a target for severity 5 is accepted, as it always was,
        // with a warning that it can never apply.
        var diagnostics = Load("\"targets\": [ { \"id\": \"t\", \"metric\": \"resolution\", \"severity\": [4, 5], \"within\": \"4h\" } ]");

        var warning = diagnostics.ShouldHaveSingleItem();
        warning.Code.ShouldBe("SLA2040");
        warning.Severity.ShouldBe(DiagnosticSeverity.Warning);
        warning.Message.ShouldContain("severity `5` is beyond the severities a case can carry (1 to 4)");
        warning.Location.Column.ShouldBeGreaterThan(1);
    }
}
