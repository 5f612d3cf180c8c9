using static SlaPolicy.Tests.Availability.PolicyBuilder;

namespace SlaPolicy.Tests.Availability;

/// <summary>
/// The money at stake, worked out by hand. The policy: severity 1 at least 100% (credit 10%), severity 4 at least 90%
/// (credit 5%); acme's fee base under it is EUR 1200 + EUR 800 = EUR 2000, so sev 1 trips EUR 200.00 and sev 4 EUR 100.00.
/// </summary>
public class MoneyAtStakeTests
{
    private static readonly ReportingMonth November = new(2026, 11);

    private static readonly Policy Gold = Policy(
        AvailabilityTerm(),
        attainment:
        [
            new AttainmentTerm([1], 100m, 10m, At with { Line = 30 }, "acme-gold"),
            new AttainmentTerm([4], 90m, 5m, At with { Line = 31 }, "acme-gold"),
        ]);

    private static ImmutableArray<AttainmentMargin> Margins(int severity, int met, int breached)
    {
        var decisions = Enumerable.Range(1, met + breached)
            .Select(i => Decision($"C-{i}", i <= met ? DecisionStatus.Met : DecisionStatus.Breached, $"2026-11-{1 + (i % 28):D2}T12:00:00Z", severity))
            .ToList();
        var inputs = new ServiceLevelInputs([Gold], (_, _) => Gold, [Subscription(fee: 1200m), Subscription(service: "crm", fee: 800m)], [], [], decisions, []);
        var report = ServiceLevelCalculator.Compute(inputs, November, T("2026-12-01T00:00:00Z"));
        return MoneyAtStake.Margins(report.Attainment, [Gold]);
    }

    [Fact]
    public void Margins_ExactlyAtObjective_OneMoreBreachTripsTheCredit()
    {
        // 9 of 10 met = 90%: one more breach makes 9 of 11 = 81.8% < 90% → 5% of EUR 2000 = EUR 100.00.
        var sev4 = Margins(4, met: 9, breached: 1).ShouldHaveSingleItem();

        sev4.Met.ShouldBeTrue();
        sev4.BreachesToTrip.ShouldBe(1);
        sev4.CreditAmount.ShouldBe(100.00m);
        sev4.Currency.ShouldBe("EUR");
        sev4.Sentence.ShouldBe("one more sev 4 breach moves acme's sev 4 attainment under 90%: EUR 100.00");
    }

    [Fact]
    public void Margins_AboveObjective_CountsTheBreachesLeft()
    {
        // 19 of 20 met = 95%: one more breach gives 19 of 21 = 90.48% (still met), two give 19 of 22 = 86.36% (under).
        var sev4 = Margins(4, met: 19, breached: 1).ShouldHaveSingleItem();

        sev4.BreachesToTrip.ShouldBe(2);
        sev4.Sentence.ShouldBe("2 more sev 4 breaches move acme's sev 4 attainment under 90%: EUR 100.00");
    }

    [Fact]
    public void Margins_UnderObjective_CountsTheTargetsMetToRecover()
    {
        // 8 of 10 met = 80% < 90%: EUR 100.00 owed. j more met: (8 + j) / (10 + j) ≥ 90% ⇔ j ≥ 10 (18 of 20 = 90%; 17 of 19 = 89.5%).
        var sev4 = Margins(4, met: 8, breached: 2).ShouldHaveSingleItem();

        sev4.Met.ShouldBeFalse();
        sev4.BreachesToTrip.ShouldBeNull();
        sev4.MetToRecover.ShouldBe(10);
        sev4.CreditAmount.ShouldBe(100.00m);
        sev4.Sentence.ShouldBe("acme's sev 4 attainment is under 90% (80%): EUR 100.00 owed; 10 more sev 4 targets met with no breach bring it back");
    }

    [Fact]
    public void Margins_UnderAHundredPercentObjective_CannotRecover()
    {
        // Severity 1 must be 100%: after one breach no number of targets met brings it back this month.
        var sev1 = Margins(1, met: 1, breached: 1).ShouldHaveSingleItem();

        sev1.MetToRecover.ShouldBeNull();
        sev1.CreditAmount.ShouldBe(200.00m);
        sev1.Sentence.ShouldEndWith("EUR 200.00 owed; no number of targets met this month brings it back");
    }

    [Fact]
    public void OpenCases_RanksByWhatTheirBreachWouldCost()
    {
        // sev 4 at 9 of 10: the next sev 4 breach costs EUR 100.00; sev 1 is owed already: a sev 1 breach adds nothing.
        var margins = Margins(4, met: 9, breached: 1).AddRange(Margins(1, met: 1, breached: 1));
        Decision[] open =
        [
            Decision("O-1", DecisionStatus.Running, null, 1, dueAt: "2026-11-30T09:00:00Z"),
            Decision("O-4b", DecisionStatus.Running, null, 4, dueAt: "2026-11-30T12:00:00Z"),
            Decision("O-4a", DecisionStatus.Paused, null, 4, dueAt: "2026-11-30T10:00:00Z"),
            Decision("M-4", DecisionStatus.Met, "2026-11-29T10:00:00Z", 4),
            Decision("O-2", DecisionStatus.Running, null, 2),
        ];

        var ranked = MoneyAtStake.OpenCases(open, margins);

        ranked.Select(c => (c.Decision.CaseId, c.CostIfBreached)).ShouldBe([("O-4a", 100.00m), ("O-4b", 100.00m), ("O-1", 0m)]);
    }
}
