using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Compilation;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

/// <summary>The Dynamic LINQ forms the compiled executor reads as RulesEngine does, and where it stops.</summary>
public class DialectTests
{
    [Theory]
    [InlineData("Ticket.Severity == 1 && TICKET.Tags.Contains(\"vip\")")]
    [InlineData("ticket.Severity = 1 and ticket.Customer <> \"globex\"")]
    [InlineData("ticket.Tags.Any(it == \"vip\") && ticket.Events.Count(Status = \"open\") == 0 && ticket.Severity == 1")]
    [InlineData("new (ticket.Severity as S, ticket.Customer as C).S == 1 && new { A = 1 }.A == 1")]
    public void Compile_PolicyRuleInDynamicLinqForms_RunsAsWritten(string expression)
    {
        var diagnostics = new DiagnosticBag();
        var policy = Policy(rules: [Rule("vip", expression, "escalate:3")]);
        var compiled = CompileOne(policy, diagnostics);

        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        compiled.Run(new RuleInputs(Case(1, "vip"), Clock(10), policy.Targets[0], policy)).EscalationLevel.ShouldBe(3);
        compiled.Run(new RuleInputs(Case(2, "vip"), Clock(10), policy.Targets[0], policy)).EscalationLevel.ShouldBe(0);
    }

    [Fact]
    public void Compile_CaseSensitiveNames_LeavesAnotherCaseUnresolved()
    {
        var policy = Policy(rules: [Rule("vip", "Ticket.Severity == 1", "escalate:3")]);
        var diagnostics = new DiagnosticBag();
        CompileOne(policy, diagnostics, new RuleCompilerOptions { UseDiskCache = false, RulesEngine = new RulesEngineSettings { IsExpressionCaseSensitive = true } });

        diagnostics.Items.ShouldHaveSingleItem().Code.ShouldBe("SLA4002");
    }

    [Fact]
    public void Compile_SingleInputWorkflow_BareNameReadsTheInput()
    {
        var input = JObject.Parse("""{ "Tier": "gold", "Codes": [1, 2] }""");
        var workflows = WorkflowJson.Parse("""[{ "WorkflowName": "w", "Rules": [{ "RuleName": "r", "Expression": "Tier = \"gold\" AND Codes.Length == 2" }] }]""", "w.json", new DiagnosticBag());
        var diagnostics = new DiagnosticBag();
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", input)], diagnostics, new RuleCompilerOptions { UseDiskCache = false });

        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        set.Get("w").Execute(set.Bind(input)).ShouldHaveSingleItem().IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Compile_AssignmentOtherThanALoneEquals_IsStillRefused()
    {
        var diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [Rule("x", "ticket.Tags.Select(t => t += \"x\").Any()")]), diagnostics);

        diagnostics.Items.ShouldHaveSingleItem().Code.ShouldBe("SLA4004");
    }
}
