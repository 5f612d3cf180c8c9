using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Host.Reports;

/// <summary>
/// How every report data source shapes its records into the calculator's inputs: the policy set's versions, and its
/// scope resolver choosing the version that governs a subscription on the month's first day. One place, so that the
/// files of <c>slapolicy report</c> and the store of the nightly run give the same figures for the same records.
/// </summary>
public static class ReportInputs
{
    /// <summary>The inputs of <see cref="ServiceLevelCalculator.Compute"/> over <paramref name="set"/>.</summary>
    public static ServiceLevelInputs Create(
        PolicySet set,
        IReadOnlyList<SubscriptionRecord> subscriptions,
        IReadOnlyList<OutageRecord> outages,
        IReadOnlyList<MeasurementRecord> measurements,
        IReadOnlyList<Decision> decisions,
        IReadOnlyList<CaseRecord> cases)
    {
        ArgumentNullException.ThrowIfNull(set);
        var resolver = ScopeResolver.ForSubscriptions(set);
        return new ServiceLevelInputs(
            set.Policies,
            (s, day) => resolver.Resolve(s.Customer, s.Tier, s.Region, s.Service, day),
            subscriptions,
            outages,
            measurements,
            decisions,
            cases)
        {
            Calendars = set.Calendars,
        };
    }

    /// <summary>The UTC month containing <paramref name="instant"/>.</summary>
    public static ReportingMonth MonthOf(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new ReportingMonth(utc.Year, utc.Month);
    }
}
