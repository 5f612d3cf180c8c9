using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaPolicy.Host.Ingestion;
using SlaPolicy.Host.Scheduling;

namespace SlaPolicy.Host.Web;

/// <summary>
/// Builds the <c>serve</c> host: Kestrel with the HTTP API and the support leads' page, the Hangfire scheduler (the
/// nightly run, its partitions, and its dashboard at <c>/hangfire</c>) and the inbox watcher, over the shared core services. Listens on http://127.0.0.1:5080 unless
/// the <c>urls</c> argument says otherwise (<c>http://127.0.0.1:0</c> picks a free port).
/// </summary>
public static class SlaPolicyWebHost
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The JSON shape of every API response: camelCase, enums as kebab-case strings (<c>no-policy</c>).</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    }

    public static WebApplication Create(
        string? urls = null,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            Args = [],
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddSlaPolicySources(overrides);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        // Hangfire tells every poll and heartbeat at Information; what an operator needs from it is a warning or worse.
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);

        // A failed webhook delivery is logged once by the notification job, in one line; not again with the stack.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.UseUrls(urls ?? builder.Configuration["Urls"] ?? DefaultUrls);

        // Bodies are limited per endpoint by Api:MaxBodyBytes (413), so Kestrel's own 30 MB default is lifted.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddSlaPolicyCore(builder.Configuration);
        builder.Services.AddSingleton<InboxWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxWatcher>());
        builder.Services.AddHostedService<PolicyFolderWatcher>();
        NightlySchedule.AddTo(builder);
        if (HostSettings.From(builder.Configuration).DashboardEnabled)
        {
            SchedulerDashboard.AddTo(builder.Services);
        }

        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        CaseIdRoute.Use(app);
        if (app.Services.GetRequiredService<HostSettings>().DashboardEnabled)
        {
            SchedulerDashboard.Map(app);
        }

        ApiEndpoints.Map(app);
        PageEndpoints.Map(app);
        return app;
    }
}
