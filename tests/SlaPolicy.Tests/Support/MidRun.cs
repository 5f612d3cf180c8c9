namespace SlaPolicy.Tests.Support;

/// <summary>
/// Starts a run through <c>POST /api/runs</c> and returns once it is under way, for tests that do something to a
/// run in progress. A run records its counts only when it ends, so "under way" is read from two places: the API
/// lists the run as <c>running</c>, and the store holds decisions committed by it (one transaction per
/// <c>Run:BatchSize</c> cases, so keep that small in such tests).
/// </summary>
internal sealed class MidRun
{
    private MidRun(RunRecord run, Task<HttpResponseMessage> answer)
    {
        Run = run;
        Answer = answer;
    }

    /// <summary>The run as the API listed it while running.</summary>
    public RunRecord Run { get; }

    /// <summary>The answer of <c>POST /api/runs</c>, which comes when the run ends (or the host dies).</summary>
    public Task<HttpResponseMessage> Answer { get; }

    /// <summary>
    /// Posts the run and waits (at most <paramref name="timeout"/>, 60 s by default) until it has committed at least
    /// <paramref name="decisions"/> decisions. Throws when the run ends first: the test then has too few cases to act
    /// in the middle of a run (see <see cref="CaseData.LongRunCases"/>).
    /// </summary>
    public static async Task<MidRun> StartAsync(HostProcess host, StoreProbe probe, DateTimeOffset asOf, long decisions = 1, TimeSpan? timeout = null)
    {
        var answer = host.Client.PostAsync($"/api/runs?asOf={Uri.EscapeDataString(asOf.ToString("O", CultureInfo.InvariantCulture))}", null);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (answer.IsCompleted)
            {
                var body = answer.IsCompletedSuccessfully ? await answer.Result.Content.ReadAsStringAsync() : answer.Exception?.ToString();
                throw new InvalidOperationException($"the run ended before it was seen under way (too few cases to act mid-run?): {body}\n{host.Log}");
            }

            var latest = (await Json.GetAsync<List<RunRecord>>(host.Client, "/api/runs?limit=1")).FirstOrDefault();
            if (latest is { State: RunState.Running } && probe.DecisionsOfRun(latest.Id) >= decisions)
            {
                return new MidRun(latest, answer);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no run was seen under way with {decisions} decisions written within the time allowed\n{host.Log}");
    }
}
