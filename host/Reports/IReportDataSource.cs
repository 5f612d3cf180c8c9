using System.Collections.Immutable;
using SlaPolicy.Engine.Availability;

namespace SlaPolicy.Host.Reports;

/// <summary>Where the report's data comes from, as given on the command line; null members take the source's defaults.</summary>
/// <param name="PoliciesDirectory">Policy directory (<c>--policies</c>).</param>
/// <param name="CasesFile">Cases, JSON Lines (<c>--cases</c>); decisions are evaluated from them as of <paramref name="AsOf"/>.</param>
/// <param name="OutagesFile">Outages, JSON Lines (<c>--outages</c>).</param>
/// <param name="SubscriptionsFile">Subscriptions, JSON Lines (<c>--subscriptions</c>).</param>
/// <param name="MeasurementsFile">Measurements, JSON Lines (<c>--measurements</c>).</param>
/// <param name="AsOf">Evaluation time.</param>
public sealed record ReportRequest(
    string? PoliciesDirectory,
    string? CasesFile,
    string? OutagesFile,
    string? SubscriptionsFile,
    string? MeasurementsFile,
    DateTimeOffset AsOf)
{
    /// <summary>
    /// The month the report is about, when the source can read only what it needs (a store reads that month's outages
    /// and measurements); null: the month containing <see cref="AsOf"/> (UTC). File sources read whole files regardless.
    /// </summary>
    public ReportingMonth? Period { get; init; }

    /// <summary>
    /// Earlier months' credits, JSON Lines as <c>report --json</c> writes them (<c>--credit-history</c>): the
    /// <c>customerCredit</c> lines say what each customer was credited, for a <c>rollingCreditCap</c>. Null: not known.
    /// </summary>
    public string? CreditHistoryFile { get; init; }
}

/// <summary>The loaded inputs, and what loading had to say (rejected records, ...) so the report can show it.</summary>
public sealed record ReportData(ServiceLevelInputs Inputs, ImmutableArray<string> Warnings);

/// <summary>A fatal problem loading report data (unreadable file, policy errors): the report cannot be made.</summary>
public sealed class ReportDataException(string message) : Exception(message);

/// <summary>
/// Loads what <c>slapolicy report</c> computes from: policies and the scope resolver, subscriptions, outages,
/// measurements, and case decisions as of the request's time. Throws <see cref="ReportDataException"/> when the
/// data cannot be loaded; rejected records are reported as warnings, never dropped silently.
/// </summary>
public interface IReportDataSource
{
    ReportData Load(ReportRequest request);
}
