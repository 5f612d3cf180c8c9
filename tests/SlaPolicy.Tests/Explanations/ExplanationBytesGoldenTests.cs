using System.Text.Json;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Inputs.Generation;
using SlaPolicy.Host.Storage;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Explanations;

/// <summary>
/// Pins the bytes of stored explanations: the sample cases (samples/cases.jsonl) and 3,000 generated cases (two
/// profiles) under the sample policies, at four evaluation times, each decision's explanation written as the store
/// writes it (<see cref="DecisionRows.Prepare(Engine.Decisions.Decision, DecisionRows.Scratch, long?, long?, int?)"/>). ExplanationGolden/explanations.jsonl holds, in full, the
/// first decision of each set of step kinds met (so every kind of sentence is there to read in a diff), and at its end
/// the SHA-256 of every decision's bytes. Set SLAPOLICY_WRITE_EXPLANATION_GOLDEN=1 to record it again (only when a
/// change of the explanations is meant).
/// </summary>
public sealed class ExplanationBytesGoldenTests
{
    private static readonly string GoldenPath = Path.Combine(PolicyTestFiles.RepoRoot, "tests", "SlaPolicy.Tests", "Explanations", "ExplanationGolden", "explanations.jsonl");

    /// <summary>The checkout's folder as the explanations' locations write it, with the separator after it.</summary>
    private static readonly string Checkout = JsonEncodedText.Encode(PolicyTestFiles.RepoRoot + "/").ToString();

    [Fact]
    public void StoredExplanations_SamplesAndGeneratedCases_AreTheRecordedBytes()
    {
        var evaluator = PolicyPipeline.LoadAndCompile(PolicyTestFiles.SamplePolicies).CreateEvaluator();
        var samples = CaseReader.ReadFile(Path.Join(PolicyTestFiles.RepoRoot, "samples", "cases.jsonl")).Where(r => r.Record is not null).Select(r => r.Record!);
        var cases = samples
            .Concat(new CaseGenerator(11, GenerationProfile.Realistic).Generate(1_500))
            .Concat(new CaseGenerator(12, GenerationProfile.Synthetic).Generate(1_500))
            .ToList();
        DateTimeOffset[] times =
        [
            CaseGenerator.Cutoff,
            CaseGenerator.Cutoff.AddDays(-3).AddMinutes(17),
            CaseGenerator.Cutoff.AddDays(9).AddHours(5).AddSeconds(30),
            new(2026, 11, 20, 16, 45, 0, TimeSpan.FromHours(1)),
        ];

        var scratch = new DecisionRows.Scratch();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder();
        var kindsSeen = new HashSet<string>();
        var decisions = 0;
        foreach (var asOf in times)
        {
            foreach (var ticket in cases)
            {
                foreach (var decision in evaluator.Evaluate(ticket, asOf, explain: true))
                {
                    // Policy files are named relative to the checkout, so that the recorded bytes hold wherever it is.
                    var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(DecisionRows.Prepare(decision, scratch).Explanation).Replace(Checkout, string.Empty, StringComparison.Ordinal));
                    var key = Encoding.UTF8.GetBytes($"{ticket.Id}|{decision.Target}|{asOf:O}|");
                    digest.AppendData(key);
                    digest.AppendData(bytes);
                    digest.AppendData("\n"u8);
                    decisions++;
                    if (kindsSeen.Add(string.Join(",", decision.Explanation.Select(s => s.Kind).Distinct().Order(StringComparer.Ordinal))))
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{{\"case\":\"{ticket.Id}\",\"target\":\"{decision.Target}\",\"asOf\":\"{asOf:O}\",\"explanation\":")
                            .Append(Encoding.UTF8.GetString(bytes)).Append("}\n");
                    }
                }
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"sha256 of all {decisions} explanations: {Convert.ToHexStringLower(digest.GetHashAndReset())}\n");
        if (Environment.GetEnvironmentVariable("SLAPOLICY_WRITE_EXPLANATION_GOLDEN") == "1")
        {
            File.WriteAllText(GoldenPath, text.ToString());
        }

        // A few thousand decisions, and sentences of every kind among them (the golden file's first lines).
        decisions.ShouldBeGreaterThan(4 * 3_000);
        kindsSeen.Count.ShouldBeGreaterThan(10);
        text.ToString().ShouldBe(File.ReadAllText(GoldenPath));
    }
}
