using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Host.Ingestion;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The services <c>run</c>, <c>why</c> and <c>serve</c> share: settings, clock, store (created and migrated on
/// first use), record parser, ingestion, evaluator provider (the policy folder, compiled) and the nightly run. A later registration of the same
/// service replaces these (that is how the engine's evaluator and readers are plugged in).
/// </summary>
public static class CoreServices
{
    public static IServiceCollection AddSlaPolicyCore(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = HostSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IStore>(_ =>
        {
            var store = StoreFactory.Create(settings.StoreProvider, settings.StorePath, settings.StoreConnectionString);
            store.Migrate();
            return store;
        });
        services.AddSingleton<IRecordParser, EngineRecordParser>();
        services.AddSingleton<IEvaluatorProvider>(sp => new PolicyFolderEvaluatorProvider(
            settings.PoliciesPath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PolicyFolderEvaluatorProvider>>(), settings.Rules));
        services.AddSingleton(sp => new IngestionService(
            sp.GetRequiredService<IStore>(), sp.GetRequiredService<IRecordParser>(), sp.GetRequiredService<TimeProvider>(), settings.IngestBatchSize,
            () => StatusCensus.For(sp.GetService<IEvaluatorProvider>()?.Current)));
        services.AddSingleton<NightlyRun>();
        return services;
    }

    /// <summary>
    /// Configuration as every command reads it: appsettings.json next to the executable, then appsettings.json in
    /// the current directory, then environment variables prefixed <c>SLAPOLICY_</c>, then <paramref name="overrides"/>.
    /// </summary>
    public static IConfigurationBuilder AddSlaPolicySources(this IConfigurationBuilder builder, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var here = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        builder.AddJsonFile(beside, optional: true, reloadOnChange: false);
        if (!string.Equals(Path.GetFullPath(beside), Path.GetFullPath(here), StringComparison.Ordinal))
        {
            builder.AddJsonFile(here, optional: true, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("SLAPOLICY_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder;
    }

    /// <summary>A service provider for commands that do not start the web host (<c>run</c>, <c>why</c>).</summary>
    public static ServiceProvider BuildCommandServices(IEnumerable<KeyValuePair<string, string?>>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddSlaPolicySources(overrides).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).SetMinimumLevel(LogLevel.Warning));
        services.AddSlaPolicyCore(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
