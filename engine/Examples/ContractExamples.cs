using System.Collections.Immutable;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Engine.Examples;

/// <summary>One field an expectation checks: its JSON name, the value written (as text, as written) and where it is.</summary>
/// <param name="Field">The JSON name, e.g. <c>status</c>.</param>
/// <param name="Expected">The value as written: a string, a number, a list joined by <c>, </c>, or null.</param>
/// <param name="Number">The value when it is a number, with the decimals written (compared after rounding to them).</param>
/// <param name="Location">Where the value is written.</param>
public sealed record ExpectedField(string Field, string? Expected, decimal? Number, SourceLocation Location);

/// <summary>What one (case, target) decision is expected to be. Only the fields written are checked.</summary>
/// <param name="CaseId">The case, one of the example's.</param>
/// <param name="Target">The target id.</param>
/// <param name="Fields">The fields to check.</param>
/// <param name="Location">Where the expectation's object starts.</param>
public sealed record DecisionExpectation(string CaseId, string Target, ImmutableArray<ExpectedField> Fields, SourceLocation Location);

/// <summary>
/// What one of a month's service credit figures is expected to be: the figure is named by its kind
/// (<c>availability</c>, <c>performance</c>, <c>attainment</c>, <c>total</c>), customer and, as the kind needs, service,
/// region, objective or severities.
/// </summary>
/// <param name="Kind">The kind of figure.</param>
/// <param name="Customer">The customer.</param>
/// <param name="Service">Service (availability, performance); null when not written.</param>
/// <param name="Region">Region (availability, performance); null when not written.</param>
/// <param name="Objective">Performance objective id, or attainment severity label (<c>sev 1</c>); null when not written.</param>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
/// <param name="Fields">The fields to check (<c>amount</c>, <c>percent</c>, <c>currency</c>, <c>met</c>, <c>measured</c>).</param>
/// <param name="Location">Where the expectation's object starts.</param>
public sealed record CreditExpectation(
    string Kind, string Customer, string? Service, string? Region, string? Objective, string Period, ImmutableArray<ExpectedField> Fields, SourceLocation Location)
{
    /// <summary>The figure as a person names it: <c>availability of acme email eu-west in 2026-11</c>.</summary>
    public string Describe() =>
        string.Join(' ', new[] { Kind, "of", Customer, Service, Region, Objective is null ? null : $"`{Objective}`", "in", Period }.Where(p => p is not null));
}

/// <summary>
/// One worked example of a contract: inputs (cases, outages, subscriptions, measurements), an evaluation time, and
/// the decisions and credits the policies must give for them.
/// </summary>
public sealed record ContractExample(
    string Name,
    SourceLocation Location,
    DateTimeOffset AsOf,
    ImmutableArray<CaseRecord> Cases,
    ImmutableArray<OutageRecord> Outages,
    ImmutableArray<SubscriptionRecord> Subscriptions,
    ImmutableArray<MeasurementRecord> Measurements,
    ImmutableArray<DecisionExpectation> Decisions,
    ImmutableArray<CreditExpectation> Credits)
{
    /// <summary>Where each case of <see cref="Cases"/> is written, by id.</summary>
    public ImmutableDictionary<string, SourceLocation> CaseLocations { get; init; } = ImmutableDictionary<string, SourceLocation>.Empty;

    /// <summary>How many expectations the example has.</summary>
    public int ExpectationCount => Decisions.Length + Credits.Length;
}

/// <summary>An example file: its examples and what was wrong with it (an example with an error is left out).</summary>
public sealed record ContractExampleFile(string File, ImmutableArray<ContractExample> Examples, IReadOnlyList<Diagnostic> Diagnostics);
