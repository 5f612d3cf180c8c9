using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// The compiled executor's quick start: a workflow whose expressions are all in the quick tier's forms runs on
/// expression trees while Roslyn compiles it, and every result (the full trace and the outcome) is the one the
/// Roslyn-compiled rules give, before, during and after the move to them.
/// </summary>
public sealed class QuickStartTests
{
    private static readonly RuleCompilerOptions Reference = new() { UseDiskCache = false, UseMemoryCache = false, QuickStart = false };
    private static readonly RuleCompilerOptions QuickOnly = new() { UseDiskCache = false, UseMemoryCache = false, QuickTierOnly = true };

    private static JObject Input(long severity, string tier, double uptime, long big = 0, long zero = 0, long level = 1, bool vip = false) => new()
    {
        ["Severity"] = severity,
        ["Tier"] = tier,
        ["UptimePct"] = uptime,
        ["Big"] = big,
        ["Zero"] = zero,
        ["Vip"] = vip,
        ["Nested"] = new JObject { ["Level"] = level, ["Name"] = "n" + level.ToString(CultureInfo.InvariantCulture) },
    };

    private static readonly JObject[] Inputs =
    [
        Input(1, "Gold", 99.99, big: long.MaxValue / 2, level: 3, vip: true),
        Input(2, "Silver", 99.5, big: -7, zero: 1),
        Input(4, "Bronze", 0, big: long.MinValue, level: -2),
        Input(3, "", 100.0, big: 1L << 40, vip: true),
    ];

    public static TheoryData<string, bool> Forms => new()
    {
        // Comparisons of properties with literals, C#'s promotions (long against int literal, double against int).
        { "input1.Severity == 1 && input1.Tier == \"Gold\"", true },
        { "input1.UptimePct >= 99 || input1.Severity != 2L", true },
        // Dynamic LINQ's keywords and iif are rewritten to C# before either tier sees them; iif's branches int and double: double.
        { "NOT (input1.Tier == \"Bronze\") AND iif(input1.Severity > 2, 1, 2.5) > 2", true },
        // Unchecked arithmetic wraps in both: long.MaxValue / 2 * 4 is negative.
        { "input1.Big * 4 > 0", true },
        // Division by zero throws in both: an error result with the same message.
        { "input1.Severity / input1.Zero > 0", true },
        { "input1.Severity % 2 == 0 || input1.Vip == true", true },
        { "-input1.Severity < 0", false },               // `-` before a value, not a literal: not in the forms
        // A nested object's property; a negative literal.
        { "input1.Nested.Level >= -1 && input1.Nested.Name != \"n3\"", true },
        // Not in the forms, each for its reason:
        { "input1.Tier.Length > 2", false },             // a member of text: a property of the runtime's, not of the inputs
        { "input1.Tier.StartsWith(\"G\")", false },      // a call
        { "input1.Tier == input1.Nested.Name", false },  // two computed strings: the compiled rule charges the budget
        { "input1.Severity + 1 > 2", false },            // `+` may join text: the compiled rule charges the budget
        { "2147483647 * 2 > input1.Severity", false },   // two literals: the C# compiler folds (and checks) them
        { "input1.severity == 1", false },               // a name in another case: the compiled input type has an alias
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void QuickTier_GivesTheCompiledResults(string expression, bool quick)
    {
        var workflow = $$"""[{ "WorkflowName": "W", "Rules": [ { "RuleName": "R", "ErrorMessage": "not for $(input1.Severity)", "Expression": {{JToken.FromObject(expression).ToString(Newtonsoft.Json.Formatting.None)}} } ] }]""";
        var (quickSet, quickText) = Run(workflow, QuickOnly, Inputs);
        var (_, referenceText) = Run(workflow, Reference, Inputs);
        quickSet.QuickStarted.ShouldBe(quick);
        Same(quickText, referenceText);
    }

    [Fact]
    public async Task SlaWorkflow_BeforeAndAfterTheMove_GivesTheCompiledTrace()
    {
        var path = Path.Combine(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "tests", "SlaPolicy.Tests", "Compilation", "RulesEngineCompat", "sla-workflow.json");
        var text = File.ReadAllText(path);
        var json = TraceGoldenTests.SlaInputs(300);
        var (_, expected) = Run(text, Reference, json, "SlaPolicy");

        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(text, "w.json", diagnostics);
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", json)], diagnostics, new RuleCompilerOptions { UseDiskCache = false, UseMemoryCache = false });
        set.QuickStarted.ShouldBeTrue();
        var early = json.Select(j => set.Bind(j)).ToArray();
        var quickType = early[0][0]!.GetType();
        Same(Dump(set.Get("SlaPolicy"), early), expected);

        await set.WhenCompiled.WaitAsync(TimeSpan.FromMinutes(2));
        var late = json.Select(j => set.Bind(j)).ToArray();
        // Bound after the move: the Roslyn-compiled input type (same name, another type), run by the compiled rules.
        late[0][0]!.GetType().ShouldNotBe(quickType);
        late[0][0]!.GetType().FullName.ShouldBe(quickType.FullName);
        Same(Dump(set.Get("SlaPolicy"), late), expected);
        // Bound before: still the expression trees, still the same results.
        Same(Dump(set.Get("SlaPolicy"), early), expected);
        for (var i = 0; i < json.Length; i++)
        {
            set.Get("SlaPolicy").Run(early[i]).ShouldBe(set.Get("SlaPolicy").Run(late[i]));
        }
    }

    [Fact]
    public void NullAndWronglyTypedInputs_GiveTheCompiledErrors()
    {
        var workflow = """[{ "WorkflowName": "W", "Rules": [ { "RuleName": "R", "Expression": "input1.Severity > 1" } ] }]""";
        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(workflow, "w.json", diagnostics);
        var parameter = InputParameter.Infer("input1", Inputs);
        var quickSet = RuleCompiler.Compile(workflows, [parameter], diagnostics, QuickOnly);
        quickSet.QuickStarted.ShouldBeTrue();
        var quick = quickSet.Get("W");
        var reference = RuleCompiler.Compile(workflows, [parameter], diagnostics, Reference).Get("W");
        foreach (var inputs in new[] { new object?[] { null }, ["text"], [42L] })
        {
            // A null input: the member read throws; a value of another type: the cast throws, naming the same input type.
            Same(Dump(quick, [inputs]), Dump(reference, [inputs]));
            quick.Run(inputs).ShouldBe(reference.Run(inputs));
        }
    }

    /// <summary>
    /// Seeded random expressions of the quick tier's forms (numbers of the three kinds, comparisons, logic, arithmetic,
    /// conditionals, text against literals, nested members) on seeded random inputs, extremes included: the quick tier
    /// and the compiled rules agree on every result.
    /// </summary>
    [Fact]
    public void RandomExpressionsOfTheForms_GiveTheCompiledResults()
    {
        var random = new Random(20261202);
        for (var batch = 0; batch < 3; batch++)
        {
            var rules = Enumerable.Range(0, 60).Select(i => new JObject { ["RuleName"] = "R" + i.ToString(CultureInfo.InvariantCulture), ["Expression"] = Bool(random, 3) });
            var workflow = new JArray(new JObject { ["WorkflowName"] = "W", ["Rules"] = new JArray(rules) }).ToString();
            long[] extremes = [0, 1, -1, 2, 7, long.MaxValue, long.MinValue, int.MaxValue, int.MinValue];
            double[] doubles = [0, -0.0, 0.5, 99.95, 1e300, -1e-300, double.MaxValue];
            var inputs = Enumerable.Range(0, 25).Select(_ => Input(
                extremes[random.Next(extremes.Length)], new[] { "Gold", "Silver", "" }[random.Next(3)], doubles[random.Next(doubles.Length)],
                big: random.NextInt64(), zero: extremes[random.Next(extremes.Length)], level: extremes[random.Next(extremes.Length)], vip: random.Next(2) == 0)).ToArray();
            var (quickSet, quickText) = Run(workflow, QuickOnly, inputs);
            var (_, referenceText) = Run(workflow, Reference, inputs);
            quickSet.QuickStarted.ShouldBeTrue(workflow);
            Same(quickText, referenceText);
        }
    }

    private static string Number(Random random, int depth, out string kind)
    {
        var choice = depth <= 0 ? random.Next(4) : random.Next(7);
        switch (choice)
        {
            case 0:
                kind = "long";
                return new[] { "input1.Severity", "input1.Big", "input1.Zero", "input1.Nested.Level" }[random.Next(4)];
            case 1:
                kind = "double";
                return "input1.UptimePct";
            case 2:
                kind = "int";
                return new[] { "0", "1", "-3", "16", "2147483647" }[random.Next(5)];
            case 3:
                kind = random.Next(2) == 0 ? "long" : "double";
                return kind == "long" ? new[] { "5L", "-9223372036854775807L", "40000000000" }[random.Next(3)] : new[] { "99.9", "-0.5", "1e308" }[random.Next(3)];
            case 4:
            case 5:
                {
                    // At least one operand reads an input: two literals would be folded by the C# compiler.
                    var left = "input1.Big";
                    kind = "long";
                    if (random.Next(2) == 0)
                    {
                        left = Number(random, depth - 1, out kind);
                    }

                    var right = Number(random, depth - 1, out var rightKind);
                    if (left.StartsWith("input1", StringComparison.Ordinal) is false && right.StartsWith("input1", StringComparison.Ordinal) is false)
                    {
                        right = "input1.Severity";
                        rightKind = "long";
                    }

                    kind = Wider(kind, rightKind);
                    // `+` is charged by the compiled rules' budget: not in the forms.
                    return $"({left} {new[] { "-", "*", "/", "%" }[random.Next(4)]} {right})";
                }

            default:
                {
                    var test = Bool(random, depth - 1);
                    var a = Number(random, depth - 1, out var ka);
                    var b = Number(random, depth - 1, out var kb);
                    kind = Wider(ka, kb);
                    return $"({test} ? {a} : {b})";
                }
        }
    }

    /// <summary>The two texts are equal; else the first line that differs.</summary>
    private static void Same(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        var first = Enumerable.Range(0, Math.Min(a.Length, e.Length)).FirstOrDefault(i => a[i] != e[i], -1);
        first.ShouldBe(-1, first < 0 ? null : $"line {first + 1}: expected\n{e[first]}\nbut got\n{a[first]}");
        a.Length.ShouldBe(e.Length);
    }

    private static string Wider(string a, string b) => a == "double" || b == "double" ? "double" : a == "long" || b == "long" ? "long" : "int";

    private static string Bool(Random random, int depth)
    {
        switch (depth <= 0 ? random.Next(3) : random.Next(6))
        {
            case 0:
                return $"{Number(random, depth - 1, out _)} {new[] { "<", "<=", ">", ">=" }[random.Next(4)]} {Number(random, depth - 1, out _)}";
            case 1:
                return $"input1.Tier {(random.Next(2) == 0 ? "==" : "!=")} \"{new[] { "Gold", "", "gold" }[random.Next(3)]}\"";
            case 2:
                return random.Next(2) == 0 ? "input1.Vip" : "input1.Vip == false";
            case 3:
                return $"({Bool(random, depth - 1)} && {Bool(random, depth - 1)})";
            case 4:
                return $"({Bool(random, depth - 1)} || {Bool(random, depth - 1)})";
            default:
                return $"!({Bool(random, depth - 1)})";
        }
    }

    private static (CompiledWorkflowSet Set, string Text) Run(string workflowJson, RuleCompilerOptions options, JObject[] json, string name = "W")
    {
        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(workflowJson, "w.json", diagnostics);
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", json)], diagnostics, options);
        var text = new StringBuilder();
        foreach (var d in diagnostics.Items)
        {
            text.Append("diagnostic ").Append(d).Append('\n');
        }

        text.Append(Dump(set.Get(name), [.. json.Select(j => set.Bind(j))]));
        return (set, text.ToString());
    }

    private static string Dump(CompiledParameterWorkflow workflow, object?[][] inputs)
    {
        var text = new StringBuilder();
        foreach (var input in inputs)
        {
            var outcome = workflow.Run(input);
            text.Append("outcome fired=").Append(outcome.FiredMask).Append(" errors=").Append(outcome.HasErrors).Append('\n');
            TraceGoldenTests.Dump(text, workflow.Execute(input), 0);
        }

        return text.ToString();
    }
}
