using System.Collections.Immutable;
using System.Globalization;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Clocks;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Benchmarks;

/// <summary>The inputs the benchmarks measure: a 1,000-rule policy set and the RulesEngine SLA workflow.</summary>
public static class Workloads
{
    /// <summary>
    /// 100 policies × (4 targets + 3 escalation steps + 3 custom rules) = 1,000 generated rules, all different text.
    /// </summary>
    public static PolicySet ThousandRules()
    {
        var policies = ImmutableArray.CreateBuilder<Policy>();
        for (var p = 0; p < 100; p++)
        {
            var id = "policy-" + p.ToString(CultureInfo.InvariantCulture);
            var at = new SourceLocation($"policies/{id}.json", 1, 1);
            var targets = Enumerable.Range(1, 4).Select(s => new TargetTerm($"sev{s}-resolution", TargetMetric.Resolution, [s],
                TimeSpan.FromMinutes(60 * s + p), ClockKind.TwentyFourSeven, at, id)).ToImmutableArray();
            var escalations = ImmutableArray.Create(
                new EscalationStep("notify", 50m + p % 10, "notify", null, "team-lead", at, id),
                new EscalationStep("l2", 75m + p % 10, "escalate", 2, "l2", at, id),
                new EscalationStep("l3", 100m + p % 10, "escalate", 3, "duty", at, id));
            var rules = ImmutableArray.Create(
                Rule($"vip-{p}", $"ticket.Severity <= {p % 4 + 1} && ticket.Tags.Contains(\"vip{p}\")", "escalate:3", at, id),
                Rule($"long-{p}", $"clock.ElapsedMinutes > {p + 10} AND NOT clock.IsStopped", "escalate:2", at, id),
                Rule($"region-{p}", $"ticket.Customer == \"c{p}\" || ticket.Region.StartsWith(\"eu-{p}\")", "notify:account-manager", at, id));
            policies.Add(new Policy(id, "1", new DateOnly(2026, 1, 1), null, null, PolicyScope.All, null, [], targets, escalations, [], null, rules, at.File, at));
        }

        return new PolicySet(policies.ToImmutable(), ImmutableDictionary<string, CalendarDefinition>.Empty);
    }

    private static RuleDefinition Rule(string name, string expression, string successEvent, SourceLocation at, string definedBy) =>
        new(name, expression, successEvent, null, true, null, [], [], null, null, at, SourceLocation.None, definedBy);

    /// <summary>Compiles the 1,000-rule set with the given cache directory; throws if anything failed to compile.</summary>
    public static CompiledPolicySet CompileThousand(string cacheDirectory, PolicySet? policies = null)
    {
        var diagnostics = new DiagnosticBag();
        var set = RuleCompiler.Compile(policies ?? ThousandRules(), diagnostics, new RuleCompilerOptions { CacheDirectory = cacheDirectory });
        if (diagnostics.HasErrors)
        {
            throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        }

        return set;
    }

    /// <summary>Compiles sla-workflow.json for its input shape and binds <paramref name="count"/> varied inputs.</summary>
    /// <summary>Inputs of sla-workflow.json: every tier, region and severity, response and resolution times spread out.</summary>
    public static JObject[] SlaInputs(int count)
    {
        string[] tiers = ["Gold", "Silver", "Bronze"];
        string[] regions = ["EU", "US", "APAC"];
        return [.. Enumerable.Range(0, count).Select(i => new JObject
        {
            ["Tier"] = tiers[i % 3],
            ["Region"] = regions[i / 3 % 3],
            ["Severity"] = i % 4 + 1,
            ["ResponseMinutes"] = i * 7 % 90,
            ["ResolutionMinutes"] = i * 37 % 5000,
            ["UptimePct"] = 99.0 + i % 100 / 100.0,
        })];
    }

    public static (CompiledParameterWorkflow Workflow, object?[][] Inputs) SlaWorkflow(int count)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sla-workflow.json");
        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(File.ReadAllText(path), path, diagnostics);
        var json = SlaInputs(count);
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", json)], diagnostics, new RuleCompilerOptions { UseDiskCache = false });
        if (diagnostics.HasErrors)
        {
            throw new InvalidOperationException(string.Join("\n", diagnostics.Items));
        }

        // Steady state: the inputs are bound once the quick start has moved to the Roslyn-compiled rules.
        set.WhenCompiled.GetAwaiter().GetResult();
        return (set.Get("SlaPolicy"), json.Select(j => set.Bind(j)).ToArray());
    }

    /// <summary>Starts this benchmark program again in a fresh process (through <c>dotnet</c> when that is the host).</summary>
    /// <summary>The repository root (the folder holding SlaPolicy.sln), found upwards from the benchmark's binaries.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SlaPolicy.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }

    public static System.Diagnostics.ProcessStartInfo SelfStartInfo(params string[] arguments)
    {
        var host = Environment.ProcessPath!;
        var info = new System.Diagnostics.ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Workloads).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Inputs of one policy rule evaluation, for the policy workflow hot path.</summary>
    public static RuleInputs PolicyInputs(Policy policy) => new(
        new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 1, DateTimeOffset.UnixEpoch, null, null, ["vip"], []),
        new ClockResult(TimeSpan.FromMinutes(50), TimeSpan.Zero, policy.Targets[0].Within, null, null, ClockStatus.Running),
        policy.Targets[0],
        policy);
}
