using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The outcome of loading and compiling a policy directory: the model, the compiled rules of the policies that read
/// cleanly (null when none did) and every diagnostic.
/// </summary>
public sealed record PolicyCompilation(PolicySet Set, CompiledPolicySet? Compiled, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Compiled is null || Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The files with at least one error, in byte order.</summary>
    public IReadOnlyList<string> FailedFiles =>
        [.. Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.File).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>An evaluator over the compiled rules; throws when the policies have errors.</summary>
    public CaseEvaluator CreateEvaluator() =>
        HasErrors ? throw new InvalidOperationException("the policies have errors; run `slapolicy check`") : CaseEvaluator.Create(Set, Compiled!);

    /// <summary>
    /// An evaluator over the policies that compiled: those whose file has no error and that do not extend a policy left
    /// out (see <see cref="PolicyPipeline.WithoutFiles"/>); a case governed by one left out is decided <c>no-policy</c>.
    /// Null when no policy that governs cases is left.
    /// </summary>
    public CaseEvaluator? CreateEvaluatorOfCompiledFiles()
    {
        var clean = PolicyPipeline.WithoutFiles(Set, FailedFiles);
        return Compiled is null || !clean.Policies.Any(p => !p.IsAbstract) ? null : CaseEvaluator.Create(Set, Compiled, clean);
    }
}

/// <summary>
/// Stages from a policy directory to executable rules: read and validate (file:line:col), resolve layering and
/// scopes, then compile every expression of the set in one sandboxed Roslyn compilation.
/// </summary>
public static class PolicyPipeline
{
    /// <summary>
    /// Loads, validates and compiles. Every policy that read cleanly is compiled even when other files have errors, so
    /// that one run reports the errors of every file.
    /// </summary>
    public static PolicyCompilation LoadAndCompile(string directory, RuleCompilerOptions? options = null)
    {
        var loaded = PolicyLoader.Load(directory);
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(loaded.Diagnostics);
        var readCleanly = WithoutFiles(loaded.Set, [.. loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.File)]);
        if (readCleanly.Policies.IsDefaultOrEmpty)
        {
            return new PolicyCompilation(loaded.Set, null, diagnostics.Sorted());
        }

        var compiled = RuleCompiler.Compile(readCleanly, diagnostics, options);
        return new PolicyCompilation(loaded.Set, compiled, diagnostics.Sorted());
    }

    /// <summary>
    /// <paramref name="set"/> without the policies of <paramref name="files"/> and without every policy that extends
    /// one of those, directly or not (part of its terms would come from a file with errors).
    /// </summary>
    public static PolicySet WithoutFiles(PolicySet set, IReadOnlyCollection<string> files)
    {
        if (files.Count == 0 || set.Policies.IsDefaultOrEmpty)
        {
            return set;
        }

        var failed = new HashSet<string>(files, StringComparer.Ordinal);
        var leftOut = new HashSet<string>(set.Policies.Where(p => failed.Contains(p.File)).Select(p => p.Id), StringComparer.Ordinal);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var policy in set.Policies)
            {
                grew |= policy.Extends is { } parent && leftOut.Contains(parent) && leftOut.Add(policy.Id);
            }
        }

        return set with { Policies = [.. set.Policies.Where(p => !failed.Contains(p.File) && (p.Extends is not { } parent || !leftOut.Contains(parent)))] };
    }
}
