namespace SlaPolicy.Engine.Compilation;

/// <summary>Options of <see cref="RuleCompiler"/>. Immutable.</summary>
public sealed record RuleCompilerOptions
{
    /// <summary>
    /// Where compiled rule assemblies are kept between processes; null means <see cref="DefaultCacheDirectory"/>.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Read and write the disk cache (default true).</summary>
    public bool UseDiskCache { get; init; } = true;

    /// <summary>Reuse assemblies compiled earlier in this process (default true).</summary>
    public bool UseMemoryCache { get; init; } = true;

    /// <summary>
    /// How long one compilation (every expression of a policy set) may take before it is abandoned and none of its
    /// rules runs (default 60 s; a cold compile of 1,000 rules takes about 2 s).
    /// </summary>
    public TimeSpan CompileBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Lambda calls one evaluation of one rule may make (default <see cref="RuleBudget.DefaultMaxSteps"/>).</summary>
    public int MaxSteps { get; init; } = RuleBudget.DefaultMaxSteps;

    /// <summary>Bytes one evaluation of one rule may allocate (default 256 MB).</summary>
    public long MaxAllocatedBytes { get; init; } = RuleBudget.DefaultMaxAllocatedBytes;

    /// <summary>
    /// Who runs the workflows (<c>Rules:Executor</c>): <see cref="RuleExecutor.Compiled"/> (default: the sandboxed
    /// Roslyn compiler) or <see cref="RuleExecutor.RulesEngine"/> (Microsoft RulesEngine, Dynamic LINQ dialect).
    /// </summary>
    public RuleExecutor Executor { get; init; } = RuleExecutor.Compiled;

    /// <summary>
    /// Quick start of the compiled executor (default true): RulesEngine workflows over JSON inputs whose every
    /// expression is a comparison of input properties with literals (see <see cref="QuickTier"/>) run as expression
    /// trees while Roslyn compiles them in the background, then on the compiled rules. Both give the same results.
    /// Only on a cache miss; policy sets always compile first.
    /// </summary>
    public bool QuickStart { get; init; } = true;

    /// <summary>Tests: a quick start never moves to the compiled rules (no background compilation).</summary>
    internal bool QuickTierOnly { get; init; }

    /// <summary>RulesEngine's settings, for <see cref="RuleExecutor.RulesEngine"/>.</summary>
    public RulesEngineSettings RulesEngine { get; init; } = new();

    /// <summary><c>$XDG_CACHE_HOME/slapolicy</c>, else <c>~/.cache/slapolicy</c>.</summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(root, "slapolicy");
        }
    }

    internal string ResolvedCacheDirectory => CacheDirectory ?? DefaultCacheDirectory;
}
