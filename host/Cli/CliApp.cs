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

    public static Task<int> RunAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();
}
