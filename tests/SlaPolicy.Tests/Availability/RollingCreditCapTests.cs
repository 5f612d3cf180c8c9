using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// `"rollingCreditCap": { "months": 12, "cap": "100%" }`: the credits of the month computed and of the 11 months before
/// together may not exceed 100% of the customer's fee base. The fee: EUR 1,000; November 2026's availability credit is
/// EUR 250.00 (120 minutes down, 99.722…%, under a term whose one tier below 99.9% credits 25%).
/// </summary>
public class RollingCreditCapTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly SourceLocation RollingAt = new("policies/acme-gold.json", 23, 23);

    /// <summary>A term of 99.9% whose one tier credits 25% of the fee: EUR 250.00 on EUR 1,000 whenever it is missed.</summary>
    private static Policy Rolling(int months = 12, decimal cap = 100m, decimal? customerCap = null) =>
        Policy(AvailabilityTerm(monthlyFee: 1000m) with { Credits = [new CreditTier(99.9m, 25m, At)] }, customerCap: customerCap) with
        {
            RollingCreditCap = new RollingCreditCap(months, cap, RollingAt),
        };

    private static CustomerCreditTotal Total(Policy policy, IReadOnlyList<EarlierCredit>? history)
    {
        // 120 minutes down in November: (43200 − 120) / 43200 = 99.722…% < 99.9% → 25% of EUR 1,000 = EUR 250.00.
        var inputs = new ServiceLevelInputs(
            [policy], (_, _) => policy, [Subscription(fee: 1000m)], [Outage("2026-11-10T10:00:00Z", "2026-11-10T12:00:00Z")], [], [], [])
        {
            CreditHistory = history,
        };
        var report = ServiceLevelCalculator.Compute(inputs, November, T("2026-12-01T00:00:00Z"));
        report.Availability.Single().CreditAmount.ShouldBe(250.00m);
        return report.CreditTotals.Single();
    }

    private static EarlierCredit Earlier(string period, decimal amount, string customer = "acme", string policy = "acme-gold", string currency = "EUR")
        => new(customer, policy, period, currency, amount);

    [Fact]
    public void EarlierMonthsLeaveLessRoom_ThisMonthIsCut()
    {
        // The 12 months 2025-12 to 2026-11. Credited before: 2026-02 EUR 250 + 2026-05 EUR 400 + 2026-09 EUR 250 = EUR 900
        // (2025-11's EUR 300 lies outside the run; another customer's and another policy's credits and a USD credit do not
        // count). The cap is 100% of EUR 1,000 = EUR 1,000: EUR 100.00 left, so November's EUR 250.00 is cut to EUR 100.00.
        EarlierCredit[] history =
        [
            Earlier("2025-11", 300m), Earlier("2026-02", 250m), Earlier("2026-05", 400m), Earlier("2026-09", 250m),
            Earlier("2026-03", 500m, customer: "globex"), Earlier("2026-04", 500m, policy: "other"), Earlier("2026-06", 500m, currency: "USD"),
        ];

        var total = Total(Rolling(), history);

        (total.Uncapped, total.Payable, total.CapApplied, total.RollingCapAmount, total.EarlierCredits).ShouldBe((250.00m, 100.00m, true, 1000.00m, 900m));
        var step = total.Explanation.Single(s => s.Kind == "rolling cap");
        step.Text.ShouldBe(
            "credits in the 12 months 2025-12 to 2026-11 capped at 100% of EUR 1000.00 = EUR 1000.00 by rollingCreditCap: EUR 900.00 credited in the 11 months before, EUR 100.00 left: EUR 250.00 cut to EUR 100.00");
        step.Location.ShouldBe(RollingAt);
    }

    [Fact]
    public void RoomEnough_TheMonthStands_AndNoRoomLeavesNothing()
    {
        // EUR 600 credited before: EUR 400.00 left ≥ EUR 250.00, which stands. EUR 1,100 credited before (over the cap
        // already): no room, EUR 0.00.
        var roomy = Total(Rolling(), [Earlier("2026-10", 600m)]);
        var full = Total(Rolling(), [Earlier("2026-01", 600m), Earlier("2026-10", 500m)]);

        (roomy.Payable, roomy.CapApplied).ShouldBe((250.00m, false));
        roomy.Explanation.Single(s => s.Kind == "rolling cap").Text.ShouldEndWith("EUR 600.00 credited in the 11 months before, EUR 400.00 left: EUR 250.00 stands");
        (full.Payable, full.EarlierCredits).ShouldBe((0m, 1100m));
    }

    [Fact]
    public void ShorterRun_CountsFewerMonths()
    {
        // A run of 3 months (2026-09 to 2026-11) capped at 50% of EUR 1,000 = EUR 500: of the history only 2026-09's EUR 250
        // and 2026-10's EUR 100 count, EUR 150.00 left: EUR 250.00 cut to EUR 150.00.
        var total = Total(Rolling(months: 3, cap: 50m), [Earlier("2026-08", 400m), Earlier("2026-09", 250m), Earlier("2026-10", 100m)]);

        (total.Payable, total.EarlierCredits).ShouldBe((150.00m, 350m));
        total.Explanation.Single(s => s.Kind == "rolling cap").Text.ShouldStartWith("credits in the 3 months 2026-09 to 2026-11 capped at 50% of EUR 1000.00 = EUR 500.00");
    }

    [Fact]
    public void HistoryUnknown_TheMonthAloneIsBounded_AndTheExplanationSaysSo()
    {
        // No history (evaluate from files without earlier credits): EUR 250.00 is under the EUR 1,000 cap and stands; with a
        // cap of 20% (EUR 200.00) it is cut to EUR 200.00.
        var alone = Total(Rolling(), null);
        var lower = Total(Rolling(cap: 20m), null);

        (alone.Payable, alone.EarlierCredits, alone.RollingCapAmount).ShouldBe((250.00m, null, 1000.00m));
        alone.Explanation.Single(s => s.Kind == "rolling cap").Text.ShouldBe(
            "credits in the 12 months 2025-12 to 2026-11 capped at 100% of EUR 1000.00 = EUR 1000.00 by rollingCreditCap; the earlier months' credits are not known here, so this month alone is bounded: EUR 250.00 stands");
        lower.Payable.ShouldBe(200.00m);
    }

    [Fact]
    public void AfterTheCustomerCap()
    {
        // customerCreditCap 20% first: EUR 250.00 → EUR 200.00; then the rolling cap, EUR 900 credited before: EUR 100.00.
        var total = Total(Rolling(customerCap: 20m), [Earlier("2026-05", 900m)]);

        total.Payable.ShouldBe(100.00m);
        total.Explanation.Select(s => s.Kind).ShouldBe(["total", "cap", "rolling cap"]);
        total.Explanation[^1].Text.ShouldEndWith("EUR 100.00 left: EUR 200.00 cut to EUR 100.00");
    }

    [Fact]
    public void NoRollingCap_NothingChanges()
    {
        // The same month without the term: EUR 250.00 payable, no rolling fields, history ignored.
        var policy = Rolling() with { RollingCreditCap = null };
        var total = Total(policy, [Earlier("2026-05", 900m)]);

        (total.Payable, total.RollingCapAmount, total.EarlierCredits).ShouldBe((250.00m, null, null));
        total.Explanation.ShouldNotContain(s => s.Kind == "rolling cap");
    }
}
