using SlaPolicy.Host.Web;

namespace SlaPolicy.Tests.Support;

public class HostProcessTests
{
    private static readonly string AsOf = "2026-11-22T02:00:00Z";

    [Fact]
    public async Task Start_Defaults_TheScheduleStaysOutOfTheTestsWay()
    {
        // With the default 02:00, a test running at that hour met a nightly run it had not started (409 on its own run).
        using var data = new TempFolder();
        await using var host = await HostProcess.StartAsync(data.Path);

        (await RunningHost.WaitUntil(() => host.Log.Contains("nightly run scheduled", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).ShouldBeTrue(host.Log);
        host.Log.ShouldContain("next at never");
    }

    [Fact]
    public async Task Kill_AfterARun_NewProcessOnTheSameStoreSeesTheRunAndTheDecisions()
    {
        using var data = new TempFolder();
        RunRecord run;
        await using (var first = await HostProcess.StartAsync(data.Path))
        {
            var ingested = await CaseData.PostAsync(first.Client, Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl"));

            // samples/cases.jsonl holds 443 good cases (the bad ones are in bad-cases.jsonl).
            ingested.Accepted.ShouldBe(443, first.Log);
            ingested.RejectedCount.ShouldBe(0);
            run = await PostRunAsync(first);
            run.State.ShouldBe(RunState.Succeeded, first.Log);
            run.CasesRead.ShouldBe(443);

            first.Kill();

            // SIGKILL: the process ran none of its shutdown code; .NET reports a signalled process as 128 + signal.
            first.HasExited.ShouldBeTrue();
            first.ExitCode.ShouldBe(128 + 9);
        }

        await using var second = await HostProcess.StartAsync(data.Path);
        var runs = await Json.GetAsync<List<RunRecord>>(second.Client, "/api/runs");
        var again = runs.ShouldHaveSingleItem(second.Log);
        again.Id.ShouldBe(run.Id);
        again.State.ShouldBe(RunState.Succeeded);
        again.DecisionsWritten.ShouldBe(run.DecisionsWritten);

        // C-1001 (acme-gold, severity 1, opened 16:30+01:00): first response at 16:41, 11 min against 15: met.
        // Resolution: 30 min until the customer was waited on at 17:00, paused until 09:00+01:00 on the 21st, then
        // 18 h to 02:00Z on the 22nd: 1,110 min against 240, breached.
        var why = await Json.GetAsync<WhyView>(second.Client, "/api/cases/C-1001/why");
        var byTarget = why.Decisions.ToDictionary(d => d.Decision.Target!, d => d.Decision);
        byTarget["sev1-response"].Status.ShouldBe(DecisionStatus.Met);
        byTarget["sev1-resolution"].Status.ShouldBe(DecisionStatus.Breached);
        byTarget["sev1-resolution"].ElapsedMinutes.ShouldBe(1110);
        why.Decisions.ShouldAllBe(d => d.RunId == run.Id);
    }

    [Fact]
    public async Task Stop_Sigterm_HostExitsGracefullyWithCodeZero()
    {
        using var data = new TempFolder();
        await using var host = await HostProcess.StartAsync(data.Path);

        var stoppedByItself = await host.StopAsync();

        stoppedByItself.ShouldBeTrue(host.Log);
        host.ExitCode.ShouldBe(0, host.Log);
        host.Log.ShouldContain("Application is shutting down");
    }

    [Fact]
    public async Task Start_BadConfiguration_FailsWithTheHostsOwnMessage()
    {
        using var data = new TempFolder();

        // Store:Provider `postgres` without a connection string stops the host at start, naming the key.
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            HostProcess.StartAsync(data.Path, new Dictionary<string, string?> { ["Store__Provider"] = "postgres" }));

        error.Message.ShouldContain("Store:ConnectionString");
    }

    /// <summary>
    /// Posts a run and returns it. A 409 (this host is still busy with a run, e.g. one it resumed at start, whose credits
    /// step follows its completion) is asked again, for up to a minute.
    /// </summary>
    internal static async Task<RunRecord> PostRunAsync(HostProcess host, string? asOf = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        HttpResponseMessage response;
        while (true)
        {
            response = await host.Client.PostAsync($"/api/runs?asOf={Uri.EscapeDataString(asOf ?? AsOf)}", null);
            if (response.StatusCode != System.Net.HttpStatusCode.Conflict || DateTime.UtcNow >= deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(250);
        }

        using var answer = response;
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(string.Create(CultureInfo.InvariantCulture, $"POST /api/runs answered {(int)response.StatusCode}: {body}\n{host.Log}"));
        return System.Text.Json.JsonSerializer.Deserialize<RunRecord>(body, Json.Options)!;
    }
}
