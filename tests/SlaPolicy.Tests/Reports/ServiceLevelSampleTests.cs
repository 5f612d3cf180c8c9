namespace SlaPolicy.Tests.Reports;

/// <summary>The sample month's figures, hand-worked in <see cref="SampleReportData"/>, that the report tests show.</summary>
public class ServiceLevelSampleTests
{
    [Fact]
    public void Compute_SampleMonth_MatchesHandWorkedFigures()
    {
        var report = SampleReportData.Report();

        var email = report.Availability.Single(a => a.Service == "email");
        Math.Round(email.AvailabilityPercent, 3).ShouldBe(99.884m);
        email.CreditAmount.ShouldBe(120.00m);
        report.Availability.Single(a => a.Service == "crm").Met.ShouldBeTrue();
        report.Availability.Single(a => a.Service == "crm").Credit.Fee.Source.ShouldBe(Engine.Availability.FeeSource.Policy);

        var latency = report.Performance.Single(p => p.Metric == "latencyMs");
        latency.MeasuredValue.ShouldBe(240m);
        latency.CreditAmount.ShouldBe(125.00m);

        var globex = report.CreditTotals.Single(t => t.Customer == "globex");
        globex.Uncapped.ShouldBe(375.00m);
        globex.Payable.ShouldBe(300.00m);
        globex.Currency.ShouldBe("USD");
    }
}
