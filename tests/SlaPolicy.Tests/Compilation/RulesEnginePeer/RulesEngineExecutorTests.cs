using System.Collections.Immutable;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Tests.Compilation.RulesEnginePeer;

/// <summary>The <c>rulesengine</c> executor where a rule or action is refused or invalid, and Dynamic LINQ forms it allows.</summary>
public class RulesEngineExecutorTests
{
    private static IReadOnlyList<RuleResult> Run(string rules, JToken input, RulesEngineSettings? settings = null)
    {
        var read = new DiagnosticBag();
        var workflows = WorkflowJson.Parse($$"""[{ "WorkflowName": "wf", "Rules": {{rules}} }]""", "test.json", read);
        read.HasErrors.ShouldBeFalse(string.Join("\n", read.Items));
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", input)], new DiagnosticBag(),
            new RuleCompilerOptions { UseDiskCache = false, Executor = RuleExecutor.RulesEngine, RulesEngine = settings ?? new RulesEngineSettings() });
        return set.Get("wf").Execute(set.Bind(input));
    }

    [Fact]
    public void Execute_NestedRuleThatDoesNotParse_EveryChildHasAResult()
    {
        var results = Run("""
            [{ "RuleName": "any", "Operator": "Or", "Rules": [
                { "RuleName": "ok", "Expression": "input1.A == 1" },
                { "RuleName": "broken", "Expression": "input1.Missing == 1" } ] }]
            """, JObject.Parse("""{ "A": 1 }"""));

        var parent = results.ShouldHaveSingleItem();
        parent.IsSuccess.ShouldBeFalse();
        parent.HasError.ShouldBeTrue();
        parent.ChildResults.Select(c => (c.RuleName, c.IsSuccess, c.HasError)).ShouldBe([("ok", true, false), ("broken", false, true)]);
    }

    [Fact]
    public void Execute_TextConcatenationAndStringConversion_AreAllowed()
    {
        var results = Run("""
            [{ "RuleName": "concat", "Expression": "greeting == \"hello world\"",
               "LocalParams": [{ "Name": "greeting", "Expression": "input1.A + \" \" + input1.B" }] },
             { "RuleName": "convert", "Expression": "String(input1.A) == \"hello\"" }]
            """, JObject.Parse("""{ "A": "hello", "B": "world" }"""));

        results.Select(r => (r.RuleName, r.IsSuccess, r.ExceptionMessage)).ShouldBe([("concat", true, null), ("convert", true, null)]);
    }

    [Fact]
    public void Execute_RepeatedCharacterConstructor_IsStillRefused()
    {
        var result = Run("""[{ "RuleName": "r", "Expression": "String('x', 1000000000).Length > 0" }]""", JObject.Parse("{}")).ShouldHaveSingleItem();

        result.IsSuccess.ShouldBeFalse();
        result.ExceptionMessage.ShouldNotBeNull().ShouldContain("SLA4003");
    }

    [Theory]
    [InlineData("""[{ "WorkflowName": "w", "Rules": [{ "RuleName": "r", "Expression": "dup == 1", "LocalParams": [{ "Name": "dup", "Expression": "1" }, { "Name": "dup", "Expression": "2" }] }] }]""")]
    [InlineData("""[{ "WorkflowName": "w", "GlobalParams": [{ "Name": "dup", "Expression": "1" }, { "Name": "dup", "Expression": "2" }], "Rules": [{ "RuleName": "r", "Expression": "dup == 1" }] }]""")]
    public void Parse_DuplicateParameterName_IsRefusedAsRulesEngineRefusesIt(string json)
    {
        // RulesEngine's validation rejects the workflow; before, SlaPolicy compiled it and the rule failed to compile.
        var diagnostics = new SlaPolicy.Engine.Diagnostics.DiagnosticBag();
        WorkflowJson.Parse(json, "w.json", diagnostics);

        var error = diagnostics.Items.ShouldHaveSingleItem();
        error.Code.ShouldBe("SLA5010");
        error.Message.ShouldContain("`dup` twice");
    }

    [Fact]
    public void Execute_RefusedRuleWithExceptionsNotAsMessages_Throws()
    {
        Should.Throw<RulesEngine.Exceptions.RuleException>(() => Run("""[{ "RuleName": "r", "Expression": "input1.Missing == 1" }]""",
            JObject.Parse("{}"), new RulesEngineSettings { EnableExceptionAsErrorMessage = false }));
    }

    [Fact]
    public void Execute_RefusedAction_RuleRunsAndTheActionFails()
    {
        var result = Run("""
            [{ "RuleName": "r", "Expression": "true",
               "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "input1.A.NoSuchMethod()" } } } }]
            """, JObject.Parse("""{ "A": "x" }""")).ShouldHaveSingleItem();

        result.IsSuccess.ShouldBeTrue();
        result.ActionOutput.ShouldBeNull();
        result.ActionException.ShouldNotBeNull().ShouldContain("SLA400");
    }
}
