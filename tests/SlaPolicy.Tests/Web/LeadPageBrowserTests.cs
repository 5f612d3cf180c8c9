using Microsoft.Playwright;

namespace SlaPolicy.Tests.Web;

/// <summary>
/// The page as a support lead uses it, in Debian's headless Chromium against the real host and store, at a desktop
/// (1400 px), a small laptop or tablet (800 px) and a phone (390 px): what a person would check by looking.
/// </summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class LeadPageBrowserTests
{
    // A business-hours case (acme gold, severity 4: resolution within 16h of eu-office hours, Mon-Fri 08:00-17:00 Berlin)
    // opened Thursday 15:00, waiting on the customer Friday 09:00-11:00, evaluated early Sunday: counted Thursday 15-17,
    // Friday 08-09 and 11-17 (540 of 960 min); closed Thursday night and from Friday 17:00 over the weekend.
    private const string BusinessCase =
        """{"id":"C-BIZ-1","customer":"acme","tier":"gold","region":"eu-west","service":"email","severity":4,"openedAt":"2026-11-19T15:00:00+01:00","firstResponseAt":null,"resolvedAt":null,"tags":[],"events":[{"at":"2026-11-20T09:00:00+01:00","status":"waiting_on_customer"},{"at":"2026-11-20T11:00:00+01:00","status":"in_progress"}]}""";

    private static readonly int[] Widths = [1400, 800, 390];

    private static async Task<RunningHost> SamplesAsync(TempFolder folder)
    {
        var host = await RunningHost.StartAsync(folder);
        foreach (var kind in new[] { "cases", "outages", "subscriptions", "measurements" })
        {
            var body = await File.ReadAllTextAsync(Path.Join(PolicyTestFiles.RepoRoot, "samples", $"{kind}.jsonl"));
            if (kind == "cases")
            {
                body = body.TrimEnd() + "\n" + BusinessCase + "\n";
            }

            (await host.Client.SendAsync(host.Post($"/api/{kind}", body))).EnsureSuccessStatusCode();
        }

        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();
        return host;
    }

    [Fact]
    public async Task Page_AtEachWidth_ShowsLocalTimesInTimeOrderWithNothingCutOffOrOverlapping()
    {
        using var folder = new TempFolder();
        await using var host = await SamplesAsync(folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var shots = Environment.GetEnvironmentVariable("SLAPOLICY_SCREENSHOT_DIR") is { Length: > 0 } dir ? dir : folder.Path;
        Directory.CreateDirectory(shots);

        foreach (var width in Widths)
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 1000 } });
            await page.GotoAsync(host.Address + "/");
            await page.Locator("#breached tbody tr.case").First.WaitForAsync();
            await page.Locator("#at-stake-terms tbody tr").First.WaitForAsync();
            await NothingCutOffAsync(page, width, "main view");
            await File.WriteAllBytesAsync(Path.Join(shots, $"page-{width}.png"), await page.ScreenshotAsync(new() { FullPage = true }));

            // The money at stake for acme: sev 4 at 23 of 29 (79.31%) is under 90%: 5% of acme's EUR 6,000 of fees, EUR 300.00.
            var stake = await page.Locator("#at-stake-terms").InnerTextAsync();
            stake.ShouldContain("acme's sev 4 attainment is under 90% (79.31%): EUR 300.00 owed; 31 more sev 4 targets met with no breach bring it back");
            stake.ShouldContain("EUR 600.00 owed");

            // C-1001, 24x7 in Europe/Berlin: due 12:30 local (11:30 UTC on hover), the story in time order.
            await page.GotoAsync(host.Address + "/#case=C-1001");
            var resolution = page.Locator("#explanation .decision", new() { HasText = "sev1-resolution" });
            await resolution.WaitForAsync();
            // A shared link shows the case, not the top of the page.
            await Assertions.Expect(page.Locator("#find h2")).ToBeInViewportAsync();
            await File.WriteAllBytesAsync(Path.Join(shots, $"link-C-1001-{width}.png"), await page.ScreenshotAsync());
            var due = resolution.Locator("time", new() { HasText = "2026-11-21 12:30 +01:00" }).First;
            (await due.GetAttributeAsync("title")).ShouldBe("2026-11-21 11:30 UTC");
            var steps = await resolution.Locator("ol.steps li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)");
            steps.ShouldBe(["status", "policy", "target", "clock", "counted", "pause", "counted", "escalation", "escalation", "escalation", "stop", "rule"]);
            var instants = await resolution.Locator("ol.steps li .when time").EvaluateAllAsync<string[]>("items => items.map(t => t.getAttribute('datetime'))");
            instants.ShouldBe(instants.Order(StringComparer.Ordinal).ToArray(), "the steps come in time order");
            (await page.Locator("#case-now").InnerTextAsync()).ShouldContain("escalated to level 3 by the 100% step of the ladder (duty-manager) and by rule vip-sev2-straight-to-l3");
            (await page.Locator("#timeline rect.period.pause").CountAsync()).ShouldBe(1);
            (await page.Locator("#timeline path.mark.escalation").CountAsync()).ShouldBe(4); // 50/75/100% of the resolution, 50% of the response
            (await page.Locator("#timeline line.mark.asof").CountAsync()).ShouldBe(1);
            await LabelsDoNotOverlapAsync(page, width);
            await NothingCutOffAsync(page, width, "C-1001");
            await File.WriteAllBytesAsync(Path.Join(shots, $"case-C-1001-{width}.png"), await page.Locator("#find").ScreenshotAsync());

            // The business-hours case: the clock drawn counting only in opening hours, the night and the weekend as closed.
            await page.GotoAsync(host.Address + "/#case=C-BIZ-1");
            var business = page.Locator("#explanation .decision", new() { HasText = "sev4-resolution" });
            await business.WaitForAsync();
            (await page.Locator("#timeline rect.period.counted").CountAsync()).ShouldBe(3);
            (await page.Locator("#timeline rect.period.pause").CountAsync()).ShouldBe(1);
            var closed = await page.Locator("#timeline rect.period.closed title").AllTextContentsAsync();
            closed.ShouldBe([
                "not counted from 2026-11-19 17:00 to 2026-11-20 08:00 +01:00: outside the opening hours of calendar eu-office (Europe/Berlin)",
                "not counted from 2026-11-20 17:00 to 2026-11-22 03:00 +01:00: outside the opening hours of calendar eu-office (Europe/Berlin)",
            ]);
            (await page.Locator("#timeline text.axis-label").AllTextContentsAsync()).ShouldContain("Sat 21 Nov");
            await LabelsDoNotOverlapAsync(page, width);
            await NothingCutOffAsync(page, width, "C-BIZ-1");
            await File.WriteAllBytesAsync(Path.Join(shots, $"case-C-BIZ-1-{width}.png"), await page.Locator("#find").ScreenshotAsync());
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Page_Keyboard_FiltersAndRefresh_WorkAsALeadExpects()
    {
        using var folder = new TempFolder();
        await using var host = await SamplesAsync(folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 800, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.Clock.InstallAsync();
        await page.GotoAsync(host.Address + "/");
        var rows = page.Locator("#breached tbody tr.case");
        await rows.First.WaitForAsync();

        // One row per case, however many of its targets are breached, at risk or due.
        var ids = await page.Locator("#breached tbody tr.case, #at-risk tbody tr.case, #due-next tbody tr.case").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.case)");
        ids.Distinct().Count().ShouldBe(ids.Length);

        // A filter: only globex's cases remain, in every lane.
        await page.SelectOptionAsync("#filter-customer", "globex");
        var customers = await page.Locator("#board tbody tr.case td:nth-child(2)").AllInnerTextsAsync();
        customers.ShouldNotBeEmpty();
        customers.ShouldAllBe(c => c == "globex");
        await page.SelectOptionAsync("#filter-customer", string.Empty);

        // The keyboard: Tab reaches the first case's link, Enter opens it.
        var first = await rows.First.GetAttributeAsync("data-case");
        await page.Locator("#breached tbody tr.case a").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#case-summary strong")).ToHaveTextAsync(first!);

        // An opened credit explanation and the opened case stay as they are across the 30-second refresh.
        var credit = page.Locator("#credits tbody tr.credit.availability", new() { HasText = "eu-west" });
        await credit.WaitForAsync();
        await credit.Locator("button.open-row").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var detail = page.Locator("#credits tbody tr.credit-explanation:not([hidden])");
        (await detail.InnerTextAsync()).ShouldContain("= EUR 120.00");
        var refreshed = page.WaitForResponseAsync(r => r.Url.Contains("/api/credits", StringComparison.Ordinal));
        await page.Clock.RunForAsync(31_000);
        await refreshed;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await page.Locator("#credits tbody tr.credit-explanation:not([hidden])").CountAsync()).ShouldBe(1);
        (await page.Locator("#case-summary strong").InnerTextAsync()).ShouldBe(first);
    }

    [Fact]
    public async Task Page_ReadsProtected_AsksForTheTokenThenShowsTheCases()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartProtectedWithARunAsync(folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Address + "/");

        var signIn = page.Locator("#signin");
        await signIn.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        (await signIn.InnerTextAsync()).ShouldContain("reads are protected");
        await page.FillAsync("#signin-token", "wrong");
        await page.ClickAsync("#signin-form button");
        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("that token was refused: check Api:Token");

        await page.FillAsync("#signin-token", RunningHost.Token);
        await page.ClickAsync("#signin-form button");
        await signIn.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await Assertions.Expect(page.Locator("#board tbody tr.case[data-case='C-1']")).ToHaveCountAsync(1);
    }

    /// <summary>No horizontal overflow of the page, and no section, timeline or explanation wider than the room it has.</summary>
    private static async Task NothingCutOffAsync(IPage page, int width, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        overflow.ShouldBeLessThanOrEqualTo(0, $"{what} at {width} px scrolls sideways");
        var cut = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('section:not([hidden]), #timeline, #explanation, #case-summary, .decision')]
              .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
              .map(e => `${e.id || e.className}: ${e.scrollWidth} > ${e.clientWidth}`)
            """);
        cut.ShouldBeEmpty($"{what} at {width} px");
    }

    /// <summary>No two texts of the timeline overlap (their bounding boxes do not intersect).</summary>
    private static async Task LabelsDoNotOverlapAsync(IPage page, int width)
    {
        var overlaps = await page.EvaluateAsync<string[]>(
            """
            () => {
              const boxes = [...document.querySelectorAll('#timeline text')].map(t => ({ text: t.textContent, r: t.getBoundingClientRect() }));
              const hits = [];
              for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i].r, b = boxes[j].r;
                if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push(`${boxes[i].text} / ${boxes[j].text}`);
              }
              return hits;
            }
            """);
        overlaps.ShouldBeEmpty($"timeline labels at {width} px");
        var outside = await page.EvaluateAsync<string[]>(
            """
            () => {
              const frame = document.querySelector('#timeline').getBoundingClientRect();
              return [...document.querySelectorAll('#timeline text')].map(t => ({ text: t.textContent, r: t.getBoundingClientRect() }))
                .filter(b => b.r.left < frame.left - 0.5 || b.r.right > frame.right + 0.5).map(b => b.text);
            }
            """);
        outside.ShouldBeEmpty($"timeline labels cut off at {width} px");
        (await page.Locator("#timeline text").CountAsync()).ShouldBeGreaterThan(2);
    }
}
