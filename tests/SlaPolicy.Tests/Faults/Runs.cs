namespace SlaPolicy.Tests.Faults;

/// <summary>What the fault tests ask of the runs a host lists after a fault.</summary>
internal static class Runs
{
    /// <summary>
    /// Polls <c>GET /api/runs</c> (at most <paramref name="limit"/>) until no run is <c>running</c> and a run as of
    /// <paramref name="asOf"/> has succeeded, then returns the runs; when that never happens, returns the last list
    /// seen, for the caller's assertions to show. A request failing on the way (the host reconnecting to its
    /// database) is tried again.
    /// </summary>
    public static async Task<List<RunRecord>> WaitUntilSettledAsync(HostProcess host, DateTimeOffset asOf, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        List<RunRecord> runs = [];
        while (true)
        {
            try
            {
                runs = await Json.GetAsync<List<RunRecord>>(host.Client, "/api/runs");
                if (Settled(runs, asOf))
                {
                    return runs;
                }
            }
            catch (HttpRequestException)
            {
                // The host answered 500 (a broken pooled connection) or is busy; ask again.
            }

            if (DateTime.UtcNow >= deadline || host.HasExited)
            {
                return runs;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>No run left <c>running</c>, and one as of <paramref name="asOf"/> succeeded.</summary>
    public static bool Settled(IReadOnlyList<RunRecord> runs, DateTimeOffset asOf) =>
        runs.All(r => r.State != RunState.Running) && runs.Any(r => r.State == RunState.Succeeded && r.AsOf == asOf);

    /// <summary>One line per run, for assertion messages.</summary>
    public static string Describe(IEnumerable<RunRecord> runs) =>
        string.Join('\n', runs.Select(r => $"run {r.Id}: {r.State} as of {r.AsOf:O}, {r.CasesRead} cases, {r.DecisionsWritten} decisions, error {r.Error ?? "none"}"));
}

/// <summary>
/// What every fault test starts from: a migrated store of <see cref="CaseData.LongRunCases"/> cases, a folder for the
/// hosts' files, and a probe counting the store's rows from outside any host.
/// </summary>
internal sealed class LongRunStore : IDisposable
{
    public LongRunStore(StoreKind kind)
    {
        Store = new TestStore(kind);
        Store.Store.Migrate();
        CaseData.Ingest(Store.Store, CaseData.LongRunCases);
        Probe = Store.Probe();
    }

    public TestStore Store { get; }

    public TempFolder Data { get; } = new();

    public StoreProbe Probe { get; }

    /// <summary>The settings of a host on the store, running in batches of 500 cases.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = Store.HostSettings();
        settings["Run:BatchSize"] = "500";
        return settings;
    }

    public void Deconstruct(out TestStore store, out TempFolder data, out StoreProbe probe) => (store, data, probe) = (Store, Data, Probe);

    public void Dispose()
    {
        Data.Dispose();
        Store.Dispose();
    }
}

