using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Watches the policy folder (and its subfolders) of <c>serve</c> for changes to <c>*.json</c> files and reloads
/// the policies in the background once the folder has been quiet for <see cref="HostSettings.PolicyReloadDelaySeconds"/>,
/// so that an editor's save (often several writes and a rename) is read once, complete.
/// </summary>
public sealed class PolicyFolderWatcher(IEvaluatorProvider evaluators, HostSettings settings, ILogger<PolicyFolderWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (evaluators is not PolicyFolderEvaluatorProvider provider)
        {
            // Policies come from elsewhere (an embedding application): nothing to watch.
            return;
        }

        if (!Directory.Exists(provider.Directory))
        {
            logger.LogWarning("policy folder {Directory} does not exist; it is not watched", provider.Directory);
            return;
        }

        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(provider.Directory, "*.json")
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        void OnChange(object? sender, EventArgs e) => changed.Release();
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += OnChange;
        watcher.Error += (_, e) =>
        {
            // The OS buffer overflowed: changes were lost, so read the whole folder again.
            logger.LogWarning(e.GetException(), "policy folder watcher overflowed; reloading");
            changed.Release();
        };
        watcher.EnableRaisingEvents = true;
        logger.LogInformation("watching {Directory} for policy edits", provider.Directory);

        var quiet = TimeSpan.FromSeconds(Math.Max(0.05, settings.PolicyReloadDelaySeconds));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await changed.WaitAsync(stoppingToken);

                // Debounce: wait until no change has come for `quiet`, then read once.
                while (await changed.WaitAsync(quiet, stoppingToken))
                {
                }

                await Task.Run(provider.Reload, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
    }
}
