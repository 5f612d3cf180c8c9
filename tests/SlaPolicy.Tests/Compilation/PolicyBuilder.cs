using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Tests.Compilation;

/// <summary>Builds canonical policy records in code, as the policy reader would produce them.</summary>
internal static class PolicyBuilder
{
    public const string PolicyFile = "policies/acme-gold.json";

    public static SourceLocation At(int line, int column) => new(PolicyFile, line, column);

    public static RuleDefinition Rule(string name, string expression, string? successEvent = null, int line = 40, int column = 21) =>
        new(name, expression, successEvent, null, true, null, [], [], null, null, At(line, 7), At(line, column), "acme-gold");

    public static TargetTerm Target(string id, TimeSpan within, int line = 10) =>
        new(id, TargetMetric.Resolution, [1], within, ClockKind.TwentyFourSeven, At(line, 7), "acme-gold");

    public static Policy Policy(
        ImmutableArray<RuleDefinition> rules = default,
        ImmutableArray<TargetTerm> targets = default,
        ImmutableArray<EscalationStep> escalations = default,
        AvailabilityTerm? availability = null,
        string id = "acme-gold",
        string version = "2026.2") =>
        new(id, version, new DateOnly(2026, 1, 1), null, null, PolicyScope.All, null, [],
            targets.IsDefault ? [Target("sev1-resolution", TimeSpan.FromHours(4))] : targets,
            escalations.IsDefault
                ? [
                    new EscalationStep("notify-lead", 50m, "notify", null, "team-lead", At(20, 7), "acme-gold"),
                    new EscalationStep("l2", 75m, "escalate", 2, "l2-oncall", At(21, 7), "acme-gold"),
                    new EscalationStep("l3", 100m, "escalate", 3, "duty-manager", At(22, 7), "acme-gold"),
                ]
                : escalations,
            [], availability, rules.IsDefault ? [] : rules, PolicyFile, At(1, 1));

    public static CaseRecord Case(int severity = 1, params string[] tags) =>
        new("C-1001", "acme", "gold", "eu-west", "email", severity, new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.FromHours(1)),
            null, null, [.. tags], []);

    /// <summary>A clock of a 4 h target with <paramref name="elapsedMinutes"/> counted.</summary>
    public static ClockResult Clock(double elapsedMinutes, bool stopped = false) =>
        new(TimeSpan.FromMinutes(elapsedMinutes), TimeSpan.Zero, TimeSpan.FromHours(4), null,
            stopped ? new DateTimeOffset(2026, 11, 20, 20, 0, 0, TimeSpan.Zero) : null, ClockStatus.Running);

    public static RuleCompilerOptions Options(string? cacheDirectory = null) =>
        new() { CacheDirectory = cacheDirectory ?? Path.Combine(Path.GetTempPath(), "slapolicy-tests-" + Guid.NewGuid().ToString("N")) };

    public static CompiledWorkflow CompileOne(Policy policy, DiagnosticBag? diagnostics = null, RuleCompilerOptions? options = null)
    {
        var set = RuleCompiler.Compile(new PolicySet([policy], ImmutableDictionary<string, CalendarDefinition>.Empty), diagnostics ?? new DiagnosticBag(), options ?? new RuleCompilerOptions { UseDiskCache = false });
        return set.Get(policy);
    }
}
