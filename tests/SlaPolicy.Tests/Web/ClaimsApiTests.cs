using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Web;

/// <summary>
/// <c>GET /api/claims</c> and the marking of a claim, on the real host with the policies of samples/globex/policies after a
/// nightly run over samples/globex (see
/// <see cref="SlaPolicy.Tests.Reports.GlobexSampleTests"/> for the hand calculation of the amounts).
/// </summary>
[Collection(SlaPolicy.Tests.Scheduling.HostCollection.Name)]
public class ClaimsApiTests
{
    private static string Globex(string name) => File.ReadAllText(Path.Join(PolicyTestFiles.RepoRoot, "samples", "globex", name));

    [Fact]
    public async Task Claims_AfterTheNight_ListedByDeadline_MarkedWithTheTokenOnly()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(
            folder, new Dictionary<string, string?> { ["Policies:Path"] = Path.Join(PolicyTestFiles.RepoRoot, "samples", "globex", "policies") }, configuredPolicies: true);
        (await host.Client.SendAsync(host.Post("/api/subscriptions", Globex("subscriptions.jsonl")))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/outages", Globex("outages.jsonl")))).EnsureSuccessStatusCode();
        // On 1 December the night computes November again, to its end.
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-12-01T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();

        var all = await Claims(host, "/api/claims");

        // Earliest deadline first: globex-cdn by 2026-12-30, fibrelink by 2026-12-31, globex-storage by 2027-01-31.
        all.Select(c => (c.GetProperty("party").GetString(), c.GetProperty("policyId").GetString(), c.GetProperty("direction").GetString(), c.GetProperty("amount").GetDecimal(), c.GetProperty("lastDay").GetString()))
            .ShouldBe(
            [
                ("globex", "globex-cdn", "customer", 51.67m, "2026-12-30"),
                ("fibrelink", "fibrelink-transit", "supplier", 562.50m, "2026-12-31"),
                ("globex", "globex-storage", "customer", 260.00m, "2027-01-31"),
            ]);
        (await Claims(host, "/api/claims?direction=supplier")).ShouldHaveSingleItem().GetProperty("party").GetString().ShouldBe("fibrelink");
        var storage = all[2].GetProperty("id").GetInt64();

        var anonymous = await host.Client.SendAsync(host.Post($"/api/claims/{storage}/claimed", string.Empty, withToken: false));
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var claimed = await host.Client.SendAsync(host.Post($"/api/claims/{storage}/claimed?at=2026-12-10T09:00:00Z&note=ticket%204711", string.Empty));
        claimed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await host.Client.SendAsync(host.Post($"/api/claims/{storage}/claimed", string.Empty));
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await host.Client.SendAsync(host.Post("/api/claims/999999/settled", string.Empty))).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var listed = (await Claims(host, "/api/claims?status=claimed")).ShouldHaveSingleItem();
        listed.GetProperty("id").GetInt64().ShouldBe(storage);
        listed.GetProperty("note").GetString().ShouldBe("ticket 4711");
        listed.GetProperty("futureBillsOnly").GetBoolean().ShouldBeTrue();
        (await host.Client.GetAsync("/api/claims?status=paid")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // The same night again changes no claim: the claimed one keeps its status.
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-12-01T02:00:00Z", string.Empty))).EnsureSuccessStatusCode();
        (await Claims(host, "/api/claims?status=claimed")).ShouldHaveSingleItem();
    }

    private static async Task<List<JsonElement>> Claims(RunningHost host, string path)
    {
        var response = await host.Client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
