using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using SlaPolicy.Tests.Scheduling;

namespace SlaPolicy.Tests.Web;

/// <summary>
/// The API's security as a client meets it: every write route needs the token, every read route too when
/// <c>Api:ProtectReads</c> is on (routes enumerated from the running host, so a new one cannot be forgotten), hostile
/// text is stored and queried literally on both stores, and a policy file cannot make the server run code.
/// </summary>
[Collection(HostCollection.Name)]
public partial class SecurityTests
{
    /// <summary>The page's own files, open whatever <c>Api:ProtectReads</c> says (they hold no data).</summary>
    private static readonly string[] PageFiles = ["/", "/index.html", "/app.js", "/app.css"];

    private static List<(string Method, string Path)> Routes(RunningHost host) =>
        [.. ((IEndpointRouteBuilder)host.App).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, Concrete(endpoint.RoutePattern.RawText!))))
            .Distinct()
            .OrderBy(r => r.Item2, StringComparer.Ordinal)];

    // Route parameters filled with a value that exists in the test's store: run 1 for a number ({id:long}), case C-1 otherwise.
    private static string Concrete(string pattern) =>
        RouteParameter().Replace(pattern.StartsWith('/') ? pattern : "/" + pattern, m => m.Value.Contains(":long", StringComparison.Ordinal) ? "1" : "C-1");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    private static HttpRequestMessage Request(string method, string path, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(Cases.Json("C-1", "2026-11-20T16:30:00+01:00"));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [Fact]
    public async Task EveryPostRoute_WithoutTokenOrWithAWrongOne_Is401AndWritesNothing()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var posts = Routes(host).Where(r => r.Method == "POST").Select(r => r.Path).ToList();

        // The routes known today must be among those found; any route added later is tested too.
        posts.ShouldContain("/api/cases");
        posts.ShouldContain("/api/outages");
        posts.ShouldContain("/api/subscriptions");
        posts.ShouldContain("/api/measurements");
        posts.ShouldContain("/api/runs");

        foreach (var path in posts)
        {
            foreach (var token in new[] { null, "not-the-token", RunningHost.Token + "x", string.Empty })
            {
                var response = await host.Client.SendAsync(Request("POST", path, token));
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"POST {path} with token `{token}`");
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().ShouldNotBeNullOrEmpty();
            }
        }

        host.Store.CountCases().ShouldBe(0);
        host.Store.GetRuns().ShouldBeEmpty();
        host.Store.GetQuarantine().ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryGetRoute_ProtectReads_Is401WithoutTheTokenAndAnsweredWithIt()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartProtectedWithARunAsync(folder);

        // Notification 1, for `/api/notifications/{id}` to answer (the host has no webhook, so its run made none).
        var at = DateTimeOffset.UtcNow;
        host.Store.AddNotifications([new NewNotification("C-1/sev1-response/escalate-l3/duty-manager", "C-1", "sev1-response", "escalate-l3", "escalate", 3, "duty-manager", 1, at, at, NotificationState.NoWebhook, "{}")])
            .ShouldHaveSingleItem().Id.ShouldBe(1);
        var gets = Routes(host).Where(r => r.Method == "GET").Select(r => r.Path).ToList();
        // `/api/why` takes the case in its query (`?case=`): asked without one, it would answer 400 rather than the case.
        var data = gets.Except(PageFiles).Where(p => p != "/health").Select(p => p == "/api/why" ? "/api/why?case=C-1" : p).ToList();

        data.ShouldContain("/api/decisions");
        data.ShouldContain("/api/cases/C-1/why");
        data.ShouldContain("/api/quarantine");
        foreach (var path in data)
        {
            (await host.Client.SendAsync(Request("GET", path, null))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"GET {path} without token");
            (await host.Client.SendAsync(Request("GET", path, "not-the-token"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"GET {path} with a wrong token");
            (await host.Client.SendAsync(Request("GET", path, RunningHost.Token))).StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path} with the token");
        }

        // /health and the page stay open: the page asks for the token itself.
        foreach (var path in gets.Intersect(PageFiles.Append("/health")))
        {
            (await host.Client.SendAsync(Request("GET", path, null))).StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}");
        }
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public async Task InjectionLookingText_ThroughPostAndQueryParameters_IsStoredAndMatchedLiterally(StoreKind store)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, store: store);
        const string dropId = "'; DROP TABLE cases; --";
        const string orCustomer = "C-1' OR '1'='1";
        var body = string.Join('\n',
            Cases.Json(dropId, "2026-11-20T16:30:00+01:00"),
            Cases.Json("C-2", "2026-11-20T16:30:00+01:00", customer: orCustomer),
            Cases.Json("C-3", "2026-11-20T16:30:00+01:00", customer: "globex"));

        (await host.Client.SendAsync(host.Post("/api/cases", body))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T17:00:00%2B01:00", string.Empty))).EnsureSuccessStatusCode();

        // Stored as written, and the cases table is still there with all three.
        host.CountRows("cases").ShouldBe(3);
        host.Store.GetCase(dropId)!.Id.ShouldBe(dropId);
        host.Store.GetCase("C-2")!.Customer.ShouldBe(orCustomer);
        var why = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/cases/{Uri.EscapeDataString(dropId)}/why")).RootElement;
        why.GetProperty("case").GetProperty("id").GetString().ShouldBe(dropId);

        // A query parameter is a value, never SQL: `' OR '1'='1` matches only the customer of that exact name.
        async Task<List<string?>> CasesOf(string query) =>
            [.. JsonDocument.Parse(await host.Client.GetStringAsync($"/api/decisions?{query}")).RootElement.EnumerateArray()
                .Select(d => d.GetProperty("decision").GetProperty("caseId").GetString()).Distinct()];

        (await CasesOf($"customer={Uri.EscapeDataString(orCustomer)}")).ShouldBe(["C-2"]);
        (await CasesOf($"customer={Uri.EscapeDataString("acme' OR '1'='1")}")).ShouldBeEmpty();
        (await CasesOf($"service={Uri.EscapeDataString("email'; DROP TABLE decisions; --")}")).ShouldBeEmpty();
        (await host.Client.GetAsync($"/api/decisions?status={Uri.EscapeDataString("met' OR '1'='1")}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.Client.GetAsync($"/api/cases/{Uri.EscapeDataString("C-1' OR '1'='1")}/why")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await CasesOf("customer=acme")).Order(StringComparer.Ordinal).ShouldBe([dropId]);
        host.CountRows("decisions").ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("System.IO.File.Create(\\\"MARKER\\\") != null")]
    [InlineData("System.IO.File.Exists(\\\"x\\\") || System.IO.File.AppendText(\\\"MARKER\\\") != null")]
    [InlineData("System.Diagnostics.Process.Start(\\\"touch\\\", \\\"MARKER\\\") != null")]
    [InlineData("Type.GetType(\\\"System.IO.File\\\")!.GetMethod(\\\"Create\\\", new[] { typeof(string) })!.Invoke(null, new object[] { \\\"MARKER\\\" }) != null")]
    [InlineData("Activator.CreateInstance(ticket.GetType()) != null")]
    [InlineData("ticket.Tags.Select(t => { Environment.Exit(3); return t; }).Any()")]
    [InlineData("AppDomain.CurrentDomain.GetAssemblies().Length > 0 && Environment.ExitCode == 0")]
    [InlineData("true\\n/*")]
    [InlineData("new HashSet<Func<int,bool>>() is var fs && fs.Add(n => n > 0 && new[] { n - 1 }.Any(fs.First())) && new[] { 1000000 }.Any(fs.First())")]
    [InlineData("System.Linq.Enumerable.Range(0, int.MaxValue).SelectMany(i => System.Linq.Enumerable.Range(0, int.MaxValue)).LongCount() > 0")]
    [InlineData("new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0).ToStringAndClear() != \\\"\\\"")]
    public async Task Serve_PolicyFileWithCodeInARule_IsRefusedByTheSandboxAndTheLastGoodPoliciesStayInForce(string expression)
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);

        var marker = folder.File("marker");
        await using var host = await RunningHost.StartReloadingAsync(folder, policies);
        (await host.Client.SendAsync(host.Post("/api/cases", Cases.Json("C-1", "2026-11-20T15:30:00Z")))).EnsureSuccessStatusCode();
        async Task<JsonElement> Status() => JsonDocument.Parse(await host.Client.GetStringAsync("/api/policies")).RootElement;
        (await Status()).GetProperty("lastLoadFailed").GetBoolean().ShouldBeFalse();

        // The rule of gold.json (line 41) gets the hostile expression.
        var gold = Path.Join(policies, "tiers", "gold.json");
        const string good = "\"Expression\": \"ticket.Severity <= 2 && ticket.Tags.Contains(\\\"vip\\\")\"";
        var text = File.ReadAllText(gold);
        text.ShouldContain(good);
        File.WriteAllText(gold, text.Replace(good, $"\"Expression\": \"{expression.Replace("MARKER", marker)}\""));

        (await RunningHost.WaitUntil(() => Status().GetAwaiter().GetResult().GetProperty("lastLoadFailed").GetBoolean(), TimeSpan.FromSeconds(30)))
            .ShouldBeTrue("the edit was never reported");
        var status = await Status();
        var diagnostics = status.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!).ToList();
        diagnostics.ShouldContain(
            d => Regex.IsMatch(d, @"gold\.json:41:\d+: error SLA400[2346]: "),
            $"expected a sandbox diagnostic at gold.json:41, got: {string.Join(" | ", diagnostics)}");
        status.GetProperty("ready").GetBoolean().ShouldBeTrue();

        // The last good policies still decide, the host is alive, and nothing ran.
        var run = await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty));
        run.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString().ShouldBe("succeeded");
        var why = JsonDocument.Parse(await host.Client.GetStringAsync("/api/cases/C-1/why")).RootElement;
        why.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decision").GetProperty("target").GetString()).ShouldContain("sev1-resolution");
        (await host.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        File.Exists(marker).ShouldBeFalse();
    }
}
