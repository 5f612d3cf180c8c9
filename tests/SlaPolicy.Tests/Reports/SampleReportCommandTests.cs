namespace SlaPolicy.Tests.Reports;

/// <summary><c>slapolicy report</c> end to end on the repository's policies and samples (see <see cref="SampleReport"/>).</summary>
public sealed class SampleReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slapolicy-sample-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Report_Samples_ShowsEveryCustomerAndWritesHtmlAndJson()
    {
        var html = Path.Join(_dir, "out", "report.html");
        var json = Path.Join(_dir, "out", "report.jsonl");

        var (exit, output) = SampleReport.Run("--html", html, "--json", json);

        exit.ShouldBe(0);
        output.ShouldContain("Service level report 2026-11");
        foreach (var customer in SampleReport.Customers())
        {
            output.ShouldContain($"│ {customer} ");
        }

        output.ShouldContain("99.688%");
        output.ShouldContain("99.972%");
        output.ShouldContain("EUR 120.00");
        output.ShouldNotContain("warning:"); // the samples are clean and every subscription is covered by a policy

        var page = File.ReadAllText(html);
        foreach (var id in new[] { "availability-chart", "attainment-chart", "credits-chart-eur", "credits-chart-inr", "breaches-chart" })
        {
            page.ShouldContain($"<svg id=\"{id}\"");
        }

        var lines = File.ReadLines(json).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.ShouldAllBe(l => l.GetProperty("period").GetString() == "2026-11");
        var email = lines.Single(l => l.GetProperty("kind").GetString() == "availability" && l.GetProperty("region").GetString() == "eu-west");
        email.GetProperty("customer").GetString().ShouldBe("acme");
        email.GetProperty("service").GetString().ShouldBe("email");
        email.GetProperty("availabilityPercent").GetDecimal().ShouldBe(99.6875m);
        email.GetProperty("objective").GetDecimal().ShouldBe(99.9m);
        email.GetProperty("met").GetBoolean().ShouldBeFalse();
        email.GetProperty("creditPercent").GetDecimal().ShouldBe(10m);
        email.GetProperty("creditAmount").GetRawText().ShouldBe("120.00");
        email.GetProperty("currency").GetString().ShouldBe("EUR");
        email.GetProperty("downtimeMinutes").GetDecimal().ShouldBe(135m);
        email.GetProperty("explanation").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ShouldBe(["objective", "tier", "fee"]);
    }

    [Fact]
    public void Report_FromRepositoryRoot_DefaultsToTheSamples()
    {
        var (exit, output) = SampleReport.RunExecutable("--html", Path.Join(_dir, "report.html"));

        exit.ShouldBe(0, output);
        foreach (var customer in SampleReport.Customers())
        {
            output.ShouldContain($"│ {customer} ");
        }

        output.ShouldContain("99.688%");
        var page = File.ReadAllText(Path.Join(_dir, "report.html"));
        page.ShouldContain("99.688%");
        page.ShouldContain(">policies/customers/acme-gold-2026.2.json:20:7<"); // relative to the root, as given
    }

    [Fact]
    public void Report_WrittenToAPipe_KeepsEveryRowOnOneLine()
    {
        // Redirected, there is no terminal width to fit: a row is one line, whatever its width, no column cut at 80.
        var (exit, output) = SampleReport.RunExecutable();

        exit.ShouldBe(0, output);
        var lines = output.Split('\n');
        lines.ShouldContain(l => l.Contains("│ acme     │ acme-gold │ sev 4    │ 23 / 29       │ 79.310%    │ 90%      │ no  │ EUR 300.00 │", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("acme's sev 4 attainment is under 90% (79.31%): EUR 300.00 owed; 31 more sev 4 targets met with no breach bring it back", StringComparison.Ordinal)
            && l.Contains("EUR 300.00 owed │", StringComparison.Ordinal));
        lines.Where(l => l.StartsWith('│')).ShouldAllBe(l => l.TrimEnd().EndsWith('│'));
    }

    [Fact]
    public void Report_Samples_AttainmentCreditIsShareOfCustomersEuroFees()
    {
        var (exit, _) = SampleReport.Run("--json", Path.Join(_dir, "r.jsonl"));
        exit.ShouldBe(0);

        // acme-gold's fee base in EUR: its own EUR 1200 (email) + EUR 2400 (crm) in eu-west, and the policy's default
        // EUR 1200 for the two subscriptions that name no fee (network eu-west, crm us-east) = EUR 6000; the USD
        // subscriptions are not converted. A missed severity-1 term (10%) therefore owes EUR 600.00.
        var sev1 = File.ReadLines(Path.Join(_dir, "r.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.GetProperty("kind").GetString() == "attainment" && l.GetProperty("severity")[0].GetInt32() == 1);
        sev1.GetProperty("monthlyFee").GetDecimal().ShouldBe(6000m);
        if (!sev1.GetProperty("met").GetBoolean())
        {
            sev1.GetProperty("creditAmount").GetDecimal().ShouldBe(600.00m);
        }
    }

    [Fact]
    public void Report_RejectedOutage_BecomesWarningWithFileAndLine()
    {
        var outages = Path.Join(_dir, "outages.jsonl");
        File.WriteAllLines(outages,
        [
            """{"service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T02:45:00Z","kind":"unplanned"}""",
            """{"service":"email","region":"eu-west","start":"2026-11-04T02:00:00Z","end":"2026-11-04T01:00:00Z","kind":"unplanned"}""",
        ]);

        var (exit, output) = SampleReport.Run("--outages", outages, "--customer", "acme");

        exit.ShouldBe(0);
        output.ShouldContain($"{outages}:2: rejected field `end`");
        // The good line still counts: 45 min down → (43200 − 45) / 43200 = 99.896%, under 99.9%.
        output.ShouldContain("99.896%");
    }

    [Fact]
    public void Report_MissingPolicyDirectory_ExitOneWithReason()
    {
        var (exit, output) = SampleReport.Run("--policies", Path.Join(_dir, "nowhere"));

        exit.ShouldBe(1);
        output.ShouldContain("does not exist");
    }

    [Fact]
    public void DefaultAsOf_MonthOver_EndOfMonth_InProgress_Now()
    {
        var november = new ReportingMonth(2026, 11);
        var later = new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var during = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

        ReportCommand.DefaultAsOf(november, later).ShouldBe(november.End);
        ReportCommand.DefaultAsOf(november, during).ShouldBe(during);
    }
}
