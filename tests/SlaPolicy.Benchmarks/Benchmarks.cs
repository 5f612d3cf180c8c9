using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Benchmarks;

/// <summary>
/// Compiling 1,000 generated rules, each measured as the first call in a fresh process (cold start, one
/// iteration per launch), so Roslyn's and the engine's JIT cost is included as a user would meet it.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 3, warmupCount: 0, iterationCount: 1)]
public class CompileBenchmarks
{
    private string _cacheDirectory = string.Empty;

    [IterationSetup(Target = nameof(CompileCold))]
    public void NewCacheDirectory() => _cacheDirectory = Path.Combine(Path.GetTempPath(), "slapolicy-bench-" + Guid.NewGuid().ToString("N"));

    [GlobalSetup(Target = nameof(CompileFromDiskCache))]
    public void FillCacheInAnotherProcess()
    {
        // The cache is filled by a child process, so this process has not touched Roslyn when it is measured.
        _cacheDirectory = Path.Combine(Path.GetTempPath(), "slapolicy-bench-cached");
        using var child = Process.Start(Workloads.SelfStartInfo("compile-cold", "--cache", _cacheDirectory))!;
        child.StandardOutput.ReadToEnd();
        child.WaitForExit();
    }

    [Benchmark]
    public int CompileCold() => Workloads.CompileThousand(_cacheDirectory).Workflows.Length;

    [Benchmark]
    public int CompileFromDiskCache()
    {
        var set = Workloads.CompileThousand(_cacheDirectory);
        return set.FromDiskCache ? set.Workflows.Length : throw new InvalidOperationException("the cache was not used");
    }
}

/// <summary>Throughput and allocation of sla-workflow.json (20 rules) on its input shape, per input.</summary>
[MemoryDiagnoser]
public class SlaWorkflowThroughputBenchmarks
{
    private const int Inputs = 1000;
    private CompiledParameterWorkflow _workflow = null!;
    private object?[][] _inputs = [];

    [GlobalSetup]
    public void Setup() => (_workflow, _inputs) = Workloads.SlaWorkflow(Inputs);

    [Benchmark(OperationsPerInvoke = Inputs)]
    public ulong RunSlaWorkflow()
    {
        ulong fired = 0;
        foreach (var input in _inputs)
        {
            fired ^= _workflow.Run(input).FiredMask;
        }

        return fired;
    }

    [Benchmark(OperationsPerInvoke = Inputs)]
    public int ExecuteSlaWorkflowWithTrace()
    {
        var count = 0;
        foreach (var input in _inputs)
        {
            count += _workflow.Execute(input).Count;
        }

        return count;
    }
}
