using System.Net.Http.Headers;

namespace SlaPolicy.Tests.Web;

/// <summary>
/// The query parameters of the read endpoints: a bad value is a 400 with a JSON problem naming the parameter and what
/// is accepted; lists page with a total and a next link; <c>/health</c> tells nothing but "up" to a caller without the
/// token while reads are protected.
/// </summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class ApiQueryTests
{
    private static HttpRequestMessage Get(string path, bool withToken = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (withToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.Token);
        }

        return request;
    }

    [Fact]
    public async Task Health_ProtectReadsWithoutTheToken_SaysOnlyThatTheHostIsUp()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartProtectedWithARunAsync(folder);

        var open = await host.Client.SendAsync(Get("/health"));
        var withToken = await host.Client.SendAsync(Get("/health", withToken: true));

        open.StatusCode.ShouldBe(HttpStatusCode.OK);
        var openBody = JsonDocument.Parse(await open.Content.ReadAsStringAsync()).RootElement;
        openBody.EnumerateObject().Select(p => p.Name).ShouldBe(["status"]);
        openBody.GetProperty("status").GetString().ShouldBe("ok");
        var full = JsonDocument.Parse(await withToken.Content.ReadAsStringAsync()).RootElement;
        full.GetProperty("cases").GetInt64().ShouldBe(1);
        full.GetProperty("lastRun").GetProperty("id").GetInt64().ShouldBe(1);
    }

    [Theory]
    [InlineData("/api/decisions?limit=abc", "limit")]
    [InlineData("/api/decisions?limit=0", "limit")]
    [InlineData("/api/decisions?offset=-1", "offset")]
    [InlineData("/api/decisions?latest=maybe", "latest")]
    [InlineData("/api/decisions?status=late", "status")]
    [InlineData("/api/decisions?from=yesterday", "from")]
    [InlineData("/api/decisions?to=2026-11-22T02:00:00", "to")]
    [InlineData("/api/credits?limit=1e3", "limit")]
    [InlineData("/api/credits?owed=2", "owed")]
    [InlineData("/api/credits?month=2026-13", "month")]
    [InlineData("/api/runs?limit=abc", "limit")]
    [InlineData("/api/runs?offset=x", "offset")]
    [InlineData("/api/quarantine?limit=99999999999", "limit")]
    public async Task Get_BadQueryParameter_Is400WithAProblemNamingItAndWhatIsAccepted(string path, string parameter)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var response = await host.Client.SendAsync(Get(path));

        await ShouldBeAProblemNaming(response, parameter);
    }

    [Fact]
    public async Task PostRuns_DateOnlyAsOf_Is400LikeTheCommandLine()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var response = await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22", string.Empty));

        await ShouldBeAProblemNaming(response, "asOf");
        host.Store.GetRuns().ShouldBeEmpty();
    }

    [Fact]
    public async Task Decisions_MoreThanOnePage_TotalAndNextLinksWalkEveryRowOnce()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var body = string.Join('\n', Enumerable.Range(1, 3).Select(i => Cases.Json($"C-{i}", "2026-11-20T16:30:00+01:00")));
        (await host.Client.SendAsync(host.Post("/api/cases", body))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        // Three sev1 cases, two targets each: six decisions, in pages of four.
        var seen = new List<string>();
        var pages = 0;
        string? next = "/api/decisions?limit=4&customer=acme";
        while (next is not null)
        {
            var response = await host.Client.SendAsync(Get(next));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.GetValues("X-Total-Count").ShouldHaveSingleItem().ShouldBe("6");
            var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
            seen.AddRange(rows.Select(r => $"{r.GetProperty("decision").GetProperty("caseId").GetString()}/{r.GetProperty("decision").GetProperty("target").GetString()}"));
            next = response.Headers.TryGetValues("Link", out var links) ? NextLink(links.ShouldHaveSingleItem()) : null;
            pages++;
        }

        pages.ShouldBe(2);
        seen.Count.ShouldBe(6);
        seen.Distinct().Count().ShouldBe(6);
    }

    [Fact]
    public async Task Runs_LimitedList_SaysTheTotalAndLinksTheNextPage()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        for (var i = 0; i < 3; i++)
        {
            (await host.Client.SendAsync(host.Post("/api/runs", string.Empty))).EnsureSuccessStatusCode();
        }

        var first = await host.Client.SendAsync(Get("/api/runs?limit=2"));
        var second = await host.Client.SendAsync(Get(NextLink(first.Headers.GetValues("Link").Single())));

        first.Headers.GetValues("X-Total-Count").Single().ShouldBe("3");
        JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ShouldBe([3L, 2L]);
        JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ShouldBe([1L]);
        second.Headers.Contains("Link").ShouldBeFalse();
    }

    /// <summary>The target of a <c>Link: &lt;...&gt;; rel="next"</c> header.</summary>
    private static string NextLink(string header)
    {
        header.ShouldEndWith("; rel=\"next\"");
        return header[1..header.IndexOf('>', StringComparison.Ordinal)];
    }

    private static async Task ShouldBeAProblemNaming(HttpResponseMessage response, string parameter)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(400);
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).ShouldBe([parameter]);
        var message = errors.GetProperty(parameter).EnumerateArray().ShouldHaveSingleItem().GetString();
        message.ShouldNotBeNullOrWhiteSpace();
        message.ShouldContain("`" + parameter + "`");
    }
}
