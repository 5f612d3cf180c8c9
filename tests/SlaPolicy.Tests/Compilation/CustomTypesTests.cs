using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

/// <summary>A helper an operator registers (<c>Rules:CustomTypes</c>) so that policies may call it.</summary>
public static class AcmeRules
{
    public static bool IsKeyAccount(string customer) => customer is "acme" or "globex";

    public static Type Leak() => typeof(File);
}

/// <summary>
/// Registered custom types: under both executors their members are reachable, and nothing else is: a value of a type
/// the sandbox refuses stays refused even when a registered member returns it; unregistered, the type does not exist.
/// </summary>
public class CustomTypesTests
{
    public static TheoryData<RuleExecutor> Executors => [RuleExecutor.Compiled, RuleExecutor.RulesEngine];

    private static RuleCompilerOptions Options(RuleExecutor executor, params Type[] custom) =>
        new() { UseDiskCache = false, Executor = executor, RulesEngine = new RulesEngineSettings { CustomTypes = [.. custom] } };

    [Theory]
    [MemberData(nameof(Executors))]
    public void Compile_RegisteredHelper_IsCalled(RuleExecutor executor)
    {
        var diagnostics = new DiagnosticBag();
        var policy = Policy(rules: [Rule("key-account", "AcmeRules.IsKeyAccount(ticket.Customer)", "escalate:3")]);
        var compiled = CompileOne(policy, diagnostics, Options(executor, typeof(AcmeRules)));

        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        compiled.Run(new RuleInputs(Case(), Clock(10), policy.Targets[0], policy)).EscalationLevel.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public void Compile_UnregisteredHelper_IsRefused(RuleExecutor executor)
    {
        var diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [Rule("key-account", "AcmeRules.IsKeyAccount(ticket.Customer)", "escalate:3")]), diagnostics, Options(executor));

        diagnostics.Items.ShouldHaveSingleItem().Code.ShouldStartWith("SLA400");
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public void Compile_RegisteredHelperReturningAForbiddenType_IsRefused(RuleExecutor executor)
    {
        var diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [Rule("leak", "AcmeRules.Leak().Assembly != null")]), diagnostics, Options(executor, typeof(AcmeRules)));

        diagnostics.Items.ShouldHaveSingleItem().Code.ShouldBe("SLA4003");
    }
}
