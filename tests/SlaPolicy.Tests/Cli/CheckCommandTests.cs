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

    [Fact]
    public void Run_OneFileThatDoesNotReadAndOneHostileRule_ReportsTheErrorsOfBothFiles()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, Path.Join("tiers", "silver.json"), "\"within\": \"30m\"", "\"within\": \"30 minutes\"");
        SamplePolicyCopy.Replace(policies, Path.Join("tiers", "gold.json"), "ticket.Severity <= 2 && ticket.Tags.Contains(\\\"vip\\\")", "System.IO.File.Exists(\\\"/etc/passwd\\\")");
        var output = new StringWriter();

        CheckCommand.Run(policies, output).ShouldBe(1);

        var text = output.ToString();
        text.ShouldContain($"{Path.Join(policies, "tiers", "silver.json")}:10:");
        text.ShouldContain(": error SLA2001: ");
        text.ShouldContain($"{Path.Join(policies, "tiers", "gold.json")}:");
        text.ShouldContain(": error SLA4003: ");
        text.ShouldContain("in 2 files");
    }
}
