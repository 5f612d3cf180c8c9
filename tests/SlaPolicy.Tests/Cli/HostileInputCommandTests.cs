using Microsoft.Extensions.DependencyInjection;

namespace SlaPolicy.Tests.Cli;

/// <summary>
/// Hostile input files of every kind through <c>evaluate</c>, <c>run --ingest</c> and <c>why</c>: every non-empty line is
/// stored or quarantined, nothing stops the good records, and the good customers' credits are computed.
/// </summary>
public class HostileInputCommandTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static string Samples => Path.Join(PolicyTestFiles.RepoRoot, "samples");

    private const string Opened = "2026-11-20T16:30:00+01:00";

    private static string Case(string id, string extra = "", string openedAt = Opened) =>
        $$"""{"id":"{{id}}","customer":"acme","tier":"gold","region":"eu-west","service":"email","severity":2,"openedAt":"{{openedAt}}"{{extra}}}""";

    /// <summary>Hostile case lines, each bad in its own way, and how many of them are good.</summary>
    private static readonly string[] HostileCases =
    [
        Case("H-\\ud800"),                                                                  // lone high surrogate in the id
        Case("H-2", ",\"tags\":[\"\\udc00\"]"),                                            // lone low surrogate in a tag
        Case("H-3", ",\"events\":[{\"at\":\"2026-11-20T17:00:00+01:00\",\"status\":\"\\ud800\\u0041\"}]"), // in a status
        Case("H-4", openedAt: "9999-12-31T23:59:59Z"),                                       // beyond the window
        Case("H-5", ",\"resolvedAt\":\"9999-12-31T23:59:59+14:00\""),                        // resolved at the end of time
        Case("H-6", ",\"events\":[{\"at\":\"2026-11-20T17:00:00+01:00\",\"status\":\"in_progress\",\"status\":\"waiting_on_customer\"}]"),
        Case("H-7", ",\"id\":\"H-7b\""),                                                     // a property twice
        Case("H-8").Replace("\"severity\":2", "\"severity\":1e400", StringComparison.Ordinal), // a number beyond double
        Case("H-9").Replace("\"severity\":2", "\"severity\":99999999999", StringComparison.Ordinal),
        Case("H-10", openedAt: "2026-11-20T16:30:00+15:00"),                                 // an offset beyond ±14:00
        Case("H-11", openedAt: "2026-02-30T16:30:00Z"),                                      // no such day
        "\uFEFF" + Case("H-12"),                                                             // a BOM not at the start of the file
        "{\"id\":\"H-13\"",                                                                  // malformed
    ];

    private static readonly string[] GoodCases =
    [
        Case("INC/2026/0001", ",\"firstresponseAt\":\"2026-11-20T16:41:00+01:00\""),        // a typo: a warning, still stored
        Case("G-2", ",\"events\":[{\"at\":\"2026-11-20T17:00:00+01:00\",\"status\":\"Waiting_On_Customer\"}]"),
        Case(".."),
    ];

    private static ServiceProvider Services(TempFolder folder) => CoreServices.BuildCommandServices(
        [new("Store:Path", folder.File("slapolicy.db"))],
        s => s.AddSingleton<IEvaluatorProvider>(SamplePolicyEvaluator.Provider));

    /// <summary>The samples, with hostile lines of every kind added to copies of their files.</summary>
    private static string HostileSamples(TempFolder folder)
    {
        var inputs = Directory.CreateDirectory(folder.File("inputs")).FullName;
        foreach (var file in Directory.EnumerateFiles(Samples, "*.jsonl"))
        {
            File.Copy(file, Path.Join(inputs, Path.GetFileName(file)));
        }

        File.AppendAllLines(Path.Join(inputs, "cases.jsonl"), [.. HostileCases, .. GoodCases]);
        File.AppendAllLines(Path.Join(inputs, "subscriptions.jsonl"),
        [
            """{"customer":"hostile","tier":"gold","region":"eu-west","service":"email","monthlyFee":1e20,"currency":"EUR"}""",
            """{"customer":"hostile","tier":"gold","region":"eu-west","service":"crm","monthlyFee":79228162514264337593543950335,"currency":"EUR"}""",
            """{"customer":"hostile","tier":"gold","region":"eu-west","service":"network","monthlyFee":1e400,"currency":"EUR"}""",
            """{"customer":"hostile","tier":"gold","region":"us-east","service":"email","monthlyFee":1234567890123456.78,"currency":"EUR"}""",
            """{"customer":"\ud800","tier":"gold","region":"us-east","service":"crm"}""",
            """{"customer":"hostile","tier":"gold","tier":"silver","region":"us-east","service":"network"}""",
        ]);
        File.AppendAllLines(Path.Join(inputs, "measurements.jsonl"),
        [
            .. Enumerable.Range(0, 12).Select(i => $$"""{"service":"network","region":"apac-in","at":"2026-11-0{{(i % 9) + 1}}T0{{i % 6}}:30:00Z","metric":"latencyMs","value":7.8e27}"""),
            """{"service":"network","region":"apac-in","at":"9999-01-01T00:00:00Z","metric":"latencyMs","value":1}""",
            """{"service":"network","region":"apac-in","at":"2026-11-03T02:00:00Z","metric":"latency\udfff","value":1}""",
        ]);
        File.AppendAllLines(Path.Join(inputs, "outages.jsonl"),
        [
            """{"service":"email","region":"eu-west","start":"2026-11-10T00:00:00Z","end":"9999-12-31T23:59:59Z","kind":"unplanned"}""",
            """{"service":"email","region":"eu-west","start":"0001-01-01T00:00:00Z","end":"2026-11-10T00:00:00Z","kind":"unplanned"}""",
            """{"service":"email","region":"eu-west","start":"2026-11-10T00:00:00Z","end":"2026-11-10T00:10:00Z","kind":"\ud800"}""",
        ]);
        var bom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Case("BOM-1") + "\n" + Case("BOM-2") + "\n")).ToArray();
        File.WriteAllBytes(Path.Join(inputs, "cases-bom.jsonl"), bom);
        File.WriteAllBytes(Path.Join(inputs, "cases-invalid.jsonl"), [.. Encoding.UTF8.GetBytes(Case("U-1") + "\n"), 0xED, 0xA0, 0x80, (byte)'\n', 0xC3, (byte)'\n']);
        return inputs;
    }

    [Fact]
    public void RunIngest_HostileFilesOfEveryKind_EveryLineStoredOrQuarantinedAndTheGoodCreditsComputed()
    {
        using var folder = new TempFolder();
        using var services = Services(folder);
        var store = services.GetRequiredService<IStore>();
        var inputs = HostileSamples(folder);
        var output = new StringWriter();

        var exit = RunCommand.Execute(services, AsOf, output, redirected: true, inputs);

        var text = output.ToString();
        exit.ShouldBe(0, text);
        text.ShouldContain("run 1 succeeded");

        // Every non-empty line of every file is either stored or in the quarantine.
        var quarantine = store.GetQuarantine(10_000);
        foreach (var file in Directory.EnumerateFiles(inputs))
        {
            var lines = File.ReadAllBytes(file).Count(b => b == (byte)'\n');
            var stored = Path.GetFileName(file) switch
            {
                "cases.jsonl" => 443 + GoodCases.Length,
                "cases-bom.jsonl" => 2,
                "cases-invalid.jsonl" => 1,
                "bad-cases.jsonl" => 5, // four good records and one repeated id
                _ => -1,
            };
            var rejected = quarantine.Count(q => q.Record.Source == file);
            if (stored >= 0)
            {
                (stored + rejected).ShouldBe(File.ReadLines(file).Count(l => l.Trim().Length > 0), file);
            }

            lines.ShouldBeGreaterThan(0);
        }

        quarantine.Count(q => q.Record.Source.EndsWith("/cases.jsonl", StringComparison.Ordinal)).ShouldBe(HostileCases.Length);
        quarantine.Count(q => q.Record.Source.EndsWith("/subscriptions.jsonl", StringComparison.Ordinal)).ShouldBe(6);
        quarantine.Count(q => q.Record.Source.EndsWith("/measurements.jsonl", StringComparison.Ordinal)).ShouldBe(14);
        quarantine.Count(q => q.Record.Source.EndsWith("/outages.jsonl", StringComparison.Ordinal)).ShouldBe(3);
        quarantine.Count(q => q.Record.Source.EndsWith("/cases-invalid.jsonl", StringComparison.Ordinal)).ShouldBe(2);
        store.GetCase("INC/2026/0001").ShouldNotBeNull();
        store.GetCase("..").ShouldNotBeNull();
        store.GetCase("BOM-1").ShouldNotBeNull();

        // The good customers' credits: acme's email in eu-west owes EUR 120.00, as without the hostile lines.
        text.ShouldContain("acme email eu-west: availability at least 99.9%, measured 99.555: EUR 120.00");
        store.GetRun(1)!.Error.ShouldBeNull();

        // The typo and the near-miss status are reported with their line; the unknown status is counted.
        text.ShouldContain("warning");
        text.ShouldContain("`firstresponseAt`");
        text.ShouldContain("did you mean `firstResponseAt`?");
        text.ShouldContain("unknown status `Waiting_On_Customer` (did you mean `waiting_on_customer`?)");
        text.ShouldContain("`Waiting_On_Customer` (1 event, did you mean `waiting_on_customer`?)");
    }

    [Fact]
    public async Task Evaluate_HostileCases_GoodOnesEvaluatedBadOnesQuarantinedWarningsPrinted()
    {
        using var folder = new TempFolder();
        var cases = folder.File("cases.jsonl");
        File.WriteAllLines(cases, [Case("G-1"), .. HostileCases, .. GoodCases]);
        var decisions = folder.File("decisions.jsonl");
        var quarantine = folder.File("rejected.jsonl");

        var (exit, output) = await ChildProcess.RunAsync("dotnet",
            [HostProcess.FindHostDll(), "evaluate", "--policies", PolicyTestFiles.SamplePolicies, "--cases", cases, "--as-of", "2026-11-22T02:00:00Z",
             "--out", decisions, "--quarantine", quarantine, "--no-explain"],
            TimeSpan.FromMinutes(2));

        exit.ShouldBe(2, output);
        File.ReadAllLines(quarantine).Length.ShouldBe(HostileCases.Length);
        File.ReadLines(decisions).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("caseId").GetString()).Distinct()
            .Order(StringComparer.Ordinal).ShouldBe(["..", "G-1", "G-2", "INC/2026/0001"]);
        output.ShouldContain("warning field `firstresponseAt`: unknown property `firstresponseAt` ignored (did you mean `firstResponseAt`?)");
        output.ShouldContain("unknown status `Waiting_On_Customer` (did you mean `waiting_on_customer`?)");
        output.ShouldContain("1 unknown status");
        output.ShouldContain($"{HostileCases.Length} rejected");
    }

    [Theory]
    [InlineData("INC/2026/0001")]
    [InlineData("..")]
    [InlineData("a%2Fb")]
    public async Task Why_CaseIdWithSlashesDotsOrPercents_Explained(string id)
    {
        using var folder = new TempFolder();
        using (var services = Services(folder))
        {
            var store = services.GetRequiredService<IStore>();
            store.Ingest(new RecordBatch([Cases.Open(id, Opened)], [], [], [], [], AsOf));
            RunCommand.Execute(services, AsOf, new StringWriter(), redirected: true).ShouldBe(0);
        }

        var (exit, output) = await ChildProcess.RunAsync("dotnet",
            [HostProcess.FindHostDll(), "why", id, "--store", folder.File("slapolicy.db")], TimeSpan.FromMinutes(2));

        exit.ShouldBe(0, output);
        output.ShouldContain($"case {id}");
    }
}
