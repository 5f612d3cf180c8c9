namespace SlaPolicy.Tests.Web;

/// <summary>The support leads' API answers on the samples as of 02:00 UTC on 22 November 2026, from the real host and store.</summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class LeadViewsApiTests
{
    private static async Task<RunningHost> SamplesAsync(TempFolder folder)
    {
        var host = await RunningHost.StartAsync(folder);
        foreach (var kind in new[] { "cases", "outages", "subscriptions", "measurements" })
        {
            var body = await File.ReadAllTextAsync(Path.Join(PolicyTestFiles.RepoRoot, "samples", $"{kind}.jsonl"));
            (await host.Client.SendAsync(host.Post($"/api/{kind}", body))).EnsureSuccessStatusCode();
        }

        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-22T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();
        return host;
    }

    private static async Task<JsonElement> GetAsync(RunningHost host, string path) =>
        JsonDocument.Parse(await host.Client.GetStringAsync(path)).RootElement;

    [Fact]
    public async Task Instants_OfAStoredCase_AreToldInItsOwnZone()
    {
        using var folder = new TempFolder();
        await using var host = await SamplesAsync(folder);

        // The store keeps 11:30 UTC; C-1001's policy (acme-gold) uses calendar eu-office, Europe/Berlin: 12:30+01:00.
        var why = await GetAsync(host, "/api/cases/C-1001/why");
        why.GetProperty("zone").GetString().ShouldBe("Europe/Berlin");
        var resolution = why.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("decision")).Single(d => d.GetProperty("target").GetString() == "sev1-resolution");
        resolution.GetProperty("dueAt").GetString().ShouldBe("2026-11-21T12:30:00+01:00");
        resolution.GetProperty("explanation").EnumerateArray().Where(s => s.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String)
            .ShouldAllBe(s => s.GetProperty("at").GetString()!.EndsWith("+01:00", StringComparison.Ordinal));

        var listed = await GetAsync(host, "/api/decisions?status=breached&customer=acme&service=email&latest=true&limit=500");
        listed.EnumerateArray().Select(v => v.GetProperty("decision")).Single(d => d.GetProperty("caseId").GetString() == "C-1001")
            .GetProperty("dueAt").GetString().ShouldBe("2026-11-21T12:30:00+01:00");
    }

    [Fact]
    public async Task Board_Samples_OneRowPerCaseByUrgencyWithWhoHasIt()
    {
        using var folder = new TempFolder();
        await using var host = await SamplesAsync(folder);

        var board = await GetAsync(host, "/api/board");

        board.GetProperty("evaluationDate").GetString().ShouldBe("2026-11-22");
        var all = new[] { "breached", "atRisk", "dueNext" }.SelectMany(lane => board.GetProperty(lane).EnumerateArray()).ToList();
        all.Select(c => c.GetProperty("caseId").GetString()).ShouldBeUnique();
        var c1001 = board.GetProperty("breached").EnumerateArray().Single(c => c.GetProperty("caseId").GetString() == "C-1001");
        c1001.GetProperty("dueAt").GetString().ShouldBe("2026-11-21T12:30:00+01:00");
        c1001.GetProperty("escalatedTo").GetString().ShouldBe("duty-manager");
        c1001.GetProperty("escalationLevel").GetInt32().ShouldBe(3);
        c1001.GetProperty("severity").GetInt32().ShouldBe(1);
        c1001.GetProperty("targets").GetArrayLength().ShouldBe(1); // its response was met: only breached and open targets are listed
        // As of 03:00+01:00 on the 22nd, 14 h 30 min after it was due.
        c1001.GetProperty("now").GetString().ShouldBe("sev1-resolution overdue by 14 h 30 min");

        // Nothing open reaches 75% that night; C-1188 (globex sev 3, 4800 of 7200 min, 66.7%) is past the 50% notify step.
        var atRisk = board.GetProperty("atRisk").EnumerateArray().Single(c => c.GetProperty("caseId").GetString() == "C-1188");
        atRisk.GetProperty("escalatedTo").GetString().ShouldBe("team-lead");
        atRisk.GetProperty("now").GetString()!.ShouldContain("next: escalate to level 2 (l2-oncall) at 75%");

        var severityOne = await GetAsync(host, "/api/board?severity=1&customer=acme");
        new[] { "breached", "atRisk", "dueNext" }.SelectMany(lane => severityOne.GetProperty(lane).EnumerateArray())
            .ShouldAllBe(c => c.GetProperty("severity").GetInt32() == 1 && c.GetProperty("customer").GetString() == "acme");
        (await host.Client.GetAsync("/api/board?severity=high")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // A policy by id takes in its versions; a prefix of an id is not another policy's id.
        var acmeGold = await GetAsync(host, "/api/board?policy=acme-gold");
        acmeGold.GetProperty("breached").EnumerateArray().ShouldAllBe(c => c.GetProperty("policy").GetString()!.StartsWith("acme-gold@", StringComparison.Ordinal));
        acmeGold.GetProperty("breached").GetArrayLength().ShouldBeGreaterThan(0);
        (await GetAsync(host, "/api/board?policy=acme")).GetProperty("breached").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task AtStake_Samples_AcmeAttainmentAndItsOpenCases()
    {
        using var folder = new TempFolder();
        await using var host = await SamplesAsync(folder);

        var stake = await GetAsync(host, "/api/at-stake?customer=acme");

        stake.GetProperty("month").GetString().ShouldBe("2026-11");
        // sev 4: 23 of 29 met = 79.31% < 90%: 5% of acme's EUR 6000 fee base, EUR 300.00 owed; back at 90% after j more
        // met with (23 + j) / (29 + j) ≥ 0.9, j ≥ 31. sev 1: 24 of 27 < 100%: EUR 600.00, and no way back this month.
        var terms = stake.GetProperty("terms").EnumerateArray().ToDictionary(t => t.GetProperty("severity").GetString()!);
        terms["sev 4"].GetProperty("metToRecover").GetInt32().ShouldBe(31);
        terms["sev 4"].GetProperty("creditAmount").GetDecimal().ShouldBe(300.00m);
        terms["sev 4"].GetProperty("currency").GetString().ShouldBe("EUR");
        terms["sev 1"].GetProperty("metToRecover").ValueKind.ShouldBe(JsonValueKind.Null);
        terms["sev 1"].GetProperty("creditAmount").GetDecimal().ShouldBe(600.00m);

        var cases = stake.GetProperty("cases").EnumerateArray().ToList();
        cases.ShouldNotBeEmpty();
        cases.ShouldAllBe(c => c.GetProperty("customer").GetString() == "acme" && c.GetProperty("costIfBreached").GetDecimal() == 0m);
        cases.Where(c => c.GetProperty("severity").GetInt32() == 4)
            .ShouldAllBe(c => c.GetProperty("note").GetString() == "EUR 300.00 is owed already (sev 4 attainment under 90%)");
        (await host.Client.GetAsync("/api/at-stake?month=11-2026")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
