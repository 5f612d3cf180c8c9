using System.Xml.Linq;
using SlaPolicy.Engine.Examples;
using SlaPolicy.Host.Contracts;

namespace SlaPolicy.Tests.Contracts;

/// <summary><c>slapolicy test</c> and <c>check</c> over the worked examples of <c>policies/tests/</c>.</summary>
public class ContractExampleTests
{
    private const string GoldExamples = "tests/gold.json";

    /// <summary>The G-1 resolution expectation of the gold examples, as written in the file.</summary>
    private const string G1Resolution = """{ "case": "G-1", "target": "sev1-resolution", "status": "met", "dueAt": "2026-11-02T14:00:00+01:00", "elapsedMinutes": 180, "percentUsed": 75,""";

    [Fact]
    public void Test_SampleExamples_EveryExpectationHoldsAndJUnitListsEachExample()
    {
        using var folder = new TempFolder();
        var junit = folder.File("out/junit.xml");
        var output = new StringWriter();

        var exit = TestCommand.Run(PolicyTestFiles.SamplePolicies, junit, output);

        exit.ShouldBe(0, output.ToString());
        var files = ContractExampleReader.FilesOf(PolicyTestFiles.SamplePolicies).Select(ContractExampleReader.ReadFile).ToList();
        files.ShouldAllBe(f => f.Diagnostics.Count == 0);
        var examples = files.Sum(f => f.Examples.Length);
        var expectations = files.Sum(f => f.Examples.Sum(e => e.ExpectationCount));
        output.ToString().ShouldContain($"{examples} examples in {files.Count} files, {expectations} expectations, all hold");
        var xml = XDocument.Load(junit);
        xml.Root!.Attribute("tests")!.Value.ShouldBe(examples.ToString(CultureInfo.InvariantCulture));
        xml.Root.Attribute("failures")!.Value.ShouldBe("0");
        xml.Descendants("testcase").Select(t => t.Attribute("name")!.Value)
            .ShouldBe(files.SelectMany(f => f.Examples.Select(e => e.Name)));
    }

    [Fact]
    public void Test_SampleExamples_CoverEveryTermOfTheSamplePolicies()
    {
        var set = PolicyLoader.Load(PolicyTestFiles.SamplePolicies).Set;
        var run = ExampleRunner.Run(PolicyTestFiles.SamplePolicies, SamplePolicyEvaluator.Provider.Current.ShouldBeOfType<CaseEvaluator>());
        var decisions = run.Outcomes.SelectMany(o => o.Example.Decisions.Select(d => (o.Example, d))).ToList();
        var evaluator = (CaseEvaluator)SamplePolicyEvaluator.Provider.Current;
        var governed = decisions.Select(x => evaluator.FindPolicy(x.Example.Cases.First(c => c.Id == x.d.CaseId))!)
            .Select(p => $"{p.Id}@{p.Version}").ToHashSet();

        // Every governing version is exercised by at least one example, and every custom rule fires in one.
        governed.ShouldBe(set.Policies.Where(p => !p.IsAbstract).Select(p => $"{p.Id}@{p.Version}"), ignoreOrder: true);
        var rules = decisions.SelectMany(x => x.d.Fields.Where(f => f.Field == "rules")).SelectMany(f => f.Expected!.Split(", ", StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        rules.ShouldBe(set.Policies.SelectMany(p => p.Rules).Select(r => r.RuleName).Distinct(), ignoreOrder: true);

        // Every target id of the sample policies, and every kind of credit figure, is expected somewhere.
        decisions.Select(x => x.d.Target).ToHashSet().ShouldBe(set.Policies.SelectMany(p => p.Targets).Select(t => t.Id).Distinct(), ignoreOrder: true);
        run.Outcomes.SelectMany(o => o.Example.Credits).Select(c => c.Kind).Distinct().ShouldBe(ContractExampleReader.CreditKinds, ignoreOrder: true);
        run.Outcomes.SelectMany(o => o.Example.Credits).Where(c => c.Kind == "performance").Select(c => c.Objective).Distinct()
            .ShouldBe(set.Policies.SelectMany(p => p.Performance).Select(p => p.Id).Distinct(), ignoreOrder: true);
    }

    [Fact]
    public void Test_WrongExpectation_FailsAtItsFileLineAndColumnWithTheExplanation()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        var wrong = G1Resolution.Replace("\"percentUsed\": 75", "\"percentUsed\": 80", StringComparison.Ordinal);
        SamplePolicyCopy.Replace(policies, GoldExamples, G1Resolution, wrong);
        var (line, column) = Position(Path.Join(policies, GoldExamples), "\"percentUsed\": 80", "\"percentUsed\": ".Length);
        var output = new StringWriter();

        var exit = TestCommand.Run(policies, null, output);

        exit.ShouldBe(1);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var failure = lines.Single(l => l.Contains("expected", StringComparison.Ordinal));
        failure.ShouldStartWith($"{Path.Join(policies, GoldExamples)}:{line}:{column}: expected percentUsed `80`, got `75`");
        failure.ShouldContain("G-1 sev1-resolution");

        // The explanation of the actual decision follows: its outcome first, then its policy.
        var at = Array.IndexOf(lines, failure);
        lines[at + 1].ShouldStartWith("status");
        lines[at + 1].ShouldContain("(75%)");
        lines[at + 2].ShouldStartWith("policy");
        lines[at + 2].ShouldContain("gold-eu-west");
        lines.ShouldContain(l => l.Contains("1 failed (in 1 example)", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_WrongExpectation_IsReportedAndFailsTheCheck()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, GoldExamples, G1Resolution, G1Resolution.Replace("\"status\": \"met\"", "\"status\": \"breached\"", StringComparison.Ordinal));
        var (line, column) = Position(Path.Join(policies, GoldExamples), "\"status\": \"breached\", \"dueAt\": \"2026-11-02T14", "\"status\": ".Length);
        var output = new StringWriter();

        var exit = CheckCommand.Run(policies, output, today: new DateOnly(2026, 11, 1));

        exit.ShouldBe(1);
        output.ToString().ShouldContain("no errors");
        output.ToString().ShouldContain($"{Path.Join(policies, GoldExamples)}:{line}:{column}: expected status `breached`, got `met`");
    }

    [Fact]
    public void Test_PolicyEdit_BreaksTheExampleThatPinsTheTerm()
    {
        // Shortening gold's sev1 resolution to 2h makes G-1 (resolved after 3h) breached: the example pins the 4h term.
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, "tiers/gold.json", "\"severity\": [1], \"within\": \"4h\"", "\"severity\": [1], \"within\": \"2h\"");
        var output = new StringWriter();

        TestCommand.Run(policies, null, output).ShouldBe(1);

        output.ToString().ShouldContain("expected status `met`, got `breached` (example `sev1 answered in 10 minutes and resolved in 3 hours");
        output.ToString().ShouldContain("expected percentUsed `75`, got `150`");
        output.ToString().ShouldContain("expected dueAt `2026-11-02T14:00:00+01:00`, got `2026-11-02T12:00:00+01:00`");
    }

    [Theory]
    [InlineData("\"percentUsed\": 75,", "\"percentUsd\": 75,", "SLA1002", "unknown property `percentUsd`", "did you mean `percentUsed`?")]
    [InlineData("\"status\": \"met\", \"dueAt\": \"2026-11-02T14", "\"status\": \"mett\", \"dueAt\": \"2026-11-02T14", "SLA2010", "`mett` is not a status", "did you mean `met`?")]
    [InlineData("{ \"case\": \"G-1\", \"target\": \"sev1-resolution\"", "{ \"case\": \"G-l\", \"target\": \"sev1-resolution\"", "SLA6003", "case `G-l` is not one of this example's cases (G-1)", "did you mean `G-1`?")]
    [InlineData("\"dueAt\": \"2026-11-02T14:00:00+01:00\"", "\"dueAt\": \"2026-11-02T14:00:00\"", "SLA2009", "`2026-11-02T14:00:00` is not an instant", null)]
    public void Test_BadExpectation_IsAnErrorAtTheValueWithASuggestion(string old, string replacement, string code, string message, string? help)
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        var changed = G1Resolution.Replace(old, replacement, StringComparison.Ordinal);
        changed.ShouldNotBe(G1Resolution);
        SamplePolicyCopy.Replace(policies, GoldExamples, G1Resolution, changed);
        var file = Path.Join(policies, GoldExamples);
        var (line, column) = Position(file, replacement, 0);
        var output = new StringWriter();

        TestCommand.Run(policies, null, output).ShouldBe(1);

        var diagnostic = output.ToString().Split('\n').Single(l => l.Contains(code, StringComparison.Ordinal));
        diagnostic.ShouldStartWith($"{file}:{line}:");
        int.Parse(diagnostic.Split(':')[2], CultureInfo.InvariantCulture).ShouldBeInRange(column, column + replacement.Length);
        diagnostic.ShouldContain(message);
        if (help is not null)
        {
            diagnostic.ShouldContain(help);
        }

        output.ToString().ShouldContain("; 1 error in the example files");
    }

    [Fact]
    public void Read_RecordTheInputFormatRejects_IsAnErrorAtTheRecordWithTheReason()
    {
        const string text = """
            {
              "examples": [
                { "name": "no opening time", "asOf": "2026-11-02T12:00:00Z",
                  "cases": [
                    { "id": "X-1", "customer": "c", "tier": "gold", "region": "eu-west", "service": "email", "severity": 1 }
                  ],
                  "expect": [ { "case": "X-1", "target": "sev1-response", "status": "met" } ] }
              ]
            }
            """;

        var file = ContractExampleReader.Read("tests/x.json", text);

        file.Examples.ShouldBeEmpty();
        var diagnostic = file.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA6002");
        diagnostic.Location.ShouldBe(new SourceLocation("tests/x.json", 5, 9));
        diagnostic.Message.ShouldContain("openedAt");
    }

    [Fact]
    public void Loader_ExamplesFolder_IsNotReadAsPolicies()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        File.WriteAllText(Path.Join(policies, "tests", "not-a-policy.json"), """{ "examples": [] }""");

        var loaded = PolicyLoader.Load(policies);

        loaded.Diagnostics.ShouldBeEmpty();
        loaded.Set.Policies.ShouldNotContain(p => p.File.Contains("/tests/", StringComparison.Ordinal));
    }

    /// <summary>1-based line and column of <paramref name="text"/> in the file, plus <paramref name="skip"/> characters.</summary>
    internal static (int Line, int Column) Position(string path, string text, int skip)
    {
        var lines = File.ReadAllLines(path);
        var matches = lines.Select((l, i) => (Line: i + 1, Column: l.IndexOf(text, StringComparison.Ordinal) + 1)).Where(m => m.Column > 0).ToList();
        var match = matches.ShouldHaveSingleItem();
        return (match.Line, match.Column + skip);
    }
}
