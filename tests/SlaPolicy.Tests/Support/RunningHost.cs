using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;
using SlaPolicy.Host.Web;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// The real <c>serve</c> host on a free port of 127.0.0.1, with its SQLite file and inbox in a test folder
/// and the sample policies (<see cref="SamplePolicyEvaluator"/>) in force unless <c>configuredPolicies</c> asks for
/// the host's own provider over <c>Policies:Path</c>.
/// </summary>
internal sealed class RunningHost : IAsyncDisposable
{
    public const string Token = "test-token";

    private RunningHost(WebApplication app, string address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    public string Address { get; }

    public HttpClient Client { get; }

    public IStore Store => App.Services.GetRequiredService<IStore>();

    public static async Task<RunningHost> StartAsync(TempFolder folder, IDictionary<string, string?>? settings = null, IEvaluatorProvider? evaluators = null, bool configuredPolicies = false)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Store:Path"] = folder.File("slapolicy.db"),
            ["Api:Token"] = Token,
            ["Ingestion:Inbox"] = folder.File("inbox"),
            ["Ingestion:PollSeconds"] = "0.2",
            ["Logging:LogLevel:Default"] = "Warning",
        };
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
        return new RunningHost(app, address);
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
    }
}
