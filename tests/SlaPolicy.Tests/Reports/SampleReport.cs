using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace SlaPolicy.Tests.Reports;

/// <summary>
/// Runs <c>slapolicy report --period 2026-11</c> on the repository's policies and samples, as of 2026-12-01T00:00Z
/// (the end of November: the whole month is measured). Hand-worked figures the tests check:
/// - acme email eu-west (acme-gold 2026.2, objective 99.9%, maintenance excluded): O-2026-001 22:40 on 31 October to
///   01:10 on 1 November counts 70 min in November; O-2026-002 02:00-02:45 and O-2026-003 02:30-03:05 overlap → 65 min;
///   O-2026-004 is maintenance. (43200 − 135) / 43200 = 99.6875% → shown 99.688%, below 99.9% but not 99% → 10% of the
///   subscription's EUR 1200 = EUR 120.00.
/// - acme email us-east: O-2026-015 12 min → (43200 − 12) / 43200 = 99.972%, met, no credit.
/// </summary>
internal static class SampleReport
{
    public static string File(string name) => Path.Join(PolicyTestFiles.RepoRoot, "samples", name);

    /// <summary>The customers of samples/subscriptions.jsonl, in order.</summary>
    public static IReadOnlyList<string> Customers() =>
        [.. System.IO.File.ReadLines(File("subscriptions.jsonl")).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("customer").GetString()!).Distinct().Order(StringComparer.Ordinal)];

    public static (int Exit, string Output) Run(params string[] extra) => RunWith(new FileReportDataSource(), extra);

    /// <summary>
    /// Runs the built <c>slapolicy</c> executable from the repository root with <c>report --period 2026-11 --as-of
    /// 2026-12-01T00:00:00Z</c> and <paramref name="extra"/>, every other option left to its default, as a user would.
    /// </summary>
    public static (int Exit, string Output) RunExecutable(params string[] extra)
    {
        var executable = Path.Join(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "slapolicy.exe" : "slapolicy");
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = PolicyTestFiles.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["report", "--period", "2026-11", "--as-of", "2026-12-01T00:00:00Z", .. extra])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Runs <c>report</c> with <paramref name="args"/> in process on <paramref name="source"/>; the console's output (200 columns, no colours).</summary>
    public static (int Exit, string Output) Invoke(IReportDataSource source, params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 200;
        var root = new RootCommand { new ReportCommand(source, console, TimeProvider.System).Create() };
        var exit = root.Parse(["report", .. args]).Invoke();
        return (exit, writer.ToString());
    }

    public static (int Exit, string Output) RunWith(IReportDataSource source, params string[] extra)
    {
        // Options given in extra replace the defaults below (an option may be given only once).
        var options = new Dictionary<string, string>
        {
            ["--period"] = "2026-11",
            ["--as-of"] = "2026-12-01T00:00:00Z",
            ["--policies"] = PolicyTestFiles.SamplePolicies,
            ["--cases"] = File("cases.jsonl"),
            ["--outages"] = File("outages.jsonl"),
            ["--subscriptions"] = File("subscriptions.jsonl"),
            ["--measurements"] = File("measurements.jsonl"),
        };
        for (var i = 0; i + 1 < extra.Length; i += 2)
        {
            options[extra[i]] = extra[i + 1];
        }

        return Invoke(source, [.. options.SelectMany(o => new[] { o.Key, o.Value })]);
    }
}
