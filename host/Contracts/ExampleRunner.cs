using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Examples;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Reports;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Contracts;

/// <summary>One expectation that did not hold: where it is written, what it said and what the policies gave, with the explanation of what they gave.</summary>
public sealed record ExampleFailure(SourceLocation Location, string Message, string Subject, ImmutableArray<ExplanationStep> Explanation)
{
    /// <summary><c>file:line:col: expected ..., got ...</c>.</summary>
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>How one example fared: the expectations it checked and the ones that failed.</summary>
public sealed record ExampleOutcome(string File, ContractExample Example, ImmutableArray<ExampleFailure> Failures)
{
    public bool Passed => Failures.IsEmpty;
}

/// <summary>Every example file of a policy directory, read and run.</summary>
public sealed record ExampleRun(IReadOnlyList<ContractExampleFile> Files, IReadOnlyList<ExampleOutcome> Outcomes)
{
    /// <summary>Problems reading the example files (each an error that fails the run).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => [.. Files.SelectMany(f => f.Diagnostics)];

    public int Expectations => Outcomes.Sum(o => o.Example.ExpectationCount);

    public int FailedExpectations => Outcomes.Sum(o => o.Failures.Length);

    /// <summary>True when every file read cleanly and every expectation held.</summary>
    public bool Succeeded => FailedExpectations == 0 && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>One line: <c>policies/tests: 12 examples in 4 files, 40 expectations, 1 failed</c>.</summary>
    public string Summary(string directory)
    {
        var errors = Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var failedExamples = Outcomes.Count(o => !o.Passed);
        var text = $"{Path.Join(directory, Engine.Policies.PolicyLoader.ExamplesFolder)}: {Count(Outcomes.Count, "example")} in {Count(Files.Count, "file")}, {Count(Expectations, "expectation")}";
        text += FailedExpectations == 0 ? ", all hold" : $", {FailedExpectations} failed (in {Count(failedExamples, "example")})";
        return errors == 0 ? text : $"{text}; {Count(errors, "error")} in the example files";
    }

    internal static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

/// <summary>
/// Runs the worked examples of a contract (docs/EXAMPLES.md): each example's cases are evaluated as of its
/// <c>asOf</c> with explanations, and its service data with the same calculator and credit rows as the nightly run
/// (<see cref="ServiceLevelCalculator"/>, <see cref="MonthlyCredits.Rows"/>); every field an expectation writes is
/// compared with what the policies gave. Nothing is stored.
/// </summary>
public static class ExampleRunner
{
    /// <summary>Reads and runs every example file of <paramref name="policyDirectory"/> with <paramref name="evaluator"/>.</summary>
    public static ExampleRun Run(string policyDirectory, CaseEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var files = ContractExampleReader.FilesOf(policyDirectory).Select(ContractExampleReader.ReadFile).ToList();
        var outcomes = files.SelectMany(f => f.Examples.Select(e => Run(f.File, e, evaluator))).ToList();
        return new ExampleRun(files, outcomes);
    }

    /// <summary>Runs one example.</summary>
    public static ExampleOutcome Run(string file, ContractExample example, CaseEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(evaluator);
        var decisions = example.Cases.SelectMany(c => evaluator.Evaluate(c, example.AsOf, explain: true)).ToList();
        var failures = new List<ExampleFailure>();
        foreach (var expectation in example.Decisions)
        {
            failures.AddRange(Check(expectation, decisions, example));
        }

        if (!example.Credits.IsEmpty)
        {
            var inputs = ReportInputs.Create(evaluator.Set, example.Subscriptions, example.Outages, example.Measurements, decisions, example.Cases);
            var rows = example.Credits.Select(c => c.Period).Distinct(StringComparer.Ordinal).ToDictionary(
                p => p,
                p => MonthlyCredits.Rows(ServiceLevelCalculator.Compute(inputs, Month(p), example.AsOf)).ToList(),
                StringComparer.Ordinal);
            foreach (var expectation in example.Credits)
            {
                failures.AddRange(Check(expectation, rows[expectation.Period]));
            }
        }

        return new ExampleOutcome(file, example, [.. failures]);
    }

    private static IEnumerable<ExampleFailure> Check(DecisionExpectation expectation, List<Decision> decisions, ContractExample example)
    {
        var subject = $"{expectation.CaseId} {expectation.Target}";
        var ofCase = decisions.Where(d => d.CaseId == expectation.CaseId).ToList();
        var decision = ofCase.FirstOrDefault(d => d.Target == expectation.Target);
        if (decision is null)
        {
            var targets = ofCase.Select(d => d.Target).OfType<string>().ToList();
            var suggestion = Suggestions.Closest(expectation.Target, targets, 3);
            var got = ofCase.Count == 1 && ofCase[0].Status == DecisionStatus.NoPolicy
                ? "no policy governs the case"
                : targets.Count == 0 ? "no target applies to the case" : $"its decisions are for {string.Join(", ", targets.Select(t => $"`{t}`"))}";
            yield return new ExampleFailure(
                expectation.Location,
                $"expected a decision of `{expectation.CaseId}` for target `{expectation.Target}`, got none: {got}" + (suggestion is null ? string.Empty : $" (did you mean `{suggestion}`?)"),
                subject,
                ofCase.FirstOrDefault()?.Explanation ?? []);
            yield break;
        }

        var offset = example.Cases.First(c => c.Id == expectation.CaseId).OpenedAt.Offset;
        foreach (var field in expectation.Fields)
        {
            var (holds, actual) = field.Field switch
            {
                "policy" => (field.Expected!.Contains('@', StringComparison.Ordinal)
                    ? field.Expected == $"{decision.Policy}@{decision.PolicyVersion}"
                    : field.Expected == decision.Policy, $"{decision.Policy ?? "none"}@{decision.PolicyVersion ?? "-"}"),
                "status" => (field.Expected == DecisionJson.StatusName(decision.Status), DecisionJson.StatusName(decision.Status)),
                "dueAt" => (field.Expected is null ? decision.DueAt is null : decision.DueAt == DateTimeOffset.Parse(field.Expected, CultureInfo.InvariantCulture),
                    decision.DueAt is { } due ? Timestamps.Format(due.ToOffset(offset)) : "null"),
                "elapsedMinutes" => Numbers(field, (decimal)decision.ElapsedMinutes),
                "pausedMinutes" => Numbers(field, (decimal)decision.PausedMinutes),
                "percentUsed" => Numbers(field, (decimal)decision.PercentUsed),
                "escalationLevel" => Numbers(field, decision.EscalationLevel),
                "rules" => Rules(field, decision),
                _ => throw new InvalidOperationException($"unknown field {field.Field}"),
            };
            if (!holds)
            {
                yield return Failure(field, actual, subject, decision.Explanation);
            }
        }
    }

    private static IEnumerable<ExampleFailure> Check(CreditExpectation expectation, List<ServiceCredit> rows)
    {
        var kind = expectation.Kind switch
        {
            "availability" => ServiceCreditKind.Availability,
            "performance" => ServiceCreditKind.Performance,
            "attainment" => ServiceCreditKind.Attainment,
            _ => ServiceCreditKind.CustomerTotal,
        };
        var ofKind = rows.Where(r => r.Kind == kind && r.Customer == expectation.Customer).ToList();
        var matching = ofKind.Where(r =>
            (expectation.Service is null || r.Service == expectation.Service)
            && (expectation.Region is null || r.Region == expectation.Region)
            && (expectation.Objective is null || r.Objective == expectation.Objective)).ToList();
        var subject = expectation.Describe();
        if (matching.Count != 1)
        {
            var known = ofKind.Select(Name).Distinct(StringComparer.Ordinal).ToList();
            var got = matching.Count == 0
                ? known.Count == 0 ? $"`{expectation.Customer}` has no {expectation.Kind} figure in {expectation.Period}" : $"there is none; {expectation.Customer} has: {string.Join("; ", known)}"
                : $"{matching.Count} figures match ({string.Join("; ", matching.Select(Name))}): name its `service` and `region`";
            yield return new ExampleFailure(expectation.Location, $"expected the {subject}, got {got}", subject, []);
            yield break;
        }

        var row = matching[0];
        foreach (var field in expectation.Fields)
        {
            var (holds, actual) = field.Field switch
            {
                "amount" => Numbers(field, row.Amount),
                "percent" => Numbers(field, row.CreditPercent ?? 0),
                "measured" => row.Measured is { } measured ? Numbers(field, measured) : (false, "not measured"),
                "currency" => (field.Expected == row.Currency, row.Currency),
                "met" => (row.Met is { } met && field.Expected == (met ? "true" : "false"), row.Met is { } m ? (m ? "true" : "false") : "not judged"),
                _ => throw new InvalidOperationException($"unknown field {field.Field}"),
            };
            if (!holds)
            {
                yield return Failure(field, actual, subject, row.Explanation);
            }
        }
    }

    private static ReportingMonth Month(string period) =>
        ReportingMonth.TryParse(period, out var month) ? month : throw new InvalidOperationException($"`{period}` was read as a month");

    private static string Name(ServiceCredit row) => row.Kind switch
    {
        ServiceCreditKind.Availability => $"availability {row.Service} {row.Region}",
        ServiceCreditKind.Performance => $"performance `{row.Objective}` {row.Service} {row.Region}",
        ServiceCreditKind.Attainment => $"attainment {row.Objective}",
        _ => $"total under {row.PolicyId}",
    };

    private static ExampleFailure Failure(ExpectedField field, string actual, string subject, ImmutableArray<ExplanationStep> explanation)
    {
        var expected = field.Expected ?? "null";
        return new ExampleFailure(field.Location, $"expected {field.Field} `{expected}`, got `{actual}`", subject, explanation);
    }

    /// <summary>Equal when the actual value, rounded to the decimals the expectation writes, is the value written.</summary>
    private static (bool, string) Numbers(ExpectedField field, decimal actual)
    {
        var decimals = field.Number!.Value.Scale;
        var rounded = Math.Round(actual, decimals, MidpointRounding.AwayFromZero);
        return (rounded == field.Number.Value, actual.ToString("0.####", CultureInfo.InvariantCulture));
    }

    /// <summary>The custom rules that fired for the decision (from its explanation), compared as a set with the list written.</summary>
    private static (bool, string) Rules(ExpectedField field, Decision decision)
    {
        var fired = string.Join(", ", FiredRules(decision).Order(StringComparer.Ordinal));
        return (fired == field.Expected, fired.Length == 0 ? "none" : fired);
    }

    /// <summary>
    /// The names of the custom rules that fired, from the decision's explanation steps of kind <c>rule</c>, which
    /// begin with the rule's name: <c>NAME fired, reading ...: escalate to level 3</c>.
    /// </summary>
    internal static IEnumerable<string> FiredRules(Decision decision) =>
        decision.Explanation
            .Where(s => s.Kind == "rule")
            .Select(s => s.Text.IndexOf(" fired", StringComparison.Ordinal) is var end and > 0 ? s.Text[..end] : s.Text)
            .Distinct(StringComparer.Ordinal);
}
