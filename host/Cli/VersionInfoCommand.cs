using System.CommandLine;

namespace SlaPolicy.Host.Cli;

/// <summary><c>slapolicy about</c>: prints the version and where the docs are.</summary>
public sealed class VersionInfoCommand : ICliCommand
{
    public Command Create()
    {
        var command = new Command("about", "print the version and where to start reading");
        command.SetAction(_ =>
        {
            Console.WriteLine($"slapolicy {typeof(VersionInfoCommand).Assembly.GetName().Version}");
            Console.WriteLine("docs: README.md and docs/ in the repository");
            return 0;
        });
        return command;
    }
}
