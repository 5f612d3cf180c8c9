using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>
/// A run judges cases only by compiled policies: with none in force it fails with the reason; with the last good set
/// in force after a rejected edit, or with the files that compiled when others did not, it runs and says so.
/// </summary>
[Collection(HostCollection.Name)]
public class RunPoliciesInForceTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-20T19:00:00Z");

    private static PolicyFolderEvaluatorProvider Provider(string policies) =>
        new(policies, TimeProvider.System, NullLogger<PolicyFolderEvaluatorProvider>.Instance);

    private static (SqliteStore Store, NightlyRun Run) Create(TempFolder folder, IEvaluatorProvider evaluators)
    {
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        store.Ingest(new RecordBatch([Cases.Open("C-1", "2026-11-20T15:30:00Z", tags: [])], [], [], [], [], AsOf));
        return (store, new NightlyRun(store, evaluators, TimeProvider.System, new HostSettings(), NullLogger<NightlyRun>.Instance));
    }

    [Fact]
    public void Run_PolicyFolderMissing_FailsWithTheReasonAndDecidesNothing()
    {
        using var folder = new TempFolder();
        var missing = folder.File("no-such-policies");
        var (store, run) = Create(folder, Provider(missing));

        var record = run.Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Failed);
        record.Error.ShouldNotBeNull();
        record.Error.ShouldStartWith("no compiled policies in force");
        record.Error.ShouldContain("does not exist");
        store.QueryDecisions(new DecisionQuery()).ShouldBeEmpty();
        store.GetRuns().ShouldHaveSingleItem().Error.ShouldBe(record.Error);
    }

    [Fact]
    public void Run_NoPolicyFileCompiles_FailsNamingTheErrors()
    {
        using var folder = new TempFolder();
        var policies = folder.File("policies");
        Directory.CreateDirectory(policies);
        File.WriteAllText(Path.Join(policies, "only.json"), "{ \"id\": ");
        var (store, run) = Create(folder, Provider(policies));

        var record = run.Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Failed);
        record.Error.ShouldNotBeNull().ShouldContain("only.json");
        store.QueryDecisions(new DecisionQuery()).ShouldBeEmpty();
    }

    [Fact]
    public void Run_OnePolicyFileFails_RunsOnTheFilesThatCompiledAndNamesTheOneThatFailed()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, Path.Join("tiers", "silver.json"), "\"within\": \"30m\"", "\"within\": \"30 minutes\"");
        var (store, run) = Create(folder, Provider(policies));

        var record = run.Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Succeeded);
        record.PolicyVersions.ShouldContain("acme-gold@2026.2");
        record.PolicyVersions.ShouldNotContain(v => v.StartsWith("silver@", StringComparison.Ordinal));
        record.PolicyNote.ShouldNotBeNull().ShouldContain(Path.Join("tiers", "silver.json"));
        store.GetRuns().ShouldHaveSingleItem().PolicyNote.ShouldBe(record.PolicyNote);
        store.QueryDecisions(new DecisionQuery()).ShouldContain(d => d.Decision.Status == DecisionStatus.Running);
    }

    [Fact]
    public void Run_AfterARejectedEdit_RunsOnTheLastGoodSetAndSaysSo()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        var provider = Provider(policies);
        var (store, run) = Create(folder, provider);
        SamplePolicyCopy.Replace(policies, Path.Join("tiers", "gold.json"), "\"within\": \"4h\"", "\"within\": \"4 hours\"");
        provider.Reload().LastLoadFailed.ShouldBeTrue();

        var record = run.Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Succeeded);
        record.PolicyVersions.ShouldContain("gold@2026.1");
        record.PolicyNote.ShouldNotBeNull().ShouldContain("stay in force");
        store.QueryDecisions(new DecisionQuery()).Count.ShouldBe(2);
    }

    [Fact]
    public void RunCommand_PolicyFolderMissing_PrintsTheFailureAndExitsOne()
    {
        using var folder = new TempFolder();
        using var services = CoreServices.BuildCommandServices(
            [new("Store:Path", folder.File("slapolicy.db")), new("Policies:Path", folder.File("no-such-policies"))]);
        var output = new StringWriter();

        var exit = RunCommand.Execute(services, AsOf, output, redirected: true);

        exit.ShouldBe(1);
        var text = output.ToString();
        text.ShouldContain("run 1 failed");
        text.ShouldContain("error: no compiled policies in force");
        text.ShouldNotContain("succeeded");
    }

    [Fact]
    public async Task Serve_PolicyFolderMissing_PostRunsAnswersTheFailedRunAndApiRunsHasTheReason()
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(
            folder, new Dictionary<string, string?> { ["Policies:Path"] = folder.File("no-such-policies") }, configuredPolicies: true);

        var response = await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty));

        response.EnsureSuccessStatusCode();
        var posted = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        posted.GetProperty("state").GetString().ShouldBe("failed");
        var listed = System.Text.Json.JsonDocument.Parse(await host.Client.GetStringAsync("/api/runs")).RootElement.EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("error").GetString().ShouldNotBeNull().ShouldStartWith("no compiled policies in force");
    }
}
