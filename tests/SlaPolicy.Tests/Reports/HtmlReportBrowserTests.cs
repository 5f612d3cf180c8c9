namespace SlaPolicy.Tests.Reports;

/// <summary>
/// Renders the HTML report of hand-made data in Debian's headless Chromium and checks what a reader sees.
/// <see cref="SampleReportBrowserTests"/> does the same on the real samples and saves the picture in docs/images.
/// </summary>
public class HtmlReportBrowserTests
{
    [Fact]
    public async Task Render_SampleMonth_ShowsChartsAndCredits()
    {
        await using var report = await ReportInChromium.WriteAndOpenAsync(file => File.WriteAllTextAsync(file, HtmlReportRenderer.Render(SampleReportData.Report())));
        var page = report.Page;

        var text = await report.HeadingShouldNameMonthAsync("2026-11");
        text.ShouldContain("EUR 120.00"); // acme email: 10% of EUR 1200
        text.ShouldContain("USD 300.00"); // globex: USD 375.00 capped at 12% of USD 2500

        foreach (var (id, title) in new[]
                 {
                     ("availability-chart", "Availability per service against its objective"),
                     ("attainment-chart", "Attainment per severity (share of targets met)"),
                     ("credits-chart-eur", "Credits per customer in EUR"),
                     ("credits-chart-usd", "Credits per customer in USD"),
                     ("breaches-chart", "Breaches per week (weeks start Monday, UTC)"),
                 })
        {
            (await page.Locator($"svg#{id} text.chart-title").TextContentAsync()).ShouldBe(title);
            await report.ChartShouldBeDrawnAsync(id);
        }

        // One bar per service (email, crm, network), each with a visible height and an objective line.
        var bars = page.Locator("svg#availability-chart .bar-group rect.bar");
        (await bars.CountAsync()).ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            (await bars.Nth(i).BoundingBoxAsync())!.Height.ShouldBeGreaterThan(0);
        }

        (await page.Locator("svg#availability-chart .bar-group text.label").AllTextContentsAsync()).ShouldBe(["email", "crm", "network"]);
        (await page.Locator("svg#availability-chart .bar-group line.objective").CountAsync()).ShouldBe(3);
        (await page.Locator("svg#availability-chart .bar-group text.value").AllTextContentsAsync()).ShouldContain("99.884%");

        // November 2026 overlaps six Monday weeks; the credits charts have a row per customer, one chart per currency
        // (acme is billed in EUR, globex in USD: amounts that never share an axis).
        (await page.Locator("svg#breaches-chart .bar-group").CountAsync()).ShouldBe(6);
        (await page.Locator("svg#credits-chart-eur .bar-group text.label").AllTextContentsAsync()).ShouldBe(["acme"]);
        (await page.Locator("svg#credits-chart-usd .bar-group text.label").AllTextContentsAsync()).ShouldBe(["globex"]);

        // Self-contained: the page itself is the only request.
        report.ShouldHaveRequestedOnlyFiles();

        var png = await page.ScreenshotAsync(new() { FullPage = true });
        png.Length.ShouldBeGreaterThan(10_000);
    }
}
