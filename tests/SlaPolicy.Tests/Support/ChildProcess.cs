using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// Small helpers for the fixtures that run real processes: running a command to its end, free ports, signals and
/// who this process runs as.
/// </summary>
internal static class ChildProcess
{
    /// <summary>SIGTERM: the polite request to stop, what <c>systemctl stop</c> and <c>docker stop</c> send first.</summary>
    public const int SigTerm = 15;

    /// <summary>True when this process runs as root (effective uid 0), as the tests do in CI.</summary>
    public static bool IsRoot => geteuid() == 0;

    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago: bound with port 0, read back and released. Another
    /// process could take it in between; the servers started on it fail loudly then, naming the port.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>; false when it no longer exists.</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>
    /// Runs <paramref name="fileName"/> to its end (at most <paramref name="timeout"/>, then it is killed) and returns
    /// its exit code and its standard output and error interleaved in one text.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{Read(output)}\n(killed after {timeout.TotalSeconds:0} s: `{fileName} {string.Join(' ', info.ArgumentList)}` did not finish)");
        }

        // The parameterless wait also waits for the end of the redirected streams.
        await process.WaitForExitAsync();
        return (process.ExitCode, Read(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
