using SlaPolicy.Engine.Compilation;
using Xunit.Abstractions;

namespace SlaPolicy.Tests.Compilation.RulesEnginePeer;

/// <summary>
/// Every call of <c>cases.json</c> (Microsoft RulesEngine 6.0.1's own test workflows) run live through the RulesEngine
/// package and through SlaPolicy under both executors. One comparison per rule and nested child outcome (by name;
/// children RulesEngine skipped in Performance mode are not compared), per action output (JSON-equal, and whether the
/// action raised) and per call RulesEngine refuses by throwing (SlaPolicy must refuse too: a reading or validation
/// error, or throwing): 245 in all. Every difference is one of <see cref="Differences"/>.
/// </summary>
public class RulesEnginePeerTests(ITestOutputHelper output)
{
    /// <summary>All comparisons.</summary>
    public const int Comparisons = 245;

    /// <summary>Agreements measured under the <c>rulesengine</c> executor: a floor.</summary>
    public const int RulesEngineAgreements = 244;

    /// <summary>Agreements measured under the <c>compiled</c> executor: a floor.</summary>
    public const int CompiledAgreements = 231;

    [Fact]
    public void RulesEngineExecutor_AgreesWithRulesEngine_ExceptListedDifferences() =>
        Check(RuleExecutor.RulesEngine, RulesEngineAgreements);

    [Fact]
    public void CompiledExecutor_AgreesWithRulesEngine_ExceptListedDifferences() =>
        Check(RuleExecutor.Compiled, CompiledAgreements);

    private void Check(RuleExecutor executor, int floor)
    {
        var all = PeerRunner.CompareAll(executor);
        var differences = all.Where(c => !c.Agrees).ToList();
        var unlisted = differences.Where(d => Listed(executor, d) is null).ToList();
        var fixedOnes = Differences.Where(k => k.Applies(executor) && !differences.Any(d => k.Matches(d))).ToList();
        output.WriteLine($"{executor}: {all.Count - differences.Count}/{all.Count} agree");
        foreach (var d in differences)
        {
            output.WriteLine($"  {d} [{Listed(executor, d)?.Classification ?? "NOT LISTED"}]");
        }

        foreach (var k in fixedOnes)
        {
            output.WriteLine($"  listed but now agreeing: {k.CaseId} c{k.Call} `{k.Key}`");
        }

        all.Count.ShouldBe(Comparisons);
        unlisted.ShouldBeEmpty($"differences not listed in {nameof(Differences)}:\n{string.Join("\n", unlisted)}");
        (all.Count - differences.Count).ShouldBeGreaterThanOrEqualTo(floor, string.Join("\n", differences));
    }

    private static Difference? Listed(RuleExecutor executor, PeerComparison comparison) =>
        Differences.FirstOrDefault(k => k.Applies(executor) && k.Matches(comparison));

    /// <summary>Which executors a difference is seen under.</summary>
    [Flags]
    internal enum Under
    {
        Compiled = 1,
        RulesEngine = 2,
        Both = Compiled | RulesEngine,
    }

    /// <summary>
    /// A difference from RulesEngine: a comparison (<see cref="Key"/> as in <see cref="PeerComparison"/>, <c>*</c> for
    /// every comparison of the call; <see cref="Call"/> -1 for every call), why, and the C# to write instead.
    /// Classifications: (a) SlaPolicy bug; (b) Dynamic LINQ syntax that is not C#; (c) inputs or registered types
    /// SlaPolicy models differently; (d) a RulesEngine setting or action SlaPolicy does not have (documented);
    /// (r) reading: the workflow file is read more strictly than RulesEngine's Newtonsoft loader does; (s) the
    /// rulesengine executor's sandbox refuses it, deliberately.
    /// </summary>
    internal sealed record Difference(Under Under, string CaseId, int Call, string Key, string Classification, string Reason, string Instead)
    {
        public bool Applies(RuleExecutor executor) => Under.HasFlag(executor == RuleExecutor.Compiled ? Under.Compiled : Under.RulesEngine);

        public bool Matches(PeerComparison c) => c.CaseId == CaseId && (Call < 0 || c.Call == Call) && (Key == "*" || c.Key == Key);
    }

    private const string ExceptionsThrow = "with EnableExceptionAsErrorMessage=false RulesEngine throws for a rule that does not compile or throws; the compiled executor never throws for a rule, it fails closed with an error result";
    private const string CustomAction = "with AutoExecuteActions=false RulesEngine runs no action; the compiled executor always runs the actions of the full trace";

    internal static readonly IReadOnlyList<Difference> Differences =
    [
        new(Under.Compiled, "P08_rules5_injected_utils", 0, "upperCaseAccess", "(b)+(c)", "`String(x)` is Dynamic LINQ's conversion syntax, and a helper object with methods (`utils.CheckExists`) cannot be a JSON input", "`!string.IsNullOrEmpty(input1.Property1)`"),
        new(Under.Compiled, "P08_rules5_injected_utils", 0, "lowerCaseAccess", "(b)+(c)", "as upperCaseAccess", "`!string.IsNullOrEmpty(input1.Property1)`"),
        new(Under.Compiled, "P12_rules10_jsonelement", 0, "GiveDiscount10", "(c)", "the input member is a System.Text.Json JsonElement with its own methods (GetProperty/GetString); SlaPolicy types JSON objects as generated classes", "`input1.Data.category == \"abc\"`"),
        new(Under.Compiled, "P13_rules11_globalparams_list", 0, "Deactivation", "(c)", "the input is a List<T> read through `Count`; SlaPolicy types a JSON array as T[], which has `Length`", "`input1.Length >= ruleCount && …` (or `input1.Count() >= ruleCount`)"),
        new(Under.RulesEngine, "P16_null_input_single_equals", 0, "RuleWithLocalParam", "(s)", "a null input has type `object`, so `input1.hello` is a dynamic member access, which the sandbox refuses (it would reach any member of the run-time object); RulesEngine never evaluates it here (`input1 == null` decides), but the rule is checked as written", "type the input, or test it first in a parameter: `input1 == null || input1.hello.world == \"wow\"` with a typed input"),
        new(Under.Compiled, "P26_localparam_int_list_contains", 0, "Test Rule", "(c)", "the test's MyObject.Count is an int; SlaPolicy types JSON integers as long, and C# does not call IEnumerable<int>.Contains with a long", "`myList.Where(x => x < threshold).Contains((int)myObj.Count)`"),
        new(Under.Compiled, "P33_actions_output_and_evaluate", 4, "RuleReferencingSameWorkflowWithInputFilter [action]", "(d)", "`additionalInputs` of EvaluateRule are not supported by the compiled executor (the rulesengine executor checks the target rule with those inputs in scope and runs it)", "declare the value where the rule reads it: `\"LocalParams\": [{ \"Name\": \"additionalValue\", \"Expression\": \"1\" }]`"),
        new(Under.Compiled, "P39_issue573_additional_inputs", -1, "Parent [action]", "(d)", "`additionalInputs` of EvaluateRule are not supported: the action reports an error", "a LocalParam in the target rule: `\"LocalParams\": [{ \"Name\": \"doubled\", \"Expression\": \"input1.Value * 2\" }]`"),
        new(Under.Compiled, "P40_issue576_596_624_custom_actions", 2, "R [action]", "(d)", CustomAction, "read the outcome with `Run`, which runs no action"),
        new(Under.Compiled, "P48_issue692_nullable_datetime", -1, "TreatNullAsLess", "(c)", "`DateTime.Now` is refused (time is an input) and JSON date strings are typed as string (no DateTime?, no HasValue)", "pass the evaluation time as an input: `input1.Dt == null || DateTime.Parse(input1.Dt) < DateTime.Parse(input2)`"),
        new(Under.Compiled, "P52_issue717_custom_method", 0, "R1", "(c)", "registered custom types (ReSettings.CustomTypes) have no equivalent", "`myObj.Value > 5`"),
        new(Under.Compiled, "P59_parser_jobject_indexers", 0, "*", "(c)", "the input is a Newtonsoft JObject read with string indexers; SlaPolicy binds JSON to generated classes, which have members, not indexers", "`input.list[0].item3 == 1`, `input.list[1].item2 == \"world\"`"),
    ];
}
