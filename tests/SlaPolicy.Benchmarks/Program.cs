using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using SlaPolicy.Benchmarks;

// Quick modes measure what BenchmarkDotNet cannot show directly: a whole fresh process.
//   compile-cold [--cache DIR]    compile 1,000 rules into DIR (default: a new directory), print timings
//   compile-cached --cache DIR    load the same rules from DIR, print timings
//   compile-measure               run both above as child processes and print their wall-clock times
//   throughput [TRACE_ROUNDS]     sla-workflow.json inputs/s and bytes allocated per input (Stopwatch, not BenchmarkDotNet);
//                                 the full trace over TRACE_ROUNDS passes of the inputs (default 20; more to profile it)
//   first-result WHO              in this fresh process: load sla-workflow.json and evaluate one input with WHO
//                                 (rulesengine-package, compiled, compiled-roslyn = compiled without its quick start,
//                                 rulesengine), no compile cache; prints the time, the JIT's work and the CPU time
//   first-result-measure [N]      runs first-result for the four, N times each, interleaved; medians of whole processes
//   side-by-side [ROUNDS]         sla-workflow.json under Microsoft RulesEngine and SlaPolicy's three paths, interleaved,
//                                 with ratios to RulesEngine (default 5 rounds)
//   evaluate [N] [--explain]      decisions/s of the case evaluator on one thread over N generated cases (default
//                                 1,000,000), for 24x7 targets and for business-calendar targets with pauses;
//                                 --explain builds each decision's explanation too
//   nightly [N] [--phases] [--keep] [--changed P,...] [--full]  the nightly run end to end on N generated cases
//                                 (default 100,000): generate, ingest into a new SQLite store, run, run the same night
//                                 again; then for each P (default 5) a day later: edit P % of the cases, ingest the
//                                 edits, run the night, run it again, time the credits step alone (--full: at the end
//                                 once more evaluating every case); wall time and peak memory of each phase; --phases
//                                 first times each stage of the run on its own; --explain MODE sets Run:Explain
//                                 (notable, all, none; default notable); --postgres CONNECTION runs it on a new
//                                 database of that PostgreSQL server (dropped at the end) instead of SQLite
//   explain-compare [N] [ROUNDS]  the first night over N generated cases (default 100,000) under Run:Explain=notable
//                                 and =all, alternating, each on a freshly ingested store, ROUNDS times (default 2);
//                                 CPU seconds and all ÷ notable
//   read-cases [N] [ROUNDS]       a night's read of N stored cases (default 200,000): the SQLite store's reader against
//                                 the same query through the provider's data reader, alternating, ROUNDS times
//                                 (default 3); wall, CPU and bytes allocated per case
// Anything else goes to BenchmarkDotNet, e.g. `-- --filter '*Compile*'`.
var mode = args.Length > 0 ? args[0] : string.Empty;
string CacheArg() => args.SkipWhile(a => a != "--cache").Skip(1).FirstOrDefault()
    ?? Path.Combine(Path.GetTempPath(), "slapolicy-bench-" + Guid.NewGuid().ToString("N"));

switch (mode)
{
    case "compile-cold":
    case "compile-cached":
        {
            var cache = CacheArg();
            var policies = Workloads.ThousandRules(); // what the policy reader would hand over; not part of the measurement
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            var watch = Stopwatch.StartNew();
            var set = Workloads.CompileThousand(cache, policies);
            watch.Stop();
            var rules = set.Workflows.Sum(w => w.Workflow.Rules.Length);
            Console.WriteLine(FormattableString.Invariant(
                $"{mode}: {rules} rules in {set.Workflows.Length} workflows, compile call {watch.Elapsed.TotalMilliseconds:F0} ms (process start to call: {sinceStart.TotalMilliseconds:F0} ms), from disk cache: {set.FromDiskCache}, cache {cache}"));
            if (mode == "compile-cached" && !set.FromDiskCache)
            {
                Console.Error.WriteLine("the disk cache was not used");
                return 1;
            }

            return 0;
        }

    case "compile-measure":
        {
            var cache = Path.Combine(Path.GetTempPath(), "slapolicy-bench-" + Guid.NewGuid().ToString("N"));
            foreach (var child in new[] { "compile-cold", "compile-cached", "compile-cached" })
            {
                var watch = Stopwatch.StartNew();
                using var process = Process.Start(Workloads.SelfStartInfo(child, "--cache", cache))!;
                var output = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                Console.WriteLine(FormattableString.Invariant($"{output}\n  whole process: {watch.Elapsed.TotalMilliseconds:F0} ms, exit {process.ExitCode}"));
            }

            Directory.Delete(cache, recursive: true);
            return 0;
        }

    case "throughput":
        {
            var (workflow, inputs) = Workloads.SlaWorkflow(1000);
            ulong sink = 0;
            for (var warm = 0; warm < 200; warm++)
            {
                foreach (var input in inputs)
                {
                    sink ^= workflow.Run(input).FiredMask;
                }
            }

            const int rounds = 2000;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var r = 0; r < rounds; r++)
            {
                foreach (var input in inputs)
                {
                    sink ^= workflow.Run(input).FiredMask;
                }
            }

            watch.Stop();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var count = (double)rounds * inputs.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sla-workflow.json Run: {count / watch.Elapsed.TotalSeconds:N0} inputs/s, {count * 20 / watch.Elapsed.TotalSeconds:N0} rule evaluations/s, {allocated / count:F2} bytes/input (sink {sink})"));

            var traceWatch = Stopwatch.StartNew();
            var traceBefore = GC.GetAllocatedBytesForCurrentThread();
            var traced = 0;
            var traceRounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
            for (var r = 0; r < traceRounds; r++)
            {
                foreach (var input in inputs)
                {
                    traced += workflow.Execute(input).Count;
                }
            }

            traceWatch.Stop();
            var traceCount = (double)traceRounds * inputs.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sla-workflow.json Execute (full trace): {traceCount / traceWatch.Elapsed.TotalSeconds:N0} inputs/s, {(GC.GetAllocatedBytesForCurrentThread() - traceBefore) / traceCount:F0} bytes/input ({traced} results)"));
            return 0;
        }

    case "first-result":
        {
            var who = args.Length > 1 ? args[1] : "compiled";
            var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
            var watch = Stopwatch.StartNew();
            var successes = SideBySideWorkload.FirstResult(who);
            Console.WriteLine(FormattableString.Invariant($"{who}: first result in {watch.Elapsed.TotalMilliseconds:F0} ms after {sinceStart.TotalMilliseconds:F0} ms of process start ({successes} rules succeeded; {System.Runtime.JitInfo.GetCompiledMethodCount():N0} methods JIT-compiled in {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms, {Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F0} ms CPU)"));
            return 0;
        }

    case "first-result-measure":
        {
            var n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
            var who = new[] { "rulesengine-package", "compiled", "compiled-roslyn", "rulesengine" };
            var times = who.ToDictionary(w => w, _ => new List<double>());
            for (var i = 0; i < n; i++)
            {
                foreach (var w in who)
                {
                    var watch = Stopwatch.StartNew();
                    using var process = Process.Start(Workloads.SelfStartInfo("first-result", w))!;
                    process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                    times[w].Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
            var baseline = times["rulesengine-package"].Order().ElementAt(n / 2);
            Console.WriteLine(FormattableString.Invariant($"first result of sla-workflow.json in a fresh process, no compile cache, median of {n}, load {load}:"));
            foreach (var w in who)
            {
                var median = times[w].Order().ElementAt(n / 2);
                Console.WriteLine(FormattableString.Invariant($"  {w,-20} {median,7:F0} ms  {median / baseline,5:F2}x RulesEngine's  (runs {times[w].Min():F0}-{times[w].Max():F0} ms)"));
            }

            return 0;
        }

    case "side-by-side":
        SideBySideWorkload.Measure(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        return 0;

    case "evaluate":
        {
            var count = args.Length > 1 && args[1] != "--explain" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
            foreach (var (name, decisions, seconds, bytes) in EvaluationWorkload.Measure(count, args.Contains("--explain")))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {decisions:N0} decisions in {seconds:F2} s = {decisions / seconds:N0} decisions/s on one thread, {bytes / decisions:F0} bytes allocated per decision"));
            }

            return 0;
        }

    case "nightly":
        {
            var count = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } n
                ? int.Parse(n, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
                : 100_000;
            double[] changed = args.SkipWhile(a => a != "--changed").Skip(1).FirstOrDefault() is { } c
                ? [.. c.Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture))]
                : [5];
            double? openPercent = args.SkipWhile(a => a != "--open").Skip(1).FirstOrDefault() is { } o
                ? double.Parse(o, CultureInfo.InvariantCulture)
                : null;
            return NightlyWorkload.Run(count, args.Contains("--phases"), args.Contains("--keep"), changed, args.Contains("--full"),
                args.SkipWhile(a => a != "--explain").Skip(1).FirstOrDefault(), openPercent, args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault());
        }

    case "read-cases":
        return NightlyWorkload.CompareCaseReads(
            args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 200_000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);

    case "explain-compare":
        return NightlyWorkload.CompareExplain(
            args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 100_000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2);

    default:
        BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
        return 0;
}
