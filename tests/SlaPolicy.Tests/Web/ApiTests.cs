namespace SlaPolicy.Tests.Web;

[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class ApiTests
{
    [Fact]
    public async Task PostCases_WithoutToken_Is401AndStoresNothing()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var response = await host.Client.SendAsync(host.Post("/api/cases", Cases.Json("C-1", "2026-11-20T16:30:00+01:00"), withToken: false));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        host.Store.CountCases().ShouldBe(0);
    }

    [Fact]
    public async Task PostRuns_WithWrongToken_Is401()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var request = host.Post("/api/runs", string.Empty, withToken: false);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-token");

        var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        host.Store.GetRuns().ShouldBeEmpty();
    }

    [Fact]
    public async Task PostCases_SomeBadLines_GoodCommittedBadQuarantinedAndListed()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var body = string.Join('\n',
            Cases.Json("C-1", "2026-11-20T16:30:00+01:00"),
            Cases.Json("C-2", "2026-11-20T16:30:00"),
            "{not json",
            Cases.Json("C-3", "2026-11-20T16:30:00Z"));

        var response = await host.Client.SendAsync(host.Post("/api/cases", body));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("accepted").GetInt64().ShouldBe(2);
        var rejected = json.RootElement.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("line").GetInt64(), r.GetProperty("field").GetString())).ToList();
        rejected.ShouldBe([(2L, "openedAt"), (3L, null)]);
        host.Store.CountCases().ShouldBe(2);
        host.Store.GetQuarantine().Select(q => q.Record.LineNumber).Order().ShouldBe([2L, 3L]);
    }

    [Fact]
    public async Task PostCases_AllLinesBad_Is422()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var response = await host.Client.SendAsync(host.Post("/api/cases", "[]\n42"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        host.Store.GetQuarantine().Count.ShouldBe(2);
    }

    [Fact]
    public async Task PostCases_BodyOverTheLimit_Is413AndStoresNothing()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, new Dictionary<string, string?> { ["Api:MaxBodyBytes"] = "100" });

        var body = Cases.Json("C-1", "2026-11-20T16:30:00+01:00") + "\n" + Cases.Json("C-2", "2026-11-20T16:30:00+01:00");
        var response = await host.Client.SendAsync(host.Post("/api/cases", body));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        host.Store.CountCases().ShouldBe(0);
    }

    [Fact]
    public async Task PostOutagesSubscriptionsMeasurements_AreAccepted()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var outages = await host.Client.SendAsync(host.Post("/api/outages",
            """{"service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T02:45:00Z","kind":"unplanned"}"""));
        var subscriptions = await host.Client.SendAsync(host.Post("/api/subscriptions",
            """{"customer":"acme","tier":"gold","region":"eu-west","service":"email","monthlyFee":1200.00,"currency":"EUR"}"""));
        var measurements = await host.Client.SendAsync(host.Post("/api/measurements",
            """{"service":"email","region":"eu-west","at":"2026-11-03T02:00:00Z","metric":"latencyMs","value":41.5}"""));
        var badOutage = await host.Client.SendAsync(host.Post("/api/outages",
            """{"service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T01:00:00Z","kind":"unplanned"}"""));

        outages.StatusCode.ShouldBe(HttpStatusCode.OK);
        subscriptions.StatusCode.ShouldBe(HttpStatusCode.OK);
        measurements.StatusCode.ShouldBe(HttpStatusCode.OK);
        badOutage.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        host.Store.GetQuarantine().ShouldHaveSingleItem().Record.Field.ShouldBe("end");
    }

    [Fact]
    public async Task GetDecisions_FilterByStatus_ReturnsTheBreachedCasesOnly()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var body = string.Join('\n', Cases.Json("C-old", "2026-11-20T08:00:00Z"), Cases.Json("C-new", "2026-11-20T18:00:00Z", customer: "globex", firstResponseAt: "2026-11-20T18:05:00Z"));
        (await host.Client.SendAsync(host.Post("/api/cases", body))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        // Both are severity 1 under gold's 15 min first response and 4 h resolution. As of 19:00Z, C-old has run
        // 11 h with no response (both breached); C-new answered after 5 min (met) and has run 1 h of 4 (25%, running).
        var breached = await host.Client.GetStringAsync("/api/decisions?status=breached");
        var globex = await host.Client.GetStringAsync("/api/decisions?customer=globex");
        var bad = await host.Client.GetAsync("/api/decisions?status=late");

        breached.ShouldContain("C-old");
        breached.ShouldNotContain("C-new");
        globex.ShouldContain("C-new");
        globex.ShouldNotContain("C-old");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task GetWhy_UnknownCase_Is404()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        (await host.Client.GetAsync("/api/cases/C-none/why")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ProtectReads_GetWithoutToken_Is401()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, new Dictionary<string, string?> { ["Api:ProtectReads"] = "true" });

        (await host.Client.GetAsync("/api/runs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.Client.GetAsync("/api/credits?month=2026-11")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetCredits_SamplesRunOnThe22nd_AcmeEmailEuWestOwes120Euros()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        foreach (var kind in new[] { "cases", "outages", "subscriptions", "measurements" })
        {
            var body = await File.ReadAllTextAsync(Path.Join(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "samples", $"{kind}.jsonl"));
            (await host.Client.SendAsync(host.Post($"/api/{kind}", body))).EnsureSuccessStatusCode();
        }

        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        var acme = await host.Client.GetStringAsync("/api/credits?month=2026-11&customer=acme");
        var october = await host.Client.GetStringAsync("/api/credits?month=2026-10");
        var bad = await host.Client.GetAsync("/api/credits?month=November");

        // Month to date, acme's email in eu-west was down 135 of 30,360 minutes (99.555%), under 99.9%: 10% of EUR 1200.
        using var json = JsonDocument.Parse(acme);
        var rows = json.RootElement.EnumerateArray().Select(r => r.GetProperty("credit")).ToList();
        rows.ShouldAllBe(r => r.GetProperty("customer").GetString() == "acme" && r.GetProperty("period").GetString() == "2026-11");
        var euWest = rows.Single(r => r.GetProperty("kind").GetString() == "availability" && r.GetProperty("region").GetString() == "eu-west");
        euWest.GetProperty("service").GetString().ShouldBe("email");
        euWest.GetProperty("amount").GetDecimal().ShouldBe(120.00m);
        euWest.GetProperty("currency").GetString().ShouldBe("EUR");
        euWest.GetProperty("target").GetString().ShouldBe("availability at least 99.9%");
        euWest.GetProperty("explanation").EnumerateArray().Last().GetProperty("text").GetString().ShouldBe("10% of EUR 1200.00 (the subscription's monthly fee) = EUR 120.00");
        october.ShouldBe("[]");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
