using System.Collections;
using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Tests.Compilation.RulesEnginePeer;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// Pins the compiled executor's full trace (<c>Execute</c>): every field of every rule result (inputs read with their
/// values and order, parameters, error and exception texts, action outputs, children, locations) for sla-workflow.json
/// on 40 inputs, for a workflow of parameters, placeholders, failing rules, a budget and actions, and for every call of
/// the RulesEngine peer cases, is the text recorded in TraceGolden/trace.txt. Set SLAPOLICY_WRITE_TRACE_GOLDEN=1 to
/// record it again (only when a change of the trace is meant).
/// </summary>
public sealed class TraceGoldenTests
{
    private static readonly string GoldenPath = Path.Combine(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "tests", "SlaPolicy.Tests", "Compilation", "TraceGolden", "trace.txt");

    private const string FeaturesWorkflow = """
        [{
          "WorkflowName": "Features",
          "GlobalParams": [ { "Name": "limit", "Expression": "input1.Limit * 2" } ],
          "Rules": [
            { "RuleName": "Params", "ErrorMessage": "over $(input1.Amount) of $( input1.Limit ) and $(input1.Missing) $(nobody.X)",
              "LocalParams": [ { "Name": "doubled", "Expression": "input1.Amount * 2" }, { "Name": "name", "Expression": "input1.Name.ToUpper()" } ],
              "Expression": "doubled < limit && name.Length > 2 && input1.Amount > 0" },
            { "RuleName": "ParamThrows", "LocalParams": [ { "Name": "ratio", "Expression": "input1.Limit / input1.Zero" } ],
              "Expression": "ratio > 1" },
            { "RuleName": "Throws", "ErrorMessage": "no $(input1.Name)", "Expression": "input1.Name.Substring(100) == \"x\"" },
            { "RuleName": "Budget", "Expression": "input1.Items.SelectMany(a => input1.Items).SelectMany(b => input1.Items).SelectMany(c => input1.Items).Count() > 0" },
            { "RuleName": "ItemsRead", "Expression": "input1.Items.Count() > 1 && input1.Items.Length < 1000" },
            { "RuleName": "Nested", "Operator": "OrElse", "Rules": [
                { "RuleName": "Child1", "Expression": "input1.Amount > 1000" },
                { "RuleName": "Child2", "ErrorMessage": "child $(input1.Amount)", "Expression": "input1.Amount < 0" },
                { "RuleName": "Child3", "LocalParams": [ { "Name": "x", "Expression": "input1.Amount + 1" } ], "Expression": "x > 0" } ] },
            { "RuleName": "Output", "Expression": "input1.Amount > 0",
              "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "input1.Amount * 3" } },
                           "OnFailure": { "Name": "OutputExpression", "Context": { "Expression": "input1.Name.Substring(100)" } } } },
            { "RuleName": "Chained", "Expression": "input1.Amount >= 0",
              "Actions": { "OnSuccess": { "Name": "EvaluateRule", "Context": { "WorkflowName": "Features", "ruleName": "Output" } } } },
            { "RuleName": "Unknown", "Expression": "true", "Actions": { "OnSuccess": { "Name": "NoSuchAction", "Context": {} } } },
            { "RuleName": "AfterActions", "SuccessEvent": "after", "Expression": "input1.Amount > 0 || input1.Name == \"\"" },
            { "RuleName": "Disabled", "Enabled": false, "Expression": "true" }
          ]
        }]
        """;

    [Fact]
    public void Execute_RepresentativeWorkflows_GivesTheRecordedTrace()
    {
        var text = new StringBuilder();
        TraceSlaWorkflow(text);
        TraceFeatures(text);
        foreach (var (testCase, call) in PeerRunner.Calls())
        {
            text.Append("== peer ").Append((string)testCase["id"]!).Append(" call ").Append(call).Append('\n');
            PeerRunner.Ours(testCase, call, RuleExecutor.Compiled, results => Dump(text, results, 0));
        }

        var actual = text.ToString();
        if (Environment.GetEnvironmentVariable("SLAPOLICY_WRITE_TRACE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(GoldenPath)!);
            File.WriteAllText(GoldenPath, actual);
        }

        var expected = File.ReadAllText(GoldenPath).ReplaceLineEndings("\n");
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var first = Enumerable.Range(0, Math.Min(expectedLines.Length, actualLines.Length)).FirstOrDefault(i => expectedLines[i] != actualLines[i], -1);
        first.ShouldBe(-1, first < 0 ? null : $"line {first + 1}: expected\n{expectedLines[first]}\nbut got\n{actualLines[first]}");
        actualLines.Length.ShouldBe(expectedLines.Length);
    }

    [Fact]
    public void Execute_SlaWorkflow_AgreesWithTheOutcomePath()
    {
        var (workflow, inputs) = SlaWorkflow(300);
        foreach (var input in inputs)
        {
            var outcome = workflow.Run(input);
            var results = workflow.Execute(input);
            for (var i = 0; i < results.Count; i++)
            {
                results[i].IsSuccess.ShouldBe(outcome.Fired(i));
            }

            results.Any(r => r.HasError).ShouldBe(outcome.HasErrors);
        }
    }

    [Fact]
    public void Execute_SameWorkflowOnManyThreads_GivesTheSameTraceAsOneThread()
    {
        var (workflow, inputs) = SlaWorkflow(200);
        string All()
        {
            var text = new StringBuilder();
            foreach (var input in inputs)
            {
                Dump(text, workflow.Execute(input), 0);
            }

            return text.ToString();
        }

        var expected = All();
        var texts = new string[8];
        Parallel.For(0, texts.Length, i => texts[i] = All());
        texts.ShouldAllBe(t => t == expected);
    }

    /// <summary>Inputs of sla-workflow.json: every tier, region and severity, response and resolution times spread out.</summary>
    internal static JObject[] SlaInputs(int count)
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

    private static (CompiledParameterWorkflow Workflow, object?[][] Inputs) SlaWorkflow(int count)
    {
        var json = SlaInputs(count);
        var path = Path.Combine(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "tests", "SlaPolicy.Tests", "Compilation", "RulesEngineCompat", "sla-workflow.json");
        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(File.ReadAllText(path), "sla-workflow.json", diagnostics);
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", json)], diagnostics, new RuleCompilerOptions { UseDiskCache = false });
        diagnostics.HasErrors.ShouldBeFalse(string.Join("\n", diagnostics.Items));
        return (set.Get("SlaPolicy"), [.. json.Select(j => set.Bind(j))]);
    }

    private static void TraceSlaWorkflow(StringBuilder text)
    {
        var (workflow, inputs) = SlaWorkflow(40);
        for (var i = 0; i < inputs.Length; i++)
        {
            text.Append("== sla-workflow input ").Append(i).Append('\n');
            Dump(text, workflow.Execute(inputs[i]), 0);
        }
    }

    private static void TraceFeatures(StringBuilder text)
    {
        JObject Input(int amount, string name, int items) => new()
        {
            ["Amount"] = amount,
            ["Limit"] = 40,
            ["Zero"] = 0,
            ["Name"] = name,
            ["Items"] = new JArray(Enumerable.Range(0, items).Cast<object>().ToArray()),
        };

        JObject[] json = [Input(5, "alice", 3), Input(-3, "bo", 0), Input(2000, "carol", 30), Input(0, "", 1)];
        var diagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(FeaturesWorkflow, "features.json", diagnostics);
        var set = RuleCompiler.Compile(workflows, [InputParameter.Infer("input1", json)], diagnostics,
            new RuleCompilerOptions { UseDiskCache = false, UseMemoryCache = false, MaxSteps = 50_000 });
        foreach (var d in diagnostics.Items)
        {
            text.Append("diagnostic ").Append(d).Append('\n');
        }

        for (var i = 0; i < json.Length; i++)
        {
            text.Append("== features input ").Append(i).Append('\n');
            Dump(text, set.Get("Features").Execute(set.Bind(json[i])), 0);
        }
    }

    internal static void Dump(StringBuilder text, IEnumerable<RuleResult> results, int depth)
    {
        foreach (var r in results)
        {
            var indent = new string(' ', depth * 2);
            text.Append(indent).Append(r.RuleName).Append(" success=").Append(r.IsSuccess).Append(" event=").Append(r.SuccessEvent ?? "-")
                .Append(" at ").Append(r.Location).Append(" by ").Append(r.DefinedBy).Append('\n');
            Line(text, indent, "error", r.ErrorMessage);
            Line(text, indent, "exception", r.ExceptionMessage);
            Line(text, indent, "action exception", r.ActionException);
            if (r.ActionOutput is not null)
            {
                Line(text, indent, "output", Format(r.ActionOutput));
            }

            foreach (var read in r.Inputs)
            {
                text.Append(indent).Append("  read ").Append(read.Name).Append(" = ").Append(Format(read.Value)).Append('\n');
            }

            Dump(text, r.ChildResults, depth + 1);
        }
    }

    private static void Line(StringBuilder text, string indent, string what, string? value)
    {
        if (value is not null)
        {
            text.Append(indent).Append("  ").Append(what).Append(": ").Append(value.ReplaceLineEndings("\\n")).Append('\n');
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s.ReplaceLineEndings("\\n") + "\"",
        IFormattable f => value.GetType().Name + " " + f.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => "object " + value.GetType().Name,
    };
}
