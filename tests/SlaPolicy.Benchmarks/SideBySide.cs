using System.Diagnostics;
using System.Dynamic;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Benchmarks;

/// <summary>
/// sla-workflow.json (20 rules) on the same 1,000 inputs, in one process and one thread: Microsoft RulesEngine 6.0.1
/// itself (<c>ExecuteAllRulesAsync</c>, inputs as ExpandoObjects as its users read JSON), SlaPolicy's compiled
/// executor (the outcome path <c>Run</c> and the full trace <c>Execute</c>) and SlaPolicy's <c>rulesengine</c> executor.
/// </summary>
public sealed class SideBySideWorkload
{
    public const int Inputs = 1000;

    private readonly RulesEngine.RulesEngine _engine;
    private readonly ExpandoObject[] _expando;
    private readonly CompiledParameterWorkflow _compiled;
    private readonly object?[][] _bound;
    private readonly CompiledParameterWorkflow _rulesEngineExecutor;
    private readonly object?[][] _rulesEngineBound;

    public SideBySideWorkload()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sla-workflow.json");
        var text = File.ReadAllText(path);
        var json = Workloads.SlaInputs(Inputs);
        // As RulesEngine's users load a workflow file.
        var models = System.Text.Json.JsonSerializer.Deserialize<RulesEngine.Models.Workflow[]>(text)!;
        _engine = new RulesEngine.RulesEngine(models, new RulesEngine.Models.ReSettings());
        var converter = new Newtonsoft.Json.Converters.ExpandoObjectConverter();
        _expando = [.. json.Select(j => Newtonsoft.Json.JsonConvert.DeserializeObject<ExpandoObject>(j.ToString(), converter)!)];

        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(text, path, diagnostics);
        var parameters = ImmutableParameters(json);
        var compiled = RuleCompiler.Compile(workflows, parameters, diagnostics, new RuleCompilerOptions { UseDiskCache = false });
        var rulesEngine = RuleCompiler.Compile(workflows, parameters, diagnostics, new RuleCompilerOptions { UseDiskCache = false, Executor = RuleExecutor.RulesEngine });
        if (diagnostics.HasErrors)
        {
            throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        }

        // Steady state: the inputs are bound once the quick start has moved to the Roslyn-compiled rules.
        compiled.WhenCompiled.GetAwaiter().GetResult();
        _compiled = compiled.Get("SlaPolicy");
        _bound = [.. json.Select(j => compiled.Bind(j))];
        _rulesEngineExecutor = rulesEngine.Get("SlaPolicy");
        _rulesEngineBound = [.. json.Select(j => rulesEngine.Bind(j))];
    }

    /// <summary>
    /// Loads sla-workflow.json and evaluates one input with <paramref name="who"/> (<c>rulesengine-package</c>,
    /// <c>compiled</c>: the default options, <c>compiled-roslyn</c>: without the quick start, <c>rulesengine</c>);
    /// returns how many rules succeeded.
    /// </summary>
    public static int FirstResult(string who)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sla-workflow.json");
        var text = File.ReadAllText(path);
        var input = Workloads.SlaInputs(1)[0];
        if (who == "rulesengine-package")
        {
            var models = System.Text.Json.JsonSerializer.Deserialize<RulesEngine.Models.Workflow[]>(text)!;
            var engine = new RulesEngine.RulesEngine(models, new RulesEngine.Models.ReSettings());
            var expando = Newtonsoft.Json.JsonConvert.DeserializeObject<ExpandoObject>(input.ToString(), new Newtonsoft.Json.Converters.ExpandoObjectConverter())!;
            return engine.ExecuteAllRulesAsync("SlaPolicy", expando).AsTask().GetAwaiter().GetResult().Count(r => r.IsSuccess);
        }

        var stages = Environment.GetEnvironmentVariable("SLAPOLICY_FIRST_RESULT_STAGES") == "1";
        var watch = Stopwatch.StartNew();
        void Stage(string name)
        {
            if (stages)
            {
                Console.Error.WriteLine(FormattableString.Invariant($"  {name}: {watch.Elapsed.TotalMilliseconds:F0} ms"));
            }
        }

        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(text, path, diagnostics);
        Stage("read");
        var executor = who == "rulesengine" ? RuleExecutor.RulesEngine : RuleExecutor.Compiled;
        // `compiled` is the default path (its quick start included); `compiled-roslyn` waits for Roslyn.
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", input)], diagnostics,
            new RuleCompilerOptions { UseDiskCache = false, Executor = executor, QuickStart = who != "compiled-roslyn" });
        Stage("compiled");
        var bound = set.Bind(input);
        Stage("bound");
        var successes = set.Get("SlaPolicy").Execute(bound).Count(r => r.IsSuccess);
        Stage("first result");
        return successes;
    }

    private static System.Collections.Immutable.ImmutableArray<InputParameter> ImmutableParameters(JObject[] json) => [InputParameter.Infer("input1", json)];

    public long RulesEnginePackage()
    {
        long sink = 0;
        foreach (var input in _expando)
        {
            var pending = _engine.ExecuteAllRulesAsync("SlaPolicy", input);
            var results = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            foreach (var r in results)
            {
                sink += r.IsSuccess ? 1 : 0;
            }
        }

        return sink;
    }

    public long CompiledRun()
    {
        long sink = 0;
        foreach (var input in _bound)
        {
            sink += (long)(_compiled.Run(input).FiredMask & 0xFFFF);
        }

        return sink;
    }

    public long CompiledExecute() => Successes(_compiled, _bound);

    public long RulesEngineExecutorExecute() => Successes(_rulesEngineExecutor, _rulesEngineBound);

    /// <summary>Runs the full trace of <paramref name="workflow"/> on every input; the number of rules that succeeded.</summary>
    private static long Successes(CompiledParameterWorkflow workflow, object?[][] inputs)
    {
        long sink = 0;
        foreach (var input in inputs)
        {
            foreach (var r in workflow.Execute(input))
            {
                sink += r.IsSuccess ? 1 : 0;
            }
        }

        return sink;
    }

    /// <summary>
    /// Each path in turn, <paramref name="rounds"/> times (interleaved, so a change in the machine's load touches all
    /// of them), about 0.3 s per turn; prints the median inputs/s, bytes per input and the ratio to RulesEngine.
    /// Also checks that the paths agree on how many rules succeed.
    /// </summary>
    public static void Measure(int rounds)
    {
        var workload = new SideBySideWorkload();
        var paths = new (string Name, Func<long> Pass)[]
        {
            ("RulesEngine 6.0.1 ExecuteAllRulesAsync", workload.RulesEnginePackage),
            ("SlaPolicy compiled, outcome (Run)", workload.CompiledRun),
            ("SlaPolicy compiled, full trace (Execute)", workload.CompiledExecute),
            ("SlaPolicy rulesengine executor (Execute)", workload.RulesEngineExecutorExecute),
        };
        var successes = new[] { workload.RulesEnginePackage(), workload.CompiledExecute(), workload.RulesEngineExecutorExecute() };
        if (successes.Distinct().Count() != 1)
        {
            throw new InvalidOperationException($"the paths disagree on how many rules succeed: {string.Join(", ", successes)}");
        }

        var passes = new int[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            // Warm up, then size a turn to about 0.3 s.
            var watch = Stopwatch.StartNew();
            var n = 0;
            while (watch.Elapsed.TotalSeconds < 0.3)
            {
                paths[i].Pass();
                n++;
            }

            passes[i] = Math.Max(1, n);
        }

        var rates = paths.Select(_ => new List<double>()).ToArray();
        var bytes = new double[paths.Length];
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < paths.Length; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                for (var p = 0; p < passes[i]; p++)
                {
                    paths[i].Pass();
                }

                watch.Stop();
                var count = (double)passes[i] * Inputs;
                rates[i].Add(count / watch.Elapsed.TotalSeconds);
                bytes[i] = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
            }
        }

        var median = rates.Select(r => r.Order().ElementAt(r.Count / 2)).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sla-workflow.json, 20 rules, {Inputs:N0} inputs, one thread, median of {rounds} interleaved rounds, load {LoadAverage()}:"));
        for (var i = 0; i < paths.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {paths[i].Name,-42} {median[i],12:N0} inputs/s  {median[i] / median[0],6:F2}x  {bytes[i],9:N0} B/input  {bytes[i] / bytes[0],6:P1} of RulesEngine's allocation"));
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}

/// <summary>The same four paths under BenchmarkDotNet, RulesEngine as the baseline.</summary>
[MemoryDiagnoser]
public class RulesEngineSideBySideBenchmarks
{
    private SideBySideWorkload _workload = null!;

    [GlobalSetup]
    public void Setup() => _workload = new SideBySideWorkload();

    [Benchmark(Baseline = true, OperationsPerInvoke = SideBySideWorkload.Inputs)]
    public long RulesEnginePackage() => _workload.RulesEnginePackage();

    [Benchmark(OperationsPerInvoke = SideBySideWorkload.Inputs)]
    public long CompiledRun() => _workload.CompiledRun();

    [Benchmark(OperationsPerInvoke = SideBySideWorkload.Inputs)]
    public long CompiledExecute() => _workload.CompiledExecute();

    [Benchmark(OperationsPerInvoke = SideBySideWorkload.Inputs)]
    public long RulesEngineExecutorExecute() => _workload.RulesEngineExecutorExecute();
}
