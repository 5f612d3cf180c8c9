namespace SlaPolicy.Tests.Cli;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slapolicy-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => Path.Join(PolicyTestFiles.RepoRoot, "samples", name);

    [Fact]
    public void Evaluate_Samples_WritesDecisionsAndExplainsTheDesignCase()
    {
        var output = new FileInfo(Path.Join(_dir, "decisions.jsonl"));

        var exit = EvaluateCommand.Run(
            PolicyTestFiles.SamplePolicies, new FileInfo(Sample("cases.jsonl")), "2026-11-22T02:00:00Z", output, "jsonl",
            new FileInfo(Path.Join(_dir, "rejected.jsonl")), explain: true);

        exit.ShouldBe(0);
        var decisions = File.ReadLines(output.FullName).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        decisions.Count.ShouldBeGreaterThan(400);
        var resolution = decisions.Single(d => d.GetProperty("caseId").GetString() == "C-1001" && d.GetProperty("target").GetString() == "sev1-resolution");
        // The README's worked example: 30 + 1080 minutes counted, 960 paused, due 12:30 on the 21st, level 3.
        resolution.GetProperty("status").GetString().ShouldBe("breached");
        resolution.GetProperty("elapsedMinutes").GetDouble().ShouldBe(1110);
        resolution.GetProperty("pausedMinutes").GetDouble().ShouldBe(960);
        resolution.GetProperty("dueAt").GetString().ShouldBe("2026-11-21T12:30:00+01:00");
        resolution.GetProperty("escalationLevel").GetInt32().ShouldBe(3);
        resolution.GetProperty("source").GetProperty("file").GetString()!.ShouldEndWith(".json");
        var explanation = resolution.GetProperty("explanation").EnumerateArray().Select(s => s.GetProperty("text").GetString()).ToList();
        explanation.ShouldContain(t => t!.Contains("while the status was waiting_on_customer", StringComparison.Ordinal));
        explanation.ShouldContain(t => t!.Contains("escalate to level 3", StringComparison.Ordinal));

        // Every decision names the policy file and line it came from, or says that no policy covers the case.
        decisions.ShouldAllBe(d => d.GetProperty("status").GetString() == "no-policy" || d.GetProperty("source").GetProperty("line").GetInt32() > 0);
    }

    [Fact]
    public void Evaluate_OutInAFolderNotYetThere_CreatesItAndKeepsTheQuarantineBesideIt()
    {
        // The README writes its outputs under the ignored out/, which a fresh clone does not have.
        var output = new FileInfo(Path.Join(_dir, "out", "decisions.jsonl"));

        var exit = EvaluateCommand.Run(
            PolicyTestFiles.SamplePolicies, new FileInfo(Sample("bad-cases.jsonl")), "2026-11-22T02:00:00Z", output, "jsonl", null, explain: false);

        exit.ShouldBe(2);
        File.ReadLines(output.FullName).ShouldNotBeEmpty();
        File.ReadAllLines(Path.Join(_dir, "out", "bad-cases.rejected.jsonl")).Length.ShouldBe(14);
    }

    [Fact]
    public void Evaluate_BadRecords_QuarantinesThemKeepsTheGoodOnesAndExitsTwo()
    {
        var output = new FileInfo(Path.Join(_dir, "decisions.jsonl"));
        var quarantine = new FileInfo(Path.Join(_dir, "rejected.jsonl"));

        var exit = EvaluateCommand.Run(
            PolicyTestFiles.SamplePolicies, new FileInfo(Sample("bad-cases.jsonl")), "2026-11-22T02:00:00Z", output, "jsonl", quarantine, explain: false);

        exit.ShouldBe(2);
        var rejected = File.ReadAllLines(quarantine.FullName);
        // 19 non-blank lines: 14 bad ones (one of each kind in docs/INPUTS.md) and 5 good ones: B-1, B-3, B-14 (its
        // unknown fields are ignored), B-20, and line 18, which repeats the id B-1 (a correction, not an error).
        rejected.Length.ShouldBe(14);
        var evaluated = File.ReadLines(output.FullName).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("caseId").GetString()).Distinct();
        evaluated.Order(StringComparer.Ordinal).ShouldBe(["B-1", "B-14", "B-20", "B-3"]);
    }

    [Fact]
    public void Evaluate_AsOfWithoutOffset_IsRefused()
    {
        var exit = EvaluateCommand.Run(
            PolicyTestFiles.SamplePolicies, new FileInfo(Sample("cases.jsonl")), "2026-11-22T02:00:00", null, "jsonl", null, explain: false);

        exit.ShouldBe(1);
    }

    [Fact]
    public async Task EvaluateTable_WrittenToAPipe_KeepsEachDecisionOnOneLine()
    {
        // Redirected (no terminal width): one line per decision instead of four wrapped ones; the due time in the case's zone.
        var executable = Path.Join(AppContext.BaseDirectory, "slapolicy");
        var root = PolicyTestFiles.RepoRoot;
        var (exit, output) = await ChildProcess.RunAsync(
            executable,
            ["evaluate", "--policies", Path.Join(root, "policies"), "--cases", Path.Join(root, "samples", "cases.jsonl"), "--as-of", "2026-11-22T02:00:00Z", "--format", "table"],
            TimeSpan.FromMinutes(2));

        exit.ShouldBe(0, output);
        var rows = output.Split('\n').Where(l => l.StartsWith("│ C-", StringComparison.Ordinal)).ToList();
        rows.Count.ShouldBe(632);
        rows.ShouldContain(l => l.Contains("│ C-1001 │ sev1-resolution     │ acme-gold@2026.2         │ breached  │ 2026-11-21 12:30 +01:00 │ 1110 min │ 462.5% │ 3     │", StringComparison.Ordinal));
    }
}
