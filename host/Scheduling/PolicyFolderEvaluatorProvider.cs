using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The policies in force, read from the policy folder (<c>Policies:Path</c>) with the engine's pipeline: load,
/// validate and compile. The folder is loaded once when this is created; <see cref="Reload"/> reads it again
/// (called by <see cref="PolicyFolderWatcher"/> after an edit). A load with errors leaves the last good set in
/// force and is reported in the log and in <see cref="Status"/>. When no set is in force yet (the first load), the
/// policies that compiled go in force without the files that have errors (<see cref="PolicyStatus.FailedFiles"/>);
/// when none compiled, nothing is in force and runs fail (<see cref="NightlyRun"/>).
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="Current"/> and <see cref="Status"/> are swapped atomically, reloads are serialized.
/// A run takes <see cref="Current"/> once at its start, so a reload during a run does not mix two policy sets.
/// </remarks>
public sealed class PolicyFolderEvaluatorProvider : IEvaluatorProvider
{
    private readonly Lock _reload = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _configured;
    private readonly RuleCompilerOptions? _options;
    private State _state;

    /// <summary>Loads <paramref name="directory"/> now (relative paths against the current directory), compiled with <paramref name="options"/>.</summary>
    public PolicyFolderEvaluatorProvider(string directory, TimeProvider time, ILogger<PolicyFolderEvaluatorProvider> logger, RuleCompilerOptions? options = null)
    {
        _configured = directory;
        _options = options;
        Directory = Path.GetFullPath(directory);
        _time = time;
        _logger = logger;
        _state = new State(NoPolicyEvaluator.Instance, new PolicyStatus(false, Directory, null, [], [], "the policy folder has not been read yet"));
        Reload();
    }

    /// <summary>The policy folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>How many times the folder has been read (successfully or not); lets callers see that a reload happened.</summary>
    public int Loads => Volatile.Read(ref _state).Loads;

    public ICaseEvaluator Current => Volatile.Read(ref _state).Evaluator;

    /// <summary>The status of the set in force, with the reviews due on today's date (local) as the host's clock tells it.</summary>
    public PolicyStatus Status
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return state.Evaluator is CaseEvaluator compiled
                ? state.Status with { ReviewsDue = PolicyReviews.Due(compiled.Set.Policies, DateOnly.FromDateTime(_time.GetLocalNow().DateTime)) }
                : state.Status;
        }
    }

    /// <summary>
    /// Reads, validates and compiles the folder. On success the new set is in force; on errors the previous set
    /// stays in force. Returns the status after the attempt.
    /// </summary>
    public PolicyStatus Reload()
    {
        lock (_reload)
        {
            var previous = Volatile.Read(ref _state);
            var stopwatch = Stopwatch.StartNew();
            PolicyCompilation? compilation = null;
            string? failure = null;
            try
            {
                // The path as configured, so that decisions and diagnostics name `policies/tiers/gold.json`, not a full path.
                compilation = PolicyPipeline.LoadAndCompile(_configured, _options);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file being replaced by an editor can vanish between listing and reading; the next change retries.
                failure = ex.Message;
            }

            var now = _time.GetUtcNow();
            var diagnostics = compilation is null ? [] : compilation.Diagnostics.Select(Format).ToArray();
            State next;
            if (compilation is { HasErrors: false })
            {
                var evaluator = compilation.CreateEvaluator();
                var message = $"{evaluator.PolicyVersions.Count} policy versions in force, loaded {now:yyyy-MM-dd HH:mm:ss}Z";
                next = new State(evaluator, new PolicyStatus(true, Directory, now, evaluator.PolicyVersions, diagnostics, message) { CheckedAt = now }, previous.Loads + 1);
                _logger.LogInformation("policies loaded from {Directory} in {Ms} ms ({Executor} executor): {Versions}", Directory, stopwatch.ElapsedMilliseconds,
                    evaluator.Executor == RuleExecutor.RulesEngine ? "rulesengine" : "compiled", string.Join(", ", evaluator.PolicyVersions));
            }
            else if (!previous.Status.Ready && compilation?.CreateEvaluatorOfCompiledFiles() is { } partial)
            {
                var failed = compilation.FailedFiles;
                var message = $"{partial.PolicyVersions.Count} policy versions in force, loaded {now:yyyy-MM-dd HH:mm:ss}Z, without {string.Join(", ", failed)}: "
                    + $"{(failed.Count == 1 ? "it has" : "they have")} errors (or extend a policy that has)";
                next = new State(
                    partial,
                    new PolicyStatus(true, Directory, now, partial.PolicyVersions, diagnostics, message) { LastLoadFailed = true, CheckedAt = now, FailedFiles = failed },
                    previous.Loads + 1);
                _logger.LogError("policies in {Directory} loaded in part: {Message}{NewLine}{Diagnostics}", Directory, message, Environment.NewLine, string.Join(Environment.NewLine, diagnostics));
            }
            else
            {
                var errors = compilation?.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) ?? 0;
                var reason = failure ?? (errors == 1 ? "1 error" : $"{errors} errors");
                var ready = previous.Status.Ready;
                var message = ready
                    ? $"the last edit was rejected ({reason}); the versions loaded {previous.Status.LoadedAt:yyyy-MM-dd HH:mm:ss}Z stay in force"
                    : $"the policy folder has errors ({reason}) and no policy of it compiled; runs fail until one does";
                next = new State(
                    previous.Evaluator,
                    new PolicyStatus(ready, Directory, previous.Status.LoadedAt, previous.Status.Versions, failure is null ? diagnostics : [failure], message)
                    {
                        LastLoadFailed = true,
                        CheckedAt = now,
                        FailedFiles = previous.Status.FailedFiles,
                    },
                    previous.Loads + 1);
                _logger.LogError("policies in {Directory} rejected: {Message}{NewLine}{Diagnostics}", Directory, message, Environment.NewLine, string.Join(Environment.NewLine, next.Status.Diagnostics));
            }

            Volatile.Write(ref _state, next);
            return next.Status;
        }
    }

    /// <summary><c>file:line:col: error CODE: message</c>, as <c>slapolicy check</c> prints it, without the help line.</summary>
    public static string Format(Diagnostic diagnostic) =>
        $"{diagnostic.Location}: {(diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning")} {diagnostic.Code}: {diagnostic.Message}";

    private sealed record State(ICaseEvaluator Evaluator, PolicyStatus Status, int Loads = 0);
}
