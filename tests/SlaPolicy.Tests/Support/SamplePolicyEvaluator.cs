using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// The repository's sample policies (policies/), loaded and compiled once per test run with the host's real
/// provider, shared by host tests: compiling is the expensive part, and the compiled set is immutable.
/// </summary>
internal static class SamplePolicyEvaluator
{
    private static readonly Lazy<PolicyFolderEvaluatorProvider> Shared = new(() =>
        new PolicyFolderEvaluatorProvider(PolicyTestFiles.SamplePolicies, TimeProvider.System, NullLogger<PolicyFolderEvaluatorProvider>.Instance));

    public static PolicyFolderEvaluatorProvider Provider => Shared.Value;
}

/// <summary>
/// The sample policies, except that evaluating a case listed in <see cref="Failing"/> throws: the one thing the
/// real evaluator does not do on purpose, used to test that a run goes on past a case it cannot evaluate.
/// </summary>
internal sealed class FailingCasesEvaluatorProvider : IEvaluatorProvider, ICaseEvaluator
{
    public HashSet<string> Failing { get; } = [];

    public ICaseEvaluator Current => this;

    public PolicyStatus Status => SamplePolicyEvaluator.Provider.Status;

    public IReadOnlyList<string> PolicyVersions => SamplePolicyEvaluator.Provider.Current.PolicyVersions;

    public IReadOnlyList<Decision> Evaluate(CaseRecord ticket, DateTimeOffset asOf, bool explain) =>
        Failing.Contains(ticket.Id)
            ? throw new InvalidOperationException($"cannot evaluate {ticket.Id}")
            : SamplePolicyEvaluator.Provider.Current.Evaluate(ticket, asOf, explain);
}
