using Npgsql;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// A PostgreSQL server of the test's own, for tests that crash or restart the database: a fresh cluster
/// (<c>initdb</c>) in a temporary folder, listening on a free port of 127.0.0.1 only, with trust authentication
/// for the <c>postgres</c> user. The shared server of the other tests is never touched. The binaries are those of
/// the highest version under <c>/usr/lib/postgresql/*/bin</c> (Debian's <c>postgresql</c> package, which ./test.sh
/// installs). initdb and postgres refuse to run as root, so as root (CI) they run as the <c>postgres</c> OS user,
/// who then owns the folder.
/// </summary>
/// <remarks>
/// <see cref="StopAsync"/> with <c>immediate: true</c> is a crash as far as the data is concerned: the server exits
/// without a checkpoint, open connections are cut, and the next start replays the write-ahead log, so exactly the
/// committed transactions survive. Dispose stops the server (if running) and deletes the folder.
/// </remarks>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _bin;
    private bool _running;

    private PrivatePostgres(string bin, string folder, int port)
    {
        _bin = bin;
        Folder = folder;
        Port = port;
    }

    /// <summary>The folder holding the data directory, the server log and the server's Unix socket.</summary>
    public string Folder { get; }

    /// <summary>The data directory (<c>PGDATA</c>).</summary>
    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>The server's log file, appended to across restarts.</summary>
    public string LogFile => Path.Combine(Folder, "server.log");

    /// <summary>The TCP port on 127.0.0.1; the same across <see cref="StartAgainAsync"/>.</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string to the <c>postgres</c> database as the <c>postgres</c> user (trust, no password).</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>The same as <see cref="ConnectionString"/> for another database (the host creates it if missing).</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,

        // A restart test waits for the server to come back; a short connect timeout keeps each attempt short.
        Timeout = 5,
    }.ToString();

    /// <summary>Creates the cluster and starts the server; throws with the server log when it does not start.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = FindBinaries();
        var folder = Path.Combine(Path.GetTempPath(), $"slapolicy-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var server = new PrivatePostgres(bin, folder, ChildProcess.FreePort());
        try
        {
            if (ChildProcess.IsRoot)
            {
                await server.Run("/bin/chown", ["postgres:postgres", folder], asServerUser: false);
            }

            // --no-sync: the cluster is thrown away after the test; the server itself still syncs its log.
            await server.Run(Path.Combine(bin, "initdb"), ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again on the same data directory and port, after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        // -w waits until the server accepts connections (after any crash recovery); the socket goes into the
        // test's folder, not the system's /var/run/postgresql.
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {Port} -c listen_addresses=127.0.0.1 -k {Folder} -c max_connections=100");
        await Run(Path.Combine(_bin, "pg_ctl"), ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options]);
        _running = true;
    }

    /// <summary>
    /// Stops the server: <paramref name="immediate"/> is <c>pg_ctl stop -m immediate</c> (every server process exits
    /// at once, no checkpoint: a crash); otherwise <c>-m fast</c> (open transactions rolled back, clean shutdown).
    /// Either way open connections are cut and pooled ones are broken: Npgsql hands a broken pooled connection out
    /// again, and its first command fails. The pools of this test process (connections opened by connection
    /// string) are therefore cleared, so that the test's own next connection is a new one; a host in another
    /// process keeps its broken pool, which is the fault under test.
    /// </summary>
    public async Task StopAsync(bool immediate = true)
    {
        await Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"]);
        _running = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary><see cref="StopAsync"/> then <see cref="StartAgainAsync"/>: the database restarted under its clients.</summary>
    public async Task RestartAsync(bool immediate = true)
    {
        await StopAsync(immediate);
        await StartAgainAsync();
    }

    /// <summary>
    /// Leaves behind a watcher, outside this process's tree, that stops the server and deletes its folder once this
    /// process is gone, however it ends (a test host is often killed before its exit handlers finish).
    /// </summary>
    public async Task StopWhenThisProcessExitsAsync()
    {
        var stop = $"{(ChildProcess.IsRoot ? "/usr/sbin/runuser -u postgres -- " : string.Empty)}{Path.Combine(_bin, "pg_ctl")} stop -D {DataDirectory} -m immediate -w";
        var watcher = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {Folder}";

        // Started from a shell that exits at once, so the watcher belongs to no process of this tree.
        var (exitCode, output) = await ChildProcess.RunAsync("/bin/sh", ["-c", $"setsid /bin/sh -c '{watcher}' >/dev/null 2>&1 </dev/null &"], CommandTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the watcher of {Folder} did not start: {output}");
        }
    }

    /// <summary>The last lines of the server log, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            try
            {
                await StopAsync(immediate: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder is deleted all the same.
            }
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held; the OS temp cleaner takes the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")) && File.Exists(Path.Combine(d, "bin", "postgres")))
                .Select(d => (Dir: d, Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m))
                .OrderByDescending(d => d.Version)
                .ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0].Dir, "bin")
            : throw new InvalidOperationException(
                $"no PostgreSQL server binaries (initdb, postgres) under {BinariesRoot}/*/bin: install Debian's `postgresql` package " +
                "(`apt-get install postgresql`; ./test.sh installs it). These tests start a private server of their own.");
    }

    private async Task Run(string program, IReadOnlyList<string> arguments, bool asServerUser = true)
    {
        var (fileName, args) = asServerUser && ChildProcess.IsRoot
            ? ("/usr/sbin/runuser", (IEnumerable<string>)["-u", "postgres", "--", program, .. arguments])
            : (program, arguments);
        var (exitCode, output) = await ChildProcess.RunAsync(fileName, args, CommandTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{Path.GetFileName(program)} {string.Join(' ', arguments)}` exited with {exitCode}:\n{output}\nserver log ({LogFile}):\n{LogTail()}");
        }
    }
}
