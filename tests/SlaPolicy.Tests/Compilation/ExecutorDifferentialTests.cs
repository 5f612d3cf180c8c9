using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs.Generation;
using SlaPolicy.Host.Cli;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// The two executors give the same SLA decisions: the sample policies, cases and service data evaluated by the compiled
/// executor and by Microsoft RulesEngine (<c>rulesengine</c>) give byte-identical output, explanations and credits
/// included, at several evaluation times; and 100,000 generated cases give the same status, level, due time and rule.
/// </summary>
public sealed class ExecutorDifferentialTests : IDisposable
{
    private static readonly RuleCompilerOptions Compiled = new() { UseDiskCache = false };
    private static readonly RuleCompilerOptions RulesEngine = new() { UseDiskCache = false, Executor = RuleExecutor.RulesEngine };

    private readonly string _dir = Directory.CreateTempSubdirectory("slapolicy-executors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FileInfo Sample(string name) => new(Path.Join(PolicyTestFiles.RepoRoot, "samples", name));

    [Theory]
    [InlineData("2026-11-22T02:00:00Z")]
    [InlineData("2026-11-16T09:40:00+01:00")]
    [InlineData("2026-11-03T23:10:00-08:00")]
    public void Evaluate_Samples_SameOutputUnderBothExecutors(string asOf)
    {
        string Evaluate(RuleCompilerOptions options, string name)
        {
            var output = new FileInfo(Path.Join(_dir, name + ".jsonl"));
            EvaluateCommand.Run(PolicyTestFiles.SamplePolicies, Sample("cases.jsonl"), asOf, output, "jsonl", new FileInfo(Path.Join(_dir, name + ".rejected.jsonl")),
                explain: true, Sample("outages.jsonl"), Sample("subscriptions.jsonl"), options).ShouldBe(0);
            return File.ReadAllText(output.FullName);
        }

        var compiled = Evaluate(Compiled, "compiled");
        var rulesEngine = Evaluate(RulesEngine, "rulesengine");

        rulesEngine.ShouldBe(compiled);
        // Not vacuous: the night has breaches, escalations, the custom VIP rule and service credits.
        compiled.ShouldContain("\"status\":\"breached\"");
        compiled.ShouldContain("\"escalationLevel\":3");
        compiled.ShouldContain("vip-sev2-straight-to-l3");
        if (asOf.StartsWith("2026-11-22", StringComparison.Ordinal))
        {
            compiled.ShouldContain("\"creditPercent\"");
        }
    }

    [Fact]
    public void Evaluate_100000GeneratedCases_SameDecisionsUnderBothExecutors()
    {
        var compiled = PolicyPipeline.LoadAndCompile(PolicyTestFiles.SamplePolicies, Compiled).CreateEvaluator();
        var rulesEngineCompilation = PolicyPipeline.LoadAndCompile(PolicyTestFiles.SamplePolicies, RulesEngine);
        rulesEngineCompilation.Compiled!.Workflows.ShouldAllBe(w => w.Executor == RuleExecutor.RulesEngine);
        var rulesEngine = rulesEngineCompilation.CreateEvaluator();
        var cases = new CaseGenerator(seed: 20261201).Generate(100_000).ToList();
        // Mid-period, so that running and paused clocks, partial escalations and met targets all occur.
        var asOf = new DateTimeOffset(2026, 11, 12, 15, 0, 0, TimeSpan.Zero);

        static (string, string?, DecisionStatus, DateTimeOffset?, int, string?, string?) Key(Decision d) =>
            (d.CaseId, d.Target, d.Status, d.DueAt, d.EscalationLevel, d.RuleName, d.PolicyVersion);

        var expected = compiled.EvaluateAll(cases, asOf, explain: false).Select(Key).ToList();
        var actual = rulesEngine.EvaluateAll(cases, asOf, explain: false).Select(Key).ToList();

        actual.Count.ShouldBe(expected.Count);
        var differences = expected.Zip(actual).Where(p => p.First != p.Second).Take(5).ToList();
        differences.ShouldBeEmpty(string.Join("\n", differences.Select(d => $"compiled {d.First} / rulesengine {d.Second}")));
        foreach (var status in new[] { DecisionStatus.Met, DecisionStatus.Breached, DecisionStatus.Running, DecisionStatus.Paused })
        {
            expected.Count(d => d.Item3 == status).ShouldBeGreaterThan(100, $"{status} decisions");
        }

        expected.Count(d => d.Item5 >= 2).ShouldBeGreaterThan(100, "escalated decisions");
    }
}
