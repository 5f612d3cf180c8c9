using SlaPolicy.Host.Cli;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Cli;

public class CheckCommandTests
{
    [Fact]
    public void Run_SamplePolicies_ExitsZero()
    {
        var output = new StringWriter();

        CheckCommand.Run(PolicyTestFiles.SamplePolicies, output).ShouldBe(0);
        output.ToString().ShouldContain("no errors");
    }

    [Fact]
    public void Run_BadPolicies_PrintsSortedDiagnosticsAndExitsOne()
    {
        var directory = Path.Join(PolicyTestFiles.BadCorpus, "versions");
        var output = new StringWriter();

        CheckCommand.Run(directory, output).ShouldBe(1);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith($"{Path.Join(directory, "v2-again.json")}:3:14: error SLA3003: ");
        lines[1].ShouldStartWith($"{Path.Join(directory, "v2.json")}:4:26: error SLA3001: ");
        lines[2].ShouldBe($"{directory}: 2 errors in 2 files, 0 warnings");
    }
}
