using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Hangfire's log, written to the host's logging (category <c>Hangfire.*</c>). Hangfire keeps one log provider for
/// the whole process; this one writes to the logger factory of the host that started last and is still running, so
/// that a host stopped before another starts in the same process (as in the tests) is never written to once disposed.
/// </summary>
internal sealed class SchedulerLog : ILogProvider
{
    public static readonly SchedulerLog Provider = new();

    private static readonly object Gate = new();
    private static readonly List<ILoggerFactory> Factories = [];

    /// <summary>Makes <paramref name="factory"/> the one Hangfire writes to, until <see cref="Release"/>.</summary>
    public static void Use(ILoggerFactory factory)
    {
        lock (Gate)
        {
            Factories.Add(factory);
        }
    }

    public static void Release(ILoggerFactory factory)
    {
        lock (Gate)
        {
            Factories.Remove(factory);
        }
    }

    public ILog GetLogger(string name) => new Logger(name);

    private sealed class Logger(string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILoggerFactory? factory;
            lock (Gate)
            {
                factory = Factories.Count == 0 ? null : Factories[^1];
            }

            if (factory is null)
            {
                return false;
            }

            var level = logLevel switch
            {
                HangfireLevel.Trace => LogLevel.Trace,
                HangfireLevel.Debug => LogLevel.Debug,
                HangfireLevel.Info => LogLevel.Information,
                HangfireLevel.Warn => LogLevel.Warning,
                HangfireLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            try
            {
                var logger = factory.CreateLogger(name);
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                logger.Log(level, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                // The host stopped between the look-up and the write.
                return false;
            }
        }
    }
}
