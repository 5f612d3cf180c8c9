using System.Collections.Immutable;

namespace SlaPolicy.Engine.Inputs;

// Input records as read from JSON Lines (formats in docs/INPUTS.md). Timestamps always carry an offset.

/// <summary>A status change of a case; statuses listed in a policy's <c>pauseOn</c> pause its clocks.</summary>
public sealed record StatusEvent(DateTimeOffset At, string Status);

/// <summary>
/// A support case. Named <c>ticket</c> in rule expressions because <c>case</c> is a C# keyword.
/// <see cref="Events"/> are ordered by <see cref="StatusEvent.At"/>.
/// </summary>
public sealed record CaseRecord(
    string Id,
    string Customer,
    string Tier,
    string Region,
    string Service,
    int Severity,
    DateTimeOffset OpenedAt,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt,
    ImmutableArray<string> Tags,
    ImmutableArray<StatusEvent> Events);

/// <summary>An outage of a service in a region: [Start, End), of a kind such as <c>unplanned</c> or <c>maintenance</c>.</summary>
public sealed record OutageRecord(string Service, string Region, DateTimeOffset Start, DateTimeOffset End, string Kind, string? Id = null);

/// <summary>Who buys which service where, at what monthly fee (null: the policy's <c>monthlyFee</c>).</summary>
public sealed record SubscriptionRecord(string Customer, string Tier, string Region, string Service, decimal? MonthlyFee, string? Currency);

/// <summary>One measurement of a metric (latency, packet delivery, ...) of a service in a region.</summary>
public sealed record MeasurementRecord(string Service, string Region, DateTimeOffset At, string Metric, double Value);

/// <summary>A record that could not be accepted: where it was, which field, why, and the raw text.</summary>
public sealed record RejectedRecord(string Source, long LineNumber, string? Field, string Reason, string RawText);

/// <summary>
/// Something in an accepted line that looks like a mistake: where it was, the field (as written), and a message in the
/// style of rejection reasons, e.g. <c>unknown property `firstresponseAt` ignored (did you mean `firstResponseAt`?)</c>.
/// </summary>
public sealed record InputWarning(string Source, long LineNumber, string Field, string Message);
