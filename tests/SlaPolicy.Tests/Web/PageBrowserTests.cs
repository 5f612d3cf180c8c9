using Microsoft.Playwright;
using SlaPolicy.Tests.Policies;
using SlaPolicy.Tests.Support;

namespace SlaPolicy.Tests.Web;

/// <summary>The support leads' page in Debian's headless Chromium, against the real host.</summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class PageBrowserTests
{
    [Fact]
    public async Task Page_FindSampleCase_ShowsItsExplanationTimelineAndLists()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var cases = await File.ReadAllTextAsync(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl"));
        (await host.Client.SendAsync(host.Post("/api/cases", cases))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address + "/");

        await page.FillAsync("#case-id", "C-1001");
        await page.ClickAsync("#find-form button");
        var explanation = page.Locator("#explanation");
        await explanation.Locator(".decision").First.WaitForAsync();

        // C-1001 (acme gold, severity 1) as of 02:00Z on the 22nd: the 4 h resolution target has counted 1110 minutes
        // after a 960-minute pause while waiting on the customer: breached, and the ladder's 100% step (level 3) was
        // crossed; the target is defined in tiers/gold.json line 11, column 5.
        var text = await explanation.InnerTextAsync();
        text.ShouldContain("breached");
        text.ShouldContain("paused while `waiting_on_customer`");
        text.ShouldContain("escalate to level 3 (`duty-manager`)");
        text.ShouldContain(Path.Join("policies", "tiers", "gold.json") + ":11:5");
        text.ShouldContain("level 3 first reached");

        // The timeline draws the engine's steps: one pause, the first-response stop (16:41+01:00), the level 2 and
        // level 3 crossings of the resolution target, and asOf.
        (await page.Locator("#timeline rect.pause").CountAsync()).ShouldBe(1);
        (await page.Locator("#timeline text.mark.stop").CountAsync()).ShouldBe(1);
        (await page.Locator("#timeline text.mark.escalation").CountAsync()).ShouldBe(2);
        (await page.Locator("#timeline text.mark.asof").CountAsync()).ShouldBe(1);

        await page.Locator("#breached tbody tr.link").First.WaitForAsync();
        (await page.Locator("#breached tbody").InnerTextAsync()).ShouldContain("C-1001");
        (await page.Locator("#runs tbody").InnerTextAsync()).ShouldContain("succeeded");
        (await page.Locator("#policy-status").InnerTextAsync()).ShouldContain("acme-gold@2026.2");
        (await page.Locator("#policy-problems").IsHiddenAsync()).ShouldBeTrue();
    }
}
