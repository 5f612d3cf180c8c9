using Microsoft.Playwright;
using SlaPolicy.Tests.Support;

namespace SlaPolicy.Tests.Web;

/// <summary>The support leads' page in Debian's headless Chromium, against the real host.</summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class PageBrowserTests
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [Fact]
    public async Task Page_FindCase_ShowsItsExplanationTimelineAndLists()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var body = string.Join('\n', Cases.Json("C-1001", "2026-11-20T08:00:00Z"), Cases.Json("C-1002", "2026-11-20T15:30:00Z"));
        (await host.Client.SendAsync(host.Post("/api/cases", body))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address + "/");

        await page.FillAsync("#case-id", "C-1001");
        await page.ClickAsync("#find-form button");
        var explanation = page.Locator("#explanation");
        await explanation.Locator(".decision").First.WaitForAsync();

        // As of 19:00Z, C-1001 (opened 08:00Z) has run 660 minutes of 240: breached; the fixed evaluator says why.
        (await explanation.InnerTextAsync()).ShouldContain("24x7: 660 minutes from opening to asOf");
        (await explanation.InnerTextAsync()).ShouldContain("breached");
        (await explanation.InnerTextAsync()).ShouldContain("policies/fixed.json:7");
        (await page.Locator("#timeline text.mark.asof").CountAsync()).ShouldBe(1);
        (await page.Locator("#timeline text.mark.escalation").CountAsync()).ShouldBe(1);

        // C-1002 (opened 15:30Z) has used 210 of 240 minutes: 87.5%, at risk; C-1001 is in the breached list.
        await page.Locator("#at-risk tbody tr.link").First.WaitForAsync();
        (await page.Locator("#breached tbody").InnerTextAsync()).ShouldContain("C-1001");
        (await page.Locator("#at-risk tbody").InnerTextAsync()).ShouldContain("C-1002");
        (await page.Locator("#runs tbody").InnerTextAsync()).ShouldContain("succeeded");
        (await page.Locator("#policy-status").InnerTextAsync()).ShouldContain("fixed@1");
    }
}
