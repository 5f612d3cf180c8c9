using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

public class AttainmentTests
{
    private static readonly ReportingMonth November = new(2026, 11);
    private static readonly DateTimeOffset AsOf = T("2026-12-01T00:00:00Z");

    private static readonly Policy Gold = Policy(
        AvailabilityTerm(),
        attainment:
        [
            new AttainmentTerm([1], 100m, 10m, At with { Line = 30 }, "acme-gold"),
            new AttainmentTerm([4], 90m, 5m, At with { Line = 31 }, "acme-gold"),
        ]);

    private static ServiceLevelReport Compute(IReadOnlyList<Decision> decisions, Policy? policy = null)
    {
        var p = policy ?? Gold;
        var inputs = new ServiceLevelInputs([p], (_, _) => p, [Subscription(fee: 1200m), Subscription(service: "crm", fee: 800m)], [], [], decisions, []);
        return ServiceLevelCalculator.Compute(inputs, November, AsOf);
    }

    [Fact]
    public void Attainment_ExactlyAtThreshold_Met()
    {
        // Severity 4: 9 of 10 stopped in November met = 90% ≥ "at least 90%" → met, no credit.
        var decisions = Enumerable.Range(1, 10)
            .Select(i => Decision($"C-{i}", i == 10 ? DecisionStatus.Breached : DecisionStatus.Met, $"2026-11-{i:D2}T12:00:00Z", severity: 4))
            .ToList();

        var sev4 = Compute(decisions).Attainment.Single();

        sev4.Severities.ShouldBe([4]);
        sev4.MetCount.ShouldBe(9);
        sev4.StoppedCount.ShouldBe(10);
        sev4.AttainmentPercent.ShouldBe(90m);
        sev4.Met.ShouldBeTrue();
        sev4.CreditAmount.ShouldBe(0m);
    }

    [Fact]
    public void Attainment_BelowThreshold_CreditsShareOfCustomersFees()
    {
        // Severity 1 stopped in November: C-1 met, C-2 breached → 1 of 2 = 50% < 100% → credit 10%.
        // Fee base: acme's subscriptions under the policy, EUR 1200 + EUR 800 = EUR 2000 → EUR 200.00.
        // Not counted: C-3 stopped in October, C-4 breached but still running (no stop), C-5 stopped after asOf.
        Decision[] decisions =
        [
            Decision("C-1", DecisionStatus.Met, "2026-11-05T10:00:00Z", severity: 1),
            Decision("C-2", DecisionStatus.Breached, "2026-11-20T10:00:00Z", severity: 1),
            Decision("C-3", DecisionStatus.Met, "2026-10-30T10:00:00Z", severity: 1),
            Decision("C-4", DecisionStatus.Breached, null, severity: 1, dueAt: "2026-11-25T00:00:00Z"),
            Decision("C-5", DecisionStatus.Met, "2026-12-03T10:00:00Z", severity: 1),
        ];

        var report = Compute(decisions);
        var sev1 = report.Attainment.Single();

        sev1.StoppedCount.ShouldBe(2);
        sev1.AttainmentPercent.ShouldBe(50m);
        sev1.Met.ShouldBeFalse();
        sev1.CreditPercent.ShouldBe(10m);
        sev1.Credit.Fee.Amount.ShouldBe(2000m);
        sev1.CreditAmount.ShouldBe(200.00m);
        sev1.Credit.Explanation.ShouldContain(s => s.Kind == "tier" && s.Location!.Value.Line == 30);
    }

    [Fact]
    public void CustomerTotal_AboveCustomerCap_PayableCapped()
    {
        // Availability: email down 48h → 93.333% → 100% tier, creditCap 100% → EUR 1200.00; crm has no term.
        // Attainment sev 1: 0 of 1 met → 10% of (1200 + 800) = EUR 200.00. Total before the cap EUR 1400.00.
        // customerCreditCap 30% of EUR 2000 fees = EUR 600.00 → payable EUR 600.00.
        var policy = Gold with { CustomerCreditCapPercent = 30m };
        var inputs = new ServiceLevelInputs(
            [policy], (_, _) => policy, [Subscription(fee: 1200m), Subscription(service: "crm", fee: 800m)],
            [Outage("2026-11-03T00:00:00Z", "2026-11-05T00:00:00Z")], [],
            [Decision("C-1", DecisionStatus.Breached, "2026-11-05T10:00:00Z", severity: 1)], []);

        var total = ServiceLevelCalculator.Compute(inputs, November, AsOf).CreditTotals.Single();

        total.AvailabilityCredits.ShouldBe(1200.00m);
        total.AttainmentCredits.ShouldBe(200.00m);
        total.Uncapped.ShouldBe(1400.00m);
        total.FeeBase.ShouldBe(2000m);
        total.CapAmount.ShouldBe(600.00m);
        total.Payable.ShouldBe(600.00m);
        total.CapApplied.ShouldBeTrue();
    }

    [Fact]
    public void BreachesPerWeek_November2026_SixMondayWeeks()
    {
        // 2026-11-01 is a Sunday, so the weeks overlapping November start on Oct 26, Nov 2, 9, 16, 23 and 30.
        // Breach instants: Nov 1 (week of Oct 26), Nov 3 and Nov 8 (week of Nov 2), Nov 30 (week of Nov 30);
        // a met decision and a breach in December do not count.
        Decision[] decisions =
        [
            Decision("C-1", DecisionStatus.Breached, "2026-11-02T00:00:00Z", 1, dueAt: "2026-11-01T10:00:00Z"),
            Decision("C-2", DecisionStatus.Breached, null, 1, dueAt: "2026-11-03T10:00:00Z"),
            Decision("C-3", DecisionStatus.Breached, null, 1, dueAt: "2026-11-08T23:59:00Z"),
            Decision("C-4", DecisionStatus.Breached, null, 1, dueAt: "2026-11-30T10:00:00Z"),
            Decision("C-5", DecisionStatus.Met, "2026-11-10T00:00:00Z", 1),
            Decision("C-6", DecisionStatus.Breached, null, 1, dueAt: "2026-12-01T10:00:00Z"),
        ];

        var weeks = ServiceLevelCalculator.BreachesPerWeek(decisions, November, T("2026-12-02T00:00:00Z"));

        weeks.Select(w => w.WeekStart.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(["10-26", "11-02", "11-09", "11-16", "11-23", "11-30"]);
        weeks.Select(w => w.Count).ShouldBe([1, 2, 0, 0, 0, 1]);
    }

    [Fact]
    public void Compute_SubscriptionWithoutPolicy_Warned()
    {
        var inputs = new ServiceLevelInputs([], (_, _) => null, [Subscription()], [], [], [], []);

        ServiceLevelCalculator.Compute(inputs, November, AsOf).Warnings.ShouldContain(w => w.Contains("no policy covers", StringComparison.Ordinal));
    }

    /// <summary>
    /// Decisions handed as one instance repeated (as the store groups a month's stopped decisions) count as the same
    /// decisions handed one by one: attainment, compliance (met, breached, overdue) and breaches per week, whatever the
    /// order of the runs and however they interleave.
    /// </summary>
    [Fact]
    public void Compute_RepeatedInstances_CountAsManyDecisions()
    {
        Decision[] kinds =
        [
            Decision("C-1", DecisionStatus.Met, "2026-11-05T10:00:00Z", severity: 1),
            Decision("C-2", DecisionStatus.Breached, "2026-11-20T10:00:00Z", severity: 1, dueAt: "2026-11-19T10:00:00Z"),
            Decision("C-3", DecisionStatus.Met, "2026-11-06T10:00:00Z", severity: 4),
            Decision("C-4", DecisionStatus.Breached, null, severity: 4, dueAt: "2026-11-25T00:00:00Z"),
            Decision("C-5", DecisionStatus.Breached, "2026-11-03T10:00:00Z", severity: 4),
        ];
        var random = new Random(11);
        var repeated = new List<Decision>();
        for (var run = 0; run < 40; run++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            repeated.AddRange(Enumerable.Repeat(kind, random.Next(1, 30)));
        }

        var copies = repeated.Select(d => d with { }).ToList();
        var grouped = Compute(repeated);
        var oneByOne = Compute(copies);

        grouped.Attainment.Select(a => (a.MetCount, a.StoppedCount, a.CreditAmount)).ShouldBe(oneByOne.Attainment.Select(a => (a.MetCount, a.StoppedCount, a.CreditAmount)));
        grouped.Attainment.Sum(a => a.StoppedCount).ShouldBe(repeated.Count(d => d.StoppedAt is not null));
        grouped.Compliance.ShouldBe(oneByOne.Compliance);
        grouped.Compliance.Sum(c => c.OverdueOpen).ShouldBe(repeated.Count(d => d.CaseId == "C-4"));
        grouped.BreachesPerWeek.ShouldBe(oneByOne.BreachesPerWeek);
        grouped.CreditTotals.Select(t => t.Payable).ShouldBe(oneByOne.CreditTotals.Select(t => t.Payable));
    }
}
