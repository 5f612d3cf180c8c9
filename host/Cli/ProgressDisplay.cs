using System.Diagnostics;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// Shows progress of a long command: a Spectre.Console progress bar when standard error is a terminal,
/// plain log lines (at most one every few seconds, and a last one) when it is redirected, so that logs of a
/// scheduled run stay readable.
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> units are done.</summary>
    public static T Run<T>(string label, long total, Func<Action<long>, T> work, bool quiet = false)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (quiet)
        {
            return work(_ => { });
        }

        if (!Console.IsErrorRedirected && total > 0)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            T result = default!;
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(label, maxValue: total);
                    result = work(done => task.Value = Math.Min(done, total));
                    task.Value = total;
                });
            return result;
        }

        var clock = Stopwatch.StartNew();
        var lastLog = TimeSpan.Zero;
        var value = work(done =>
        {
            if (clock.Elapsed - lastLog >= LogInterval)
            {
                lastLog = clock.Elapsed;
                var percent = total > 0 ? $" ({done * 100 / total}%)" : string.Empty;
                Console.Error.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {label}: {done:N0} of {total:N0}{percent}");
            }
        });
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {label}: done in {clock.Elapsed.TotalSeconds:0.0} s");
        return value;
    }
}
