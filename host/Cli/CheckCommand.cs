using System.CommandLine;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy check [--policies DIR]</c>: loads, validates and compiles a policy directory (rule expressions
/// included, in the sandbox) and prints every diagnostic
/// as <c>path:line:col: error SLAnnnn: message</c>, sorted by file and position, then a summary.
/// Exit code 0 when there is no error, 1 otherwise.
/// </summary>
public sealed class CheckCommand : ICliCommand
{
    public Command Create()
    {
        var policies = CommonOptions.Policies();
        var executor = ExecutorOption.Create();
        var command = new Command("check", "validate the policy files and report every problem with file, line and column");
        command.Options.Add(policies);
        command.Options.Add(executor);
        command.SetAction(parseResult => Run(parseResult.GetValue(policies)!, Console.Out, ExecutorOption.Options(parseResult.GetValue(executor))));
        return command;
    }

    /// <summary>Checks <paramref name="directory"/>, writing diagnostics and a summary to <paramref name="output"/>.</summary>
    internal static int Run(string directory, TextWriter output, RuleCompilerOptions? options = null)
    {
        var result = PolicyPipeline.LoadAndCompile(directory, options);
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        var errors = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = result.Diagnostics.Count - errors;
        if (errors == 0)
        {
            var versions = result.Set.Policies.Length;
            var ids = result.Set.Policies.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count();
            var rules = result.Compiled!.Workflows.Sum(w => w.Workflow.Rules.Length);
            var how = result.Compiled.Workflows.FirstOrDefault()?.Executor == RuleExecutor.RulesEngine ? "checked for the rulesengine executor" : "compiled";
            output.WriteLine($"{directory}: {ids} policies ({versions} versions), {result.Set.Calendars.Count} calendars, {Plural(rules, "rule")} {how}, {Plural(warnings, "warning")}, no errors");
            return 0;
        }

        var files = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.File).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine($"{directory}: {Plural(errors, "error")} in {Plural(files, "file")}, {Plural(warnings, "warning")}");
        return 1;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
