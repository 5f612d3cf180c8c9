using System.CommandLine;
using System.Globalization;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Contracts;
using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy compile --matrix [--policies DIR] [--as-of DATE]</c>: prints which policy version governs each
/// customer/tier/region/service combination named in the files on a date, with gaps and overlaps marked.
/// <c>slapolicy compile --show SCOPE</c>: prints the generated workflow (Microsoft RulesEngine's JSON shape) of a
/// policy (<c>id</c> or <c>id@version</c>) or of the policy governing <c>customer/tier/region/service</c>.
/// <c>slapolicy compile --diff A B</c>: the term-level difference of two versions (<c>id@version</c> in the policy
/// directory), of a version and a folder (the same id there), or of two folders (every version).
/// Exit code 0 when the files load without error and the matrix has no overlap, 1 otherwise.
/// </summary>
public sealed class CompileCommand : ICliCommand
{
    public Command Create()
    {
        var policies = CommonOptions.Policies();
        var matrix = new Option<bool>("--matrix") { Description = "print the scope matrix: the policy governing each combination named in the files" };
        var asOf = new Option<string?>("--as-of") { Description = "the date (YYYY-MM-DD) whose policy versions are shown; default today" };
        var show = new Option<string?>("--show") { Description = "print the generated workflow of a policy (`id` or `id@version`) or of a scope (`customer/tier/region/service`)" };
        var diff = new Option<string[]>("--diff")
        {
            Description = "print the term-level difference of A and B: two versions `id@version`, a version and a folder, or two folders",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("compile", "compile the policy files; --show prints a scope's generated workflow, --matrix which policy governs each scope, --diff what changed between versions");
        command.Options.Add(policies);
        command.Options.Add(diff);
        command.Options.Add(matrix);
        command.Options.Add(show);
        command.Options.Add(asOf);
        command.SetAction(parseResult =>
        {
            var scope = parseResult.GetValue(show);
            var sides = parseResult.GetValue(diff);
            if (!parseResult.GetValue(matrix) && scope is null && sides is null)
            {
                Console.Error.WriteLine("compile: say what to print, e.g. `--show acme-gold`, `--matrix` or `--diff acme-gold@2026.1 acme-gold@2026.2`");
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

            var directory = parseResult.GetValue(policies)!;
            if (sides is { Length: 2 })
            {
                return PolicyDiffText.Run(directory, sides[0], sides[1], date, Console.Out, Console.Error);
            }

            if (scope is not null)
            {
                var shown = RunShow(directory, scope, date, Console.Out, Console.Error);
                if (shown != 0 || !parseResult.GetValue(matrix))
                {
                    return shown;
                }
            }

            return RunMatrix(directory, date, AnsiConsole.Console, Console.Error);
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

    /// <summary>Compiles <paramref name="directory"/> and prints the workflow generated for <paramref name="scope"/>.</summary>
    internal static int RunShow(string directory, string scope, DateOnly asOf, TextWriter output, TextWriter errors)
    {
        var result = PolicyPipeline.LoadAndCompile(directory);
        foreach (var diagnostic in result.Diagnostics)
        {
            errors.WriteLine(diagnostic.ToString());
        }

        if (result.HasErrors)
        {
            errors.WriteLine($"compile: `{directory}` has errors; nothing to show");
            return 1;
        }

        var policy = FindScope(result.Set, scope, asOf, out var problem);
        if (policy is null)
        {
            errors.WriteLine($"compile: {problem}");
            return 1;
        }

        output.WriteLine($"// {policy.Id}@{policy.Version} from {policy.File}, in effect on {asOf:yyyy-MM-dd}");
        output.WriteLine(WorkflowJson.Serialize(result.Compiled!.Get(policy).Workflow));
        return 0;
    }

    private static Policy? FindScope(PolicySet set, string scope, DateOnly asOf, out string problem)
    {
        var parts = scope.Split('/');
        if (parts.Length == 4)
        {
            var match = new ScopeResolver(set).Resolve(parts[0], parts[1], parts[2], parts[3], asOf);
            problem = $"no single policy governs `{scope}` on {asOf:yyyy-MM-dd}; see `compile --matrix`";
            return match;
        }

        var at = scope.IndexOf('@', StringComparison.Ordinal);
        var id = at < 0 ? scope : scope[..at];
        var version = at < 0 ? null : scope[(at + 1)..];
        var candidates = set.Policies.Where(p => string.Equals(p.Id, id, StringComparison.Ordinal)).ToList();
        var policy = version is null
            ? candidates.FirstOrDefault(p => p.IsEffectiveOn(asOf))
            : candidates.FirstOrDefault(p => string.Equals(p.Version, version, StringComparison.Ordinal));
        problem = candidates.Count == 0
            ? $"no policy `{id}`; scopes are `id`, `id@version` or `customer/tier/region/service`"
            : $"policy `{id}` has no version {(version is null ? $"in effect on {asOf:yyyy-MM-dd}" : $"`{version}`")}; versions: {string.Join(", ", candidates.Select(p => p.Version))}";
        return policy;
    }

    private static string Show(string value) => value == ScopeMatrix.Other ? "* (other)" : value;

    private static string Describe(ScopeMatrixRow row) => row.Coverage switch
    {
        ScopeCoverage.Governed => Markup.Escape($"{row.Governing!.Id}@{row.Governing.Version}"),
        ScopeCoverage.Gap => "[red]GAP: no policy[/]",
        _ => "[yellow]OVERLAP: " + Markup.Escape(string.Join(", ", row.Policies.Select(p => $"{p.Id}@{p.Version} ({p.File})"))) + "[/]",
    };
}
