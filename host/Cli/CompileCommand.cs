using System.CommandLine;
using System.Globalization;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Policies;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy compile --matrix [--policies DIR] [--as-of DATE]</c>: prints which policy version governs each
/// customer/tier/region/service combination named in the files on a date, with gaps and overlaps marked.
/// Exit code 0 when the files load without error and the matrix has no overlap, 1 otherwise.
/// </summary>
public sealed class CompileCommand : ICliCommand
{
    public Command Create()
    {
        var policies = new Option<string>("--policies")
        {
            Description = "the policy directory (calendars/ and agreement files)",
            DefaultValueFactory = _ => "policies",
        };
        var matrix = new Option<bool>("--matrix") { Description = "print the scope matrix: the policy governing each combination named in the files" };
        var asOf = new Option<string?>("--as-of") { Description = "the date (YYYY-MM-DD) whose policy versions are shown; default today" };
        var command = new Command("compile", "compile the policy files; --matrix prints which policy governs each scope");
        command.Options.Add(policies);
        command.Options.Add(matrix);
        command.Options.Add(asOf);
        command.SetAction(parseResult =>
        {
            if (!parseResult.GetValue(matrix))
            {
                Console.Error.WriteLine("compile: say what to print, e.g. `--matrix`");
                return 2;
            }

            var asOfText = parseResult.GetValue(asOf);
            DateOnly date;
            if (asOfText is null)
            {
                // The host decides "today"; the engine only ever receives the date.
                date = DateOnly.FromDateTime(DateTime.Now);
            }
            else if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                Console.Error.WriteLine($"compile: `{asOfText}` is not a date of the form YYYY-MM-DD");
                return 2;
            }

            return RunMatrix(parseResult.GetValue(policies)!, date, AnsiConsole.Console, Console.Error);
        });
        return command;
    }

    /// <summary>Loads <paramref name="directory"/> and renders its scope matrix as of <paramref name="asOf"/>.</summary>
    internal static int RunMatrix(string directory, DateOnly asOf, IAnsiConsole console, TextWriter errors)
    {
        var result = PolicyLoader.Load(directory);
        foreach (var diagnostic in result.Diagnostics)
        {
            errors.WriteLine(diagnostic.ToString());
        }

        var matrix = ScopeMatrix.Build(result.Set, asOf);
        var table = new Table().Title($"scope matrix of {Markup.Escape(directory)} as of {asOf:yyyy-MM-dd}");
        table.AddColumns("customer", "tier", "region", "service", "governed by");
        foreach (var row in matrix.Rows)
        {
            table.AddRow(
                Markup.Escape(Show(row.Customer)),
                Markup.Escape(Show(row.Tier)),
                Markup.Escape(Show(row.Region)),
                Markup.Escape(Show(row.Service)),
                Describe(row));
        }

        console.Write(table);
        var gaps = matrix.Rows.Count(r => r.Coverage == ScopeCoverage.Gap);
        var overlaps = matrix.Rows.Count(r => r.Coverage == ScopeCoverage.Overlap);
        console.WriteLine($"{matrix.Rows.Length} combinations: {matrix.Rows.Length - gaps - overlaps} governed, {gaps} gaps, {overlaps} overlaps ({ScopeMatrix.Other} = any value not named in the files)");
        return result.HasErrors || overlaps > 0 ? 1 : 0;
    }

    private static string Show(string value) => value == ScopeMatrix.Other ? "* (other)" : value;

    private static string Describe(ScopeMatrixRow row) => row.Coverage switch
    {
        ScopeCoverage.Governed => Markup.Escape($"{row.Governing!.Id}@{row.Governing.Version}"),
        ScopeCoverage.Gap => "[red]GAP: no policy[/]",
        _ => "[yellow]OVERLAP: " + Markup.Escape(string.Join(", ", row.Policies.Select(p => $"{p.Id}@{p.Version} ({p.File})"))) + "[/]",
    };
}
