using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>
/// Policy reload on a copy of the sample policies: a bad edit leaves the last good version in force and is reported
/// with `file:line:col: error CODE: message`; a fixed edit puts the new version in force.
/// </summary>
[Collection(HostCollection.Name)]
public class PolicyReloadTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-20T19:00:00Z");


    private static string CopySamplePolicies(TempFolder folder) => SamplePolicyCopy.Create(folder);

    private static void EditGold(string policies, string within)
    {
        var path = Path.Join(policies, "tiers", "gold.json");
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var start = text.IndexOf("\"sev1-resolution\"", StringComparison.Ordinal);
        var at = text.IndexOf("\"within\": \"", start, StringComparison.Ordinal) + "\"within\": \"".Length;
        var end = text.IndexOf('"', at);
        File.WriteAllText(path, text[..at] + within + text[end..]);
    }

    // Severity 1, gold, not vip: opened 15:30Z, so 210 minutes counted by 19:00Z.
    private static double ResolutionPercent(IEvaluatorProvider provider) =>
        provider.Current.Evaluate(Cases.Open("C-1", "2026-11-20T15:30:00Z", tags: []), AsOf, explain: false)
            .Single(d => d.Target == "sev1-resolution").PercentUsed;

    [Fact]
    public void Reload_BadEditThenFix_OldVersionStaysUntilTheFixIsLoaded()
    {
        using var folder = new TempFolder();
        var policies = CopySamplePolicies(folder);
        var provider = new PolicyFolderEvaluatorProvider(policies, TimeProvider.System, NullLogger<PolicyFolderEvaluatorProvider>.Instance);
        provider.Status.Ready.ShouldBeTrue();
        var good = provider.Current;

        // 210 of 240 minutes.
        ResolutionPercent(provider).ShouldBe(87.5);

        EditGold(policies, "4 hours");
        var broken = provider.Reload();

        broken.Ready.ShouldBeTrue();
        broken.LastLoadFailed.ShouldBeTrue();
        var diagnostic = broken.Diagnostics.ShouldHaveSingleItem();
        diagnostic.ShouldContain(Path.Join("tiers", "gold.json") + ":11:");
        diagnostic.ShouldContain(": error SLA");
        diagnostic.ShouldContain("`4 hours`");
        provider.Current.ShouldBeSameAs(good);
        ResolutionPercent(provider).ShouldBe(87.5);

        EditGold(policies, "8h");
        var fixedStatus = provider.Reload();

        // 210 of 480 minutes.
        fixedStatus.LastLoadFailed.ShouldBeFalse();
        fixedStatus.Diagnostics.ShouldBeEmpty();
        provider.Current.ShouldNotBeSameAs(good);
        ResolutionPercent(provider).ShouldBe(43.75);
    }

    [Fact]
    public void Create_OneFileWithErrorsAndNoGoodVersion_TheOthersInForceAndItsCasesNoPolicy()
    {
        using var folder = new TempFolder();
        var policies = CopySamplePolicies(folder);
        EditGold(policies, "soon");

        var provider = new PolicyFolderEvaluatorProvider(policies, TimeProvider.System, NullLogger<PolicyFolderEvaluatorProvider>.Instance);

        // gold.json and every policy extending gold (acme-gold among them) are left out; silver, bronze and the rest are in force.
        provider.Status.Ready.ShouldBeTrue();
        provider.Status.LastLoadFailed.ShouldBeTrue();
        provider.Status.FailedFiles.ShouldBe([Path.Join(policies, "tiers", "gold.json")]);
        provider.Status.Message.ShouldContain("gold.json");
        provider.Status.Versions.ShouldContain("silver@2026.1");
        provider.Status.Versions.ShouldNotContain(v => v.StartsWith("gold@", StringComparison.Ordinal) || v.StartsWith("acme-gold@", StringComparison.Ordinal));
        var decision = provider.Current.Evaluate(Cases.Open("C-1", "2026-11-20T15:30:00Z"), AsOf, explain: true).ShouldHaveSingleItem();
        decision.Status.ShouldBe(DecisionStatus.NoPolicy);
        decision.Explanation.ShouldHaveSingleItem().Kind.ShouldBe("no-policy");
    }

    [Fact]
    public async Task Serve_PolicyFileEdited_WatcherReloadsAndApiReportsTheRejectedEdit()
    {
        using var folder = new TempFolder();
        var policies = CopySamplePolicies(folder);
        await using var host = await RunningHost.StartReloadingAsync(folder, policies);
        (await host.Client.SendAsync(host.Post("/api/cases", Cases.Json("C-1", "2026-11-20T15:30:00Z")))).EnsureSuccessStatusCode();

        async Task<JsonElement> Policies() => JsonDocument.Parse(await host.Client.GetStringAsync("/api/policies")).RootElement;

        async Task<double> RunAndReadResolutionPercent()
        {
            (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty))).EnsureSuccessStatusCode();
            var why = JsonDocument.Parse(await host.Client.GetStringAsync("/api/cases/C-1/why")).RootElement;
            return why.GetProperty("decisions").EnumerateArray()
                .Select(d => d.GetProperty("decision"))
                .Single(d => d.GetProperty("target").GetString() == "sev1-resolution")
                .GetProperty("percentUsed").GetDouble();
        }

        (await Policies()).GetProperty("ready").GetBoolean().ShouldBeTrue();

        EditGold(policies, "4 hours");
        var rejected = await WaitFor(async () => (await Policies()).GetProperty("lastLoadFailed").GetBoolean());

        // The bad edit is reported and the 4 h target stays in force: 210 of 240 minutes.
        rejected.ShouldBeTrue();
        var status = await Policies();
        status.GetProperty("ready").GetBoolean().ShouldBeTrue();
        status.GetProperty("diagnostics")[0].GetString()!.ShouldContain("gold.json:11:");
        (await RunAndReadResolutionPercent()).ShouldBe(87.5);

        EditGold(policies, "8h");
        var reloaded = await WaitFor(async () => !(await Policies()).GetProperty("lastLoadFailed").GetBoolean());

        // The fixed edit is in force: 210 of 480 minutes.
        reloaded.ShouldBeTrue();
        (await RunAndReadResolutionPercent()).ShouldBe(43.75);
    }

    private static async Task<bool> WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
