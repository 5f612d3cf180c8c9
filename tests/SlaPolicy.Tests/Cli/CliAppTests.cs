namespace SlaPolicy.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public void CreateRoot_RegistersEveryCommand()
    {
        var root = CliApp.CreateRoot();
        root.Subcommands.Select(c => c.Name).ShouldContain("about");
    }
}
