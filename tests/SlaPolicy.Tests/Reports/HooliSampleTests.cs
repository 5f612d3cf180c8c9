namespace SlaPolicy.Tests.Reports;

/// <summary>
/// November 2026 of samples/hooli/ under its own policies (samples/hooli/policies): Hooli's object storage (a cloud storage
/// SLA with one objective per storage class, downtime from the error rate of 5-minute intervals with a minimum request
/// volume and a minimum downtime period, and infrequent access judged on the share of successful requests), Hooli's
/// virtual machines (an instance-level compute SLA over the minutes each instance was deployed), its IP transit over three
/// zones (down only while two zones are down at once) and its collaboration suite (a SaaS SLA weighting downtime by the
/// share of users affected). Hand calculation, November = 30 days = 43,200 minutes, all in USD:
/// - object-storage, `standard`: 4 Nov 09:00-09:45 nine intervals at 20% of 1,000 requests (a 45-minute spell); 12 Nov
///   14:00 one interval at 50% (a 5-minute spell, under the minimum downtime of 10 minutes: left out); 20 Nov 03:00 at 90%
///   of 50 requests (under 100 requests: not down); 25 Nov 16:00-16:10 two intervals at 8% of 200 (a 10-minute spell,
///   kept); the sample of 2 Nov at 0.1% is not down. 45 + 10 = 55 minutes: (43200 − 55) / 43200 = 99.872685…% → below
///   99.9% → 10% of USD 2,000.00 = USD 200.00;
/// - object-storage-ia, `infrequent-access`: requests 10,000 + 30,000 + 2,000 = 42,000, failed 200 + 0 + 600 = 800:
///   41,200 / 42,000 = 98.095238…% → below 99% → 10% of USD 500.00 = USD 50.00 (hooli-storage total USD 250.00);
/// - compute vm-1: its 180 minutes (8 Nov 01:00-04:00) and the region's 45 (18 Nov 12:00-12:45, no resource) = 225:
///   99.479166…% → below 99.5% → 10% of USD 300.00 = USD 30.00; vm-2: 30 + 45 = 75 (its 6 hours of maintenance are
///   excluded): 99.826388…%, met (neither names dates: deployed throughout the month); vm-3, deployed from 11 Nov 00:00,
///   is measured over 20 days = 28,800 minutes: of its outage 10 Nov 22:00 to 11 Nov 00:24 only the 24 minutes deployed
///   count, then 25 Nov 08:00-09:36 (96) and the region's 45: 165 minutes, (28800 − 165) / 28800 = 99.427083…% → 10% of
///   USD 300.00 billed pro-rated for 20 of 30 days, USD 200.00 = USD 20.00 (hooli-compute total USD 50.00);
/// - ip-transit: two zones down at once on 3 Nov 02:15-02:45 (1a and 1b: 30 minutes) and 21 Nov 10:10-10:20 (1a and 1c:
///   10 minutes); 1c alone on 14 Nov does not count. 40 minutes: 99.907407…% → below 99.99%, not below 99.9% → 10% of
///   USD 5,000.00 = USD 500.00. Counting every zone's outage it would be 120 + 120 + 40 = 280 minutes, 99.35%;
/// - workspace: 5 Nov 08:00-14:00 at 25% of users, with 11:00-11:30 at 60% inside it: 180 × 25% + 30 × 60% + 150 × 25% =
///   45 + 18 + 37.5 = 100.5; 19 Nov 14:00-14:20 gives no share, 20 in full; 26 Nov 03:00-04:00 at 10%, 6. 126.5 weighted
///   minutes of 440 down: (43200 − 126.5) / 43200 = 99.707175…% → below 99.9%, not below 99% → 10% of USD 1,500.00 =
///   USD 150.00 (unweighted, 98.981% would be 25%, USD 375.00).
/// </summary>
public class HooliSampleTests
{
    private static ServiceLevelReport Report() => SampleFolderReport.November("hooli");

    [Fact]
    public void November_AvailabilityAndCredits_ToTheCent()
    {
        var report = Report();

        report.Warnings.ShouldBeEmpty();
        var availability = report.Availability.ToDictionary(a => a.Subject);
        availability.Keys.Order(StringComparer.Ordinal).ShouldBe(
            ["compute · vm-1", "compute · vm-2", "compute · vm-3", "ip-transit", "object-storage · standard", "object-storage-ia · infrequent-access", "workspace"]);

        var standard = availability["object-storage · standard"];
        (standard.Downtime, standard.DownIntervals, Math.Round(standard.AvailabilityPercent, 6), standard.CreditAmount).ShouldBe((TimeSpan.FromMinutes(55), 12, 99.872685m, 200.00m));
        standard.Credit.Explanation.Select(s => s.Kind).ShouldBe(["objective", "downtime", "minimum downtime", "tier", "fee"]);
        standard.Credit.Explanation[2].Text.ShouldBe("only spells of at least 10 minutes count: 1 shorter spell(s), 5 minutes, left out");
        standard.Credit.Explanation[1].Location!.Value.File.ShouldEndWith("hooli-storage-2026.json");
        // `"downtime": ` of the standard objective is on line 15 of the file, its brace at column 19.
        (standard.Credit.Explanation[1].Location!.Value.Line, standard.Credit.Explanation[1].Location!.Value.Column).ShouldBe((15, 19));

        var ia = availability["object-storage-ia · infrequent-access"];
        (ia.Requests, ia.FailedRequests, Math.Round(ia.AvailabilityPercent, 6), ia.CreditAmount).ShouldBe((42000m, 800m, 98.095238m, 50.00m));

        (availability["compute · vm-1"].Downtime, availability["compute · vm-1"].CreditAmount).ShouldBe((TimeSpan.FromMinutes(225), 30.00m));
        (availability["compute · vm-2"].Downtime, availability["compute · vm-2"].Met).ShouldBe((TimeSpan.FromMinutes(75), true));
        var vm3 = availability["compute · vm-3"];
        (vm3.MeasuredWindow, vm3.Downtime, Math.Round(vm3.AvailabilityPercent, 6), vm3.Credit.Fee.Amount, vm3.CreditAmount)
            .ShouldBe((TimeSpan.FromMinutes(28800), TimeSpan.FromMinutes(165), 99.427083m, 200.00m, 20.00m));
        var deployed = vm3.Credit.Explanation.Single(s => s.Kind == "window");
        deployed.Text.ShouldBe("measured over the minutes deployed, from 2026-11-11 00:00 UTC: 28800 of 43200 minutes");
        // `"denominator": ` of hooli-compute is on line 12 of the file, its value at column 20.
        ShouldBeAt(deployed, "hooli-compute-2026.json", 12, 20);

        var workspace = availability["workspace"];
        (workspace.Downtime, workspace.WeightedDowntime, Math.Round(workspace.AvailabilityPercent, 6), workspace.CreditPercent, workspace.CreditAmount)
            .ShouldBe((TimeSpan.FromMinutes(440), TimeSpan.FromMinutes(126.5), 99.707176m, 10m, 150.00m));
        var weight = workspace.Credit.Explanation.Single(s => s.Kind == "weight");
        weight.Text.ShouldEndWith(": 440 minutes down count 126.5");
        // `"downtime": { "weight": ` of hooli-workspace is on line 11, its value at column 29.
        ShouldBeAt(weight, "hooli-workspace-2026.json", 11, 29);

        var transit = availability["ip-transit"];
        (transit.Downtime, Math.Round(transit.AvailabilityPercent, 6), transit.CreditPercent, transit.CreditAmount).ShouldBe((TimeSpan.FromMinutes(40), 99.907407m, 10m, 500.00m));
        transit.Outages.ShouldBe([
            new TimeInterval(DateTimeOffset.Parse("2026-11-03T02:15:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-11-03T02:45:00Z", CultureInfo.InvariantCulture)),
            new TimeInterval(DateTimeOffset.Parse("2026-11-21T10:10:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-11-21T10:20:00Z", CultureInfo.InvariantCulture)),
        ]);

        report.CreditTotals.Select(t => (t.PolicyId, t.Payable)).ShouldBe(
            [("hooli-compute", 50.00m), ("hooli-storage", 250.00m), ("hooli-transit", 500.00m), ("hooli-workspace", 150.00m)]);
    }

    [Fact]
    public void November_JsonLines_NameTheObjectiveAndTheResource()
    {
        using var stream = new MemoryStream();
        ServiceLevelJson.WriteLines(stream, Report());
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() == "availability").ToList();

        var vm1 = lines.Single(l => l.TryGetProperty("resource", out var r) && r.GetString() == "vm-1");
        vm1.GetProperty("creditAmount").GetDecimal().ShouldBe(30.00m);
        var ia = lines.Single(l => l.TryGetProperty("objectiveId", out var id) && id.GetString() == "infrequent-access");
        (ia.GetProperty("requests").GetDecimal(), ia.GetProperty("failedRequests").GetDecimal()).ShouldBe((42000m, 800m));
        lines.Single(l => l.GetProperty("service").GetString() == "ip-transit").TryGetProperty("objectiveId", out _).ShouldBeFalse();
        var workspace = lines.Single(l => l.GetProperty("service").GetString() == "workspace");
        (workspace.GetProperty("downtimeMinutes").GetDecimal(), workspace.GetProperty("weightedDowntimeMinutes").GetDecimal()).ShouldBe((440m, 126.5m));
        workspace.GetProperty("outages")[0].GetProperty("affected").GetDecimal().ShouldBe(25m);
        var vm3 = lines.Single(l => l.TryGetProperty("resource", out var r) && r.GetString() == "vm-3");
        (vm3.GetProperty("measuredMinutes").GetDecimal(), vm3.TryGetProperty("weightedDowntimeMinutes", out _)).ShouldBe((28800m, false));
    }

    [Fact]
    public void November_TerminalReport_ShowsEachObjectiveAndResource()
    {
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;

        TerminalReportRenderer.Render(Report(), console);

        var text = writer.ToString();
        text.ShouldContain("object-storage · standard");
        text.ShouldContain("compute · vm-1");
        text.ShouldContain("440 min (126.5 weighted)");
        // The HTML escapes the middle dot (U+00B7) as a character reference.
        HtmlReportRenderer.Render(Report()).ShouldContain("<td>object-storage-ia &#183; infrequent-access</td>");
    }

    /// <summary>The step carries the term's <c>file:line:col</c> in the sample policy <paramref name="file"/>.</summary>
    private static void ShouldBeAt(ExplanationStep step, string file, int line, int column)
    {
        var location = step.Location.ShouldNotBeNull();
        location.File.ShouldEndWith(file);
        (location.Line, location.Column).ShouldBe((line, column));
    }
}
