using System.Globalization;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies;

/// <summary>How a term differs between two policy versions.</summary>
public enum TermChange
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One term that differs: what it is (<c>target `sev1-resolution`</c>), how it reads on each side and where each
/// side writes it (unknown on the side that lacks it).
/// </summary>
public sealed record TermDifference(TermChange Change, string Term, string? Before, string? After, SourceLocation BeforeLocation, SourceLocation AfterLocation);

/// <summary>The differences between two versions, <see cref="Before"/> and <see cref="After"/> (either may be null: a version only one side has).</summary>
public sealed record PolicyDifference(Policy? Before, Policy? After, IReadOnlyList<TermDifference> Terms);

/// <summary>
/// The term-level difference of resolved policy versions (their <c>extends</c> applied, so an inherited term that
/// changes in a parent shows too): targets, escalation steps, rules, attainment, availability and its credits,
/// performance objectives, the calendar and its hours and holidays, and the version's scope and settings. Each term
/// is compared by how it reads; each side carries the file, line and column that writes it.
/// </summary>
public static class PolicyDiff
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The differences between <paramref name="before"/> and <paramref name="after"/>; the calendars are looked up
    /// in <paramref name="beforeCalendars"/> and <paramref name="afterCalendars"/> (the sets each version comes from).
    /// </summary>
    public static IReadOnlyList<TermDifference> Compare(
        Policy before, IReadOnlyDictionary<string, CalendarDefinition> beforeCalendars, Policy after, IReadOnlyDictionary<string, CalendarDefinition> afterCalendars)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var differences = new List<TermDifference>();
        void Setting(string term, Func<Policy, string> read, Func<Policy, SourceLocation>? at = null) =>
            Add(differences, term, read(before), Known(at?.Invoke(before), before), read(after), Known(at?.Invoke(after), after));

        Setting("effective", p => $"from {p.EffectiveFrom:yyyy-MM-dd}" + (p.EffectiveTo is { } to ? $" to {to:yyyy-MM-dd}" : string.Empty));
        Setting("extends", p => p.Extends ?? "nothing");
        Setting("appliesTo", p => Scope(p.AppliesTo, p.IsAbstract));
        Setting("pauseOn", p => List(p.PauseOn));
        Setting("customerCreditCap", p => p.CustomerCreditCapPercent is { } cap ? Pct(cap) : "no cap");
        Setting("rollingCreditCap", p => p.RollingCreditCap is { } r ? $"{Pct(r.CapPercent)} over any {r.Months} months" : "no cap", p => p.RollingCreditCap?.Location ?? SourceLocation.None);
        Setting("direction", p => p.Direction == AgreementDirection.Supplier ? "supplier" : "customer");
        Setting("claims", p => Claims(p.Claims), p => p.Claims?.Location ?? SourceLocation.None);
        Setting("reviewBy", p => p.ReviewBy is { } by ? $"{by:yyyy-MM-dd}, notice {p.ReviewNoticeDays} days" : "none", p => p.ReviewByLocation);
        Calendar(differences, before, beforeCalendars, after, afterCalendars);
        Terms(differences, "target", before.Targets, after.Targets, t => t.Id, Describe, t => t.Location);
        Terms(differences, "escalation", before.Escalations, after.Escalations, e => e.Id, Describe, e => e.Location);
        Terms(differences, "attainment", before.Attainment, after.Attainment, a => Severities(a.Severities), Describe, a => a.Location);
        Terms(differences, "performance", before.Performance, after.Performance, p => p.Id, Describe, p => p.Location);
        Terms(differences, "rule", before.Rules, after.Rules, r => r.RuleName, Describe, r => r.Location);
        if (before.AvailabilityObjectives.IsDefaultOrEmpty && after.AvailabilityObjectives.IsDefaultOrEmpty)
        {
            Add(
                differences,
                "availability",
                before.Availability is { } a ? Describe(a) : null,
                before.Availability?.Location ?? SourceLocation.None,
                after.Availability is { } b ? Describe(b) : null,
                after.Availability?.Location ?? SourceLocation.None);
        }
        else
        {
            // Several objectives: each compared by its id (a single term has none, and is compared as `availability`).
            Terms(differences, "availability", before.AvailabilityTerms, after.AvailabilityTerms, t => t.Id ?? "availability", Describe, t => t.Location);
        }

        return differences;
    }

    /// <summary>
    /// The differences between every version of two policy sets, matched by id and version label; a version only
    /// one side has is listed whole (each of its terms added or removed). Versions that read the same are left out.
    /// </summary>
    public static IReadOnlyList<PolicyDifference> Compare(PolicySet before, PolicySet after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = new List<PolicyDifference>();
        var keys = before.Policies.Select(Key).Union(after.Policies.Select(Key)).Distinct().Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var b = before.Policies.FirstOrDefault(p => Key(p) == key);
            var a = after.Policies.FirstOrDefault(p => Key(p) == key);
            var terms = b is not null && a is not null
                ? Compare(b, before.Calendars, a, after.Calendars)
                : Whole(b ?? a!, b is null ? after.Calendars : before.Calendars, added: b is null);
            if (terms.Count > 0)
            {
                result.Add(new PolicyDifference(b, a, terms));
            }
        }

        return result;
    }

    /// <summary>Every term of one version, as added (or removed).</summary>
    private static List<TermDifference> Whole(Policy policy, IReadOnlyDictionary<string, CalendarDefinition> calendars, bool added)
    {
        var empty = policy with
        {
            Extends = null,
            AppliesTo = PolicyScope.All,
            Calendar = null,
            PauseOn = [],
            Targets = [],
            Escalations = [],
            Attainment = [],
            Availability = null,
            Rules = [],
            Performance = [],
            CustomerCreditCapPercent = null,
            RollingCreditCap = null,
            Direction = policy.Direction,
            Claims = null,
            ReviewBy = null,
            IsAbstract = policy.IsAbstract,
        };
        var none = new Dictionary<string, CalendarDefinition>();
        var terms = added ? Compare(empty, none, policy, calendars) : Compare(policy, calendars, empty, none);
        return [.. terms.Where(t => t.Term != "effective")];
    }

    /// <summary>Where a setting is written, else where its policy starts.</summary>
    private static SourceLocation Known(SourceLocation? location, Policy policy) => location is { IsKnown: true } known ? known : policy.Location;

    private static string Key(Policy p) => $"{p.Id}@{p.Version}";

    private static void Calendar(
        List<TermDifference> differences, Policy before, IReadOnlyDictionary<string, CalendarDefinition> beforeCalendars, Policy after, IReadOnlyDictionary<string, CalendarDefinition> afterCalendars)
    {
        var b = before.Calendar is { } x && beforeCalendars.TryGetValue(x, out var bc) ? bc : null;
        var a = after.Calendar is { } y && afterCalendars.TryGetValue(y, out var ac) ? ac : null;
        Add(
            differences,
            "calendar",
            before.Calendar is null ? null : b is null ? $"`{before.Calendar}`" : Describe(b),
            b?.Location ?? before.Location,
            after.Calendar is null ? null : a is null ? $"`{after.Calendar}`" : Describe(a),
            a?.Location ?? after.Location);
    }

    private static void Terms<T>(
        List<TermDifference> differences, string kind, IEnumerable<T> before, IEnumerable<T> after, Func<T, string> key, Func<T, string> describe, Func<T, SourceLocation> location)
    {
        var old = before.ToList();
        var @new = after.ToList();
        foreach (var k in old.Select(key).Union(@new.Select(key)).Distinct(StringComparer.Ordinal))
        {
            var b = old.FirstOrDefault(t => key(t) == k);
            var a = @new.FirstOrDefault(t => key(t) == k);
            Add(
                differences,
                $"{kind} `{k}`",
                b is null ? null : describe(b),
                b is null ? SourceLocation.None : location(b),
                a is null ? null : describe(a),
                a is null ? SourceLocation.None : location(a));
        }
    }

    private static void Add(List<TermDifference> differences, string term, string? before, SourceLocation beforeAt, string? after, SourceLocation afterAt)
    {
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return;
        }

        var change = before is null ? TermChange.Added : after is null ? TermChange.Removed : TermChange.Changed;
        differences.Add(new TermDifference(change, term, before, after, before is null ? SourceLocation.None : beforeAt, after is null ? SourceLocation.None : afterAt));
    }

    private static string Describe(TargetTerm t) =>
        $"{(t.Metric switch { TargetMetric.FirstResponse => "first response", TargetMetric.Update => "update", TargetMetric.NextReply => "next reply", _ => "resolution" })} within {(t.BusinessDays > 0 ? $"{t.BusinessDays}bd" : Duration(t.Within))} on the {(t.Clock == ClockKind.Business ? "business" : "24x7")} clock, {Severities(t.Severities)}";

    private static string Describe(EscalationStep e) =>
        $"at {Pct(e.AtPercent)}: {e.Action}" + (e.Level is { } level ? $" to level {level}" : string.Empty) + (e.To is { } to ? $" (`{to}`)" : string.Empty);

    private static string Describe(AttainmentTerm a) => $"{Severities(a.Severities)}: at least {Pct(a.AtLeastPercent)} met, else credit {Pct(a.CreditPercent)}";

    private static string Describe(PerformanceTerm p)
    {
        var bound = p.Direction == ObjectiveDirection.AtMost ? "at most" : "at least";
        var word = p.Direction == ObjectiveDirection.AtMost ? "above" : "below";
        return $"{p.Statistic} of {p.Metric} {bound} {Num(p.Threshold)} for {List(p.Services, "all services")}; credits "
            + (p.Credits.IsDefaultOrEmpty ? "none" : string.Join(", ", p.Credits.Select(c => $"{word} {Num(c.Threshold)}: {Pct(c.CreditPercent)}")))
            + (p.CreditCapPercent is { } cap ? $", cap {Pct(cap)}" : string.Empty);
    }

    private static string Describe(AvailabilityTerm a) =>
        $"{Pct(a.ObjectivePercent)} per {a.Window} for {List(a.Services, "all services")}, excluding {List(a.Exclude)}; credits "
        + (a.Credits.IsDefaultOrEmpty ? "none" : string.Join(", ", a.Credits.Select(c => $"below {Pct(c.BelowPercent)}: {Pct(c.CreditPercent)}")))
        + (a.CreditCapPercent is { } cap ? $", cap {Pct(cap)}" : string.Empty)
        + (a.MonthlyFee is { } fee ? $", monthly fee {Num(fee)} {a.Currency}".TrimEnd() : string.Empty)
        + (a.DowntimeFrom is { } d ? $", down when {d.Metric} is above {Num(d.Above)} with at least {d.MinRequests} requests per {Availability.MetricDowntimes.Words(d.Interval)}" : string.Empty)
        + (a.MinimumDowntime is { } min ? $", spells of at least {Availability.MetricDowntimes.Words(min)}" : string.Empty)
        + (a.Measure switch { AvailabilityMeasure.Requests => ", measured by requests", AvailabilityMeasure.MeanErrorRate => ", 100% minus the mean error rate", _ => string.Empty })
        + (a.Scope == AvailabilityScope.Resource ? ", per resource" : string.Empty)
        + (a.DownWhen is { } r ? $", down when {(r.All ? "all" : r.Needed.ToString(Invariant))} of {List(r.Resources, "its resources")} are down" : string.Empty)
        + (a.ExcludeFromWindow.IsDefaultOrEmpty ? string.Empty : $", {List(a.ExcludeFromWindow)} taken out of the window")
        + (a.BusinessHoursOnly ? ", over business hours" : string.Empty)
        + (a.WeekZone is { } zone ? $", weeks in {zone}" : string.Empty)
        + (a.WeightByAffected ? ", downtime weighted by users affected" : string.Empty)
        + (a.Denominator == AvailabilityDenominator.Deployed ? ", over the minutes deployed" : string.Empty)
        + (a.MaxOutage is { } m ? $", an outage longer than {Availability.MetricDowntimes.Words(m.LongerThan)} credited {(m.CreditPercent is { } c ? Pct(c) : $"{Num(m.PerHourDown ?? 0)} per hour")}" : string.Empty);

    private static string Describe(RuleDefinition r)
    {
        var body = r.IsNested
            ? $"{r.Operator ?? "And"} of ({string.Join("; ", r.Rules.Select(Describe))})"
            : $"`{r.Expression}`";
        var locals = r.LocalParams.IsDefaultOrEmpty ? string.Empty : $" with {string.Join(", ", r.LocalParams.Select(l => $"{l.Name} = `{l.Expression}`"))}";
        return $"{r.RuleName}: {body}{locals}" + (r.SuccessEvent is { } e ? $" -> `{e}`" : string.Empty) + (r.Enabled ? string.Empty : " (disabled)");
    }

    private static string Describe(CalendarDefinition c)
    {
        var hours = string.Join(", ", c.Hours.GroupBy(h => h.Day).Select(g => $"{g.Key.ToString()[..3].ToLowerInvariant()} {string.Join(",", g.Select(h => $"{h.Start:HH\\:mm}-{(h.End == TimeOnly.MinValue ? "24:00" : h.End.ToString("HH:mm", Invariant))}"))}"));
        var text = $"`{c.Id}`: {c.TimeZone}, {hours}; holidays {(c.Holidays.IsDefaultOrEmpty ? "none" : string.Join(", ", c.Holidays.Order().Select(d => d.ToString("yyyy-MM-dd", Invariant))))}";

        // The newer parts are described only when a calendar has them, so older calendars read as before.
        if (!c.HolidayFiles.IsDefaultOrEmpty)
        {
            text += $"; holiday files {string.Join(", ", c.HolidayFiles)}";
        }

        // Days read from holiday files are described by the file's name above, not one by one.
        if (!c.HolidayRules.IsDefaultOrEmpty && c.HolidayRules.Where(r => r.Location.File == c.Location.File).Select(r => r.Text).ToList() is { Count: > 0 } yearly)
        {
            text += $"; yearly holidays {string.Join(", ", yearly)}";
        }

        if (!c.DateHours.IsDefaultOrEmpty)
        {
            text += $"; dates {string.Join(", ", c.DateHours.Select(d => $"{d.When.Text} {d.HoursText}"))}";
        }

        // Timed closures: the files, and the spans they close, so that an edited event shows as a change.
        if (!c.ClosureFiles.IsDefaultOrEmpty)
        {
            var spans = c.Closures.IsDefault ? [] : c.Closures.Select(x => $"{x.Start:yyyy-MM-dd HH:mm}-{x.End:yyyy-MM-dd HH:mm}{(x.Floating ? " local" : " UTC")}");
            var count = c.Closures.IsDefault ? 0 : c.Closures.Length;
            text += $"; closure files {string.Join(", ", c.ClosureFiles)} ({count} spans: {string.Join(", ", spans.Take(5))}{(count > 5 ? ", ..." : string.Empty)})";
        }

        return text;
    }

    private static string Scope(PolicyScope s, bool isAbstract) => isAbstract
        ? "none (abstract)"
        : $"customers {List(s.Customers, "*")}, tiers {List(s.Tiers, "*")}, regions {List(s.Regions, "*")}, services {List(s.Services, "*")}";

    private static string Severities(IReadOnlyCollection<int> severities) =>
        severities.Count == 0 ? "all severities" : "severity " + string.Join(",", severities.Order());

    private static string List(IReadOnlyCollection<string> values, string none = "none") =>
        values.Count == 0 ? none : string.Join(", ", values);

    private static string Duration(TimeSpan span) => span.TotalMinutes switch
    {
        var m when m % 1 != 0 => $"{span.TotalSeconds:0}s",
        var m when m % 1440 == 0 => $"{m / 1440:0}d",
        var m when m % 60 == 0 => $"{m / 60:0}h",
        var m => $"{m:0}m",
    };

    private static string Claims(ClaimTerms? claims)
    {
        if (claims is null)
        {
            return "none";
        }

        var parts = new List<string> { claims.Deadline?.Describe() ?? "no claim deadline" };
        if (claims.MinimumCredit is { } minimum)
        {
            parts.Add($"minimum credit {minimum.ToString("0.##", Invariant)}");
        }

        if (claims.FutureBillsOnly)
        {
            parts.Add("against future bills only");
        }

        if (claims.CapPerPeriodPercent is { } percent)
        {
            parts.Add($"cap {Pct(percent)} per billing period");
        }

        if (claims.CapPerPeriodAmount is { } amount)
        {
            parts.Add($"cap {amount.ToString("0.##", Invariant)} per billing period");
        }

        return string.Join(", ", parts);
    }

    private static string Pct(decimal value) => value.ToString("0.####", Invariant) + "%";

    private static string Num(decimal value) => value.ToString("0.####", Invariant);
}
