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
