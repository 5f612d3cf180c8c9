using System.Diagnostics;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Inputs.Generation;

namespace SlaPolicy.Benchmarks;

/// <summary>
/// Evaluation throughput on the sample policies over generated cases, in memory, one thread, explanations off (on
/// with <c>--explain</c>).
/// Two workloads from the same generated cases: "24x7" makes every case severity 1 (two 24x7 targets each) and
/// drops its status events; "business with pauses" makes every case severity 4 (one business-hours target on its
/// region's calendar) and keeps its events, so pauses are walked.
/// </summary>
public static class EvaluationWorkload
{
    public static IEnumerable<(string Name, long Decisions, double Seconds, long Bytes)> Measure(int count, bool explain = false)
    {
        var evaluator = PolicyPipeline.LoadAndCompile(Path.Combine(Workloads.RepoRoot(), "policies")).CreateEvaluator();
        var asOf = CaseGenerator.Cutoff;
        var generated = new CaseGenerator(20261122, GenerationProfile.Synthetic).Generate(count).ToArray();
        var twentyFourSeven = generated.Select(c => c with { Severity = 1, Events = [] }).ToArray();
        var withPauses = generated.Select(c => c with { Severity = 4 }).ToArray();
        var paused = withPauses.Count(c => !c.Events.IsDefaultOrEmpty);
        Console.WriteLine($"{count:N0} generated cases; {paused:N0} with status events");
        var with = explain ? ", with explanations" : string.Empty;
        yield return Run("24x7 targets" + with, evaluator, twentyFourSeven, asOf, explain);
        yield return Run("business-calendar targets with pauses" + with, evaluator, withPauses, asOf, explain);
    }

    private static (string, long, double, long) Run(string name, Engine.Evaluation.CaseEvaluator evaluator, CaseRecord[] cases, DateTimeOffset asOf, bool explain)
    {
        // Warm up on a slice so tiered compilation has settled before the measured pass.
        for (var i = 0; i < Math.Min(cases.Length, 50_000); i++)
        {
            evaluator.Evaluate(cases[i], asOf, explain);
        }

        long decisions = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        foreach (var ticket in cases)
        {
            decisions += evaluator.Evaluate(ticket, asOf, explain).Count;
        }

        watch.Stop();
        return (name, decisions, watch.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
