using SlaPolicy.Engine.Compilation;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// The ways a policy file once broke out of the sandbox or took the host down (code run from a comment split across
/// two expressions, a stack overflow, a hang, gigabytes allocated, a 20 MB error text), each now refused where it is
/// written or stopped by the run-time budget, with the rest of the workflow deciding.
/// </summary>
public class SandboxContainmentTests
{
    /// <summary>Replaces the one custom rule of tiers/gold.json (lines 39 to 44) with <paramref name="rules"/>, one a line from line 39.</summary>
    private static string WithGoldRules(string policies, params string[] rules)
    {
        var gold = Path.Join(policies, "tiers", "gold.json");
        var lines = File.ReadAllLines(gold).ToList();
        lines[39].ShouldContain("vip-sev2-straight-to-l3");
        lines.RemoveRange(38, 6);
        lines.InsertRange(38, rules.Select((r, i) => "    " + r + (i < rules.Length - 1 ? "," : string.Empty)));
        File.WriteAllLines(gold, lines);
        return gold;
    }

    /// <summary>
    /// In a copy of the sample policies, puts the rules <paramref name="rulesWriting"/> makes to write a marker file
    /// (given its path) in tiers/gold.json and runs <c>check</c>: it must fail and the marker must not exist. Returns
    /// the path of gold.json and what <c>check</c> wrote.
    /// </summary>
    private static (string Gold, string Output) CheckRefusesAndNothingRuns(Func<string, string[]> rulesWriting)
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        var marker = folder.File("marker");
        var gold = WithGoldRules(policies, rulesWriting(marker));
        var output = new StringWriter();

        CheckCommand.Run(policies, output).ShouldBe(1);

        File.Exists(marker).ShouldBeFalse();
        return (gold, output.ToString());
    }

    [Fact]
    public void Check_CommentOpenedByOneRuleAndClosedByTheNext_IsRefusedAndNothingRuns()
    {
        // Spliced as text, the first rule's `/*` swallowed the generated code up to the second rule's `*/`, and the
        // second declared a module initializer that ran while `check` compiled.
        var (gold, text) = CheckRefusesAndNothingRuns(marker =>
        {
            var payload = $"*/ }} [System.Runtime.CompilerServices.ModuleInitializer] public static void M() {{ System.IO.File.WriteAllText(\\\"{marker}\\\", \\\"x\\\"); }} static bool N() {{ return true";
            return
            [
                "{ \"RuleName\": \"opens\", \"Expression\": \"true\\n/*\", \"SuccessEvent\": \"escalate:3\" }",
                $"{{ \"RuleName\": \"closes\", \"Expression\": \"{payload}\", \"SuccessEvent\": \"escalate:3\" }}",
            ];
        });

        text.ShouldContain($"{gold}:39:49: error SLA4006: comments are not allowed inside an expression");
        text.ShouldMatch($@"{System.Text.RegularExpressions.Regex.Escape(gold)}:40:\d+: error SLA400[16]: ");
    }

    [Fact]
    public void Check_LocalParamEndingInAnOpenCommentBeforeARawString_IsRefusedAndNothingRuns()
    {
        var (gold, text) = CheckRefusesAndNothingRuns(marker =>
        {
            var raw = $"\\\"\\\"\\\"*/ System.IO.File.WriteAllText(\\\"{marker}\\\", \\\"x\\\"); /*\\\"\\\"\\\" == \\\"\\\"";
            return [$"{{ \"RuleName\": \"split\", \"LocalParams\": [ {{ \"Name\": \"p\", \"Expression\": \"1\\n/*\" }} ], \"Expression\": \"{raw}\", \"SuccessEvent\": \"escalate:3\" }}"];
        });

        text.ShouldContain($"{gold}:39:78: error SLA4006: comments are not allowed inside an expression");
    }

    [Fact]
    public void Compile_TwentyThousandNestedParentheses_IsRefusedBeforeParsing()
    {
        var expression = new string('(', 20_000) + "true" + new string(')', 20_000);
        var diagnostics = new DiagnosticBag();

        var compiled = CompileOne(Policy(rules: [Rule("deep", expression)]), diagnostics);

        var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA4008");
        diagnostic.Message.ShouldBe("expression is 40,004 characters long; the limit is 4,096");
        compiled.Run(new RuleInputs(Case(), Clock(0), Policy().Targets[0], Policy())).HasErrors.ShouldBeTrue();

        // Within the length limit, the nesting limit: the 33rd bracket is reported.
        diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [Rule("deep", new string('(', 2_000) + "true" + new string(')', 2_000))]), diagnostics);
        diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA4008");
        diagnostic.Message.ShouldBe("brackets are nested more than 32 deep");
        diagnostic.Location.ShouldBe(At(40, 21 + 32));
    }

    [Fact]
    public void Compile_LongChainOfUnaryOperators_IsRefused()
    {
        var diagnostics = new DiagnosticBag();

        CompileOne(Policy(rules: [Rule("chain", new string('!', 3_000) + "true")]), diagnostics);

        var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA4008");
        diagnostic.Message.ShouldBe("the expression nests more than 200 operations inside each other");
    }

    private static CaseRecord CaseWith(int events, int tags = 0, string customer = "acme") =>
        Case() with
        {
            Customer = customer,
            Tags = [.. Enumerable.Range(0, tags).Select(i => "t" + i)],
            Events = [.. Enumerable.Range(0, events).Select(i => new StatusEvent(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero).AddMinutes(i), "in_progress"))],
        };

    private static (CompiledWorkflow Workflow, Policy Policy) CompileWithBudget(int maxSteps, params RuleDefinition[] rules)
    {
        var policy = Policy(rules: [.. rules]);
        var diagnostics = new DiagnosticBag();
        var workflow = CompileOne(policy, diagnostics, new RuleCompilerOptions { UseDiskCache = false, UseMemoryCache = false, MaxSteps = maxSteps });
        diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        return (workflow, policy);
    }

    [Theory]
    // Nested lambdas: 100 x 100 calls.
    [InlineData("ticket.Events.Count(a => ticket.Events.Count(b => b.Status != \"\") > 0) > 0")]
    // A cartesian product walked by an operator without a lambda per element.
    [InlineData("ticket.Events.SelectMany(a => ticket.Events).SelectMany(b => ticket.Events).LongCount() > 0")]
    // A walking instance method inside nested lambdas, charged by its receiver's size.
    [InlineData("ticket.Events.Count(a => ticket.Events.Count(b => ticket.Tags.Contains(\"x\")) > 0) > 0")]
    [InlineData("ticket.Events.Any(a => ticket.Events.Any(b => ticket.Tags.Distinct().Count() < 0))")]
    public void Run_RuleOverItsStepBudget_IsAnErrorOfThatRuleAlone(string expression)
    {
        var (workflow, policy) = CompileWithBudget(
            5_000,
            Rule("runaway", expression, "escalate:3"),
            Rule("sev1", "ticket.Severity == 1", "escalate:2", line: 41));
        var inputs = new RuleInputs(CaseWith(events: 100, tags: 100), Clock(0), policy.Targets[0], policy);

        var outcome = workflow.Run(inputs);
        outcome.HasErrors.ShouldBeTrue();
        outcome.EscalationLevel.ShouldBe(2);

        var result = workflow.Execute(inputs).Single(r => r.RuleName == "runaway");
        result.ExceptionMessage.ShouldBe("error while executing rule `runaway`: the rule exceeded its budget of 5,000 steps in one evaluation");

        // The same rule over small inputs is within its budget and decides.
        var small = new RuleInputs(CaseWith(events: 3, tags: 3), Clock(0), policy.Targets[0], policy);
        workflow.Execute(small).Single(r => r.RuleName == "runaway").HasError.ShouldBeFalse();
    }

    [Fact]
    public void Run_CartesianProductOfTenThousandEvents_StopsAtTheDefaultBudget()
    {
        var (workflow, policy) = CompileWithBudget(
            RuleBudget.DefaultMaxSteps,
            Rule("runaway", "ticket.Events.SelectMany(a => ticket.Events).SelectMany(b => ticket.Events).LongCount() > 0", "escalate:3"));

        var result = workflow.Execute(new RuleInputs(CaseWith(events: 10_000), Clock(0), policy.Targets[0], policy)).Single(r => r.RuleName != policy.Targets[0].Id && !r.RuleName.StartsWith("escalation:", StringComparison.Ordinal) && !r.RuleName.StartsWith("target:", StringComparison.Ordinal));

        result.ExceptionMessage.ShouldBe("error while executing rule `runaway`: the rule exceeded its budget of 1,000,000 steps in one evaluation");
    }

    [Fact]
    public void Run_ExceptionCarryingAHugeInput_KeepsAShortMessage()
    {
        var (workflow, policy) = CompileWithBudget(RuleBudget.DefaultMaxSteps, Rule("parse", "int.Parse(ticket.Customer) > 0"));

        var result = workflow.Execute(new RuleInputs(CaseWith(events: 0, customer: new string('x', 1_000_000)), Clock(0), policy.Targets[0], policy)).Single(r => r.RuleName != policy.Targets[0].Id && !r.RuleName.StartsWith("escalation:", StringComparison.Ordinal) && !r.RuleName.StartsWith("target:", StringComparison.Ordinal));

        result.HasError.ShouldBeTrue();
        result.ExceptionMessage!.Length.ShouldBeLessThan(1_100);
        result.ExceptionMessage.ShouldStartWith("error while executing rule `parse`: FormatException: ");
        result.ExceptionMessage.ShouldEndWith(" characters)");
    }

    [Fact]
    public void Run_SameRuleInAnotherTimeZone_DecidesTheSame()
    {
        // Every allowed date member reads the value's own offset; nothing reads the machine's zone.
        var (workflow, policy) = CompileWithBudget(
            RuleBudget.DefaultMaxSteps,
            Rule("utc-hour", "ticket.OpenedAt.ToUniversalTime().Hour == 15 && ticket.OpenedAt.UtcDateTime.Day == 20 && ticket.OpenedAt.ToOffset(TimeSpan.FromHours(9)).Hour == 0", "escalate:3"));

        workflow.Run(new RuleInputs(Case(), Clock(0), policy.Targets[0], policy)).EscalationLevel.ShouldBe(3);
    }

    [Theory]
    [InlineData("input1 = null; System.IO.File.Delete(\"x\"); object y")]
    [InlineData("a b")]
    [InlineData("__in")]
    [InlineData("")]
    public void Infer_InputNameThatIsNotAnIdentifier_IsRefused(string name)
    {
        // A workflow input's name becomes a local of the generated code, so only a plain identifier may.
        Should.Throw<ArgumentException>(() => InputParameter.Infer(name, Newtonsoft.Json.Linq.JToken.Parse("{}")))
            .Message.ShouldStartWith($"input name `{name}` is not an identifier");
    }

    [Fact]
    public void Read_RuleWithAMillionCharacterKey_KeepsAShortDiagnostic()
    {
        var key = new string('k', 1_000_000);
        var text = "{ \"WorkflowName\": \"w\", \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"true\", \"" + key + "\": 1 } ] }";
        var diagnostics = new DiagnosticBag();

        WorkflowJson.Parse(text, "rules.json", diagnostics);

        var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA1002");
        diagnostic.Message.Length.ShouldBeLessThan(1_100);
        diagnostic.Message.ShouldEndWith("… (1,000,019 characters)");
    }

    [Fact]
    public void Run_ParametersThatJoinEachOtherIntoGigabytes_StopAtTheBudgetBeforeJoining()
    {
        // Thirty copies of a 4,000-character customer, thirty of those, thirty of those: 108 million characters.
        string Copies(string name) => string.Join(" + ", Enumerable.Repeat(name, 30));
        var rule = Rule("grows", "p3.Length > 0", "escalate:3") with
        {
            LocalParams =
            [
                new LocalParam("p1", Copies("ticket.Customer"), At(41, 30)),
                new LocalParam("p2", Copies("p1"), At(42, 30)),
                new LocalParam("p3", Copies("p2") + " + $\"{p2}{p2}\"", At(43, 30)),
            ],
        };
        var (workflow, policy) = CompileWithBudget(RuleBudget.DefaultMaxSteps, rule);
        var inputs = new RuleInputs(CaseWith(events: 0, customer: new string('c', 4_000)), Clock(0), policy.Targets[0], policy);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = workflow.Execute(inputs).Single(r => r.RuleName == "grows");

        result.ExceptionMessage.ShouldBe("error while computing parameter `p3` of rule `grows`: the rule exceeded its budget of 1,000,000 steps in one evaluation");
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(64L * 1024 * 1024);

        // Interpolation is charged the same way.
        var (interpolated, p) = CompileWithBudget(1_000, Rule("grows", "$\"{ticket.Customer}{ticket.Customer}\".Length > 0", "escalate:3"));
        interpolated.Execute(new RuleInputs(CaseWith(events: 0, customer: new string('c', 40_000)), Clock(0), p.Targets[0], p)).Single(r => r.RuleName == "grows")
            .ExceptionMessage.ShouldBe("error while executing rule `grows`: the rule exceeded its budget of 1,000 steps in one evaluation");
    }

    [Fact]
    public void Run_EachRuleStartsItsOwnBudget_NoRuleInheritsWhatAnotherSpent()
    {
        // The first rule spends 900 of 1,000 steps; the second compares two 10,000-character strings (312 steps).
        var (workflow, policy) = CompileWithBudget(
            1_000,
            Rule("spends", "ticket.Events.Count(e => e.Status != \"\") > 0", "escalate:2"),
            Rule("compares", "ticket.Customer != ticket.Region", "escalate:3", line: 41));
        var ticket = CaseWith(events: 450, customer: new string('c', 10_000)) with { Region = new string('r', 10_000) };

        var results = workflow.Execute(new RuleInputs(ticket, Clock(0), policy.Targets[0], policy));

        results.Single(r => r.RuleName == "spends").HasError.ShouldBeFalse();
        results.Single(r => r.RuleName == "compares").HasError.ShouldBeFalse();
        workflow.Run(new RuleInputs(ticket, Clock(0), policy.Targets[0], policy)).EscalationLevel.ShouldBe(3);
    }

    [Fact]
    public void Check_PolicyAndCalendarNestedTwoHundredThousandDeep_ReportedNotCrashed()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        var policy = Path.Join(policies, "tiers", "deep.json");
        var calendar = Path.Join(policies, "calendars", "deep.json");
        File.WriteAllText(policy, "{\"id\":\"deep\",\"x\":" + new string('[', 200_000) + new string(']', 200_000) + "}");
        File.WriteAllText(calendar, "{\"id\":\"c\"," + string.Concat(Enumerable.Repeat("\"a\":{", 100_000)) + new string('}', 100_001));
        var output = new StringWriter();

        CheckCommand.Run(policies, output).ShouldBe(1);

        var text = output.ToString();
        text.ShouldContain($"{policy}:1:82: error SLA1001: the reader's MaxDepth of 64 has been exceeded");
        text.ShouldContain($"{calendar}:1:331: error SLA1001: the reader's MaxDepth of 64 has been exceeded");
    }
}
