using SlaPolicy.Engine.Compilation;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

public class WorkflowJsonTests
{
    [Fact]
    public void Parse_Rule_KeepsExpressionStartInsideTheString()
    {
        // Line 3: `    {"RuleName": "r", "Expression": "input1.Tier == \"Gold\""}`; the opening quote of the
        // expression is at index 36, so its first character is column 38.
        var json = "[{\"WorkflowName\": \"w\",\n  \"Rules\": [\n    {\"RuleName\": \"r\", \"Expression\": \"input1.Tier == \\\"Gold\\\"\"}\n]}]";
        var diagnostics = new DiagnosticBag();

        var rule = WorkflowJson.Parse(json, "w.json", diagnostics).ShouldHaveSingleItem().Rules.ShouldHaveSingleItem();

        diagnostics.Items.ShouldBeEmpty();
        rule.Expression.ShouldBe("input1.Tier == \"Gold\"");
        rule.ExpressionLocation.ShouldBe(new SourceLocation("w.json", 3, 38));
    }

    [Fact]
    public void Parse_UnknownProperty_SuggestsTheKnownOne()
    {
        var diagnostics = new DiagnosticBag();
        WorkflowJson.Parse("{\"WorkflowName\": \"w\", \"Rules\": [{\"RuleName\": \"r\", \"Expresion\": \"true\"}]}", "w.json", diagnostics);

        diagnostics.Items.Select(d => d.Code).ShouldBe(["SLA1002", "SLA5007"]);
        diagnostics.Items[0].Help.ShouldBe("did you mean `Expression`?");
    }

    [Fact]
    public void Parse_MalformedJson_ReportsLine()
    {
        var diagnostics = new DiagnosticBag();
        WorkflowJson.Parse("{\n\"WorkflowName\": \"w\",\n\"Rules\": [ }", "w.json", diagnostics).ShouldBeEmpty();

        var error = diagnostics.Items.ShouldHaveSingleItem();
        error.Code.ShouldBe("SLA1001");
        error.Location.Line.ShouldBe(3);
    }

    [Fact]
    public void Serialize_GeneratedWorkflow_ParsesBackToSameRules()
    {
        var policy = Policy(rules: [Rule("vip", "ticket.Tags.Contains(\"vip\")", "escalate:3")]);
        var workflow = WorkflowGenerator.Generate(policy);

        var json = WorkflowJson.Serialize(workflow);
        var diagnostics = new DiagnosticBag();
        var back = WorkflowJson.Parse(json, "generated.json", diagnostics).ShouldHaveSingleItem();

        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        back.WorkflowName.ShouldBe("acme-gold@2026.2");
        back.Rules.Select(r => (r.RuleName, r.Expression, r.SuccessEvent)).ShouldBe(workflow.Rules.Select(r => (r.RuleName, r.Expression, r.SuccessEvent)));
        json.ShouldContain("\"RuleName\": \"escalation:l2\"");
        json.ShouldContain("\"Expression\": \"clock.PercentUsed >= 75\"");
        json.ShouldContain("\"SuccessEvent\": \"escalate:2\"");
        json.ShouldContain("\"SuccessEvent\": \"notify:team-lead\"");
        json.ShouldContain("\"Source\": \"policies/acme-gold.json:21:7\"");
    }

    [Fact]
    public void Parse_SlaWorkflowFile_RunsAllTwentyRules()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Compilation", "RulesEngineCompat", "sla-workflow.json");
        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(File.ReadAllText(path), path, diagnostics);
        var input = Newtonsoft.Json.Linq.JObject.Parse("{\"Tier\":\"Gold\",\"Region\":\"EU\",\"Severity\":1,\"ResponseMinutes\":9,\"ResolutionMinutes\":100,\"UptimePct\":99.99}");
        var set = RuleCompiler.Compile(workflows, InputParameter.Positional(input), diagnostics, new RuleCompilerOptions { UseDiskCache = false });

        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        var results = set.Get("SlaPolicy").Execute(set.Bind(input));
        results.Count.ShouldBe(20);
        // Hand-checked: a Gold EU sev-1 answered in 9 min and resolved in 100 min meets P1_Response_15m, P1_Resolution_4h,
        // Gold_Uptime_99_95, Gold_P1_Response_10m, EU_Gold_Resolution_2h, US_Or_EU_Response_30m, Not_Bronze_Uptime,
        // Resolution_Ratio_OK (100 <= 144), Sev_In_Range, Tier_Known, Uptime_Credit_Tier (99.99 >= 99.99).
        results.Where(r => r.IsSuccess).Select(r => r.RuleName).ShouldBe([
            "P1_Response_15m", "P1_Resolution_4h", "Gold_Uptime_99_95", "Gold_P1_Response_10m", "EU_Gold_Resolution_2h",
            "US_Or_EU_Response_30m", "Not_Bronze_Uptime", "Resolution_Ratio_OK", "Sev_In_Range", "Tier_Known", "Uptime_Credit_Tier",
        ]);
    }
}

public class ExpressionTextTests
{
    [Theory]
    [InlineData("a AND b", "a && b")]
    [InlineData("a and NOT b Or c", "a && ! b || c")]
    [InlineData("x.Tier == \"AND OR\" AndAlso y", "x.Tier == \"AND OR\" && y")]
    [InlineData("input1.And == 'a' orelse input1.Not", "input1.And == 'a' || input1.Not")]
    [InlineData("@\"say \"\"and\"\"\" == s", "@\"say \"\"and\"\"\" == s")]
    public void Rewrite_DynamicLinqKeywords_BecomeCSharpOperators(string written, string compiled)
    {
        ExpressionText.Rewrite(written).Rewritten.ShouldBe(compiled);
    }

    [Fact]
    public void Rewrite_MapsOffsetsBackToWrittenText()
    {
        // "a AND b": the compiled `b` at offset 5 was written at offset 6.
        var text = ExpressionText.Rewrite("a AND b");
        text.ToOriginal(5).ShouldBe(6);
        text.ToOriginal(2).ShouldBe(2);
    }
}

public class IifRewriteTests
{
    [Theory]
    [InlineData("iif(a, 1, 2) > 0", "((a) ? ( 1) : ( 2)) > 0")]
    [InlineData("IIF(x == \"a,b\", f(1, 2), iif(y, 3, 4))", "((x == \"a,b\") ? ( f(1, 2)) : ( ((y) ? ( 3) : ( 4))))")]
    public void Rewrite_Iif_BecomesConditional(string written, string compiled)
    {
        ExpressionText.Rewrite(written).Rewritten.ShouldBe(compiled);
    }

    [Theory]
    // An Expression with nested Rules and no Operator: read as an And of the children, the Expression was dropped.
    [InlineData("{\"RuleName\": \"r\", \"Expression\": \"false\", \"Rules\": [{\"RuleName\": \"c\", \"Expression\": \"true\"}]}", "SLA5009",
        "rule `r` has an `Expression` and nested `Rules` but no `Operator`: the nested rules would never run")]
    [InlineData("{\"RuleName\": \"r\", \"Rules\": [{\"RuleName\": \"c\", \"Expression\": \"true\"}]}", "SLA5009",
        "rule `r` has nested `Rules` but no `Operator` to combine them")]
    // An And of nothing evaluated to false with no diagnostic.
    [InlineData("{\"RuleName\": \"r\", \"Operator\": \"And\", \"Rules\": []}", "SLA5007", "rule `r` has `Operator` `And` but no nested `Rules` to combine")]
    [InlineData("{\"RuleName\": \"r\", \"Operator\": \"Or\"}", "SLA5007", "rule `r` has `Operator` `Or` but no nested `Rules` to combine")]
    public void Parse_RuleShapeRulesEngineRefuses_IsRefused(string rule, string code, string message)
    {
        var diagnostics = new DiagnosticBag();

        WorkflowJson.Parse("{\"WorkflowName\": \"w\", \"Rules\": [" + rule + "]}", "w.json", diagnostics);

        var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe(code);
        diagnostic.Message.ShouldBe(message);
    }
}
