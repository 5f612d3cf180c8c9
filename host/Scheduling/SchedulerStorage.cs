using System.Globalization;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Logging;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Where the scheduler keeps its jobs: beside the store, in the store's own kind. With the SQLite store it is a
/// Hangfire.Storage.SQLite file of its own (<see cref="HostSettings.ScheduleStoragePath"/>, default
/// <c>slapolicy.hangfire.db</c> next to the store) that one host at a time may use: this class holds an exclusive lock
/// on <c>FILE.lock</c> for the life of the host, and a second host on the same file is refused at start. With the
/// PostgreSQL store it is Hangfire.PostgreSql in the same database (schema <c>hangfire</c>), with a sliding invisibility
/// timeout and long polling, so that any number of hosts share it.
/// </summary>
public sealed class SchedulerStorage(JobStorage storage, string description, FileStream? fileLock, ILoggerFactory? log) : IDisposable
{
    /// <summary>The schema Hangfire.PostgreSql keeps its tables in, in the store's database.</summary>
    public const string PostgresSchema = "hangfire";

    public JobStorage Storage { get; } = storage;

    /// <summary>What the log says the scheduler runs on.</summary>
    public string Description { get; } = description;

    /// <summary>True when the storage is shared by several hosts (PostgreSQL).</summary>
    public bool Shared => fileLock is null;

    /// <summary>
    /// Opens the scheduler's storage for <paramref name="settings"/>. Throws <see cref="InvalidOperationException"/> with
    /// what to do when the embedded file is in use by another host.
    /// </summary>
    public static SchedulerStorage Open(HostSettings settings, ILoggerFactory? log = null)
    {
        // Hangfire logs from the storage's constructor on: its log goes to this host's from here until Dispose.
        if (log is not null)
        {
            GlobalConfiguration.Configuration.UseLogProvider(SchedulerLog.Provider);
            SchedulerLog.Use(log);
        }

        try
        {
            return OpenStorage(settings, log);
        }
        catch
        {
            if (log is not null)
            {
                SchedulerLog.Release(log);
            }

            throw;
        }
    }

    private static SchedulerStorage OpenStorage(HostSettings settings, ILoggerFactory? log)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(0.2, settings.SchedulePollSeconds));
        if (IsPostgres(settings.StoreProvider))
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = PostgresSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = poll,

                // A job whose worker stops renewing it (the host died) goes back to the queue after this long; a live
                // worker renews it while the job runs, however long that is.
                InvisibilityTimeout = TimeSpan.FromSeconds(Math.Max(1, settings.ClusterInvisibilityTimeoutSeconds)),
                UseSlidingInvisibilityTimeout = true,

                // LISTEN/NOTIFY: a job enqueued on one host is picked up by another within a fraction of a second.
                EnableLongPolling = true,
            };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(settings.StoreConnectionString!, options), options);
            return new SchedulerStorage(storage, $"PostgreSQL (schema `{PostgresSchema}` of the store's database)", null, log);
        }

        var path = Path.GetFullPath(settings.ScheduleStoragePath ?? DefaultSqlitePath(settings.StorePath));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fileLock = Lock(path);
        try
        {
            var sqlite = new SQLiteStorage(path, new SQLiteStorageOptions
            {
                QueuePollInterval = poll,

                // Not sliding here: a job runs as long as it needs within this, and a host killed mid-job finishes its
                // run at the next start (InterruptedRuns), long before the job would come back.
                InvisibilityTimeout = TimeSpan.FromHours(6),
                DistributedLockLifetime = TimeSpan.FromSeconds(30),
            });
            return new SchedulerStorage(sqlite, $"SQLite ({path})", fileLock, log);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>The default scheduler file for the SQLite store at <paramref name="storePath"/>: <c>NAME.hangfire.db</c> beside it.</summary>
    public static string DefaultSqlitePath(string storePath)
    {
        var full = Path.GetFullPath(storePath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".hangfire.db");
    }

    internal static bool IsPostgres(string? provider) => (provider ?? string.Empty).Trim().ToLowerInvariant() is "postgres" or "postgresql";

    /// <summary>
    /// Takes the exclusive lock on <c>PATH.lock</c> (released by the system when this process ends, however it ends) and
    /// writes this process's id into it; refuses when another process holds it.
    /// </summary>
    private static FileStream Lock(string path)
    {
        var lockPath = path + ".lock";
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            var holder = ReadHolder(lockPath);
            throw new InvalidOperationException(
                $"the scheduler file {path} is in use by another host{holder}: the embedded (SQLite) scheduler is for one host only. "
                + "Stop the other host, give this one its own Store:Path, or run several hosts on PostgreSQL (Store:Provider=postgres, see docs/SCALE-OUT.md)",
                ex);
        }

        // The lock file itself cannot be read while locked: who holds it is written beside it.
        File.WriteAllText(lockPath + ".holder", string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} on {Environment.MachineName}\n"));
        return stream;
    }

    private static string ReadHolder(string lockPath)
    {
        try
        {
            var text = File.ReadAllText(lockPath + ".holder").Trim();
            return text.Length == 0 ? string.Empty : $" (process {text})";
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    public void Dispose()
    {
        (Storage as IDisposable)?.Dispose();
        fileLock?.Dispose();
        if (log is not null)
        {
            SchedulerLog.Release(log);
        }
    }
}
