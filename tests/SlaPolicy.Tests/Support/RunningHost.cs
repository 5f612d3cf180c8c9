using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Web;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// The real <c>serve</c> host on a free port of 127.0.0.1, with its SQLite file and inbox in a test folder
/// and the sample policies (<see cref="SamplePolicyEvaluator"/>) in force unless <c>configuredPolicies</c> asks for
/// the host's own provider over <c>Policies:Path</c>. With <see cref="StoreKind.Postgres"/> the host uses
/// <c>Store:Provider=postgres</c> on a database of its own (<see cref="TestStore"/>), dropped when the host is disposed.
/// </summary>
internal sealed class RunningHost : IAsyncDisposable
{
    public const string Token = "test-token";

    private readonly TestStore? _database;
    private readonly string _sqlitePath;

    private RunningHost(WebApplication app, string address, TestStore? database, string sqlitePath)
    {
        _sqlitePath = sqlitePath;
        App = app;
        Address = address;
        _database = database;
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    public string Address { get; }

    public HttpClient Client { get; }

    public IStore Store => App.Services.GetRequiredService<IStore>();

    /// <summary>A host whose reads need the token (<c>Api:ProtectReads</c>), holding one case and one run of it.</summary>
    public static async Task<RunningHost> StartProtectedWithARunAsync(TempFolder folder)
    {
        var host = await StartAsync(folder, new Dictionary<string, string?> { ["Api:ProtectReads"] = "true" });
        (await host.Client.SendAsync(host.Post("/api/cases", Cases.Json("C-1", "2026-11-20T16:30:00+01:00")))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(host.Post("/api/runs", string.Empty))).EnsureSuccessStatusCode();
        return host;
    }

    /// <summary>A host on the policy folder <paramref name="policies"/>, reloading it 0.2 s after a change.</summary>
    public static Task<RunningHost> StartReloadingAsync(TempFolder folder, string policies) => StartAsync(
        folder,
        new Dictionary<string, string?> { ["Policies:Path"] = policies, ["Policies:ReloadDelaySeconds"] = "0.2" },
        configuredPolicies: true);

    public static async Task<RunningHost> StartAsync(
        TempFolder folder, IDictionary<string, string?>? settings = null, IEvaluatorProvider? evaluators = null, bool configuredPolicies = false, StoreKind store = StoreKind.Sqlite)
    {
        var database = store == StoreKind.Postgres ? new TestStore(StoreKind.Postgres) : null;
        var overrides = new Dictionary<string, string?>
        {
            ["Store:Path"] = folder.File("slapolicy.db"),
            ["Api:Token"] = Token,
            ["Ingestion:Inbox"] = folder.File("inbox"),
            ["Ingestion:PollSeconds"] = "0.2",
            // The default 02:00 would start a night in the middle of a test run at that hour; tests that need the
            // schedule name it.
            ["Schedule:Cron"] = HostProcess.NeverCron,
            ["Schedule:PollSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (database is not null)
        {
            overrides["Store:Provider"] = "postgres";
            overrides["Store:ConnectionString"] = database.ConnectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var provider = evaluators ?? SamplePolicyEvaluator.Provider;
        var app = SlaPolicyWebHost.Create("http://127.0.0.1:0", overrides, services =>
        {
            if (!configuredPolicies)
            {
                services.AddSingleton(provider);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, address, database, overrides["Store:Path"]!);
    }

    public HttpRequestMessage Post(string path, string body, bool withToken = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        if (withToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        return request;
    }

    /// <summary>
    /// The rows of <paramref name="table"/> (a name written in the test, never input) read straight from the
    /// database, for tables the store has no query for (outages, subscriptions, measurements).
    /// </summary>
    public long CountRows(string table)
    {
        using System.Data.Common.DbConnection connection = _database is not null
            ? new Npgsql.NpgsqlConnection(_database.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_sqlitePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when it never did within <paramref name="limit"/>.</summary>
    public static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _database?.Dispose();
    }
}
