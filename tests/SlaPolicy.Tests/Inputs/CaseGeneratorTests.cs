using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

public class CaseGeneratorTests
{
    private static byte[] Write(IEnumerable<CaseRecord> cases)
    {
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            foreach (var c in cases)
            {
                writer.Write(c);
            }
        }

        return stream.ToArray();
    }

    [Theory]
    [InlineData(GenerationProfile.Realistic)]
    [InlineData(GenerationProfile.Synthetic)]
    public void Generate_SameSeed_SameBytes(GenerationProfile profile)
    {
        var first = Write(new CaseGenerator(7, profile).Generate(300));
        var second = Write(new CaseGenerator(7, profile).Generate(300));
        var other = Write(new CaseGenerator(8, profile).Generate(300));

        first.ShouldBe(second);
        first.ShouldNotBe(other);
    }

    [Theory]
    [InlineData(GenerationProfile.Realistic)]
    [InlineData(GenerationProfile.Synthetic)]
    public void Generate_WrittenAndReadBack_AllAcceptedAndEqual(GenerationProfile profile)
    {
        var generated = new CaseGenerator(3, profile).Generate(2000).ToList();

        var read = CaseReader.Read(new MemoryStream(Write(generated)), "generated").ToList();

        read.ShouldAllBe(r => r.IsAccepted);
        read.Count.ShouldBe(2000);
        for (var i = 0; i < generated.Count; i++)
        {
            var (g, r) = (generated[i], read[i].Record!);
            r.ShouldBe(g with { Tags = r.Tags, Events = r.Events });
            r.Tags.ShouldBe(g.Tags);
            r.Events.ShouldBe(g.Events);
        }
    }

    [Fact]
    public void Generate_Realistic_NothingAfterTheCutoff()
    {
        var cases = new CaseGenerator(5).Generate(1000).ToList();

        cases.ShouldAllBe(c => c.OpenedAt < CaseGenerator.Cutoff);
        cases.ShouldAllBe(c => c.ResolvedAt == null || c.ResolvedAt <= CaseGenerator.Cutoff);
        cases.ShouldAllBe(c => c.Events.All(e => e.At <= CaseGenerator.Cutoff));
        cases[0].Id.ShouldBe("C-1001");
    }

    [Fact]
    public void SampleCases_AreTheGeneratorsOutputForTheDocumentedSeed()
    {
        // samples/cases.jsonl is `slapolicy generate --cases 420 --seed 2026 --out samples/cases.jsonl`, followed by
        // hand-written cases C-71xx and C-73xx that show calendar constructs and C-72xx that show clock conditions, reopens and
        // severity changes (docs/CLOCKS.md); nothing else.
        var expected = Write(new CaseGenerator(2026).Generate(420));

        var file = File.ReadAllBytes(Sample("cases.jsonl"));
        file.Take(expected.Length).ToArray().ShouldBe(expected);
        Encoding.UTF8.GetString(file, expected.Length, file.Length - expected.Length).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ShouldAllBe(line => line.StartsWith("{\"id\":\"C-71", StringComparison.Ordinal) || line.StartsWith("{\"id\":\"C-72", StringComparison.Ordinal) || line.StartsWith("{\"id\":\"C-73", StringComparison.Ordinal));
    }

    [Fact]
    public void GenerateCommand_WritesTheRequestedCount()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slapolicy-{Guid.NewGuid():N}.jsonl");
        try
        {
            var exit = CliApp.CreateRoot().Parse(["generate", "--cases", "50", "--seed", "9", "--profile", "synthetic", "--out", path]).Invoke();

            exit.ShouldBe(0);
            var read = CaseReader.ReadFile(path).ToList();
            read.Count.ShouldBe(50);
            read.ShouldAllBe(r => r.IsAccepted);
            read[0].Record!.Id.ShouldBe("S-0000001");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
