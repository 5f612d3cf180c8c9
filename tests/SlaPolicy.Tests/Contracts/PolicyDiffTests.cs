using SlaPolicy.Host.Contracts;

namespace SlaPolicy.Tests.Contracts;

/// <summary><c>compile --diff</c>: what differs between two versions, each side at its file:line:col.</summary>
public class PolicyDiffTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    [Fact]
    public void Diff_TwoSampleVersions_ListsEachChangedTermWithBothLocations()
    {
        var output = new StringWriter();

        PolicyDiffText.Run(PolicyTestFiles.SamplePolicies, "acme-gold@2026.1", "acme-gold@2026.2", Today, output, new StringWriter()).ShouldBe(0);

        var old = Path.Join(PolicyTestFiles.SamplePolicies, "customers/acme-gold-2026.1.json");
        var current = Path.Join(PolicyTestFiles.SamplePolicies, "customers/acme-gold-2026.2.json");
        var gold = Path.Join(PolicyTestFiles.SamplePolicies, "tiers/gold.json");
        var text = output.ToString();
        text.ShouldContain($"acme-gold@2026.1 ({old}) -> acme-gold@2026.2 ({current}): 4 terms differ");

        // The availability object of each version, and gold's latency objective replaced by acme's own.
        var (oldLine, oldColumn) = ContractExampleTests.Position(old, "\"availability\": {", "\"availability\": ".Length);
        var (newLine, newColumn) = ContractExampleTests.Position(current, "\"availability\": {", "\"availability\": ".Length);
        text.ShouldContain($"  changed  availability\n    - 99.9% per calendarMonth for email, excluding maintenance; credits below 99.9%: 10%, below 99%: 25%, below 95%: 50%, cap 50%, monthly fee 1000 EUR  ({old}:{oldLine}:{oldColumn})");
        text.ShouldContain($"    + 99.9% per calendarMonth for email, excluding maintenance; credits below 99.9%: 10%, below 99%: 25%, below 95%: 100%, cap 100%, monthly fee 1200 EUR  ({current}:{newLine}:{newColumn})");
        var goldLatency = ContractExampleTests.Position(gold, "\"id\": \"latency-p95\"", 0).Line - 1;
        var acmeLatency = ContractExampleTests.Position(current, "\"id\": \"latency-p95\"", 0).Line - 1;
        text.ShouldContain($"  changed  performance `latency-p95`\n    - p95 of latencyMs at most 120 for network; credits above 120: 5%, above 200: 10%, cap 10%  ({gold}:{goldLatency}:");
        text.ShouldContain($"    + p95 of latencyMs at most 120 for network; credits above 120: 10%, above 200: 25%, cap 25%  ({current}:{acmeLatency}:");
        text.ShouldContain("  changed  effective\n    - from 2026-01-01 to 2026-10-01");
        text.ShouldNotContain("target `");
    }

    [Fact]
    public void Diff_VersionAgainstEditedFolder_IsTheOneEditedTarget()
    {
        using var folder = new TempFolder();
        var edited = ImpactCommandTests.EditedPolicies(folder);
        var output = new StringWriter();

        PolicyDiffText.Run(PolicyTestFiles.SamplePolicies, "acme-gold@2026.2", edited, Today, output, new StringWriter()).ShouldBe(0);

        var gold = Path.Join(PolicyTestFiles.SamplePolicies, "tiers/gold.json");
        var acme = Path.Join(edited, "customers/acme-gold-2026.2.json");
        var (goldLine, goldColumn) = ContractExampleTests.Position(gold, "{ \"id\": \"sev1-resolution\"", 0);
        var (acmeLine, acmeColumn) = ContractExampleTests.Position(acme, "{ \"id\": \"sev1-resolution\"", 0);
        output.ToString().ReplaceLineEndings("\n").ShouldBe(
            $"acme-gold@2026.2 ({Path.Join(PolicyTestFiles.SamplePolicies, "customers/acme-gold-2026.2.json")}) -> acme-gold@2026.2 ({acme}): 1 term differs\n"
            + "  changed  target `sev1-resolution`\n"
            + $"    - resolution within 4h on the 24x7 clock, severity 1  ({gold}:{goldLine}:{goldColumn})\n"
            + $"    + resolution within 2h on the 24x7 clock, severity 1  ({acme}:{acmeLine}:{acmeColumn})\n");
    }

    [Fact]
    public void Diff_TwoFolders_ListsOnlyTheVersionsThatDiffer()
    {
        using var folder = new TempFolder();
        var edited = ImpactCommandTests.EditedPolicies(folder);
        SamplePolicyCopy.Replace(edited, "calendars/eu-office.json", "\"2026-12-31\",", "\"2026-12-31\", \"2026-11-30\",");
        var output = new StringWriter();

        PolicyDiffText.Run(PolicyTestFiles.SamplePolicies, PolicyTestFiles.SamplePolicies, edited, Today, output, new StringWriter()).ShouldBe(0);

        // The calendar change reaches every version on eu-office; the target change only acme-gold 2026.2.
        var text = output.ToString();
        var headings = text.Split('\n').Where(l => l.Contains(" -> ", StringComparison.Ordinal) && l.Contains("differ", StringComparison.Ordinal) && !l.StartsWith(' ')).ToList();
        var onEuOffice = PolicyLoader.Load(PolicyTestFiles.SamplePolicies).Set.Policies.Where(p => p.Calendar == "eu-office").Select(p => $"{p.Id}@{p.Version}").ToList();
        headings.Skip(1).Select(h => h.Split(' ')[0]).ShouldBe(onEuOffice, ignoreOrder: true);
        text.ShouldContain("  changed  calendar\n");
        text.ShouldContain("2026-11-30");
        text.Split("target `sev1-resolution`").Length.ShouldBe(2);
    }

    [Fact]
    public void Diff_UnknownVersion_SuggestsTheNearestId()
    {
        var error = new StringWriter();

        PolicyDiffText.Run(PolicyTestFiles.SamplePolicies, "acme-gld@2026.1", "acme-gold@2026.2", Today, new StringWriter(), error).ShouldBe(1);

        error.ToString().ShouldContain("`acme-gld@2026.1` is neither a folder nor a policy of");
        error.ToString().ShouldContain("(did you mean `acme-gold`?)");
    }
}
