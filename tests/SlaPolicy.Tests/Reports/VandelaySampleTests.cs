namespace SlaPolicy.Tests.Reports;

/// <summary>
/// November 2026 of samples/vandelay/ under its own policy (samples/vandelay/policies): a managed help desk whose
/// availability is measured per business week (Monday to Friday 09:00-17:00 London time, 2,400 minutes a week; London is
/// on UTC in November), each week below 99.9% credited 5% of the EUR 1,000.00 monthly charge, below 99% 10%, at most 25% a
/// month, and credits in any 12 months at most one month's charge. Hand calculation, the weeks ending in November:
/// - 26 Oct-1 Nov: 28 October 10:00-10:30, 30 minutes: (2400 − 30) / 2400 = 98.75% → 10% = EUR 100.00;
/// - 2-8 Nov: 3 November 12:00-12:02, 2 minutes: 99.916…%, met (7 November's 4 hours are on a Saturday, closed);
/// - 9-15 Nov: 12 November 16:00-18:00, one hour in business hours: 97.5% → 10% = EUR 100.00;
/// - 16-22 Nov: 16 November 09:00-09:12, 12 minutes: 99.5% → 5% = EUR 50.00;
/// - 23-29 Nov: none, 100%. (30 November's outage belongs to the week ending 6 December.)
/// The month: EUR 100 + 100 + 50 = EUR 250.00, within the 25% cap. Rolling cap over 2025-12 to 2026-11: credited before
/// 2026-02 EUR 250 + 2026-05 EUR 400 + 2026-09 EUR 250 = EUR 900 (2025-11's EUR 300 lies outside the twelve months), of a
/// cap of 100% of EUR 1,000: EUR 100.00 left, so EUR 250.00 is cut to EUR 100.00 payable.
/// </summary>
public class VandelaySampleTests
{
    [Fact]
    public void November_WeeklyCredits_CutByTheRollingCap_ToTheCent()
    {
        var report = SampleFolderReport.November("vandelay", "credit-history.jsonl");

        var availability = report.Availability.Single();
        availability.Weeks.Select(w => w.CreditAmount).ShouldBe([100.00m, 0m, 100.00m, 50.00m, 0m]);
        (availability.AvailabilityPercent, availability.Met, availability.CreditAmount).ShouldBe((97.5m, false, 250.00m));

        var total = report.CreditTotals.Single();
        (total.Uncapped, total.EarlierCredits, total.RollingCapAmount, total.Payable).ShouldBe((250.00m, 900m, 1000.00m, 100.00m));
        var rolling = total.Explanation.Single(s => s.Kind == "rolling cap");
        rolling.Text.ShouldEndWith("EUR 900.00 credited in the 11 months before, EUR 100.00 left: EUR 250.00 cut to EUR 100.00");
        rolling.Location!.Value.File.ShouldEndWith("vandelay-helpdesk-2026.json");
    }

    [Fact]
    public void November_WithoutHistory_TheMonthAloneIsBounded()
    {
        // Without the earlier months only November counts: EUR 250.00 is under the EUR 1,000.00 cap and stands.
        var total = SampleFolderReport.November("vandelay").CreditTotals.Single();

        (total.Payable, total.EarlierCredits).ShouldBe((250.00m, null));
    }
}
