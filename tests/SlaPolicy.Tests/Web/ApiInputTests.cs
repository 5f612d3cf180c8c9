namespace SlaPolicy.Tests.Web;

/// <summary>What the ingestion endpoints say about hostile input, and case ids of every shape reachable by the API.</summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class ApiInputTests
{
    private const string Opened = "2026-11-20T16:30:00+01:00";

    [Fact]
    public async Task PostCases_HundredParallelPostsOfTheSameBadLine_EachOneQuarantined()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var body = Cases.Json("C-1", "2026-11-20T16:30:00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => host.Client.SendAsync(host.Post("/api/cases", body))));

        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            json.RootElement.GetProperty("rejectedCount").GetInt64().ShouldBe(1);
        }

        // Each post is its own delivery: the source names it uniquely, so no rejection is folded into another's.
        var quarantine = host.Store.GetQuarantine(1000);
        quarantine.Count.ShouldBe(100);
        quarantine.Select(q => q.Record.Source).Distinct().Count().ShouldBe(100);
        responses.Length.ShouldBe(100);
    }

    [Fact]
    public async Task PostCases_LoneSurrogate_LineQuarantinedTheOthersStored()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var body = string.Join('\n', Cases.Json("C-1", Opened), Cases.Json("C-\\ud800", Opened), Cases.Json("C-3", Opened, customer: "\\udc00"), Cases.Json("C-4", Opened));

        var response = await host.Client.SendAsync(host.Post("/api/cases", body));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("accepted").GetInt64().ShouldBe(2);
        json.RootElement.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("line").GetInt64(), r.GetProperty("field").GetString()))
            .ShouldBe([(2L, "id"), (3L, "customer")]);
        host.Store.ReadCases().Select(c => c.Id).ShouldBe(["C-1", "C-4"]);
    }

    [Fact]
    public async Task PostCases_NearMissPropertyAndStatus_WarningsAndUnknownStatusesInTheAnswer()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var typo = Cases.Json("C-1", Opened).Replace("\"firstResponseAt\":null", "\"firstresponseAt\":\"2026-11-20T16:41:00+01:00\"", StringComparison.Ordinal);
        var status = Cases.Json("C-2", Opened).Replace("\"events\":[]", "\"events\":[{\"at\":\"2026-11-20T17:00:00+01:00\",\"status\":\"Waiting_On_Customer\"}]", StringComparison.Ordinal);

        var response = await host.Client.SendAsync(host.Post("/api/cases", typo + "\n" + status));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("accepted").GetInt64().ShouldBe(2);
        json.RootElement.GetProperty("warningCount").GetInt64().ShouldBe(2);
        var warnings = json.RootElement.GetProperty("warnings").EnumerateArray()
            .Select(w => (w.GetProperty("line").GetInt64(), w.GetProperty("field").GetString(), w.GetProperty("message").GetString())).ToList();
        warnings[0].ShouldBe((1L, "firstresponseAt", "unknown property `firstresponseAt` ignored (did you mean `firstResponseAt`?)"));
        warnings[1].Item1.ShouldBe(2L);
        warnings[1].Item2.ShouldBe("events[0].status");
        warnings[1].Item3!.ShouldContain("did you mean `waiting_on_customer`?");
        json.RootElement.GetProperty("unknownStatuses").GetProperty("Waiting_On_Customer").GetInt64().ShouldBe(1);
    }

    public static TheoryData<string> Ids => new()
    {
        "INC/2026/0001",
        "a%2Fb",
        "a/b",
        ".",
        "..",
        "x/../y",
        "./z",
        "C 1?#&=+",
        "ü/ß%",
        "trailing/",
        "why",
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task GetWhy_AnyCaseId_EscapedInThePath_ReturnsThatCase(string id)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);
        var others = new[] { "a", "b", "y", "z", "x", "a%2Fb", "a/b" }.Where(o => o != id);
        var body = string.Join('\n', others.Append(id).Select(i => Cases.Json(JsonEncodedText.Encode(i).ToString(), Opened)));
        (await host.Client.SendAsync(host.Post("/api/cases", body))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // In the path, escaped as one segment; `.` and `..` cannot be a segment (URL rules make them steps even as
        // `%2E%2E`), so for them only the query form is asked, which takes every id.
        List<string> paths = [$"/api/why?case={Uri.EscapeDataString(id)}"];
        if (id is not ("." or ".."))
        {
            paths.Add($"/api/cases/{Uri.EscapeDataString(id)}/why");
        }

        foreach (var path in paths)
        {
            var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));

            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            json.RootElement.GetProperty("case").GetProperty("id").GetString().ShouldBe(id, path);
        }
    }

    [Fact]
    public async Task GetWhy_UnknownIdWithASlash_Is404NamingIt()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder);

        var response = await host.Client.GetAsync(new Uri("/api/cases/INC%2F9/why", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("case `INC/9` is not in the store");
    }
}
