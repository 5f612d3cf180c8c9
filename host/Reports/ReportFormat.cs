using System.Globalization;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Host.Reports;

/// <summary>Number formats shared by the terminal and HTML reports. Rounding here is for display only.</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A percent rounded to 3 decimals (midpoint away from zero), trailing zeros kept: <c>99.862%</c>.</summary>
    public static string Percent(decimal value) => Math.Round(value, 3, MidpointRounding.AwayFromZero).ToString("0.000", Invariant) + "%";

    /// <summary>A threshold as written: <c>99.9%</c>, <c>100%</c>.</summary>
    public static string Objective(decimal value) => value.ToString("0.####", Invariant) + "%";

    public static string Number(decimal value) => Math.Round(value, 3, MidpointRounding.AwayFromZero).ToString("0.###", Invariant);

    public static string Money(decimal value, string currency)
        => (currency.Length > 0 ? currency + " " : string.Empty) + value.ToString("#,##0.00", Invariant);

    public static string PerformanceObjective(PerformanceResult p)
        => $"{p.Statistic} {(p.Direction == ObjectiveDirection.AtMost ? "≤" : "≥")} {Number(p.Threshold)}";

    public static string Minutes(TimeSpan span) => Number((decimal)span.Ticks / TimeSpan.TicksPerMinute) + " min";

    /// <summary>An availability figure's minutes down, and what they count for when weighted by users affected (<c>440 min (126.5 weighted)</c>).</summary>
    public static string DowntimeMinutes(AvailabilityResult a) =>
        Minutes(a.Downtime) + (a.WeightedDowntime is { } weighted ? $" ({Number((decimal)weighted.Ticks / TimeSpan.TicksPerMinute)} weighted)" : string.Empty);

    /// <summary>
    /// What an empty attainment table says: that no clock stopped in the period only when none did; otherwise that the
    /// clocks which stopped are governed by agreements without attainment terms (their counts are in the targets table).
    /// </summary>
    public static string NoAttainmentNote(ServiceLevelReport report)
    {
        var stopped = report.Compliance.Sum(c => (long)c.Met + c.Breached);
        return stopped == 0
            ? "no case stopped its clock in this period"
            : $"{stopped.ToString(Invariant)} (case, target) clock(s) stopped in this period, but no agreement that governs them has attainment terms (see the targets table)";
    }

    /// <summary>Who a claim is with, and which way: <c>owed to acme</c>, <c>claim from fibrelink</c>.</summary>
    public static string ClaimParty(CreditClaim claim) =>
        claim.Direction == AgreementDirection.Supplier ? $"claim from {claim.Party}" : $"owed to {claim.Party}";

    /// <summary>The last day to claim (UTC), or that there is no deadline.</summary>
    public static string ClaimBy(CreditClaim claim) => claim.LastDay is { } day ? day.ToString("yyyy-MM-dd", Invariant) : "no deadline";

    /// <summary>A computed claim's status at the report's asOf: owed (or, a supplier's, to claim) or expired.</summary>
    public static string ClaimStatusText(CreditClaim claim, DateTimeOffset asOf) => claim.StatusAt(asOf) == ClaimStatus.Expired
        ? "expired"
        : claim.Direction == AgreementDirection.Supplier ? "to claim" : "owed";

    public static string Date(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);
}
