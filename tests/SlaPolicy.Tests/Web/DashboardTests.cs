using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace SlaPolicy.Tests.Web;

/// <summary>Hangfire's dashboard at /hangfire on the real host: who may read it, who may act on it, and forged posts.</summary>
[Collection(Scheduling.HostCollection.Name)]
public partial class DashboardTests
{
    [Fact]
    public async Task Get_FromThisMachineWithoutToken_ReadOnlyDashboardWithTheNightlyJob()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var home = await host.Client.GetAsync("/hangfire");
        var recurring = await host.Client.GetStringAsync("/hangfire/recurring");

        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await home.Content.ReadAsStringAsync()).ShouldContain("SlaPolicy scheduler");
        recurring.ShouldContain("nightly-run");

        // Read-only: the buttons that act are not offered.
        recurring.ShouldNotContain("js-jobs-list-command");
    }

    [Fact]
    public async Task Get_ReadsProtected_RefusedWithoutTheToken()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, new Dictionary<string, string?> { ["Api:ProtectReads"] = "true" });

        var refused = await host.Client.GetAsync("/hangfire");
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.Token);
        var allowed = await host.Client.SendAsync(withToken);

        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(false, true)] // read-only without the token, whatever else the post carries
    [InlineData(true, false)] // forged: what another site's page could send, without the dashboard's antiforgery token
    public async Task Post_TriggerWithoutTokenOrForged_RefusedAndNothingRuns(bool signedIn, bool withAntiforgery)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        using var client = Browser(host, out _);
        if (signedIn)
        {
            await SignIn(client);
        }

        var page = await client.GetStringAsync("/hangfire/recurring");
        using var post = Trigger(withAntiforgery ? Antiforgery(page) : null);
        var response = await client.SendAsync(post);

        response.IsSuccessStatusCode.ShouldBeFalse();
        response.StatusCode.ShouldBe(signedIn ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized);
        await Task.Delay(1500);
        host.Store.GetRuns().ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_TriggerWithTokenAndAntiforgery_TheNightRuns()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        using var client = Browser(host, out _);
        await SignIn(client);
        var page = await client.GetStringAsync("/hangfire/recurring");
        page.ShouldContain("js-jobs-list-command");

        using var post = Trigger(Antiforgery(page));
        var response = await client.SendAsync(post);

        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        (await RunningHost.WaitUntil(() => host.Store.GetRuns().Any(r => r.State == RunState.Succeeded), TimeSpan.FromSeconds(60))).ShouldBeTrue();
    }

    [Fact]
    public async Task PostSession_WithoutToken_Refused()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var response = await host.Client.PostAsync("/api/dashboard-session", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    private static HttpClient Browser(RunningHost host, out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(host.Address) };
    }

    private static async Task SignIn(HttpClient client)
    {
        using var session = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard-session");
        session.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.Token);
        var response = await client.SendAsync(session);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The dashboard's "trigger now" of the nightly job, as its page posts it.</summary>
    private static HttpRequestMessage Trigger((string Header, string Token)? antiforgery)
    {
        var post = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "nightly-run")]),
        };
        if (antiforgery is { } a)
        {
            post.Headers.Add(a.Header, a.Token);
        }

        return post;
    }

    private static (string Header, string Token)? Antiforgery(string page)
    {
        var header = AntiforgeryHeader().Match(page);
        var token = AntiforgeryToken().Match(page);
        return header.Success && token.Success ? (header.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[1].Value)) : null;
    }

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\">")]
    private static partial Regex AntiforgeryHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex AntiforgeryToken();
}
