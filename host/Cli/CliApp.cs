using System.CommandLine;

namespace SlaPolicy.Host.Cli;

/// <summary>Builds the <c>slapolicy</c> root command from every <see cref="ICliCommand"/> in this assembly.</summary>
public static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("SlaPolicy: service level agreements as executable, explainable rules");
        var commands = typeof(CliApp).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <remarks>
    /// On SIGTERM a command's token is cancelled and it gets <see cref="TerminationGrace"/> to finish (System.CommandLine's
    /// default is 2 s, after which it ends the process with 143): <c>serve</c> stops its scheduler's workers within
    /// 15 s and then exits 0.
    /// </remarks>
    public static Task<int> RunAsync(string[] args) =>
        CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationGrace });

    /// <summary>How long a command may take to finish after SIGTERM before the process is ended.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);
}
