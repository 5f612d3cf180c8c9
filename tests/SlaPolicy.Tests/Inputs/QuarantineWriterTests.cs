using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

public class QuarantineWriterTests
{
    [Fact]
    public void Write_RejectionsOfTheBadSample_ReadBackUnchangedAndAppendedOnTheNextRun()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slapolicy-{Guid.NewGuid():N}", "quarantine.jsonl");
        try
        {
            var rejected = CaseReader.ReadFile(Sample("bad-cases.jsonl")).Where(r => !r.IsAccepted).Select(r => r.Rejected!).ToList();
            using (var writer = new QuarantineWriter(path))
            {
                foreach (var r in rejected)
                {
                    writer.Write(r);
                }

                writer.Count.ShouldBe(rejected.Count);
            }

            using (var writer = new QuarantineWriter(path))
            {
                writer.Write(rejected[0]);
            }

            using var stream = File.OpenRead(path);
            var readBack = QuarantineWriter.ReadAll(stream).ToList();
            readBack.ShouldBe([.. rejected, rejected[0]]);
            File.ReadLines(path).Count().ShouldBe(rejected.Count + 1);
            File.ReadLines(path).First().ShouldStartWith("{\"source\":");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
