namespace SlaPolicy.Tests.Reports;

/// <summary>
/// The HTML report of the real samples (policies/ and samples/), made by <c>slapolicy report</c> and rendered in
/// Debian's headless Chromium. Set <c>SLAPOLICY_SCREENSHOT_DIR</c> to also save the page as <c>report.png</c> there
/// (docs/images holds the committed one).
/// </summary>
public class SampleReportBrowserTests
{
    [Fact]
    public async Task Render_SamplesNovember_ShowsChartsEveryCustomerAndCredits()
    {
        await using var report = await ReportInChromium.WriteAndOpenAsync(file =>
        {
            var (exit, output) = SampleReport.RunExecutable("--html", file);
            exit.ShouldBe(0, output);
            return Task.CompletedTask;
        });
        var page = report.Page;

        var text = await report.HeadingShouldNameMonthAsync("2026-11");
        text.ShouldContain("99.688%"); // acme email eu-west, see SampleReport
        text.ShouldContain("EUR 120.00");

        foreach (var id in new[] { "availability-chart", "attainment-chart", "credits-chart-eur", "credits-chart-inr", "breaches-chart" })
        {
            await report.ChartShouldBeDrawnAsync(id);
        }

        // Only acme-gold has an availability term (email): one bar each for acme's email in eu-west and us-east.
        (await page.Locator("svg#availability-chart .bar-group text.label").AllTextContentsAsync()).ShouldBe(["email", "email"]);
        (await page.Locator("svg#availability-chart .bar-group text.value").AllTextContentsAsync()).ShouldContain("99.688%");

        // Every customer with a subscription has a row in the targets table, whatever its agreement says about attainment.
        var customers = await page.Locator("table#compliance tbody tr td:first-child").AllTextContentsAsync();
        customers.Distinct().ShouldBe(SampleReport.Customers());

        (await page.Locator("svg#breaches-chart .bar-group").CountAsync()).ShouldBe(6); // November 2026 overlaps six Monday weeks
        report.ShouldHaveRequestedOnlyFiles();

        if (Environment.GetEnvironmentVariable("SLAPOLICY_SCREENSHOT_DIR") is { Length: > 0 } target)
        {
            Directory.CreateDirectory(target);
            await page.SetViewportSizeAsync(1100, 1400);
            await File.WriteAllBytesAsync(Path.Combine(target, "report.png"), await page.ScreenshotAsync(new() { FullPage = false }));
        }
    }
}
