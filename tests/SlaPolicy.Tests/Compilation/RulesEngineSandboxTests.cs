using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// The <c>rulesengine</c> executor's sandbox: every hostile expression the compiled executor refuses is refused here
/// too, before RulesEngine compiles it, and so are the Dynamic LINQ forms that would reach outside the allowed members
/// or cost without bound. A refused rule is reported at its file:line:col and runs as an error result.
/// </summary>
public class RulesEngineSandboxTests
{
    private static readonly RuleCompilerOptions RulesEngine = new() { UseDiskCache = false, Executor = RuleExecutor.RulesEngine };

    /// <summary>Dynamic LINQ's own ways out, and ways to make an evaluation cost without bound.</summary>
    public static TheoryData<string> DynamicLinqHostile => new()
    {
        "\"\".GetType().Assembly.FullName != null",
        "ticket.GetType().Name == \"CaseRecord\"",
        "Type.GetType(\"System.IO.File\") != null",
        "DateTime.Now > ticket.OpenedAt",
        "DateTimeOffset.UtcNow > ticket.OpenedAt",
        "Guid.NewGuid() != Guid.Empty",
        "\"x\".PadLeft(2000000000).Length > 0",
        "new string('x', 2000000000).Length > 0",
        "string.Join(\",\", ticket.Tags) != \"\"",
        "ticket.Tags.SelectMany(a => ticket.Tags).SelectMany(b => ticket.Tags).Count() > 0",
        "ticket.Tags.Any(a => ticket.Tags.Any(b => ticket.Tags.Any(c => c == a + b)))",
        "Enumerable.Range(0, 2147483647).Count() > 0",
        "ticket.Tags.ToArray().GetValue(0) != null",
        "Convert.ChangeType(ticket.Severity, typeof(string)) != null",
        "ticket.Tags.Aggregate(\"\", (a, b) => a + a + b).Length > 0",
        "\"x\".GetHashCode() != 0",
        "new System.Text.StringBuilder().Length == 0",
        "System.IO.File.Exists(\"/etc/passwd\")",
        "System.Environment.GetEnvironmentVariable(\"HOME\") != null",
        "AppDomain.CurrentDomain != null",
        "ticket.Tags.Select(t => t.Normalize()).Count() > 0",
        new string('(', 40) + "true" + new string(')', 40),
        new string('!', 40) + "true",
        string.Join(" && ", Enumerable.Repeat("ticket.Severity == 1", 300)),
    };

    [Theory]
    [MemberData(nameof(SandboxTests.Hostile), MemberType = typeof(SandboxTests))]
    public void Compile_HostileCSharp_RefusedUnderRulesEngineToo(string expression, string compiledCode, string compiledAt)
    {
        _ = compiledAt;
        if (NotHostileInDynamicLinq.TryGetValue(expression, out var reason))
        {
            // Harmless here, and run: the reason says why.
            var diagnostics = new DiagnosticBag();
            CompileOne(Policy(rules: [Rule("harmless", expression)]), diagnostics, RulesEngine);
            diagnostics.Items.ShouldBeEmpty(reason);
            compiledCode.ShouldBeOneOf(["SLA4004", "SLA4008"], reason);
            return;
        }

        AssertRefused(expression);
    }

    /// <summary>What the compiled executor refuses for a reason that does not hold under Dynamic LINQ.</summary>
    private static readonly Dictionary<string, string> NotHostileInDynamicLinq = new(StringComparer.Ordinal)
    {
        ["ticket.Events.Average(e => ticket.Events.Min(f => f.At.Minute)) > 2"] =
            "refused by the compiled executor because Roslyn's overload resolution of lambdas inside Sum/Average/Min/Max lambdas grows exponentially; Dynamic LINQ resolves them directly, and two nested lambdas cost at most the square of the input",
        ["ticket.Events.Sum(a => ticket.Events.Sum(b => b.At.Minute)) > 0"] =
            "as above: the cost of compiling nested aggregates is Roslyn's, not Dynamic LINQ's",
    };

    [Theory]
    [MemberData(nameof(DynamicLinqHostile))]
    public void Compile_HostileDynamicLinq_Refused(string expression) => AssertRefused(expression);

    [Theory]
    [InlineData("ticket.Tags.Contains(\"vip\") && ticket.Severity <= 2")]
    [InlineData("ticket.Severity = 1 and ticket.Tags.Any(t => t.StartsWith(\"v\"))")]
    [InlineData("iif(clock.PercentUsed > 50, ticket.Tier, \"none\") == \"gold\" || np(ticket.Tier) == \"gold\"")]
    [InlineData("ticket.Events.Count(e => e.Status == \"waiting_on_customer\") >= 1 || policy.Targets.Any(t => t.Within < TimeSpan.FromHours(1))")]
    [InlineData("Math.Max(clock.ElapsedMinutes, 1) / 60 > 2 || clock.Elapsed > TimeSpan.FromHours(2)")]
    [InlineData("new [] {\"vip\", \"regulated\"}.Any(t => ticket.Tags.Contains(t))")]
    public void Compile_AllowedDynamicLinq_RunsUnderRulesEngine(string expression)
    {
        var diagnostics = new DiagnosticBag();
        var compiled = CompileOne(Policy(rules: [Rule("ok", expression, "escalate:3")]), diagnostics, RulesEngine);

        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        var policy = Policy();
        var result = compiled.Execute(new RuleInputs(Case(1, "vip"), Clock(200), policy.Targets[0], policy)).Single(r => r.RuleName == "ok");
        result.HasError.ShouldBeFalse(result.ExceptionMessage);
        compiled.Executor.ShouldBe(RuleExecutor.RulesEngine);
    }

    [Fact]
    public void Compile_DynamicLinqOnlyExpression_RunsUnderRulesEngineAndIsRefusedByTheCompiledExecutor()
    {
        // `np(…)` is Dynamic LINQ's null propagation; C# has no such function.
        var rule = Rule("vip", "np(ticket.Tier) == \"gold\" and ticket.Tags.Contains(\"vip\")", "escalate:3");
        var policy = Policy(rules: [rule]);
        var inputs = new RuleInputs(Case(1, "vip"), Clock(10), policy.Targets[0], policy);

        var underRulesEngine = CompileOne(policy, options: RulesEngine).Run(in inputs);
        var compiledDiagnostics = new DiagnosticBag();
        var underCompiled = CompileOne(policy, compiledDiagnostics).Run(in inputs);

        underRulesEngine.EscalationLevel.ShouldBe(3);
        underRulesEngine.HasErrors.ShouldBeFalse();
        compiledDiagnostics.Items.ShouldNotBeEmpty();
        underCompiled.EscalationLevel.ShouldBe(0);
        underCompiled.HasErrors.ShouldBeTrue();
    }

    private static void AssertRefused(string expression)
    {
        var diagnostics = new DiagnosticBag();
        var policy = Policy(rules: [Rule("hostile", expression, "escalate:3")]);
        var compiled = CompileOne(policy, diagnostics, RulesEngine);

        var error = diagnostics.Items.ShouldHaveSingleItem(string.Join("\n", diagnostics.Items));
        error.Code.ShouldStartWith("SLA4");
        error.Location.File.ShouldBe(PolicyFile);
        error.Location.Line.ShouldBe(40);
        var inputs = new RuleInputs(Case(1, "vip"), Clock(10), policy.Targets[0], policy);
        var result = compiled.Execute(in inputs).Single(r => r.RuleName == "hostile");
        result.IsSuccess.ShouldBeFalse();
        result.ExceptionMessage.ShouldNotBeNull().ShouldContain(error.Code);
        var outcome = compiled.Run(in inputs);
        outcome.HasErrors.ShouldBeTrue();
        outcome.EscalationLevel.ShouldBe(0);
    }
}
