using Microsoft.Playwright;

namespace SlaPolicy.Tests.Web;

/// <summary>The support leads' page in Debian's headless Chromium, against the real host.</summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class PageBrowserTests
{
    [Fact]
    public async Task Page_CaseIdsWithSlashesDotsAndPercents_EachOpensItsOwnCase()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        string[] ids = ["INC/2026/0001", "a%2Fb", "a/b", "..", ".", "x/../y", "C 1?#&=+"];
        var body = string.Join('\n', ids.Select(id => Cases.Json(System.Text.Json.JsonEncodedText.Encode(id).ToString(), "2026-11-20T16:30:00+01:00")));
        (await host.Client.SendAsync(host.Post("/api/cases", body))).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address + "/");
        foreach (var id in ids)
        {
            await page.FillAsync("#case-id", id);
            await page.ClickAsync("#find-form button");
            var summary = page.Locator("#case-summary strong");
            await Assertions.Expect(summary).ToHaveTextAsync(id);
            (await page.Locator("#case-error").IsHiddenAsync()).ShouldBeTrue(id);
        }

        // The address names the case shown, and opening it again from the address shows the same case.
        await page.GotoAsync(host.Address + "/#case=" + Uri.EscapeDataString("INC/2026/0001"));
        await Assertions.Expect(page.Locator("#case-summary strong")).ToHaveTextAsync("INC/2026/0001");
    }

    [Fact]
    public async Task Page_FindSampleCase_ShowsItsExplanationTimelineAndLists()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        await IngestSamplesAndRunAsync(host);

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
        text.ShouldContain("while the status was waiting_on_customer");
        text.ShouldContain("escalate to level 3 (duty-manager)");
        text.ShouldContain(Path.Join("policies", "tiers", "gold.json") + ":11:5");
        text.ShouldContain("level 3 first reached");

        // The timeline draws the engine's steps: one pause, the first-response stop (16:41+01:00), the level 2 and
        // level 3 crossings of the resolution target (and the two 50% notify steps), and asOf.
        (await page.Locator("#timeline rect.period.pause").CountAsync()).ShouldBe(1);
        (await page.Locator("#timeline rect.mark.stop").CountAsync()).ShouldBe(1);
        (await page.Locator("#timeline path.mark.escalation:not(.notify)").CountAsync()).ShouldBe(2);
        (await page.Locator("#timeline path.mark.escalation.notify").CountAsync()).ShouldBe(2);
        (await page.Locator("#timeline line.mark.asof").CountAsync()).ShouldBe(1);

        // The breached list shows its first 10 cases, the rest on request; C-1001 is among them once.
        await page.Locator("#breached tbody tr.link").First.WaitForAsync();
        await page.ClickAsync("#breached tr.more button");
        (await page.Locator("#breached tbody tr.case[data-case='C-1001']").CountAsync()).ShouldBe(1);
        (await page.Locator("#runs tbody").InnerTextAsync()).ShouldContain("succeeded");
        (await page.Locator("#policy-status").InnerTextAsync()).ShouldContain("acme-gold@2026.2");
        (await page.Locator("#policy-problems").IsHiddenAsync()).ShouldBeTrue();

        // Opening a case put it in the address, so the link can be shared.
        new Uri(page.Url).Fragment.ShouldBe("#case=C-1001");
    }

    [Fact]
    public async Task Page_NextReplyCaseOnAPhone_ShowsEachWaitOnTheTimelineWithoutOverflow()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        await IngestSamplesAndRunAsync(host);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 1000 } });
        await page.GotoAsync(host.Address + "/#case=C-7211");
        var explanation = page.Locator("#explanation");
        await explanation.Locator(".decision").First.WaitForAsync();

        // C-7211's next-reply target (umbrella-platinum line 27): two waits, 10:00-11:15 (75 min) and 13:00-14:30 (90 min,
        // the worst); each wait step is told with the target's start condition (line 28, column 16).
        var text = await explanation.InnerTextAsync();
        text.ShouldContain("a customer message waited from 2026-11-16 10:00 +01:00 to 2026-11-16 11:15 +01:00 (a reply)");
        text.ShouldContain("(wait 2, the worst, which this decision reports)");
        text.ShouldContain(Path.Join("policies", "customers", "umbrella-platinum-2026.1.json") + ":28:16");

        // The timeline marks the start of each wait like the start of an update gap; the page does not scroll sideways.
        await page.Locator("#timeline").WaitForAsync();
        (await page.Locator("#timeline rect.mark.wait").CountAsync()).ShouldBe(2);
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth")).ShouldBeLessThanOrEqualTo(0);
    }

    [Fact]
    public async Task Page_SamplesRun_ListsTheServiceCreditAndOpensACaseFromTheAddress()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        foreach (var kind in new[] { "cases", "outages", "subscriptions", "measurements" })
        {
            var body = await File.ReadAllTextAsync(Path.Join(PolicyTestFiles.RepoRoot, "samples", $"{kind}.jsonl"));
            (await host.Client.SendAsync(host.Post($"/api/{kind}", body))).EnsureSuccessStatusCode();
        }

        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address + "/#C-1001");

        // The address alone opens C-1001 (breached, level 3), and the page writes it back in its own form.
        var explanation = page.Locator("#explanation");
        await explanation.Locator(".decision").First.WaitForAsync();
        (await explanation.InnerTextAsync()).ShouldContain("escalate to level 3 (duty-manager)");
        (await page.Locator("#case-id").InputValueAsync()).ShouldBe("C-1001");
        await page.WaitForURLAsync("**/#case=C-1001");

        // The credits list opens on the month of the latest run, November 2026, with the credits owed: acme's email in
        // eu-west at 99.555% month to date, under 99.9%, owes 10% of EUR 1200.
        var credit = page.Locator("#credits tbody tr.credit.availability", new() { HasText = "eu-west" });
        await credit.WaitForAsync();
        (await page.Locator("#credit-month").InputValueAsync()).ShouldBe("2026-11");
        var cells = await credit.Locator("td").AllInnerTextsAsync();
        cells.ShouldBe(["2026-11", "acme", "availability availability", "email", "eu-west", "99.555%", "availability at least 99.9%", "below 99.9: 10%", "EUR 120.00"]);

        // A click shows the engine's explanation of the credit.
        var detail = page.Locator("#credits tbody tr.credit-explanation").Nth(await RowIndex(page, credit));
        (await detail.IsHiddenAsync()).ShouldBeTrue();
        await credit.ClickAsync();
        (await detail.InnerTextAsync()).ShouldContain("10% of EUR 1200.00 (the subscription's monthly fee) = EUR 120.00");

        // Navigating to another case's address opens that one.
        await page.EvaluateAsync("() => { location.hash = 'case=C-1002'; }");
        await page.Locator("#case-summary", new() { HasText = "C-1002" }).WaitForAsync();
    }

    /// <summary>The position of a credit row among the credit rows: its explanation row has the same position among theirs.</summary>
    /// <summary>Posts samples/cases.jsonl and runs the night as of 2026-11-22T02:00:00Z, as the README's run does.</summary>
    private static async Task IngestSamplesAndRunAsync(RunningHost host)
    {
        var cases = await File.ReadAllTextAsync(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl"));
        (await host.Client.SendAsync(host.Post("/api/cases", cases))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();
    }

    private static async Task<int> RowIndex(IPage page, ILocator row) =>
        await row.EvaluateAsync<int>("(r) => [...r.parentElement.querySelectorAll('tr.credit')].indexOf(r)");

    [Fact]
    public async Task Page_HostilePolicyEditDropped_ShowsTheRefusalAndTheLastGoodVersionsDecide()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        await using var host = await RunningHost.StartReloadingAsync(folder, policies);

        // The custom rule of gold.json opens a comment that a later text would close.
        SamplePolicyCopy.Replace(policies, Path.Join("tiers", "gold.json"),
            "\"Expression\": \"ticket.Severity <= 2 && ticket.Tags.Contains(\\\"vip\\\")\"", "\"Expression\": \"true\\n/*\"");
        (await RunningHost.WaitUntil(
            () => host.Client.GetStringAsync("/api/policies").GetAwaiter().GetResult().Contains("\"lastLoadFailed\":true", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30))).ShouldBeTrue("the edit was never reported");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address + "/");

        var problems = page.Locator("#policy-problems");
        await problems.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        (await page.Locator("#policy-diagnostics").InnerTextAsync()).ShouldContain("gold.json:41:");
        (await page.Locator("#policy-diagnostics").InnerTextAsync()).ShouldContain("error SLA4006: comments are not allowed inside an expression");
        (await page.Locator("#policy-status").InnerTextAsync()).ShouldContain("acme-gold@2026.2");
    }
}
