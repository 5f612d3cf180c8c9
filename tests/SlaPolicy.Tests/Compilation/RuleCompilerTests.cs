using SlaPolicy.Engine.Compilation;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

public class RuleCompilerTests
{
    [Fact]
    public void Run_ClockAt80Percent_EscalatesToLevel2()
    {
        // 192 of 240 minutes = 80 %: the 50 % notify and 75 % escalate:2 steps are reached, the 100 % step is not.
        var policy = Policy();
        var workflow = CompileOne(policy);

        var outcome = workflow.Run(new RuleInputs(Case(), Clock(192), policy.Targets[0], policy));

        outcome.EscalationLevel.ShouldBe(2);
        outcome.HasErrors.ShouldBeFalse();
        outcome.TargetMet.ShouldBeFalse(); // not stopped yet, so not met
        // Rules: 0 target, 1 notify (50 %), 2 escalate:2 (75 %), 3 escalate:3 (100 %).
        outcome.FiredMask.ShouldBe(0b0110UL);
    }

    [Fact]
    public void Run_StoppedWithinTarget_TargetMet()
    {
        // Stopped after 239 minutes, within 240: met.
        var policy = Policy();
        var outcome = CompileOne(policy).Run(new RuleInputs(Case(), Clock(239, stopped: true), policy.Targets[0], policy));

        outcome.TargetMet.ShouldBeTrue();
        outcome.EscalationLevel.ShouldBe(2);
    }

    [Fact]
    public void Run_CustomVipRule_EscalatesToLevel3()
    {
        // The product's example rule: severity <= 2 and tagged vip escalates straight to level 3, whatever the clock.
        var policy = Policy(rules: [Rule("vip-sev2-straight-to-l3", "ticket.Severity <= 2 && ticket.Tags.Contains(\"vip\")", "escalate:3")]);
        var workflow = CompileOne(policy);

        workflow.Run(new RuleInputs(Case(2, "vip"), Clock(1), policy.Targets[0], policy)).EscalationLevel.ShouldBe(3);
        workflow.Run(new RuleInputs(Case(3, "vip"), Clock(1), policy.Targets[0], policy)).EscalationLevel.ShouldBe(0);
    }

    [Fact]
    public void Run_RuleThrows_OnlyThatRuleErrors()
    {
        // FirstResponseAt is null, so `.Value` throws; the escalation rules must still run (80 % -> level 2).
        var policy = Policy(rules: [Rule("needs-response", "ticket.FirstResponseAt.Value > ticket.OpenedAt", "escalate:9")]);
        var workflow = CompileOne(policy);
        var inputs = new RuleInputs(Case(), Clock(192), policy.Targets[0], policy);

        var outcome = workflow.Run(inputs);
        outcome.HasErrors.ShouldBeTrue();
        outcome.EscalationLevel.ShouldBe(2);

        var results = workflow.Execute(inputs);
        var failed = results.Single(r => r.RuleName == "needs-response");
        failed.IsSuccess.ShouldBeFalse();
        failed.ExceptionMessage.ShouldNotBeNull().ShouldContain("InvalidOperationException");
        results.Single(r => r.RuleName == "escalation:l2").IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void Execute_Trace_ListsInputsReadWithValues()
    {
        var policy = Policy(rules: [Rule("vip", "ticket.Severity <= 2 && ticket.Tags.Contains(\"vip\")", "escalate:3")]);
        var results = CompileOne(policy).Execute(new RuleInputs(Case(1, "vip"), Clock(10), policy.Targets[0], policy));

        var vip = results.Single(r => r.RuleName == "vip");
        vip.IsSuccess.ShouldBeTrue();
        vip.SuccessEvent.ShouldBe("escalate:3");
        vip.Location.ShouldBe(At(40, 7));
        vip.DefinedBy.ShouldBe("acme-gold");
        vip.Inputs.Select(i => i.Name).ShouldBe(["ticket.Severity", "ticket.Tags"]);
        vip.Inputs[0].Value.ShouldBe(1);

        var l2 = results.Single(r => r.RuleName == "escalation:l2");
        l2.IsSuccess.ShouldBeFalse(); // 10 of 240 minutes is about 4 %
        l2.Inputs.Single().Name.ShouldBe("clock.PercentUsed");
        l2.Location.ShouldBe(At(21, 7));
    }

    [Fact]
    public void Execute_OtherTargetsRules_AreNotRun()
    {
        var policy = Policy(targets: [Target("sev1-response", TimeSpan.FromMinutes(15)), Target("sev1-resolution", TimeSpan.FromHours(4), 11)]);
        var results = CompileOne(policy).Execute(new RuleInputs(Case(), Clock(10, stopped: true), policy.Targets[1], policy));

        results.Select(r => r.RuleName).ShouldContain("target:sev1-resolution");
        results.Select(r => r.RuleName).ShouldNotContain("target:sev1-response");
    }

    [Fact]
    public void Compile_TypeError_ReportsLocationInsideExpressionAndRuleFailsClosed()
    {
        // `ticket.Severty` starts at offset 0; its member name at offset 7, so column 21 + 7 = 28.
        var policy = Policy(rules: [Rule("typo", "ticket.Severty <= 2", "escalate:3")]);
        var diagnostics = new DiagnosticBag();
        var workflow = CompileOne(policy, diagnostics);

        var error = diagnostics.Items.ShouldHaveSingleItem();
        error.Code.ShouldBe("SLA4002");
        error.Location.ShouldBe(At(40, 28));

        var outcome = workflow.Run(new RuleInputs(Case(), Clock(192), policy.Targets[0], policy));
        outcome.HasErrors.ShouldBeTrue();
        outcome.EscalationLevel.ShouldBe(2); // the other rules still run
        workflow.Execute(new RuleInputs(Case(), Clock(1), policy.Targets[0], policy)).Single(r => r.RuleName == "typo").ExceptionMessage.ShouldNotBeNull().ShouldContain("SLA4002");
    }

    [Fact]
    public void Compile_NotBoolean_ReportsSla4005()
    {
        var diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [Rule("number", "ticket.Severity + 1")]), diagnostics);

        diagnostics.Items.ShouldHaveSingleItem().Code.ShouldBe("SLA4005");
    }

    [Fact]
    public void Compile_CreditTiers_UsePeriodInput()
    {
        // 98.5 % is below 99.9 (10 %) and 99 (25 %) but not below 95: the highest tier reached is 25 %.
        var availability = new AvailabilityTerm(["email"], 99.9m, "calendarMonth", ["maintenance"],
            [new CreditTier(99.9m, 10m, At(30, 9)), new CreditTier(99m, 25m, At(31, 9)), new CreditTier(95m, 100m, At(32, 9))],
            100m, 1200m, "EUR", At(29, 5), "acme-gold");
        var policy = Policy(availability: availability);
        var workflow = CompileOne(policy);
        var period = new AvailabilityPeriod("email", "eu-west", "2026-11", 98.5, 648, 43200);

        workflow.Run(new RuleInputs(Case(), Clock(0), policy.Targets[0], policy, period)).CreditPercent.ShouldBe(25m);
        workflow.Run(new RuleInputs(Case(), Clock(0), policy.Targets[0], policy, period with { Service = "crm" })).CreditPercent.ShouldBe(0m);
        workflow.Run(new RuleInputs(Case(), Clock(0), policy.Targets[0], policy)).CreditPercent.ShouldBe(0m);
    }

    [Fact]
    public void Compile_SameSetTwice_SecondLoadsFromDiskCache()
    {
        var options = Options();
        var set = new PolicySet([Policy(rules: [Rule("vip", "ticket.Tags.Contains(\"vip\")", "escalate:3")])], ImmutableDictionary<string, CalendarDefinition>.Empty);
        try
        {
            var first = RuleCompiler.Compile(set, new DiagnosticBag(), options);
            var second = RuleCompiler.Compile(set, new DiagnosticBag(), options with { UseMemoryCache = false });

            first.FromDiskCache.ShouldBeFalse();
            second.FromDiskCache.ShouldBeTrue();
            second.ContentHash.ShouldBe(first.ContentHash);
            System.IO.File.Exists(Path.Combine(options.CacheDirectory!, first.ContentHash + ".dll")).ShouldBeTrue();
            var policy = set.Policies[0];
            second.Get(policy).Run(new RuleInputs(Case(1, "vip"), Clock(0), policy.Targets[0], policy)).EscalationLevel.ShouldBe(3);
        }
        finally
        {
            Directory.Delete(options.CacheDirectory!, recursive: true);
        }
    }

    [Fact]
    public void Compile_ErrorsFromDiskCache_AreReportedAgain()
    {
        var options = Options();
        var set = new PolicySet([Policy(rules: [Rule("typo", "ticket.Severty <= 2")])], ImmutableDictionary<string, CalendarDefinition>.Empty);
        try
        {
            var firstBag = new DiagnosticBag();
            RuleCompiler.Compile(set, firstBag, options);
            var secondBag = new DiagnosticBag();
            RuleCompiler.Compile(set, secondBag, options with { UseMemoryCache = false }).FromDiskCache.ShouldBeTrue();

            secondBag.Items.Select(d => d.ToString()).ShouldBe(firstBag.Items.Select(d => d.ToString()));
        }
        finally
        {
            Directory.Delete(options.CacheDirectory!, recursive: true);
        }
    }

    [Fact]
    public void Compile_AllPoliciesInOneAssembly()
    {
        var a = Policy(id: "a");
        var b = Policy(id: "b", rules: [Rule("x", "ticket.Severity == 1", "escalate:4")]);
        var set = RuleCompiler.Compile(new PolicySet([a, b], ImmutableDictionary<string, CalendarDefinition>.Empty), new DiagnosticBag(), new RuleCompilerOptions { UseDiskCache = false });

        set.Workflows.Length.ShouldBe(2);
        set.Get(b).Workflow.WorkflowName.ShouldBe("b@2026.2");
        set.Get(b).Run(new RuleInputs(Case(1), Clock(0), b.Targets[0], b)).EscalationLevel.ShouldBe(4);
    }

    [Fact]
    public void Compile_NestedRulesAndLocalParams_Evaluate()
    {
        // Parent Or over two children; the second child's local param `minutes` is in scope of its expression.
        var child1 = Rule("sev2", "ticket.Severity == 2");
        var child2 = Rule("long", "minutes > 60") with { LocalParams = [new LocalParam("minutes", "clock.ElapsedMinutes", SourceLocation.None)] };
        var parent = Rule("either", "true", "escalate:5") with { Expression = null, Operator = "Or", Rules = [child1, child2] };
        var policy = Policy(rules: [parent]);
        var workflow = CompileOne(policy);

        workflow.Run(new RuleInputs(Case(1), Clock(90), policy.Targets[0], policy)).EscalationLevel.ShouldBe(5);
        workflow.Run(new RuleInputs(Case(1), Clock(30), policy.Targets[0], policy)).EscalationLevel.ShouldBe(0);
        var trace = workflow.Execute(new RuleInputs(Case(1), Clock(90), policy.Targets[0], policy)).Single(r => r.RuleName == "either");
        trace.ChildResults.Select(c => c.IsSuccess).ShouldBe([false, true]);
        trace.ChildResults[1].Inputs.ShouldContain(new RuleInputRead("minutes", 90.0));
    }
}
