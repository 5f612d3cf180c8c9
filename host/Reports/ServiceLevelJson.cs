using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Reports;

/// <summary>
/// Writes a month's service level figures as JSON Lines: one object per availability result, performance result,
/// attainment result and customer credit total, told apart by <c>kind</c>. The availability lines carry the stable
/// output fields (<c>customer</c>, <c>service</c>, <c>region</c>, <c>period</c>,
/// <c>availabilityPercent</c>, <c>objective</c>, <c>met</c>, <c>creditPercent</c>, <c>creditAmount</c>,
/// <c>currency</c>) followed by the policy, the window, the downtime, the outages counted and the credit's explanation. Used by
/// <c>report --json</c> and by <c>evaluate --subscriptions</c>, so the two cannot drift apart.
/// </summary>
/// <remarks>
/// Percentages are written rounded to 6 decimals (half away from zero); <c>met</c> and the credit tier were decided on
/// the exact value. Amounts are written as computed: already rounded to cents. Instants are UTC, ISO 8601.
/// </remarks>
public static class ServiceLevelJson
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    // The lines are data files, not HTML: keep `+`, quotes and backticks readable instead of \u escapes.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes every line of <paramref name="report"/> to <paramref name="stream"/>, each followed by <c>\n</c>;
    /// performance results only when <paramref name="includePerformance"/> (a caller without measurements has none to judge).
    /// </summary>
    /// <returns>The number of lines written.</returns>
    public static int WriteLines(Stream stream, ServiceLevelReport report, bool includePerformance = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(report);
        var lines = 0;
        using var writer = new Utf8JsonWriter(stream, Options);
        void Line(Action<Utf8JsonWriter> write)
        {
            write(writer);
            writer.Flush();
            stream.Write(Newline);
            writer.Reset();
            lines++;
        }

        foreach (var a in report.Availability)
        {
            Line(w => WriteAvailability(w, a, report.AsOf));
        }

        if (includePerformance)
        {
            foreach (var p in report.Performance)
            {
                Line(w => WritePerformance(w, p, report.AsOf));
            }
        }

        foreach (var a in report.Attainment)
        {
            Line(w => WriteAttainment(w, a, report.AsOf));
        }

        foreach (var t in report.CreditTotals)
        {
            Line(w => WriteTotal(w, t, report.AsOf));
        }

        return lines;
    }

    /// <summary>
    /// One availability result as a JSON object, stable fields first; <c>outages</c> lists the outages counted, each with
    /// the fields of its input (<see cref="InputDescriptions.Outages"/>).
    /// </summary>
    public static void WriteAvailability(Utf8JsonWriter writer, AvailabilityResult a, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(a);
        writer.WriteStartObject();
        Subject(writer, a.Customer, a.Service, a.Region, a.Period, null);
        writer.WriteNumber("availabilityPercent", Percent(a.AvailabilityPercent));
        writer.WriteNumber("objective", a.Objective);
        writer.WriteBoolean("met", a.Met);
        Credit(writer, a.CreditPercent, a.CreditAmount, a.Currency);
        writer.WriteString("kind", "availability");
        writer.WriteString("tier", a.Tier);
        Policy(writer, a.PolicyId, a.PolicyVersion, asOf);
        writer.WriteString("windowStart", Instant(a.WindowStart));
        writer.WriteString("windowEnd", Instant(a.WindowEnd));
        writer.WriteNumber("downtimeMinutes", Math.Round((decimal)a.Downtime.Ticks / TimeSpan.TicksPerMinute, 3, MidpointRounding.AwayFromZero));
        writer.WriteStartArray("downtime");
        foreach (var interval in a.Outages)
        {
            writer.WriteStartObject();
            writer.WriteString("start", Instant(interval.Start));
            writer.WriteString("end", Instant(interval.End));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("outages");
        foreach (var outage in a.CountedOutages.IsDefault ? [] : a.CountedOutages)
        {
            InputDescriptions.Outages.Write(writer, outage);
        }

        writer.WriteEndArray();
        if (a.ObjectiveId is { } id)
        {
            writer.WriteString("objectiveId", id);
        }

        if (a.Resource is { } resource)
        {
            writer.WriteString("resource", resource);
        }

        if (a.DownIntervals is { } intervals)
        {
            writer.WriteNumber("downIntervals", intervals);
        }

        if (a.LongOutages is { } longOutages)
        {
            writer.WriteNumber("longOutages", longOutages);
        }

        if (a.MeasuredWindow != default && a.MeasuredWindow != a.WindowEnd - a.WindowStart)
        {
            writer.WriteNumber("measuredMinutes", Math.Round((decimal)a.MeasuredWindow.Ticks / TimeSpan.TicksPerMinute, 3, MidpointRounding.AwayFromZero));
        }

        if (a.Requests is { } requests)
        {
            writer.WriteNumber("requests", requests);
            writer.WriteNumber("failedRequests", a.FailedRequests ?? 0m);
        }

        if (a.MeanErrorRate is { } mean)
        {
            writer.WriteNumber("meanErrorRate", Math.Round(mean, 6, MidpointRounding.AwayFromZero));
        }

        if (!a.Weeks.IsDefault)
        {
            writer.WriteStartArray("weeks");
            foreach (var w in a.Weeks)
            {
                writer.WriteStartObject();
                writer.WriteString("firstDay", w.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("lastDay", w.LastDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("start", Instant(w.Start));
                writer.WriteString("end", Instant(w.End));
                writer.WriteNumber("availabilityPercent", Percent(w.AvailabilityPercent));
                writer.WriteNumber("measuredMinutes", Math.Round((decimal)w.Measured.Ticks / TimeSpan.TicksPerMinute, 3, MidpointRounding.AwayFromZero));
                writer.WriteNumber("downtimeMinutes", Math.Round((decimal)w.Downtime.Ticks / TimeSpan.TicksPerMinute, 3, MidpointRounding.AwayFromZero));
                writer.WriteBoolean("met", w.Met);
                writer.WriteNumber("creditPercent", Percent(w.CreditPercent));
                writer.WriteNumber("creditAmount", w.CreditAmount);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        Explained(writer, a.Credit);
    }

    /// <summary>One performance result as a JSON object; <c>measured</c> and <c>met</c> are null when no sample fell in the window.</summary>
    public static void WritePerformance(Utf8JsonWriter writer, PerformanceResult p, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(p);
        writer.WriteStartObject();
        Subject(writer, p.Customer, p.Service, p.Region, p.Period, "performance");
        writer.WriteString("objectiveId", p.Objective);
        writer.WriteString("metric", p.Metric);
        writer.WriteString("statistic", p.Statistic);
        writer.WriteString("direction", p.Direction == Engine.Policies.ObjectiveDirection.AtMost ? "atMost" : "atLeast");
        writer.WriteNumber("objective", p.Threshold);
        NumberOrNull(writer, "measured", p.MeasuredValue is { } v ? Percent(v) : null);
        writer.WriteNumber("samples", p.SampleCount);
        if (p.Met is { } met)
        {
            writer.WriteBoolean("met", met);
        }
        else
        {
            writer.WriteNull("met");
        }

        Credit(writer, p.CreditPercent, p.CreditAmount, p.Currency);
        Policy(writer, p.PolicyId, p.PolicyVersion, asOf);
        if (p.Credit is not null)
        {
            Explained(writer, p.Credit);
        }
        else
        {
            writer.WriteEndObject();
        }
    }

    /// <summary>One attainment result as a JSON object.</summary>
    public static void WriteAttainment(Utf8JsonWriter writer, AttainmentResult a, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(a);
        writer.WriteStartObject();
        Subject(writer, a.Customer, null, null, a.Period, "attainment");
        writer.WriteStartArray("severity");
        foreach (var s in a.Severities.IsDefault ? [] : a.Severities)
        {
            writer.WriteNumberValue(s);
        }

        writer.WriteEndArray();
        writer.WriteNumber("metCount", a.MetCount);
        writer.WriteNumber("stoppedCount", a.StoppedCount);
        writer.WriteNumber("attainmentPercent", Percent(a.AttainmentPercent));
        writer.WriteNumber("objective", a.AtLeastPercent);
        writer.WriteBoolean("met", a.Met);
        Credit(writer, a.CreditPercent, a.CreditAmount, a.Currency);
        Policy(writer, a.PolicyId, a.PolicyVersion, asOf);
        Explained(writer, a.Credit);
    }

    /// <summary>One customer's credit total under one policy and currency, before and after <c>customerCreditCap</c>.</summary>
    public static void WriteTotal(Utf8JsonWriter writer, CustomerCreditTotal t, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(t);
        writer.WriteStartObject();
        Subject(writer, t.Customer, null, null, t.Period, "customerCredit");
        writer.WriteString("policy", t.PolicyId);
        writer.WriteString("currency", t.Currency);
        writer.WriteNumber("availabilityCredits", t.AvailabilityCredits);
        writer.WriteNumber("performanceCredits", t.PerformanceCredits);
        writer.WriteNumber("attainmentCredits", t.AttainmentCredits);
        writer.WriteNumber("uncapped", t.Uncapped);
        NumberOrNull(writer, "capPercent", t.CapPercent);
        NumberOrNull(writer, "capAmount", t.CapPercent is null ? null : t.CapAmount ?? 0m);
        writer.WriteNumber("feeBase", t.FeeBase);
        writer.WriteNumber("creditAmount", t.Payable);
        writer.WriteBoolean("capApplied", t.CapApplied);
        if (t.RollingCapAmount is { } rolling)
        {
            writer.WriteNumber("rollingCapAmount", rolling);
            NumberOrNull(writer, "earlierCredits", t.EarlierCredits);
        }

        ClaimFields(writer, t);
        writer.WriteString("asOf", Instant(asOf));
        writer.WritePropertyName("explanation");
        DecisionJson.WriteExplanation(writer, t.Explanation);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The claim of a total, only for an agreement that writes <c>claims</c> or is a supplier's: who owes it, the minimum
    /// credit and whether the total fell under it, whether it is settled against future bills only, and the instant by
    /// which it must be claimed (null: no deadline).
    /// </summary>
    private static void ClaimFields(Utf8JsonWriter writer, CustomerCreditTotal t)
    {
        if (t.Claims is null && t.Direction == Engine.Policies.AgreementDirection.Customer)
        {
            return;
        }

        writer.WriteString("direction", t.Direction == Engine.Policies.AgreementDirection.Supplier ? "supplier" : "customer");
        NumberOrNull(writer, "minimumCredit", t.Claims?.MinimumCredit);
        writer.WriteBoolean("notIssued", t.NotIssued);
        writer.WriteBoolean("futureBillsOnly", t.Claims?.FutureBillsOnly ?? false);
        if (t.Claims?.Deadline is { } deadline && ReportingMonth.TryParse(t.Period, out var month))
        {
            writer.WriteString("claimableUntil", Instant(deadline.ClaimableUntil(month.Start)));
        }
        else
        {
            writer.WriteNull("claimableUntil");
        }
    }

    /// <summary>Who and when a line is about; service and region only for a subscription's results, <c>kind</c> when given here.</summary>
    private static void Subject(Utf8JsonWriter writer, string customer, string? service, string? region, string period, string? kind)
    {
        writer.WriteString("customer", customer);
        if (service is not null)
        {
            writer.WriteString("service", service);
            writer.WriteString("region", region);
        }

        writer.WriteString("period", period);
        if (kind is not null)
        {
            writer.WriteString("kind", kind);
        }
    }

    private static void Credit(Utf8JsonWriter writer, decimal percent, decimal amount, string currency)
    {
        writer.WriteNumber("creditPercent", percent);
        writer.WriteNumber("creditAmount", amount);
        writer.WriteString("currency", currency);
    }

    private static void Policy(Utf8JsonWriter writer, string id, string version, DateTimeOffset asOf)
    {
        writer.WriteString("policy", id);
        writer.WriteString("policyVersion", version);
        writer.WriteString("asOf", Instant(asOf));
    }

    /// <summary>The credit's fee and explanation, and the end of the object.</summary>
    private static void Explained(Utf8JsonWriter writer, CreditAssessment credit)
    {
        Fee(writer, credit.Fee);
        writer.WritePropertyName("explanation");
        DecisionJson.WriteExplanation(writer, credit.Explanation);
        writer.WriteEndObject();
    }

    private static void NumberOrNull(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Fee(Utf8JsonWriter writer, Fee fee)
    {
        NumberOrNull(writer, "monthlyFee", fee.Amount);

        writer.WriteString("feeSource", fee.Source switch
        {
            FeeSource.Subscription => "subscription",
            FeeSource.Policy => "policy",
            FeeSource.Billed => "billed",
            _ => "none",
        });
        if (fee.Source == FeeSource.Billed)
        {
            writer.WriteNumber("billed", fee.Billed);
            writer.WriteNumber("daysSubscribed", fee.DaysSubscribed);
            writer.WriteNumber("daysInMonth", fee.DaysInMonth);
        }
    }

    // Dividing by 1.000… drops trailing zeros: 99.687500 is written 99.6875.
    private static decimal Percent(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero) / 1.000000000000000000000000000000000m;

    private static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
