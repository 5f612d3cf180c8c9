using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Web;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy serve [--urls URL]</c>: the scheduler, the HTTP API, the inbox watcher and the page, until stopped.
/// Exit 1 when the store configuration is bad.
/// </summary>
public sealed class ServeCommand : ICliCommand
{
    public Command Create()
    {
        var urlsOption = new Option<string?>("--urls") { Description = $"where to listen (default {SlaPolicyWebHost.DefaultUrls})" };
        var storeOption = new Option<string?>("--store") { Description = "SQLite file to use instead of `Store:Path`" };
        var command = new Command("serve", "run the nightly scheduler, the HTTP API and the support leads' page");
        command.Options.Add(urlsOption);
        command.Options.Add(storeOption);
        command.SetAction((parse, cancellationToken) =>
            Invoke(parse.GetValue(urlsOption), RunCommand.StoreOverride(parse.GetValue(storeOption)), parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>
    /// Serves until <paramref name="cancellationToken"/> fires; exit 1, with one line naming the setting, when the
    /// store configuration is bad, or the embedded scheduler's files are in use by another host (both are opened
    /// before anything starts listening).
    /// </summary>
    internal static async Task<int> Invoke(string? urls, IEnumerable<KeyValuePair<string, string?>>? overrides, TextWriter error, CancellationToken cancellationToken)
    {
        await using var app = SlaPolicyWebHost.Create(urls, overrides);
        if (StoreSetup.TryOpen(app.Services, error) is null)
        {
            return 1;
        }

        // The scheduler's storage next: the embedded one refuses a second host on the same files, in one line.
        try
        {
            _ = app.Services.GetRequiredService<SchedulerStorage>();
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }

        await app.RunAsync(cancellationToken);
        return 0;
    }
}
