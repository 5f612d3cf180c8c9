using System.CommandLine;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Host.Contracts;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy test [--policies DIR] [--junit FILE]</c>: runs the contract's worked examples (<c>DIR/tests/*.json</c>,
/// docs/EXAMPLES.md) against the policies of DIR and prints each expectation that does not hold as
/// <c>file:line:col: expected ..., got ...</c> with the explanation of the actual decision or credit, then a summary.
/// Exit code 0 when every expectation holds, 1 on a failure, an error in an example file or in the policies.
/// </summary>
public sealed class TestCommand : ICliCommand
{
    public Command Create()
    {
        var policies = CommonOptions.Policies();
        var junit = new Option<string?>("--junit") { Description = "also write the results as JUnit XML to this file (for CI)" };
        var executor = ExecutorOption.Create();
        var command = new Command("test", "run the contract's worked examples beside the policies (DIR/tests/*.json); exit 1 on a wrong expectation");
        command.Options.Add(policies);
        command.Options.Add(junit);
        command.Options.Add(executor);
        command.SetAction(parse => Run(parse.GetValue(policies)!, parse.GetValue(junit), Console.Out, ExecutorOption.Options(parse.GetValue(executor))));
        return command;
    }

    /// <summary>Compiles <paramref name="directory"/>, runs its examples and reports to <paramref name="output"/>.</summary>
    internal static int Run(string directory, string? junit, TextWriter output, RuleCompilerOptions? options = null)
    {
        var compilation = PolicyPipeline.LoadAndCompile(directory, options);
        if (compilation.HasErrors)
        {
            foreach (var diagnostic in compilation.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                output.WriteLine(diagnostic.ToString());
            }

            output.WriteLine($"{directory}: the policies have errors, so no example was run (see `slapolicy check`)");
            return 1;
        }

        var run = ExampleRunner.Run(directory, compilation.CreateEvaluator());
        ExampleReport.Write(run, directory, output);
        if (junit is not null)
        {
            try
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(junit));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                using var stream = File.Create(junit);
                ExampleReport.WriteJUnit(run, stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.WriteLine($"error: cannot write `{junit}`: {e.Message}");
                return 1;
            }

            output.WriteLine($"JUnit XML written to {junit}");
        }

        return run.Succeeded ? 0 : 1;
    }
}
