using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// Runs every call of RulesEngineCompat/cases.json and compares outcomes (IsSuccess per rule, child results,
/// action outputs) with what Microsoft RulesEngine 6.0.1 returned (expected-outputs.json). Message wording is
/// not compared. Calls that depend on a RulesEngine setting SlaPolicy does not have are listed in
/// <see cref="Deviations"/> with the reason, and SlaPolicy's own behaviour is asserted for them instead.
/// </summary>
public class RulesEngineCompatTests
{
    private static readonly string Folder = Path.Combine(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "tests", "SlaPolicy.Tests", "Compilation", "RulesEngineCompat");

    /// <summary>(case id prefix, call index) → why SlaPolicy's outcome differs from RulesEngine's.</summary>
    private static readonly Dictionary<(string, int), string> Deviations = new()
    {
        [("A03", 1)] = "with EnableExceptionAsErrorMessage=false RulesEngine throws; SlaPolicy never throws for a rule, it fails closed with an error result",
        [("A04", 2)] = "with EnableExceptionAsErrorMessage=false RulesEngine throws; SlaPolicy never throws for a rule, it fails closed with an error result",
        [("A05", 1)] = "Performance mode short-circuits nested rules; SlaPolicy always evaluates every child so that errors show, so only parents are compared",
        [("A07", 2)] = "EnableScopedParams=false is not a SlaPolicy setting: LocalParams are always in scope, so the rule succeeds",
        [("A08", 4)] = "`additionalInputs` of EvaluateRule are not supported; the action reports that",
    };

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in JArray.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json"))))
        {
            data.Add((string)c["id"]!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Execute_RulesEngineCase_MatchesRecordedOutcomes(string caseId)
    {
        var testCase = JArray.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json"))).Single(c => (string)c["id"]! == caseId);
        var expected = JArray.Parse(File.ReadAllText(Path.Combine(Folder, "expected-outputs.json"))).Single(c => (string)c["id"]! == caseId);
        var readDiagnostics = new DiagnosticBag();
        var workflows = WorkflowJson.Parse(testCase["workflows"]!.ToString(), $"cases.json#{caseId}", readDiagnostics);
        var calls = (JArray)testCase["calls"]!;
        var results = (JArray)expected["calls"]!;
        var prefix = caseId[..3];

        if (prefix == "A11")
        {
            // RulesEngine refuses a workflow without rules when it is built; SlaPolicy reports it while reading.
            readDiagnostics.Items.ShouldHaveSingleItem().Code.ShouldBe("SLA5004");
            return;
        }

        readDiagnostics.Items.ShouldBeEmpty(string.Join("\n", readDiagnostics.Items));
        for (var i = 0; i < calls.Count; i++)
        {
            var call = (JObject)calls[i];
            var recorded = (JObject)results[i];
            var inputs = InputsOf(call);
            var parameters = ParametersFor(calls, call, inputs.Length);
            var set = RuleCompiler.Compile(workflows, parameters, new DiagnosticBag(), new RuleCompilerOptions { UseDiskCache = false });
            var workflow = set.Get((string)call["wf"]!);
            var ours = workflow.Execute(set.Bind(inputs));

            if (Deviations.TryGetValue((prefix, i), out var reason))
            {
                AssertDeviation(prefix, i, ours, reason);
                continue;
            }

            if ((string?)call["api"] == "action")
            {
                var rule = ours.Single(r => r.RuleName == (string)call["rule"]!);
                var output = recorded["Output"];
                if (output is null || output.Type == JTokenType.Null)
                {
                    rule.ActionOutput.ShouldBeNull($"{caseId} call {i}");
                }
                else
                {
                    JToken.DeepEquals(JToken.FromObject(rule.ActionOutput!), output).ShouldBeTrue($"{caseId} call {i}: {rule.ActionOutput} vs {output}");
                }

                continue;
            }

            CompareResults(ours, (JArray)recorded["Results"]!, $"{caseId} call {i}");
        }
    }

    private static void AssertDeviation(string prefix, int call, IReadOnlyList<RuleResult> ours, string reason)
    {
        switch (prefix, call)
        {
            case ("A03", 1):
                ours.Select(r => r.IsSuccess).ShouldBe([false, false], reason);
                ours[1].HasError.ShouldBeTrue(reason);
                break;
            case ("A04", 2):
                ours.Single().IsSuccess.ShouldBeFalse(reason);
                ours.Single().HasError.ShouldBeTrue(reason);
                break;
            case ("A05", 1):
                // Recorded parents: And false, Or true, And false, Or true; children are all evaluated here.
                ours.Select(r => r.IsSuccess).ShouldBe([false, true, false, true], reason);
                ours.ShouldAllBe(r => r.ChildResults.Length == 2, reason);
                break;
            case ("A07", 2):
                ours.Select(r => r.IsSuccess).ShouldBe([true, true], reason);
                break;
            case ("A08", 4):
                var chained = ours.Single(r => r.RuleName == "RuleReferencingSameWorkflowWithInputFilter");
                chained.ActionException.ShouldNotBeNull(reason).ShouldContain("additionalInputs");
                break;
            default:
                throw new InvalidOperationException($"deviation without an assertion: {reason}");
        }
    }

    private static void CompareResults(IReadOnlyList<RuleResult> ours, JArray expected, string what)
    {
        ours.Select(r => r.RuleName).ShouldBe(expected.Select(e => (string)e["RuleName"]!), what);
        for (var k = 0; k < expected.Count; k++)
        {
            var e = expected[k];
            var o = ours[k];
            o.IsSuccess.ShouldBe((bool)e["IsSuccess"]!, $"{what}: rule {o.RuleName} {o.ExceptionMessage}");
            var output = e["ActionOutput"];
            if (output is not null && output.Type != JTokenType.Null)
            {
                JToken.DeepEquals(JToken.FromObject(o.ActionOutput!), output).ShouldBeTrue($"{what}: action output of {o.RuleName}");
            }

            var children = e["ChildResults"] as JArray ?? [];
            CompareResults(o.ChildResults, children, $"{what} > {o.RuleName}");
        }
    }

    private static JToken?[] InputsOf(JObject call) =>
        call["raw"] is JArray raw ? [.. raw] : call["inputs"] is JArray inputs ? [.. inputs] : [];

    /// <summary>
    /// Input types as RulesEngine users declare them: calls of one case with the same named C# type ("typed")
    /// share one class, inferred from all their values (so a null in one call is typed by the others).
    /// </summary>
    private static ImmutableArray<InputParameter> ParametersFor(JArray calls, JObject call, int count)
    {
        var typed = (string?)call["typed"];
        var samples = typed is null ? [call] : calls.OfType<JObject>().Where(c => (string?)c["typed"] == typed && InputsOf(c).Length == count).ToList();
        return [.. Enumerable.Range(0, count).Select(i => InputParameter.Infer($"input{i + 1}", [.. samples.Select(s => InputsOf(s)[i])]))];
    }
}
