using System.CommandLine;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Contracts;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy check [--policies DIR] [--store FILE]</c>: loads, validates and compiles a policy directory (rule
/// expressions included, in the sandbox) and prints every diagnostic as <c>path:line:col: error SLAnnnn: message</c>,
/// sorted by file and position, then a summary. Reviews due within their notice period or overdue are warnings
/// (SLA3004, SLA3005); when the store exists, a version no longer in effect that still governs open cases is one too
/// (SLA3006). Then the worked examples of <c>DIR/tests/</c> are run as by <c>slapolicy test</c>.
/// Exit code 0 when there is no error and every example holds, 1 otherwise.
/// </summary>
public sealed class CheckCommand : ICliCommand
{
    public Command Create()
    {
        var policies = CommonOptions.Policies();
        var executor = ExecutorOption.Create();
        var store = new Option<string?>("--store") { Description = "SQLite file to look for open cases in instead of `Store:Path` (only read when it exists)" };
        var command = new Command("check", "validate the policy files and report every problem with file, line and column; run the worked examples");
        command.Options.Add(policies);
        command.Options.Add(executor);
        command.Options.Add(store);
        command.SetAction(parseResult =>
        {
            var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
            return Run(parseResult.GetValue(policies)!, Console.Out, ExecutorOption.Options(parseResult.GetValue(executor)), today, RunCommand.StoreOverride(parseResult.GetValue(store)));
        });
        return command;
    }

    /// <summary>
    /// Checks <paramref name="directory"/> as of <paramref name="today"/> (default: the local date), writing diagnostics,
    /// a summary and the examples' results to <paramref name="output"/>. <paramref name="storeSettings"/> are
    /// configuration overrides naming the store to look for open cases in; without a store that exists, that check is skipped.
    /// </summary>
    internal static int Run(
        string directory, TextWriter output, RuleCompilerOptions? options = null, DateOnly? today = null, IEnumerable<KeyValuePair<string, string?>>? storeSettings = null)
    {
        var date = today ?? DateOnly.FromDateTime(DateTime.Now);
        var result = PolicyPipeline.LoadAndCompile(directory, options);
        var bag = new DiagnosticBag();
        bag.AddRange(result.Diagnostics);
        bag.AddRange(PolicyReviews.Diagnostics(result.Set.Policies, date));
        if (result.Set.Policies.Any(p => p.EffectiveTo is { } to && to <= date))
        {
            bag.AddRange(PolicyReviews.EndedWithOpenCases(result.Set.Policies, OpenCasesByVersion(result.Set, storeSettings), date));
        }

        var diagnostics = bag.Sorted();
        foreach (var diagnostic in diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count - errors;
        if (errors == 0)
        {
            var versions = result.Set.Policies.Length;
            var ids = result.Set.Policies.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count();
            var rules = result.Compiled!.Workflows.Sum(w => w.Workflow.Rules.Length);
            var how = result.Compiled.Workflows.FirstOrDefault()?.Executor == RuleExecutor.RulesEngine ? "checked for the rulesengine executor" : "compiled";
            output.WriteLine($"{directory}: {ids} policies ({versions} versions), {result.Set.Calendars.Count} calendars, {Plural(rules, "rule")} {how}, {Plural(warnings, "warning")}, no errors");
            if (ContractExampleFiles(directory))
            {
                var run = ExampleRunner.Run(directory, result.CreateEvaluator());
                ExampleReport.Write(run, directory, output);
                return run.Succeeded ? 0 : 1;
            }

            return 0;
        }

        var files = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.File).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine($"{directory}: {Plural(errors, "error")} in {Plural(files, "file")}, {Plural(warnings, "warning")}");
        return 1;
    }

    private static bool ContractExampleFiles(string directory) => Engine.Examples.ContractExampleReader.FilesOf(directory).Count > 0;

    /// <summary>
    /// The ids of the open cases (not resolved) of the configured store, by the version (<c>id@version</c>) that governs
    /// them; empty when the store does not exist or cannot be opened (check does not create one). Streams the cases.
    /// </summary>
    private static Dictionary<string, List<string>> OpenCasesByVersion(PolicySet set, IEnumerable<KeyValuePair<string, string?>>? storeSettings)
    {
        var open = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using var services = CoreServices.BuildCommandServices(storeSettings);
        if (StoreSetup.TryOpenExisting(services, TextWriter.Null) is not IStore store)
        {
            return open;
        }

        var resolver = new ScopeResolver(set);
        foreach (var ticket in store.ReadCases())
        {
            if (ticket.ResolvedAt is null && resolver.Resolve(ticket) is { EffectiveTo: not null } policy)
            {
                var key = $"{policy.Id}@{policy.Version}";
                if (!open.TryGetValue(key, out var ids))
                {
                    open[key] = ids = [];
                }

                ids.Add(ticket.Id);
            }
        }

        return open;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
