using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Compilation;

/// <summary>The outcome of loading and compiling a policy directory: the model, the compiled rules (null on errors) and every diagnostic.</summary>
public sealed record PolicyCompilation(PolicySet Set, CompiledPolicySet? Compiled, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Compiled is null || Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>An evaluator over the compiled rules; throws when the policies have errors.</summary>
    public CaseEvaluator CreateEvaluator() =>
        HasErrors ? throw new InvalidOperationException("the policies have errors; run `slapolicy check`") : CaseEvaluator.Create(Set, Compiled!);
}

/// <summary>
/// Stages from a policy directory to executable rules: read and validate (file:line:col), resolve layering and
/// scopes, then compile every expression of the set in one sandboxed Roslyn compilation.
/// </summary>
public static class PolicyPipeline
{
    /// <summary>Loads, validates and compiles; compilation is skipped when reading found errors.</summary>
    public static PolicyCompilation LoadAndCompile(string directory, RuleCompilerOptions? options = null)
    {
        var loaded = PolicyLoader.Load(directory);
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(loaded.Diagnostics);
        if (loaded.HasErrors)
        {
            return new PolicyCompilation(loaded.Set, null, diagnostics.Sorted());
        }

        var compiled = RuleCompiler.Compile(loaded.Set, diagnostics, options);
        return new PolicyCompilation(loaded.Set, diagnostics.HasErrors ? null : compiled, diagnostics.Sorted());
    }
}
