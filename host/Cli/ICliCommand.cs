using System.CommandLine;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// A subcommand of <c>slapolicy</c>. Every non-abstract implementation in this assembly is registered by
/// <see cref="CliApp"/>, so adding a command means adding one class.
/// </summary>
public interface ICliCommand
{
    /// <summary>Builds the command with its options and action.</summary>
    Command Create();
}

/// <summary>Options more than one command takes.</summary>
internal static class CommonOptions
{
    /// <summary><c>--policies DIR</c>, the policy directory, <c>policies</c> by default.</summary>
    public static Option<string> Policies() => new("--policies")
    {
        Description = "the policy directory (calendars/ and agreement files)",
        DefaultValueFactory = _ => "policies",
    };
}

