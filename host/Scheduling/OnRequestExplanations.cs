using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Explanations of decisions the nightly run stored without one (<see cref="HostSettings.Explain"/>): built on request,
/// when <c>why</c>, the page or the board asks, by evaluating the stored case again as of the decision's own asOf with the
/// policies in force. A target met without escalation gets one <c>note</c> step first saying how the explanation was
/// obtained; a decision still counting, whose row's proof (the case record's hash and the policy fingerprint) still holds,
/// gets the very explanation the run would have stored. When the case or the policies changed since, a note says so.
/// </summary>
public static class OnRequestExplanations
{
    /// <summary>
    /// A decision support leads ask about: anything but a target met without escalation (breached, running, paused,
    /// escalated, no policy, error).
    /// </summary>
    public static bool IsNotable(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Status != DecisionStatus.Met || decision.EscalationLevel > 0;
    }

    /// <summary>
    /// A decision whose clock had not stopped by its asOf: running, paused, or breached and still counting. Its case is
    /// evaluated again every night, and its explanation grows every night (every counted, paused and closed stretch).
    /// </summary>
    public static bool IsCounting(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return CountingAt(decision.Status, decision.StoppedAt, decision.AsOf);
    }

    /// <summary>
    /// A decision whose explanation <c>Run:Explain=notable</c> stores: a notable one (<see cref="IsNotable"/>) whose
    /// clock has stopped (<see cref="IsCounting"/>): breached and stopped, met but escalated, no policy, error. A decision
    /// still counting gets its explanation on request, like a target met without escalation.
    /// </summary>
    public static bool StoresExplanation(Decision decision) => IsNotable(decision) && !IsCounting(decision);

    private static bool CountingAt(DecisionStatus status, DateTimeOffset? stoppedAt, DateTimeOffset asOf) =>
        status is DecisionStatus.Running or DecisionStatus.Paused
        || (status == DecisionStatus.Breached && (stoppedAt is not { } stopped || stopped > asOf));

    /// <summary>
    /// The trace with every decision that has no explanation given one: the explanation of the same target and policy
    /// version when <paramref name="evaluator"/> decides the stored case again. A decision still counting whose row's
    /// proof holds (the stored case hashes to the row's <c>inputs_hash</c>, and the policies in force give its customer
    /// the row's fingerprint) and that comes out the same gets the steps alone, as the run would have stored them; a
    /// target met without escalation gets them after a note. When the result differs from the stored decision (the case
    /// was sent again, or the policies changed), the note says so; when that policy version is no longer loaded, the
    /// note is all there is. A trace whose decisions all have explanations is returned as it is.
    /// </summary>
    public static CaseTrace Fill(CaseTrace trace, ICaseEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(evaluator);
        if (trace.Decisions.All(s => !s.Decision.Explanation.IsDefaultOrEmpty))
        {
            return trace;
        }

        var again = new Dictionary<DateTimeOffset, IReadOnlyList<Decision>?>();
        long? inputsHash = null;
        var filled = new List<StoredDecision>(trace.Decisions.Count);
        foreach (var stored in trace.Decisions)
        {
            var d = stored.Decision;
            if (!d.Explanation.IsDefaultOrEmpty)
            {
                filled.Add(stored);
                continue;
            }

            if (!again.TryGetValue(d.AsOf, out var decisions))
            {
                decisions = TryEvaluate(evaluator, trace.Case, d.AsOf, out var failure);
                again[d.AsOf] = decisions;
                if (decisions is null)
                {
                    filled.Add(stored with { Decision = d with { Explanation = [Note($"no explanation was stored with this decision, and building it failed: {failure}")] } });
                    continue;
                }
            }

            var match = decisions?.FirstOrDefault(a => a.Target == d.Target && a.PolicyVersion == d.PolicyVersion);
            var counting = CountingAt(d.Status, stored.StoppedAt, d.AsOf);
            var stores = counting ? "builds explanations of decisions still counting on request" : "stores explanations of notable decisions only";
            ImmutableArray<ExplanationStep> steps = match switch
            {
                null => [Note($"no explanation was stored with this decision (run {stored.RunId} {stores}), and it cannot be built again: "
                    + $"policy {d.Policy}@{d.PolicyVersion} no longer decides target {d.Target} of this case with the policies loaded now")],
                _ when counting && Same(match, d) && ProofHolds(stored, trace.Case, evaluator, ref inputsHash) => match.Explanation,
                _ when !counting && Same(match, d) => [Note($"explanation built on request from the stored case and policy {d.Policy}@{d.PolicyVersion}: run {stored.RunId} stored explanations of notable decisions only"), .. match.Explanation],
                _ => [Note($"the case or its policies changed after run {stored.RunId} decided this ({Describe(d)}); the explanation below is that of the case as stored now ({Describe(match)})"), .. match.Explanation],
            };
            filled.Add(stored with { Decision = d with { Explanation = steps } });
        }

        return trace with { Decisions = filled };
    }

    /// <summary>
    /// True when the decision's row proves it was made from the case as stored now under the policies in force now: the
    /// explanation built again is then the one the run would have stored.
    /// </summary>
    private static bool ProofHolds(StoredDecision stored, Engine.Inputs.CaseRecord ticket, ICaseEvaluator evaluator, ref long? inputsHash)
    {
        inputsHash ??= CaseInputs.Hash(ticket);
        return stored.InputsHash == inputsHash && IncrementalPlan.IsFingerprintOf(evaluator, ticket.Customer, stored.PolicyFingerprint);
    }

    private static IReadOnlyList<Decision>? TryEvaluate(ICaseEvaluator evaluator, Engine.Inputs.CaseRecord ticket, DateTimeOffset asOf, out string? failure)
    {
        try
        {
            failure = null;
            return evaluator.Evaluate(ticket, asOf, explain: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex.Message;
            return null;
        }
    }

    private static bool Same(Decision a, Decision b) =>
        a.Status == b.Status && a.DueAt == b.DueAt && a.EscalationLevel == b.EscalationLevel
        && Math.Abs(a.ElapsedMinutes - b.ElapsedMinutes) < 1e-6 && Math.Abs(a.PausedMinutes - b.PausedMinutes) < 1e-6;

    private static string Describe(Decision d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Status.ToString().ToLowerInvariant()}, {d.ElapsedMinutes:0.##} min counted, level {d.EscalationLevel}");

    private static ExplanationStep Note(string text) => new("note", text);
}
