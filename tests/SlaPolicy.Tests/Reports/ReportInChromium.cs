using Microsoft.Playwright;

namespace SlaPolicy.Tests.Reports;

/// <summary>
/// An HTML report, written to a temporary folder and opened in Debian's headless Chromium at 1100 by 900, with every URL the page requested, and the
/// checks both report browser tests make of what a reader sees.
/// </summary>
internal sealed class ReportInChromium : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ReportInChromium(DirectoryInfo directory, IPlaywright playwright, IBrowser browser, IPage page)
    {
        _directory = directory;
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Every URL the page requested, the page itself first.</summary>
    public List<string> Requested { get; } = [];

    /// <summary>Lets <paramref name="write"/> write the report to the file it is given, in a temporary folder, and opens that file.</summary>
    public static async Task<ReportInChromium> WriteAndOpenAsync(Func<string, Task> write)
    {
        var directory = Directory.CreateTempSubdirectory("slapolicy-html-");
        var file = Path.Combine(directory.FullName, "report.html");
        await write(file);

        var playwright = await Playwright.CreateAsync();
        var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        var opened = new ReportInChromium(directory, playwright, browser, page);
        page.Request += (_, r) => opened.Requested.Add(r.Url);
        await page.GotoAsync(new Uri(file).AbsoluteUri);
        return opened;
    }

    /// <summary>Checks that the heading names the month's report; returns the text of the whole page.</summary>
    public async Task<string> HeadingShouldNameMonthAsync(string month)
    {
        (await Page.Locator("h1").InnerTextAsync()).ShouldContain($"Service level report {month}");
        return await Page.Locator("body").InnerTextAsync();
    }

    /// <summary>Checks that the chart <c>svg#<paramref name="id"/></c> is drawn at a readable size.</summary>
    public async Task ChartShouldBeDrawnAsync(string id)
    {
        var box = await Page.Locator($"svg#{id}").BoundingBoxAsync();
        box.ShouldNotBeNull();
        box.Width.ShouldBeGreaterThan(300);
        box.Height.ShouldBeGreaterThan(100);
    }

    /// <summary>Checks that the page is self-contained: it requested nothing but files.</summary>
    public void ShouldHaveRequestedOnlyFiles() => Requested.ShouldAllBe(u => u.StartsWith("file://", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _directory.Delete(recursive: true);
    }
}
