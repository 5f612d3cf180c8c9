using System.Collections.Immutable;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>
/// One agreement file as written, before <c>extends</c> is applied. Optional parts are null when absent so
/// that layering can tell "not written" (inherit) from "written empty" (override with nothing).
/// </summary>
internal sealed class PolicyDocument
{
    public required string File { get; init; }

    public string? Id { get; set; }

    public SourceLocation IdLocation { get; set; }

    public string? Version { get; set; }

    public SourceLocation VersionLocation { get; set; }

    public DateOnly? From { get; set; }

    public SourceLocation FromLocation { get; set; }

    public DateOnly? To { get; set; }

    public SourceLocation ToLocation { get; set; }

    public DateOnly? ReviewBy { get; set; }

    public SourceLocation ReviewByLocation { get; set; }

    public int? ReviewNoticeDays { get; set; }

    public string? Extends { get; set; }

    public SourceLocation ExtendsLocation { get; set; }

    public PolicyScope? AppliesTo { get; set; }

    public SourceLocation AppliesToLocation { get; set; }

    public string? Calendar { get; set; }

    public SourceLocation CalendarLocation { get; set; }

    public CaseChoices? CalendarFrom { get; set; }

    public CaseChoices? ClockFrom { get; set; }

    public ImmutableArray<string>? PauseOn { get; set; }

    public List<TargetTerm> Targets { get; } = [];

    public List<(string Key, EscalationStep Step)> Escalations { get; } = [];

    public List<AttainmentTerm> Attainment { get; } = [];

    public AvailabilityTerm? Availability { get; set; }

    /// <summary>The objectives of an <c>availability</c> written as an array; null when it is one object or absent.</summary>
    public List<AvailabilityTerm>? AvailabilityObjectives { get; set; }

    public List<RuleDefinition> Rules { get; } = [];

    public List<PerformanceTerm> Performance { get; } = [];

    /// <summary>JSON <c>customerCreditCap</c>; null when not written (then inherited).</summary>
    public decimal? CustomerCreditCap { get; set; }

    /// <summary>JSON <c>direction</c>; null when not written (then inherited, else customer).</summary>
    public AgreementDirection? Direction { get; set; }

    /// <summary>JSON <c>claims</c>; null when not written (then inherited).</summary>
    public ClaimTerms? Claims { get; set; }

    /// <summary>JSON <c>rollingCreditCap</c>; null when not written (then inherited).</summary>
    public RollingCreditCap? RollingCreditCap { get; set; }

    /// <summary>True when the identity of the version could be read, so it can take part in layering.</summary>
    public bool HasIdentity => Id is not null && Version is not null && From is not null;

    public override string ToString() => $"`{Id}` {Version}";
}
