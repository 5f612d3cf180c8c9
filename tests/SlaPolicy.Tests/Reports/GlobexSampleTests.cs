using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Reports;

/// <summary>
/// November 2026 of samples/globex/ under its own policies (samples/globex/policies): Globex's object storage (a cloud storage SLA with a
/// claim deadline, a minimum credit, credits against future bills and a cap per billing period, fees from what was
/// billed), Globex's CDN (credits in days of fee, claimed within 30 days) and the IP transit bought from Fibrelink (a
/// supplier agreement, USD 250 per hour of outage). Hand calculation, November = 30 days = 43,200 minutes:
/// - object-storage us-east: G-2026-001 90 min (05:00-06:30 -05:00); G-2026-002 is maintenance, excluded →
///   (43200 − 90) / 43200 = 99.7917% → below 99.9%, not at or below 99% → 10% of the billed USD 2,000.00 = USD 200.00;
/// - object-storage eu-west: G-2026-003 8 h = 480 min → 98.8889% → at or below 99% → 25%; billed USD 900.00 pro-rated
///   for 20 of 30 days (subscribed from 11 November) = USD 600.00 → USD 150.00;
/// - globex-storage total USD 350.00; cap per period 10% of the fee base USD 2,600.00 = USD 260.00 → USD 260.00 to claim
///   by 2027-01-31 (the end of the second billing cycle after November), against future bills only;
/// - cdn us-east: G-2026-004 60 min → 99.8611% → below 99.9% → 1 day of USD 1,550.00: 1550 / 30 = 51.666… → USD 51.67,
///   to claim within 30 days of the month's end: by 2026-12-30;
/// - cdn eu-west (EUR 20.00): 60 min → 1 day = 0.666… → EUR 0.67, under the minimum credit of 1.00: not issued, EUR 0.00;
/// - fibrelink ip-transit us-east: F-2026-001 135 min = 2.25 h × USD 250 = USD 562.50 (under the 50% cap of USD 5,000),
///   owed by Fibrelink: claim it by 2026-12-31 (the end of the following month).
/// </summary>
public class GlobexSampleTests
{
    private static ServiceLevelReport Report() => SampleFolderReport.November("globex");

    [Fact]
    public void November_AvailabilityAndCredits_ToTheCent()
    {
        var report = Report();

        report.Warnings.ShouldNotContain(w => w.Contains("no policy covers", StringComparison.Ordinal));
        var availability = report.Availability.ToDictionary(a => $"{a.Customer} {a.Service} {a.Region}");
        availability.Keys.Order(StringComparer.Ordinal).ShouldBe(
            ["fibrelink ip-transit us-east", "globex cdn eu-west", "globex cdn us-east", "globex object-storage eu-west", "globex object-storage us-east"]);
        availability["globex object-storage us-east"].CreditAmount.ShouldBe(200.00m);
        availability["globex object-storage us-east"].Downtime.ShouldBe(TimeSpan.FromMinutes(90));
        availability["globex object-storage eu-west"].CreditAmount.ShouldBe(150.00m);
        availability["globex object-storage eu-west"].CreditPercent.ShouldBe(25m);
        availability["globex object-storage eu-west"].Credit.Fee.Amount.ShouldBe(600.00m);
        availability["globex object-storage eu-west"].Credit.Explanation.Last().Text
            .ShouldBe("25% of USD 600.00 (billed USD 900.00 for the month, pro-rated for 20 of 30 days subscribed) = USD 150.00");
        availability["globex object-storage eu-west"].Credit.Explanation[1].Text.ShouldBe("the tier at or below 99 applies: credit 25%");
        availability["globex cdn us-east"].CreditAmount.ShouldBe(51.67m);
        availability["globex cdn eu-west"].CreditAmount.ShouldBe(0.67m);
        availability["fibrelink ip-transit us-east"].CreditAmount.ShouldBe(562.50m);
        availability["fibrelink ip-transit us-east"].Credit.Explanation[1].Location!.Value.File.ShouldEndWith("fibrelink-transit-2026.json");

        var totals = report.CreditTotals.ToDictionary(t => $"{t.PolicyId} {t.Currency}");
        totals["globex-storage USD"].Uncapped.ShouldBe(350.00m);
        totals["globex-storage USD"].FeeBase.ShouldBe(2600.00m);
        totals["globex-storage USD"].Payable.ShouldBe(260.00m);
        totals["globex-cdn USD"].Payable.ShouldBe(51.67m);
        totals["globex-cdn EUR"].Payable.ShouldBe(0.00m);
        totals["globex-cdn EUR"].NotIssued.ShouldBeTrue();
        totals["fibrelink-transit USD"].Payable.ShouldBe(562.50m);
    }

    [Fact]
    public void November_Claims_InBothDirectionsWithTheirDeadlines()
    {
        var claims = Report().Claims.Select(c => (c.Party, c.PolicyId, c.Direction, c.Amount, c.Currency, c.LastDay, c.FutureBillsOnly)).ToList();

        claims.ShouldBe(
        [
            ("fibrelink", "fibrelink-transit", AgreementDirection.Supplier, 562.50m, "USD", new DateOnly(2026, 12, 31), false),
            ("globex", "globex-cdn", AgreementDirection.Customer, 51.67m, "USD", new DateOnly(2026, 12, 30), false),
            ("globex", "globex-storage", AgreementDirection.Customer, 260.00m, "USD", new DateOnly(2027, 1, 31), true),
        ]);
    }

    [Fact]
    public void November_JsonLines_CarryTheClaimFields()
    {
        using var stream = new MemoryStream();
        ServiceLevelJson.WriteLines(stream, Report());
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        var storage = lines.Single(l => l.GetProperty("kind").GetString() == "customerCredit" && l.GetProperty("policy").GetString() == "globex-storage");
        storage.GetProperty("creditAmount").GetDecimal().ShouldBe(260.00m);
        storage.GetProperty("claimableUntil").GetString().ShouldBe("2027-02-01T00:00:00Z");
        storage.GetProperty("futureBillsOnly").GetBoolean().ShouldBeTrue();
        storage.GetProperty("direction").GetString().ShouldBe("customer");
        var eu = lines.Single(l => l.GetProperty("kind").GetString() == "availability" && l.GetProperty("service").GetString() == "object-storage" && l.GetProperty("region").GetString() == "eu-west");
        eu.GetProperty("feeSource").GetString().ShouldBe("billed");
        eu.GetProperty("daysSubscribed").GetInt32().ShouldBe(20);
        lines.Single(l => l.GetProperty("kind").GetString() == "customerCredit" && l.GetProperty("currency").GetString() == "EUR").GetProperty("notIssued").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void November_HtmlAndTerminal_ListTheClaims()
    {
        var report = Report();

        var html = HtmlReportRenderer.Render(report);
        html.ShouldContain("<table id=\"claims\">");
        html.ShouldContain("<td>claim from fibrelink</td><td>fibrelink-transit</td><td class=\"num\">USD 562.50</td><td>2026-12-31</td>");
        html.ShouldContain("<td>owed to globex</td><td>globex-storage</td><td class=\"num\">USD 260.00</td><td>2027-01-31</td><td>against a future bill</td><td>owed</td>");

        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        TerminalReportRenderer.Render(report, console);
        var text = writer.ToString();
        text.ShouldContain("Claims (credits to be claimed or paid)");
        text.ShouldContain("under the minimum credit");
        text.ShouldContain("period cap (applied)");
    }

    [Fact]
    public void ExistingSamples_CarryNoClaimFields()
    {
        // The repository's own samples use none of the new terms: their lines are as before, without claim fields.
        var data = new FileReportDataSource().Load(new ReportRequest(
            PolicyTestFiles.SamplePolicies, SampleReport.File("cases.jsonl"), SampleReport.File("outages.jsonl"), SampleReport.File("subscriptions.jsonl"),
            SampleReport.File("measurements.jsonl"), DateTimeOffset.Parse("2026-12-01T00:00:00Z", CultureInfo.InvariantCulture)));
        var report = ServiceLevelCalculator.Compute(data.Inputs, new ReportingMonth(2026, 11), DateTimeOffset.Parse("2026-12-01T00:00:00Z", CultureInfo.InvariantCulture));
        using var stream = new MemoryStream();
        ServiceLevelJson.WriteLines(stream, report);
        var text = Encoding.UTF8.GetString(stream.ToArray());

        text.ShouldNotContain("claimableUntil");
        text.ShouldNotContain("\"billed\"");
        report.Claims.ShouldAllBe(c => !c.HasTerms);
    }
}
