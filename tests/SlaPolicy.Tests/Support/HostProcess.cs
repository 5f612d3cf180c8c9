using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// The real <c>slapolicy serve</c> host as a separate OS process (<c>dotnet slapolicy.dll serve</c>), for tests that
/// kill it: configured by <c>SLAPOLICY_</c> environment variables, listening on a free port of 127.0.0.1, its
/// working directory a folder of its own under the test's data folder. Its standard output and error go to
/// <see cref="LogFile"/> and <see cref="Log"/>; put <see cref="Log"/> in a failing assertion's message.
/// </summary>
/// <remarks>
/// Defaults, each replaced by a key of the same name in the settings given: the SQLite store
/// <c>&lt;data folder&gt;/slapolicy.db</c> (shared by every host started on the same data folder), the sample
/// policies of the repository, the token <see cref="Token"/>, an inbox in the host's own folder, no catch-up run
/// at start (<c>Schedule:CatchUp=false</c>) and a schedule that never fires while tests run (<see cref="NeverCron"/>;
/// the default 02:00 would start a night in the middle of a test run at that hour), so that a host does only what the
/// test asks.
/// Environment variables <c>SLAPOLICY_*</c> of the test process itself are not passed on.
/// </remarks>
internal sealed class HostProcess : IAsyncDisposable
{
    /// <summary>A cron that never fires (the 31st of February): a schedule that stays out of the tests' way.</summary>
    public const string NeverCron = "0 0 0 31 2 ?";

    public const string Token = "fault-test-token";

    private static int _started;

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly StreamWriter _logWriter;

    private HostProcess(Process process, string folder, int port, StreamWriter logWriter, string logFile)
    {
        _process = process;
        Folder = folder;
        Port = port;
        _logWriter = logWriter;
        LogFile = logFile;
        Address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>The host's working directory (its inbox and log live here).</summary>
    public string Folder { get; }

    public int Port { get; }

    public Uri Address { get; }

    /// <summary>A client on <see cref="Address"/> that sends the token with every request; 5 minutes timeout (a run answers when it ends).</summary>
    public HttpClient Client { get; }

    /// <summary>The OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The file the host's standard output and error are written to.</summary>
    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited: 137 (128 + 9) after <see cref="Kill"/>, 0 after a graceful stop.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the host wrote so far, standard output and error interleaved, with the exit code when it has exited.</summary>
    public string Log
    {
        get
        {
            string text;
            lock (_log)
            {
                text = _log.ToString();
            }

            return _process.HasExited ? $"{text}(exited with {_process.ExitCode})\n" : text;
        }
    }

    /// <summary>
    /// Starts a host whose SQLite store (unless the settings name another) and own folder are in
    /// <paramref name="dataFolder"/>, and waits until <c>/health</c> answers 200 (at most <paramref name="startTimeout"/>,
    /// 90 s by default: a cold start compiles the policies). <paramref name="settings"/> are configuration keys
    /// (<c>Store:Provider</c> or <c>Store__Provider</c>) and values.
    /// </summary>
    public static async Task<HostProcess> StartAsync(string dataFolder, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? startTimeout = null)
    {
        var dll = FindHostDll();
        var folder = Path.Combine(dataFolder, string.Create(CultureInfo.InvariantCulture, $"host-{Interlocked.Increment(ref _started)}"));
        Directory.CreateDirectory(folder);
        var port = ChildProcess.FreePort();

        var info = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "serve", "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}") })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("SLAPOLICY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Store:Path"] = Path.Combine(dataFolder, "slapolicy.db"),
            ["Policies:Path"] = PolicyTestFiles.SamplePolicies,
            ["Api:Token"] = Token,
            ["Ingestion:Inbox"] = Path.Combine(folder, "inbox"),
            ["Schedule:CatchUp"] = "false",
            ["Schedule:Cron"] = NeverCron,
            ["Schedule:PollSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in configuration)
        {
            info.Environment["SLAPOLICY_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var logFile = Path.Combine(folder, "host.log");
        var logWriter = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process, folder, port, logWriter, logFile);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitForHealthAsync(startTimeout ?? TimeSpan.FromSeconds(90));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SIGKILL: the process ends at once, without running any of its shutdown code (<see cref="Process.Kill()"/>
    /// sends SIGKILL on Linux; <see cref="ExitCode"/> is then 137). Waits until it is gone.
    /// </summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    /// <summary>
    /// SIGTERM: the host stops gracefully (requests end, a running job is stopped and handed back to the scheduler's queue, the store is closed).
    /// Waits at most <paramref name="timeout"/> (60 s by default), then kills it; returns whether it stopped by itself.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return true;
        }

        ChildProcess.Signal(_process.Id, ChildProcess.SigTerm);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
    }

    /// <summary>Polls <c>/health</c> until it answers 200; throws with the log when the process exits or time runs out.</summary>
    public async Task WaitForHealthAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited before answering /health:\n{Log}");
            }

            try
            {
                using var response = await probe.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but busy starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the host did not answer /health within {timeout.TotalSeconds:0} s:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        // The exit event comes before the last lines are read; the parameterless wait drains the streams.
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _logWriter.Dispose();
        }
    }

    /// <summary>
    /// The built host beside the tests: the test project references the host, so <c>slapolicy.dll</c>, its
    /// runtimeconfig and deps files are copied to the test output. Falls back to host/bin/&lt;configuration&gt;/net10.0.
    /// </summary>
    public static string FindHostDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "slapolicy.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "slapolicy.runtimeconfig.json")))
        {
            return beside;
        }

        var configuration = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var built = Path.Combine(PolicyTestFiles.RepoRoot, "host", "bin", configuration, "net10.0", "slapolicy.dll");
        return File.Exists(built)
            ? built
            : throw new InvalidOperationException($"the host is not built: neither {beside} nor {built} exists; run `dotnet build SlaPolicy.sln`");
    }

    /// <summary>The dotnet executable running these tests (the test host is started by it), else `dotnet` on PATH.</summary>
    private static string DotnetExecutable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            try
            {
                _logWriter.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after dispose: it is in Log all the same.
            }
        }
    }
}
