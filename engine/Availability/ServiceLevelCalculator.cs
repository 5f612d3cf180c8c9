using System.Collections.Immutable;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;
using static SlaPolicy.Engine.Availability.CreditCalculator;

namespace SlaPolicy.Engine.Availability;

/// <summary>
/// Computes availability, performance objectives, attainment and credits for a month. Pure functions of their
/// inputs and <c>asOf</c>; thread-safe. Service, region, kind and metric names are compared ordinally ignoring case.
/// </summary>
public static class ServiceLevelCalculator
{
    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    /// <summary>Computes every figure of <paramref name="month"/> as of <paramref name="asOf"/>; only <paramref name="customer"/>'s when given.</summary>
    public static ServiceLevelReport Compute(ServiceLevelInputs inputs, ReportingMonth month, DateTimeOffset asOf, string? customer = null)
    {
        var warnings = new List<string>();
        var subscriptions = inputs.Subscriptions.Where(s => customer is null || Names.Equals(s.Customer, customer)).ToList();
        var governed = new List<(SubscriptionRecord Subscription, Policy Policy)>();
        foreach (var s in subscriptions)
        {
            var policy = inputs.ResolvePolicy(s, month.FirstDay);
            if (policy is null)
            {
                warnings.Add($"no policy covers the subscription of `{s.Customer}` to `{s.Service}` in `{s.Region}` on {month.FirstDay:yyyy-MM-dd}");
                continue;
            }

            governed.Add((s, policy));
        }

        var calendars = new Dictionary<string, Calendars.BusinessCalendar?>(StringComparer.Ordinal);
        Calendars.BusinessCalendar? calendarOf(string id)
        {
            if (!calendars.TryGetValue(id, out var calendar))
            {
                calendar = inputs.Calendars.TryGetValue(id, out var definition) ? Calendars.BusinessCalendar.Create(definition) : null;
                calendars[id] = calendar;
            }

            return calendar;
        }

        // Each subscription on its own: one whose figures cannot be computed (an absurd fee, an overflow) is named in
        // the errors and left out, and every other subscription is computed as usual.
        var failures = new List<string>();
        var availabilityBuilder = ImmutableArray.CreateBuilder<AvailabilityResult>();
        var performanceBuilder = ImmutableArray.CreateBuilder<PerformanceResult>();
        foreach (var g in governed)
        {
            try
            {
                var a = g.Policy.AvailabilityTerms.Select(t => Availability(g.Subscription, g.Policy, t, inputs.Outages, inputs.Measurements, month, asOf, calendarOf))
                    .OfType<AvailabilityResult>().ToList();
                var p = Performance(g.Subscription, g.Policy, inputs.Measurements, month, asOf).ToList();
                CheckAmounts(p.Select(r => r.CreditAmount).Concat(a.Select(r => r.CreditAmount)));
                availabilityBuilder.AddRange(a);
                if (g.Subscription.Resource is null && g.Policy.AvailabilityTerms.Any(t => t.Scope == AvailabilityScope.Resource && NamePatterns.Matches(t.Services, g.Subscription.Service)))
                {
                    warnings.Add($"the subscription of `{g.Subscription.Customer}` to `{g.Subscription.Service}` in `{g.Subscription.Region}` names no resource: its per-resource availability is judged on the service as a whole");
                }

                performanceBuilder.AddRange(p);
            }
            catch (Exception ex) when (ex is ArithmeticException or ArgumentException or InvalidOperationException)
            {
                failures.Add($"the subscription of `{g.Subscription.Customer}` to `{g.Subscription.Service}` in `{g.Subscription.Region}` was left out: {ex.Message}");
            }
        }

        var availability = availabilityBuilder.ToImmutable();
        var performance = performanceBuilder.ToImmutable();
        foreach (var p in performance.Where(p => p.SampleCount == 0))
        {
            warnings.Add($"no `{p.Metric}` samples for `{p.Service}` in `{p.Region}` in {p.Period}: objective `{p.Objective}` of `{p.Customer}` not judged");
        }

        var decisions = inputs.Decisions.Where(d => customer is null || (d.Customer is not null && Names.Equals(d.Customer, customer))).ToList();
        var attainment = Attainment(decisions, inputs.Policies, inputs.Cases, governed, month, asOf, warnings, failures);
        foreach (var r in availability.Select(a => a.Credit).Concat(performance.Select(p => p.Credit).OfType<CreditAssessment>()).Concat(attainment.Select(a => a.Credit)))
        {
            if (r.CreditPercent > 0 && r.Fee.Source == FeeSource.None)
            {
                warnings.Add($"credit of {Num(r.CreditPercent)}% for `{r.Objective}` has no monthly fee to apply to");
            }
        }

        var totals = CustomerTotals(availability, performance, attainment, governed, month, inputs.Policies, failures, inputs.CreditHistory);
        var margins = MoneyAtStake.Margins(attainment, inputs.Policies);
        var weeks = BreachesPerWeek(decisions, month, asOf);
        var errors = decisions.Count(d => d.Status is DecisionStatus.Error or DecisionStatus.NoPolicy);
        if (errors > 0)
        {
            warnings.Add($"{errors} case decision(s) are `error` or `no policy`: attainment cannot account for them");
        }

        return new ServiceLevelReport(
            month.ToString(), asOf, customer, availability, performance, attainment, totals, weeks, errors, [.. warnings.Distinct()])
        {
            Compliance = Compliance(decisions, subscriptions, month, asOf),
            Errors = [.. failures.Distinct()],
            AtStake = margins,
            OpenAtStake = MoneyAtStake.OpenCases(decisions, margins),
            Claims = ClaimSettlement.FromTotals(totals, month),
        };
    }

    /// <summary>Throws when an amount is beyond <see cref="CreditCalculator.MaxAmount"/>, which no store could keep in whole cents.</summary>
    private static void CheckAmounts(IEnumerable<decimal> amounts)
    {
        foreach (var amount in amounts)
        {
            if (Math.Abs(amount) > MaxAmount)
            {
                throw new OverflowException($"a credit of {amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} is beyond the largest amount computed, {MaxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }
    }

    /// <summary>
    /// Targets met and breached per customer and severity (see <see cref="ComplianceResult"/>): a decision counts as met or
    /// breached when its clock stopped in the month and not after asOf; a breached decision still running at asOf
    /// counts as overdue when its due time is before the month's end. Every customer with a subscription appears, with a
    /// row of zeros and no severity when none of its decisions counts, so that no customer drops out of the report.
    /// </summary>
    public static ImmutableArray<ComplianceResult> Compliance(
        IEnumerable<Decision> decisions, IReadOnlyList<SubscriptionRecord> subscriptions, ReportingMonth month, DateTimeOffset asOf)
    {
        // A hash table rather than a sorted one: a month of a million decisions costs two look-ups each; the rows are
        // put in order once at the end.
        var counts = new Dictionary<(string Customer, int Severity), (int Met, int Breached, int Overdue)>(OrdinalCustomerSeverity.Instance);
        foreach (var (d, n) in Runs(decisions))
        {
            if (d.Customer is null || d.Severity is not { } severity || d.Status is not (DecisionStatus.Met or DecisionStatus.Breached))
            {
                continue;
            }

            var stopped = d.StoppedAt is { } s && s <= asOf ? s : (DateTimeOffset?)null;
            var key = (d.Customer, severity);
            if (stopped is { } at && month.Contains(at))
            {
                ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
                c = d.Status == DecisionStatus.Met ? c with { Met = c.Met + n } : c with { Breached = c.Breached + n };
            }
            else if (stopped is null && d.Status == DecisionStatus.Breached && d.DueAt is { } due && due < month.End && due <= asOf)
            {
                ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
                c = c with { Overdue = c.Overdue + n };
            }
        }

        var subscriptionCount = subscriptions.GroupBy(s => s.Customer, Names).ToDictionary(g => g.Key, g => g.Count(), Names);
        var rows = counts.Select(kv => new ComplianceResult(
            kv.Key.Customer, kv.Key.Severity, kv.Value.Met, kv.Value.Breached, kv.Value.Overdue, subscriptionCount.GetValueOrDefault(kv.Key.Customer))).ToList();
        var seen = rows.Select(r => r.Customer).ToHashSet(Names);
        rows.AddRange(subscriptionCount.Keys.Where(c => !seen.Contains(c)).Select(c => new ComplianceResult(c, null, 0, 0, 0, subscriptionCount[c])));
        return [.. rows.OrderBy(r => r.Customer, StringComparer.Ordinal).ThenBy(r => r.Severity ?? 0)];
    }

    /// <summary>Customer names compared ordinally, with the severity: the keys of <see cref="Compliance"/>'s counts.</summary>
    private sealed class OrdinalCustomerSeverity : IEqualityComparer<(string Customer, int Severity)>
    {
        public static readonly OrdinalCustomerSeverity Instance = new();

        public bool Equals((string Customer, int Severity) x, (string Customer, int Severity) y) =>
            x.Severity == y.Severity && string.Equals(x.Customer, y.Customer, StringComparison.Ordinal);

        public int GetHashCode((string Customer, int Severity) obj) => HashCode.Combine(StringComparer.Ordinal.GetHashCode(obj.Customer), obj.Severity);
    }

    /// <summary>
    /// Availability of one subscription in a month, or null when its policy has no availability term for the
    /// subscription's service, or the month has not begun at <paramref name="asOf"/>. Downtime from outages only; see the
    /// overload with measurements for terms that read downtime or request counts from measurements.
    /// </summary>
    public static AvailabilityResult? Availability(
        SubscriptionRecord subscription, Policy policy, IEnumerable<OutageRecord> outages, ReportingMonth month, DateTimeOffset asOf)
        => Availability(subscription, policy, outages, [], month, asOf);

    /// <summary>
    /// Availability of one subscription in a month under the policy's availability term, or null when it has none for the
    /// subscription's service, or the month has not begun at <paramref name="asOf"/>.
    /// </summary>
    public static AvailabilityResult? Availability(
        SubscriptionRecord subscription, Policy policy, IEnumerable<OutageRecord> outages, IReadOnlyList<MeasurementRecord> measurements,
        ReportingMonth month, DateTimeOffset asOf)
        => policy.Availability is { } term ? Availability(subscription, policy, term, outages, measurements, month, asOf) : null;

    /// <summary>
    /// Availability of one subscription in a month under one availability term of its policy, or null when the term does not
    /// apply to the subscription's service, or the month has not begun at <paramref name="asOf"/>. Downtime is the union of
    /// the outages counted (or, with <see cref="AvailabilityTerm.DowntimeFrom"/>, of the intervals the measurements put
    /// down), less the spells shorter than <see cref="AvailabilityTerm.MinimumDowntime"/>; the percentage is a share of the
    /// window's time, or of the requests counted (<see cref="AvailabilityMeasure.Requests"/>).
    /// </summary>
    /// <remarks><paramref name="calendarOf"/> gives the business calendar of an id, for a term measured over business hours.</remarks>
    public static AvailabilityResult? Availability(
        SubscriptionRecord subscription, Policy policy, AvailabilityTerm term, IEnumerable<OutageRecord> outages, IReadOnlyList<MeasurementRecord> measurements,
        ReportingMonth month, DateTimeOffset asOf, Func<string, Calendars.BusinessCalendar?>? calendarOf = null)
    {
        if (!NamePatterns.Matches(term.Services, subscription.Service) || month.WindowAsOf(asOf) is not { } window)
        {
            return null;
        }

        var steps = new List<ExplanationStep>();
        if (term.Window == "calendarQuarter")
        {
            // A quarterly term is judged once, in the quarter's last month, over the quarter (to asOf while it runs).
            if (month.Month % 3 != 0)
            {
                return null;
            }

            window = (new DateTimeOffset(month.Year, month.Month - 2, 1, 0, 0, 0, TimeSpan.Zero), window.End);
            steps.Add(new ExplanationStep(
                "window", $"measured over the calendar quarter, {window.Start:yyyy-MM-dd} to {window.End.AddTicks(-1):yyyy-MM-dd}; credited on the month's fee", term.WindowLocation));
        }

        // "scope": "resource": a subscription naming a resource is judged on that resource, and on what names no resource
        // (an outage of the whole service in the region takes every resource down).
        var resource = term.Scope == AvailabilityScope.Resource ? subscription.Resource : null;
        if (resource is not null)
        {
            steps.Add(new ExplanationStep("scope", $"judged on {resource} alone: its own outages and measurements, and those naming no resource", term.ScopeLocation));
        }

        var fee = FeeOf(subscription, policy, month);
        if (term.Weekly)
        {
            return Weekly(subscription, policy, term, outages, measurements, month, asOf, calendarOf, resource, fee, steps);
        }

        if (Judge(subscription, policy, term, outages, measurements, window, calendarOf, resource, fee, month, term.CreditCapPercent, steps) is not { } j)
        {
            return null;
        }

        return new AvailabilityResult(
            subscription.Customer, subscription.Service, subscription.Region, month.ToString(), j.Percent, term.ObjectivePercent, j.Met,
            j.Credit.CreditPercent, j.Credit.CreditAmount, fee.Currency, subscription.Tier, policy.Id, policy.Version,
            window.Start, window.End, j.Down, [.. j.Merged], j.Credit, [.. j.Counted])
        {
            ObjectiveId = term.Id,
            Resource = resource,
            Requests = j.Requests,
            FailedRequests = j.FailedRequests,
            MeanErrorRate = j.MeanErrorRate,
            WeightedDowntime = j.WeightedDowntime,
            DownIntervals = j.DownIntervals,
            LongOutages = term.MaxOutage is null ? null : j.LongOutages.Count,
            MeasuredWindow = j.Measured,
        };
    }

    /// <summary>What one window of a term measured: the figures and the credit, with the explanation.</summary>
    private sealed record Judged(
        decimal Percent,
        TimeSpan Down,
        List<TimeInterval> Merged,
        TimeSpan Measured,
        List<OutageRecord> Counted,
        int? DownIntervals,
        decimal? Requests,
        decimal? FailedRequests,
        List<TimeInterval> LongOutages,
        bool Met,
        CreditAssessment Credit)
    {
        /// <summary>The mean error rate of the window's intervals, in percent (<c>"measure": "meanErrorRate"</c>); null otherwise.</summary>
        public decimal? MeanErrorRate { get; init; }

        /// <summary>The downtime weighted by users affected (<c>"downtime": { "weight": "affected" }</c>); null otherwise.</summary>
        public TimeSpan? WeightedDowntime { get; init; }
    }

    /// <summary>
    /// Judges one window of a term: its downtime, the time measured, the percentage and the credit (capped at
    /// <paramref name="capPercent"/>), the explanation starting with <paramref name="steps"/> after its objective.
    /// </summary>
    private static Judged? Judge(
        SubscriptionRecord subscription, Policy policy, AvailabilityTerm term, IEnumerable<OutageRecord> outages, IReadOnlyList<MeasurementRecord> measurements,
        (DateTimeOffset Start, DateTimeOffset End) window, Func<string, Calendars.BusinessCalendar?>? calendarOf, string? resource, Fee fee, ReportingMonth month,
        decimal? capPercent, List<ExplanationStep> steps)
    {
        var counted = new List<OutageRecord>();
        List<TimeInterval> spells;
        int? downIntervals = null;
        bool Ours(string? named) => resource is null || named is null || Names.Equals(named, resource);

        var samples = measurements.Where(m => Names.Equals(m.Service, subscription.Service) && Names.Equals(m.Region, subscription.Region) && Ours(m.Resource)).ToList();
        var redundancy = term.DownWhen;
        if (term.DowntimeFrom is { } rule)
        {
            var (downByMetric, sampled) = MetricDowntimes.DownIntervals(rule, samples, window.Start, window.End);
            if (redundancy is not null)
            {
                // Each resource's intervals on its own samples; samples naming no resource put every resource down.
                var perResource = samples.Where(m => m.Resource is not null && Counts(redundancy, m.Resource)).GroupBy(m => m.Resource!, Names)
                    .Select(g => MetricDowntimes.DownIntervals(rule, g, window.Start, window.End).Down).ToList();
                var whole = MetricDowntimes.DownIntervals(rule, samples.Where(m => m.Resource is null), window.Start, window.End).Down;
                downByMetric = [.. Downtime.Union(Downtime.AtLeastAtOnce(perResource, redundancy.Needed).Concat(whole), window.Start, window.End)];
                steps.Add(RedundancyStep(redundancy, Downtime.Total(Downtime.Union(downByMetric, window.Start, window.End))));
            }

            downIntervals = downByMetric.Count;
            spells = [.. Downtime.Union(downByMetric, window.Start, window.End)];
            var intervals = ((window.End - window.Start).Ticks + rule.Interval.Ticks - 1) / rule.Interval.Ticks;
            var volume = rule.MinRequests > 0 ? $" with at least {MetricDowntimes.Count(rule.MinRequests)} requests" : string.Empty;
            steps.Add(new ExplanationStep(
                "downtime",
                $"a {MetricDowntimes.Adjective(rule.Interval)} interval is down when its {rule.Metric} is above {Num(rule.Above)}{volume}: {downByMetric.Count} of {intervals} intervals down ({sampled} measured)",
                rule.Location));
        }
        else
        {
            counted = [.. outages.Where(o => Names.Equals(o.Service, subscription.Service) && Names.Equals(o.Region, subscription.Region)
                                             && !term.Exclude.Contains(o.Kind, Names) && !FromWindow(term, o.Kind) && Ours(o.Resource))];

            // Spells are measured whole (a spell across the month's start is as long as it lasted) before they are clipped.
            if (redundancy is not null)
            {
                counted = [.. counted.Where(o => o.Resource is null || Counts(redundancy, o.Resource))];
                var perResource = counted.Where(o => o.Resource is not null).GroupBy(o => o.Resource!, Names)
                    .Select(g => g.Select(o => new TimeInterval(o.Start, o.End)));
                var whole = counted.Where(o => o.Resource is null).Select(o => new TimeInterval(o.Start, o.End));
                spells = [.. Downtime.Union(Downtime.AtLeastAtOnce(perResource, redundancy.Needed).Concat(whole), DateTimeOffset.MinValue, DateTimeOffset.MaxValue)];
                steps.Add(RedundancyStep(redundancy, Downtime.Total(Downtime.Union(spells, window.Start, window.End))));
            }
            else
            {
                spells = [.. Downtime.Union(counted.Select(o => new TimeInterval(o.Start, o.End)), DateTimeOffset.MinValue, DateTimeOffset.MaxValue)];
            }
        }

        if (term.MinimumDowntime is { } minimum)
        {
            spells = MetricDowntimes.AtLeast(spells, minimum, out var dropped);
            var droppedInWindow = Downtime.Union(dropped, window.Start, window.End);
            steps.Add(new ExplanationStep(
                "minimum downtime",
                droppedInWindow.Count == 0
                    ? $"only spells of at least {MetricDowntimes.Words(minimum)} count: none was shorter"
                    : $"only spells of at least {MetricDowntimes.Words(minimum)} count: {droppedInWindow.Count} shorter spell(s), {Minutes(Downtime.Total(droppedInWindow))} minutes, left out",
                term.MinimumDowntimeLocation));
        }

        var merged = Downtime.Union(spells, window.Start, window.End);

        // The denominator: the window, or its business hours, less the time taken out of it; downtime only inside it.
        IReadOnlyList<TimeInterval> measured = [new TimeInterval(window.Start, window.End)];
        if (term.BusinessHoursOnly)
        {
            var calendar = (policy.Calendar is { } id ? calendarOf?.Invoke(id) : null)
                ?? throw new InvalidOperationException($"availability of `{policy.Id}` is measured over business hours, and its calendar `{policy.Calendar}` is not known");
            measured = [.. calendar.OpenIntervals(window.Start, window.End).Select(i => new TimeInterval(i.Start, i.End))];
            merged = Downtime.Intersect(merged, measured);
            steps.Add(new ExplanationStep(
                "hours", $"measured over the business hours of {calendar.Id} only: {Minutes(Downtime.Total(measured))} minutes of the window", term.HoursLocation));
        }

        if (term.Denominator == AvailabilityDenominator.Deployed)
        {
            // The minutes deployed: [subscribedFrom, subscribedUntil) within the window; downtime only inside them. An
            // instance not deployed at all in the window has no figure.
            var from = subscription.SubscribedFrom is { } f && f > window.Start ? f.ToUniversalTime() : window.Start;
            var until = subscription.SubscribedUntil is { } u && u < window.End ? u.ToUniversalTime() : window.End;
            if (until <= from)
            {
                return null;
            }

            var before = Downtime.Total(measured);
            measured = Downtime.Intersect(measured, [new TimeInterval(from, until)]);
            merged = Downtime.Intersect(merged, [new TimeInterval(from, until)]);
            steps.Add(new ExplanationStep("window", DeployedText(from, until, window, Downtime.Total(measured), before), term.DenominatorLocation));
        }

        if (!term.ExcludeFromWindow.IsDefaultOrEmpty)
        {
            var taken = Downtime.Union(
                outages.Where(o => Names.Equals(o.Service, subscription.Service) && Names.Equals(o.Region, subscription.Region) && FromWindow(term, o.Kind) && Ours(o.Resource))
                    .Select(o => new TimeInterval(o.Start, o.End)),
                window.Start,
                window.End);
            var takenOut = Downtime.Intersect(taken, measured);
            measured = Downtime.Minus(measured, takenOut);
            merged = Downtime.Minus(merged, takenOut);
            steps.Add(new ExplanationStep(
                "window",
                $"{string.Join(", ", term.ExcludeFromWindow)} taken out of the window: {Minutes(Downtime.Total(takenOut))} minutes, leaving {Minutes(Downtime.Total(measured))}",
                term.ExcludeFromWindowLocation));
        }

        var down = Downtime.Total(merged);

        // Weighted by users affected: each instant down counts the largest share of the outages counted at that instant.
        TimeSpan? weighted = null;
        decimal downTicks = down.Ticks;
        if (term.WeightByAffected && term.DowntimeFrom is null)
        {
            var ticks = Downtime.WeightedTicks(merged, counted.Select(o => (new TimeInterval(o.Start, o.End), o.Affected ?? 100m)));
            downTicks = ticks;
            weighted = TimeSpan.FromTicks((long)Math.Round(ticks, MidpointRounding.AwayFromZero));
            steps.Add(new ExplanationStep(
                "weight",
                $"each minute down counts the share of users affected (the largest share at each instant; an outage giving none counts in full): {Minutes(down)} minutes down count {Num(Math.Round(ticks / TimeSpan.TicksPerMinute, 3, MidpointRounding.AwayFromZero))}",
                term.WeightLocation));
        }

        var measuredSpan = Downtime.Total(measured);
        var windowTicks = measuredSpan.Ticks;
        decimal percent;
        string measuredText;
        decimal? requests = null, failedRequests = null, meanErrorRate = null;
        if (term.Measure == AvailabilityMeasure.Requests && term.DowntimeFrom is { } counts)
        {
            var (total, failed, countedSamples) = MetricDowntimes.RequestCounts(counts.Metric, samples, window.Start, window.End);
            (requests, failedRequests) = (total, failed);
            percent = total == 0 ? 100m : (total - failed) * 100m / total;
            measuredText = $"{percent:0.###}% of {MetricDowntimes.Count(total)} requests successful ({MetricDowntimes.Count(failed)} failed)";
            steps.Add(new ExplanationStep(
                "measure",
                total == 0
                    ? $"availability is the share of requests that succeeded; no {counts.Metric} sample counts requests in the window: 100%"
                    : $"availability is the share of requests that succeeded: {MetricDowntimes.Count(total - failed)} of {MetricDowntimes.Count(total)} over {countedSamples} {counts.Metric} samples",
                term.MeasureLocation));
        }
        else if (term.Measure == AvailabilityMeasure.MeanErrorRate && term.DowntimeFrom is { } rates)
        {
            var (mean, withErrors) = MetricDowntimes.MeanErrorRate(rates, samples, measured, window.Start, window.End);
            percent = 100m - mean;
            meanErrorRate = mean;
            var intervals = (long)Math.Ceiling((decimal)measuredSpan.Ticks / rates.Interval.Ticks);
            measuredText = $"{percent:0.###}% (a mean {rates.Metric} of {mean:0.####}% over {Minutes(measuredSpan)} minutes)";
            steps.Add(new ExplanationStep(
                "measure",
                $"availability is 100% minus the mean {rates.Metric} of the window's {MetricDowntimes.Adjective(rates.Interval)} intervals "
                + $"(about {MetricDowntimes.Count(intervals)}; one without samples{(rates.MinRequests > 0 ? $" or under {MetricDowntimes.Count(rates.MinRequests)} requests" : string.Empty)} counts 0%): "
                + $"{withErrors} interval(s) with errors, mean {mean:0.####}%",
                term.MeasureLocation));
        }
        else
        {
            var counting = weighted ?? down;
            percent = windowTicks == 0 ? 100m : (windowTicks - downTicks) * 100m / windowTicks;
            measuredText = weighted is null
                ? $"{percent:0.###}% over {Minutes(measuredSpan)} minutes with {Minutes(down)} minutes down"
                : $"{percent:0.###}% over {Minutes(measuredSpan)} minutes with {Minutes(counting)} weighted minutes down";
        }

        // A single outage longer than the rule's bound is a violation of its own, whatever the percentage.
        var longOutages = term.MaxOutage is { } max ? merged.Where(i => i.Duration > max.LongerThan).ToList() : [];
        var met = percent >= term.ObjectivePercent && longOutages.Count == 0;
        var tier = ChooseTier(term.Credits.Select(ChosenTier.Of), percent, below: true);
        var objective = term.Id is null ? $"availability at least {Num(term.ObjectivePercent)}%" : $"{term.Id}: availability at least {Num(term.ObjectivePercent)}%";
        // Credit formulas other than a percent of the fee (days of fee, per hour down, proportional): see CreditCalculator.AssessFormula.
        var credit = tier is { Formula: not CreditFormula.Percent }
            ? AssessFormula(
                objective, percent, measuredText, tier, capPercent, term.Location, fee, weighted ?? down,
                measuredSpan, DateTime.DaysInMonth(month.Year, month.Month))
            : Assess(objective, percent, measuredText, tier, "below", capPercent, term.Location, fee);
        if (steps.Count > 0)
        {
            credit = credit with { Explanation = credit.Explanation.InsertRange(1, steps) };
        }

        if (term.MaxOutage is { } rule2)
        {
            credit = SingleOutages(credit, rule2, longOutages, capPercent, fee);
        }

        var inWindow = counted.Where(o => o.End > window.Start && o.Start < window.End && o.End > o.Start).OrderBy(o => o.Start).ToList();
        return new Judged(percent, down, [.. merged], measuredSpan, inWindow, downIntervals, requests, failedRequests, longOutages, met, credit) { MeanErrorRate = meanErrorRate, WeightedDowntime = weighted };
    }


    /// <summary>
    /// A weekly term (<c>"window": "calendarWeek"</c>): each week from Monday 00:00 to the next Monday 00:00 in the term's
    /// zone (else the policy calendar's, else UTC) that ends in the month (its Sunday lies in the month) is judged on its
    /// own, to asOf while it runs. Each week's tier credit is a share of the month's fee; the month's credit is their sum,
    /// bounded by the term's <c>creditCap</c>. The result's percentage is the worst week's; it is met when every week is.
    /// </summary>
    private static AvailabilityResult? Weekly(
        SubscriptionRecord subscription, Policy policy, AvailabilityTerm term, IEnumerable<OutageRecord> outages, IReadOnlyList<MeasurementRecord> measurements,
        ReportingMonth month, DateTimeOffset asOf, Func<string, Calendars.BusinessCalendar?>? calendarOf, string? resource, Fee fee, List<ExplanationStep> steps)
    {
        var zoneId = term.WeekZone ?? (policy.Calendar is { } id ? calendarOf?.Invoke(id)?.TimeZone : null) ?? "UTC";
        var zone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? NodaTime.DateTimeZone.Utc;
        DateTimeOffset StartOf(DateOnly day) => zone.AtStartOfDay(new NodaTime.LocalDate(day.Year, day.Month, day.Day)).ToDateTimeOffset().ToUniversalTime();
        var outageList = outages as IReadOnlyList<OutageRecord> ?? [.. outages];
        var weeks = new List<(WeekFigure Figure, Judged Judged)>();
        var firstSunday = new DateOnly(month.Year, month.Month, 1);
        firstSunday = firstSunday.AddDays((7 - (int)firstSunday.DayOfWeek) % 7);
        for (var sunday = firstSunday; sunday.Month == month.Month; sunday = sunday.AddDays(7))
        {
            var (start, end) = (StartOf(sunday.AddDays(-6)), StartOf(sunday.AddDays(1)));
            if (asOf <= start)
            {
                break;
            }

            var window = (start, asOf < end ? asOf.ToUniversalTime() : end);
            if (Judge(subscription, policy, term, outageList, measurements, window, calendarOf, resource, fee, month, null, []) is not { } j)
            {
                continue; // not deployed in this week (`"denominator": "deployed"`)
            }

            weeks.Add((new WeekFigure(sunday.AddDays(-6), sunday, window.Item1, window.Item2, j.Percent, j.Measured, j.Down, j.Met, j.Credit.CreditPercent, j.Credit.CreditAmount), j));
        }

        if (weeks.Count == 0)
        {
            return null;
        }

        var figures = weeks.Select(w => w.Figure).ToImmutableArray();
        var worst = weeks.OrderBy(w => w.Figure.AvailabilityPercent).ThenBy(w => w.Figure.Start).First();
        var missed = figures.Count(w => !w.Met);
        var name = term.Id is null ? "availability" : $"{term.Id}: availability";
        var objective = $"{name} at least {Num(term.ObjectivePercent)}% in every calendar week";
        var explanation = ImmutableArray.CreateBuilder<ExplanationStep>();
        explanation.Add(new ExplanationStep(
            "objective",
            $"{objective}; measured {figures.Length} week(s), {missed} below the objective, the worst {worst.Figure.AvailabilityPercent:0.###}% ({worst.Figure.FirstDay:yyyy-MM-dd} to {worst.Figure.LastDay:yyyy-MM-dd})"));
        explanation.AddRange(steps);
        explanation.Add(new ExplanationStep(
            "window",
            $"judged week by week, Monday to Sunday in {zone.Id}: the {figures.Length} week(s) ending in {month} ({figures[0].FirstDay:yyyy-MM-dd} to {figures[^1].LastDay:yyyy-MM-dd}); each week's credit is a share of the month's fee",
            term.WindowLocation));
        if (term.BusinessHoursOnly)
        {
            explanation.Add(new ExplanationStep("hours", $"each week measured over the business hours of {policy.Calendar} only", term.HoursLocation));
        }

        foreach (var (w, j) in weeks)
        {
            var verdict = w.Met
                ? "met"
                : j.Credit.Tier is { } t
                    ? $"{(j.LongOutages.Count > 0 ? $"{j.LongOutages.Count} outage(s) longer than {MetricDowntimes.Words(term.MaxOutage!.LongerThan)}, " : string.Empty)}{t.Label("below")} → {Money(w.CreditAmount, fee.Currency)}"
                    : j.LongOutages.Count > 0 ? $"{j.LongOutages.Count} outage(s) longer than {MetricDowntimes.Words(term.MaxOutage!.LongerThan)} → {Money(w.CreditAmount, fee.Currency)}" : "missed, no credit tier applies";
            explanation.Add(new ExplanationStep(
                "week",
                $"week {w.FirstDay:yyyy-MM-dd} to {w.LastDay:yyyy-MM-dd}{(w.End < StartOf(w.LastDay.AddDays(1)) ? $" (to {w.End:yyyy-MM-dd HH:mm}Z)" : string.Empty)}: {w.AvailabilityPercent:0.###}% over {Minutes(w.Measured)} minutes with {Minutes(w.Downtime)} minutes down, {verdict}",
                term.WindowLocation));
        }

        var percent = figures.Sum(w => w.CreditPercent);
        var amount = figures.Sum(w => w.CreditAmount);
        var sum = amount;
        var capped = false;
        if (term.CreditCapPercent is { } cap && percent > cap)
        {
            percent = cap;
            capped = true;
            amount = fee.Amount is { } f ? ToCents(f * cap / 100m) : 0m;
            explanation.Add(new ExplanationStep("cap", $"the weeks' credits capped at {Num(cap)}% of the month's fee by creditCap", term.Location));
        }

        if (percent > 0)
        {
            explanation.Add(new ExplanationStep(
                "fee",
                fee.Amount is { } feeAmount
                    ? $"{string.Join(" + ", figures.Where(w => w.CreditAmount > 0).Select(w => Money(w.CreditAmount, fee.Currency)))} = {Money(sum, fee.Currency)} of {Money(feeAmount, fee.Currency)} (the month's fee){(capped ? $", capped to {Money(amount, fee.Currency)}" : string.Empty)}"
                    : "no monthly fee in the subscription or the policy: amount not computable"));
        }

        var credit = new CreditAssessment(
            objective, worst.Figure.AvailabilityPercent, worst.Judged.Credit.Tier, figures.Sum(w => w.CreditPercent), term.CreditCapPercent, capped, percent, fee, amount, explanation.ToImmutable());
        var all = weeks.SelectMany(w => w.Judged.Counted).Distinct().OrderBy(o => o.Start).ToList();
        return new AvailabilityResult(
            subscription.Customer, subscription.Service, subscription.Region, month.ToString(), worst.Figure.AvailabilityPercent, term.ObjectivePercent, missed == 0,
            percent, amount, fee.Currency, subscription.Tier, policy.Id, policy.Version,
            figures[0].Start, figures[^1].End, TimeSpan.FromTicks(figures.Sum(w => w.Downtime.Ticks)), [.. weeks.SelectMany(w => w.Judged.Merged)], credit, [.. all])
        {
            ObjectiveId = term.Id,
            Resource = resource,
            Requests = weeks.Any(w => w.Judged.Requests is not null) ? weeks.Sum(w => w.Judged.Requests ?? 0m) : null,
            FailedRequests = weeks.Any(w => w.Judged.FailedRequests is not null) ? weeks.Sum(w => w.Judged.FailedRequests ?? 0m) : null,
            DownIntervals = weeks.Any(w => w.Judged.DownIntervals is not null) ? weeks.Sum(w => w.Judged.DownIntervals ?? 0) : null,
            LongOutages = term.MaxOutage is null ? null : weeks.Sum(w => w.Judged.LongOutages.Count),
            MeasuredWindow = TimeSpan.FromTicks(figures.Sum(w => w.Measured.Ticks)),
            WeightedDowntime = weeks.Any(w => w.Judged.WeightedDowntime is not null) ? TimeSpan.FromTicks(weeks.Sum(w => (w.Judged.WeightedDowntime ?? w.Judged.Down).Ticks)) : null,
            Weeks = figures,
        };
    }

    /// <summary>The explanation of a window measured over the minutes deployed.</summary>
    private static string DeployedText(DateTimeOffset from, DateTimeOffset until, (DateTimeOffset Start, DateTimeOffset End) window, TimeSpan deployed, TimeSpan of)
    {
        var dates = (from > window.Start, until < window.End) switch
        {
            (true, true) => $"from {from:yyyy-MM-dd HH:mm} until {until:yyyy-MM-dd HH:mm} UTC",
            (true, false) => $"from {from:yyyy-MM-dd HH:mm} UTC",
            (false, true) => $"until {until:yyyy-MM-dd HH:mm} UTC",
            _ => "throughout the window",
        };
        return $"measured over the minutes deployed, {dates}: {Minutes(deployed)} of {Minutes(of)} minutes";
    }

    /// <summary>True when outages of <paramref name="kind"/> are taken out of the term's window.</summary>
    private static bool FromWindow(AvailabilityTerm term, string kind) => !term.ExcludeFromWindow.IsDefaultOrEmpty && term.ExcludeFromWindow.Contains(kind, Names);

    /// <summary>
    /// Adds the credit of each outage longer than the rule's bound to the tier's: the rule's percent of the fee per outage,
    /// or its amount per hour of each such outage, pro rata to the tick; the term's cap (a share of the fee) bounds the sum.
    /// </summary>
    private static CreditAssessment SingleOutages(CreditAssessment credit, MaxOutageRule rule, List<TimeInterval> longOutages, decimal? capPercent, Fee fee)
    {
        var bound = MetricDowntimes.Words(rule.LongerThan);
        if (longOutages.Count == 0)
        {
            return credit with { Explanation = credit.Explanation.Add(new ExplanationStep("single outage", $"no outage lasted longer than {bound}", rule.Location)) };
        }

        var longest = longOutages.Max(i => i.Duration);
        decimal extra;
        string how;
        if (rule.PerHourDown is { } rate)
        {
            var ticks = longOutages.Sum(i => i.Duration.Ticks);
            extra = ToCents(rate * ticks / TimeSpan.TicksPerHour);
            how = $"{Num((decimal)ticks / TimeSpan.TicksPerHour)} hours of them × {Money(rate, fee.Currency)}";
        }
        else if (fee.Amount is { } amount)
        {
            extra = ToCents(amount * rule.CreditPercent!.Value / 100m * longOutages.Count);
            how = $"{longOutages.Count} × {Num(rule.CreditPercent!.Value)}% of {Money(amount, fee.Currency)}";
        }
        else
        {
            return credit with
            {
                Explanation = credit.Explanation.Add(new ExplanationStep(
                    "single outage", $"{longOutages.Count} outage(s) longer than {bound}: no monthly fee, amount not computable", rule.Location)),
            };
        }

        var total = credit.CreditAmount + extra;
        var capped = false;
        if (capPercent is { } cap && fee.Amount is { } f && total > ToCents(f * cap / 100m))
        {
            total = ToCents(f * cap / 100m);
            capped = true;
        }

        var percent = fee.Amount is { } feeAmount && feeAmount > 0 ? Math.Round(total * 100m / feeAmount, 6, MidpointRounding.AwayFromZero) : 0m;
        var text = $"{longOutages.Count} outage(s) longer than {bound} (the longest {Minutes(longest)} minutes): {how} = {Money(extra, fee.Currency)}"
                   + $"; with the tier's {Money(credit.CreditAmount, fee.Currency)}: {Money(credit.CreditAmount + extra, fee.Currency)}"
                   + (capped ? $", capped at {Num(capPercent!.Value)}% by creditCap = {Money(total, fee.Currency)}" : string.Empty);
        var steps = credit.Explanation.Add(new ExplanationStep("single outage", text, rule.Location));
        return credit with { CreditAmount = total, CreditPercent = percent, CapApplied = credit.CapApplied || capped, Explanation = steps };
    }

    /// <summary>True when a redundancy rule counts <paramref name="resource"/>: it lists it, or lists none.</summary>
    private static bool Counts(RedundancyRule rule, string resource) => rule.Resources.IsDefaultOrEmpty || rule.Resources.Contains(resource, Names);

    private static ExplanationStep RedundancyStep(RedundancyRule rule, TimeSpan down)
    {
        var which = rule.Resources.IsDefaultOrEmpty ? "its resources" : string.Join(", ", rule.Resources);
        var when = rule.All ? $"all of {which} are down at once" : $"at least {rule.Needed} of {which} are down at once";
        return new ExplanationStep("redundancy", $"down only while {when} (or the whole service is): {Minutes(down)} minutes", rule.Location);
    }

    /// <summary>The performance objectives of <paramref name="policy"/> that apply to the subscription's service, judged over the month's window.</summary>
    public static IEnumerable<PerformanceResult> Performance(
        SubscriptionRecord subscription, Policy policy, IReadOnlyList<MeasurementRecord> measurements, ReportingMonth month, DateTimeOffset asOf)
    {
        if (month.WindowAsOf(asOf) is not { } window)
        {
            yield break;
        }

        foreach (var term in policy.Performance.Where(t => NamePatterns.Matches(t.Services, subscription.Service)))
        {
            var samples = measurements
                .Where(m => m.At >= window.Start && m.At < window.End && Names.Equals(m.Metric, term.Metric)
                            && Names.Equals(m.Service, subscription.Service) && Names.Equals(m.Region, subscription.Region)
                            && double.IsFinite(m.Value) && Math.Abs(m.Value) < 7.9e27) // beyond decimal's range: no real latency or percentage
                .Select(m => (decimal)m.Value)
                .ToList();
            var fee = FeeOf(subscription, policy, month);
            var word = term.Direction == ObjectiveDirection.AtMost ? "at most" : "at least";
            var objective = $"{term.Id}: {term.Statistic} of {term.Metric} {word} {Num(term.Threshold)}";
            if (samples.Count == 0)
            {
                yield return new PerformanceResult(
                    subscription.Customer, subscription.Service, subscription.Region, month.ToString(), term.Id, term.Metric, term.Statistic.ToString(),
                    term.Direction, term.Threshold, null, 0, null, 0, 0, fee.Currency, policy.Id, policy.Version, null);
                continue;
            }

            var value = SampleStatistics.Compute(term.Statistic, samples);
            var met = term.Direction == ObjectiveDirection.AtMost ? value <= term.Threshold : value >= term.Threshold;
            var below = term.Direction == ObjectiveDirection.AtLeast;
            var tier = ChooseTier(term.Credits.Select(t => new ChosenTier(t.Threshold, t.CreditPercent, t.Location) { Inclusive = t.Inclusive }), value, below);
            var credit = Assess(objective, value, $"{value:0.###} over {samples.Count} samples", tier, below ? "below" : "above", term.CreditCapPercent, term.Location, fee);
            yield return new PerformanceResult(
                subscription.Customer, subscription.Service, subscription.Region, month.ToString(), term.Id, term.Metric, term.Statistic.ToString(),
                term.Direction, term.Threshold, value, samples.Count, met, credit.CreditPercent, credit.CreditAmount, fee.Currency,
                policy.Id, policy.Version, credit);
        }
    }

    /// <summary>
    /// Attainment per customer, policy version and attainment term: among decisions with status met or breached whose
    /// <see cref="Decision.StoppedAt"/> lies in the month (and not after asOf), the share met. A decision counts for every
    /// term of its policy version whose severities include the case's severity.
    /// </summary>
    public static ImmutableArray<AttainmentResult> Attainment(
        IReadOnlyList<Decision> decisions,
        IReadOnlyList<Policy> policies,
        IReadOnlyList<CaseRecord> cases,
        IReadOnlyList<(SubscriptionRecord Subscription, Policy Policy)> governed,
        ReportingMonth month,
        DateTimeOffset asOf,
        List<string> warnings,
        List<string>? errors = null)
    {
        var byVersion = policies.GroupBy(p => (p.Id, p.Version)).ToDictionary(g => g.Key, g => g.First());
        var severityOfCase = cases.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Severity, StringComparer.Ordinal);
        var groups = new Dictionary<(string Customer, string PolicyId, string Version, AttainmentTerm Term), (int Met, int Stopped)>();
        var unplaced = 0;
        foreach (var (d, n) in Runs(decisions))
        {
            if (d.Status is not (DecisionStatus.Met or DecisionStatus.Breached))
            {
                continue;
            }

            if (d.StoppedAt is not { } stopped)
            {
                // A met decision has always stopped; without the instant it cannot be put in a month.
                if (d.Status == DecisionStatus.Met)
                {
                    unplaced += n;
                }

                continue;
            }

            if (!month.Contains(stopped) || stopped > asOf || d.Customer is null || d.Policy is null || d.PolicyVersion is null
                || !byVersion.TryGetValue((d.Policy, d.PolicyVersion), out var policy) || policy.Attainment.IsDefaultOrEmpty)
            {
                continue;
            }

            int? severity = d.Severity ?? (severityOfCase.TryGetValue(d.CaseId, out var s) ? s : null);
            if (severity is null)
            {
                warnings.Add($"decision of case `{d.CaseId}` has no severity: left out of attainment");
                continue;
            }

            foreach (var term in policy.Attainment.Where(t => t.Severities.IsDefaultOrEmpty || t.Severities.Contains(severity.Value)))
            {
                var key = (d.Customer, policy.Id, policy.Version, term);
                groups.TryGetValue(key, out var counts);
                groups[key] = (counts.Met + (d.Status == DecisionStatus.Met ? n : 0), counts.Stopped + n);
            }
        }

        if (unplaced > 0)
        {
            warnings.Add($"{unplaced} met decision(s) carry no stop instant: left out of attainment");
        }

        var results = ImmutableArray.CreateBuilder<AttainmentResult>();
        foreach (var ((customer, policyId, version, term), (met, stopped)) in groups
                     .OrderBy(g => g.Key.Customer, StringComparer.Ordinal).ThenBy(g => g.Key.PolicyId, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Term.Severities.IsDefaultOrEmpty ? 0 : g.Key.Term.Severities.Min()))
        {
            try
            {
                var policy = byVersion[(policyId, version)];
                var percent = met * 100m / stopped;
                var isMet = percent >= term.AtLeastPercent;
                var fee = FeeBase(customer, policy, governed, month: month);
                var tier = isMet ? null : new ChosenTier(term.AtLeastPercent, term.CreditPercent, term.Location);
                var label = term.Severities.IsDefaultOrEmpty ? "all severities" : "severity " + string.Join(", ", term.Severities.Order());
                var credit = Assess(
                    $"{label} within target at least {Num(term.AtLeastPercent)}%", percent, $"{percent:0.###}% ({met} of {stopped} met)", tier, "below", null, term.Location, fee,
                    $"the monthly fees of {customer}'s subscriptions under {policyId} in {(fee.Currency.Length > 0 ? fee.Currency : "any currency")}");
                CheckAmounts([credit.CreditAmount]);
                results.Add(new AttainmentResult(
                    customer, policyId, version, term.Severities, month.ToString(), met, stopped, percent, term.AtLeastPercent, isMet,
                    credit.CreditPercent, credit.CreditAmount, fee.Currency, credit));
            }
            catch (Exception ex) when (errors is not null && ex is ArithmeticException or ArgumentException or InvalidOperationException)
            {
                errors.Add($"the attainment of `{customer}` under `{policyId}` was left out: {ex.Message}");
            }
        }

        return results.ToImmutable();
    }

    /// <summary>
    /// The fee base of a customer under a policy: the sum of the fees of the customer's subscriptions governed by
    /// that policy id (each its own fee, else the policy's default), in <paramref name="currency"/> when given, else in
    /// the policy's currency (else the first subscription's). With no such subscription: the policy's default fee.
    /// </summary>
    /// <remarks>Fees in other currencies are left out, never converted: a cap on USD credits is a share of the USD fees.</remarks>
    public static Fee FeeBase(
        string customer, Policy policy, IReadOnlyList<(SubscriptionRecord Subscription, Policy Policy)> governed, string? currency = null, ReportingMonth? month = null)
    {
        var fees = governed.Where(g => Names.Equals(g.Subscription.Customer, customer) && g.Policy.Id == policy.Id)
            .Select(g => month is { } m ? FeeOf(g.Subscription, g.Policy, m) : FeeOf(g.Subscription, g.Policy)).ToList();
        currency ??= policy.Availability?.Currency ?? fees.Select(f => f.Currency).FirstOrDefault(c => c.Length > 0) ?? string.Empty;
        var inCurrency = fees.Where(f => f.Amount is not null && (f.Currency.Length == 0 || f.Currency == currency)).ToList();
        if (inCurrency.Count > 0)
        {
            var source = inCurrency.All(f => f.Source == FeeSource.Policy) ? FeeSource.Policy : FeeSource.Subscription;
            return new Fee(inCurrency.Sum(f => f.Amount!.Value), currency, source);
        }

        var policyCurrency = policy.Availability?.Currency;
        return policy.Availability?.MonthlyFee is { } fallback && (policyCurrency is null || policyCurrency == currency)
            ? new Fee(fallback, currency, FeeSource.Policy)
            : new Fee(null, currency, FeeSource.None);
    }

    /// <summary>
    /// Sums each customer's credits per policy and currency, and applies the policy's <c>customerCreditCap</c>
    /// (percent of the customer's fee base under the policy, see <see cref="FeeBase"/>). The policy of a line is found
    /// among the subscriptions' policies, then among <paramref name="policyVersions"/>.
    /// </summary>
    public static ImmutableArray<CustomerCreditTotal> CustomerTotals(
        IEnumerable<AvailabilityResult> availability,
        IEnumerable<PerformanceResult> performance,
        IEnumerable<AttainmentResult> attainment,
        IReadOnlyList<(SubscriptionRecord Subscription, Policy Policy)> governed,
        ReportingMonth month,
        IEnumerable<Policy>? policyVersions = null,
        List<string>? errors = null,
        IReadOnlyList<EarlierCredit>? history = null)
    {
        var lines = availability.Select(a => (a.Customer, a.PolicyId, a.PolicyVersion, a.Currency, Kind: 0, Amount: a.CreditAmount))
            .Concat(performance.Select(p => (p.Customer, p.PolicyId, p.PolicyVersion, p.Currency, Kind: 1, Amount: p.CreditAmount)))
            .Concat(attainment.Select(a => (a.Customer, a.PolicyId, a.PolicyVersion, a.Currency, Kind: 2, Amount: a.CreditAmount)))
            .ToList();
        var policies = governed.Select(g => g.Policy).Concat(policyVersions ?? []).GroupBy(p => (p.Id, p.Version)).ToDictionary(g => g.Key, g => g.First());
        var results = ImmutableArray.CreateBuilder<CustomerCreditTotal>();
        foreach (var g in lines.GroupBy(l => (l.Customer, l.PolicyId, l.Currency))
                     .OrderBy(g => g.Key.Customer, StringComparer.Ordinal).ThenBy(g => g.Key.PolicyId, StringComparer.Ordinal))
        {
            try
            {
                var byKind = new decimal[3];
                foreach (var l in g)
                {
                    byKind[l.Kind] += l.Amount;
                }

                var uncapped = byKind.Sum();
                var steps = ImmutableArray.CreateBuilder<ExplanationStep>();
                steps.Add(new ExplanationStep("total", $"credits before the customer cap: {Money(uncapped, g.Key.Currency)}"));
                var version = g.First().PolicyVersion;
                policies.TryGetValue((g.Key.PolicyId, version), out var policy);
                var feeBase = policy is null ? new Fee(null, g.Key.Currency, FeeSource.None) : FeeBase(g.Key.Customer, policy, governed, g.Key.Currency, month);
                decimal? capAmount = null;
                var payable = uncapped;
                if (policy?.CustomerCreditCapPercent is { } cap)
                {
                    capAmount = ToCents((feeBase.Amount ?? 0m) * cap / 100m);
                    if (uncapped > capAmount)
                    {
                        payable = capAmount.Value;
                        steps.Add(new ExplanationStep("cap", $"capped at {Num(cap)}% of {Money(feeBase.Amount ?? 0m, g.Key.Currency)} monthly fees by customerCreditCap = {Money(payable, g.Key.Currency)}", policy.Location));
                    }
                    else
                    {
                        steps.Add(new ExplanationStep("cap", $"under the cap of {Num(cap)}% of {Money(feeBase.Amount ?? 0m, g.Key.Currency)} = {Money(capAmount.Value, g.Key.Currency)}", policy.Location));
                    }
                }

                // A cap over a rolling run of months: what the earlier months of the run credited leaves less for this one.
                decimal? rollingCap = null, earlier = null;
                if (policy?.RollingCreditCap is { } rolling)
                {
                    (payable, rollingCap, earlier) = RollingCap(rolling, g.Key.Customer, g.Key.PolicyId, g.Key.Currency, month, payable, feeBase.Amount ?? 0m, history, steps);
                }

                // Claims and settlement (the agreement's `claims`): cap per billing period, minimum credit, deadline.
                var notIssued = false;
                if (policy?.Claims is { } claimTerms)
                {
                    (payable, notIssued) = ClaimSettlement.Apply(claimTerms, policy.Direction, payable, feeBase.Amount ?? 0m, g.Key.Currency, month, steps);
                }
                else if (policy?.Direction == AgreementDirection.Supplier && payable > 0)
                {
                    steps.Add(new ExplanationStep("deadline", "the supplier owes it: claim it; no claim deadline", policy.Location));
                }

                CheckAmounts([uncapped, payable, capAmount ?? 0m, feeBase.Amount ?? 0m]);
                results.Add(new CustomerCreditTotal(
                    g.Key.Customer, g.Key.PolicyId, month.ToString(), g.Key.Currency, byKind[0], byKind[1], byKind[2], uncapped,
                    policy?.CustomerCreditCapPercent, capAmount, feeBase.Amount ?? 0m, payable, steps.ToImmutable())
                {
                    RollingCapAmount = rollingCap,
                    EarlierCredits = earlier,
                    Direction = policy?.Direction ?? AgreementDirection.Customer,
                    Claims = policy?.Claims,
                    NotIssued = notIssued,
                });
            }
            catch (Exception ex) when (errors is not null && ex is ArithmeticException or ArgumentException or InvalidOperationException)
            {
                errors.Add($"the credit total of `{g.Key.Customer}` under `{g.Key.PolicyId}` in {(g.Key.Currency.Length > 0 ? g.Key.Currency : "no currency")} was left out: {ex.Message}");
            }
        }

        return results.ToImmutable();
    }

    /// <summary>
    /// Applies a <c>rollingCreditCap</c> to a customer total: the cap (a percent of the month's fee base) less what the
    /// <see cref="RollingCreditCap.Months"/> − 1 months before credited the customer under the policy in the currency
    /// (<paramref name="history"/>) is what this month may still credit. With no history (null) the earlier months are
    /// not known: the cap bounds this month alone, and the explanation says so.
    /// </summary>
    /// <returns>The payable amount, the cap's amount and the earlier months' credits (null when not known).</returns>
    private static (decimal Payable, decimal Cap, decimal? Earlier) RollingCap(
        RollingCreditCap rolling, string customer, string policyId, string currency, ReportingMonth month, decimal payable, decimal feeBase,
        IReadOnlyList<EarlierCredit>? history, ImmutableArray<ExplanationStep>.Builder steps)
    {
        var cap = ToCents(feeBase * rolling.CapPercent / 100m);
        var first = month.Start.AddMonths(-Math.Min(rolling.Months - 1, ((month.Year - 1) * 12) + month.Month - 1));
        var run = $"{rolling.Months} months {first:yyyy-MM} to {month}";
        var bound = $"{Num(rolling.CapPercent)}% of {Money(feeBase, currency)} = {Money(cap, currency)}";
        if (history is null)
        {
            var cut = Math.Min(payable, cap);
            steps.Add(new ExplanationStep(
                "rolling cap",
                $"credits in the {run} capped at {bound} by rollingCreditCap; the earlier months' credits are not known here, so this month alone is bounded: "
                + (cut < payable ? $"{Money(payable, currency)} cut to {Money(cut, currency)}" : $"{Money(payable, currency)} stands"),
                rolling.Location));
            return (cut, cap, null);
        }

        var from = new ReportingMonth(first.Year, first.Month).ToString();
        var to = month.ToString();
        var earlier = history
            .Where(h => Names.Equals(h.Customer, customer) && h.PolicyId == policyId && h.Currency == currency
                        && string.CompareOrdinal(h.Period, from) >= 0 && string.CompareOrdinal(h.Period, to) < 0)
            .Sum(h => h.Amount);
        var room = Math.Max(0m, cap - earlier);
        var payableNow = Math.Min(payable, room);
        steps.Add(new ExplanationStep(
            "rolling cap",
            $"credits in the {run} capped at {bound} by rollingCreditCap: {Money(earlier, currency)} credited in the {rolling.Months - 1} months before, {Money(room, currency)} left: "
            + (payableNow < payable ? $"{Money(payable, currency)} cut to {Money(payableNow, currency)}" : $"{Money(payable, currency)} stands"),
            rolling.Location));
        return (payableNow, cap, earlier);
    }

    /// <summary>
    /// Breached decisions per week (weeks start Monday 00:00 UTC) for every week that overlaps the month. The breach
    /// instant is <see cref="Decision.DueAt"/> (when elapsed reached the target), else <see cref="Decision.StoppedAt"/>;
    /// it must lie in the month and not after asOf.
    /// </summary>
    public static ImmutableArray<WeeklyBreachCount> BreachesPerWeek(IEnumerable<Decision> decisions, ReportingMonth month, DateTimeOffset asOf)
    {
        var first = WeekStart(DateOnly.FromDateTime(month.Start.UtcDateTime));
        var last = DateOnly.FromDateTime(month.End.UtcDateTime.AddTicks(-1));
        var counts = new SortedDictionary<DateOnly, int>();
        for (var w = first; w <= last; w = w.AddDays(7))
        {
            counts[w] = 0;
        }

        foreach (var (d, n) in Runs(decisions))
        {
            if (d.Status == DecisionStatus.Breached && (d.DueAt ?? d.StoppedAt) is { } at && month.Contains(at) && at <= asOf)
            {
                counts[WeekStart(DateOnly.FromDateTime(at.UtcDateTime))] += n;
            }
        }

        return [.. counts.Select(c => new WeeklyBreachCount(c.Key, c.Value))];
    }

    /// <summary>
    /// The decisions with each run of one instance repeated taken as that instance and its count: what is counted of a
    /// decision is counted of all its repeats at once. A store hands the month's stopped decisions of one group (customer,
    /// policy, version, severity, status, breach day) as one instance repeated, a million decisions in a few hundred runs;
    /// other decisions come as runs of one.
    /// </summary>
    internal static IEnumerable<(Decision Decision, int Count)> Runs(IEnumerable<Decision> decisions)
    {
        Decision? current = null;
        var count = 0;
        foreach (var d in decisions)
        {
            if (ReferenceEquals(d, current))
            {
                count++;
                continue;
            }

            if (current is not null)
            {
                yield return (current, count);
            }

            (current, count) = (d, 1);
        }

        if (current is not null)
        {
            yield return (current, count);
        }
    }

    private static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static string Minutes(TimeSpan span) => Num((decimal)span.Ticks / TimeSpan.TicksPerMinute);
}
