using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Host.Scheduling;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>--executor compiled|rulesengine</c> of the commands that compile policies: who runs the rules. Without it, the
/// configuration decides (<c>Rules:Executor</c>, also <c>SLAPOLICY_Rules__Executor</c>), then the default, compiled.
/// </summary>
internal static class ExecutorOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--executor")
        {
            Description = "who runs the rules: compiled (default: the sandboxed Roslyn compiler) or rulesengine (Microsoft RulesEngine); default from Rules:Executor",
        };
        option.AcceptOnlyFromAmong("compiled", "rulesengine");
        return option;
    }

    /// <summary>The compiler options of the configuration, with the executor the command line names, if any.</summary>
    public static RuleCompilerOptions Options(string? executor)
    {
        var configured = HostSettings.RuleOptions(new ConfigurationBuilder().AddSlaPolicySources().Build());
        return executor is null ? configured : configured with { Executor = HostSettings.ParseExecutor(executor, "--executor") };
    }
}
