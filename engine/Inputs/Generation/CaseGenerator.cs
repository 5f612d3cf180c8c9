using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace SlaPolicy.Engine.Inputs.Generation;

/// <summary>How generated cases are distributed.</summary>
public enum GenerationProfile
{
    /// <summary>
    /// Like the samples: cases opened mostly in office hours of their region between 2026-10-26 and 2026-11-21,
    /// ids <c>C-1001</c> upwards, with the worked example <c>C-1001</c> and cases across the 2026 DST changes first.
    /// </summary>
    Realistic,

    /// <summary>Opening times spread evenly over the same weeks at any hour; ids <c>S-0000001</c> upwards. For benchmarks.</summary>
    Synthetic,
}

/// <summary>
/// Generates cases deterministically from a seed: the same seed, profile and count give the same cases on every
/// machine (time zones come from NodaTime's embedded database). Cases are produced lazily, one at a time, so a
/// million of them stream in flat memory.
/// </summary>
/// <remarks>
/// Every pause pattern occurs: none, across a night, across a weekend, several pauses, a pause still open, and a
/// case resolved without a first response. Nothing happens after <see cref="Cutoff"/>: later responses,
/// resolutions and status changes are left out, so recent cases are still open.
/// </remarks>
public sealed class CaseGenerator(int seed, GenerationProfile profile = GenerationProfile.Realistic)
{
    /// <summary>The evaluation time the generated data is written for; nothing happens after it.</summary>
    public static readonly DateTimeOffset Cutoff = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Start of the opening period (inclusive), UTC.</summary>
    public static readonly DateTimeOffset PeriodStart = new(2026, 10, 26, 0, 0, 0, TimeSpan.Zero);

    /// <summary>End of the opening period (exclusive), UTC.</summary>
    public static readonly DateTimeOffset PeriodEnd = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private enum PausePattern
    {
        None,
        Night,
        Weekend,
        Several,
        StillOpen,
        ResolvedWithoutResponse,
    }

    // Severity 1..4: nominal response and resolution in real minutes, roughly the gold targets (sev3/sev4 are
    // business-hours targets, so their real durations are longer than the business time they stand for).
    private static readonly int[] ResponseMinutes = [0, 15, 30, 120, 240];
    private static readonly int[] ResolutionMinutes = [0, 4 * 60, 8 * 60, 4 * 24 * 60, 2 * 24 * 60];

    /// <summary>Generates <paramref name="count"/> cases, lazily.</summary>
    public IEnumerable<CaseRecord> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var produced = 0;
        if (profile == GenerationProfile.Realistic)
        {
            foreach (var special in SpecialCases(random))
            {
                if (produced == count)
                {
                    yield break;
                }

                produced++;
                yield return special;
            }
        }

        var customerWeights = SampleWorld.Customers.Sum(c => c.Weight);
        var span = (PeriodEnd - PeriodStart).Ticks;
        var remaining = count - produced;
        for (var i = 0; i < remaining; i++)
        {
            var customer = Pick(random, customerWeights);
            var region = SampleWorld.Region(customer.Regions[random.Next(customer.Regions.Length)]);
            var service = SampleWorld.Services[random.Next(SampleWorld.Services.Length)];
            var severity = Severity(random);
            var opened = WholeMinute(PeriodStart.AddTicks((long)((i + random.NextDouble()) / remaining * span)));
            if (profile == GenerationProfile.Realistic && random.NextDouble() < 0.75)
            {
                opened = IntoOfficeHours(region, opened, random);
            }

            var id = profile == GenerationProfile.Realistic
                ? "C-" + (1002 + i).ToString(CultureInfo.InvariantCulture)
                : "S-" + (i + 1).ToString("D7", CultureInfo.InvariantCulture);
            yield return Build(random, id, customer, region, service, severity, opened, PickPattern(random));
        }
    }

    private IEnumerable<CaseRecord> SpecialCases(Random random)
    {
        // The worked example of the README, exactly as it shows it: a gold sev1 with a pause from 17:00 to
        // 09:00 the next morning and no resolution; at 2026-11-22T02:00Z its 4h resolution target is breached.
        var berlin = TimeSpan.FromHours(1);
        yield return new CaseRecord(
            "C-1001", "acme", "gold", "eu-west", "email", 1,
            new DateTimeOffset(2026, 11, 20, 16, 30, 0, berlin),
            new DateTimeOffset(2026, 11, 20, 16, 41, 0, berlin),
            null,
            ["vip"],
            [new StatusEvent(new DateTimeOffset(2026, 11, 20, 17, 0, 0, berlin), "waiting_on_customer"),
             new StatusEvent(new DateTimeOffset(2026, 11, 21, 9, 0, 0, berlin), "in_progress")]);

        // Across Berlin's fall-back (2026-10-25 03:00 CEST -> 02:00 CET): opened on the Friday before, paused over the weekend.
        var acme = SampleWorld.Customers[0];
        var initech = SampleWorld.Customers[2];
        var globex = SampleWorld.Customers[1];
        var euWest = SampleWorld.Region("eu-west");
        var usEast = SampleWorld.Region("us-east");
        yield return Build(random, "C-0901", acme, euWest, "crm", 3, Local(euWest, 2026, 10, 23, 14, 10), PausePattern.Weekend);
        yield return Build(random, "C-0902", initech, euWest, "network", 4, Local(euWest, 2026, 10, 23, 15, 35), PausePattern.Weekend);
        yield return Build(random, "C-0903", acme, euWest, "email", 2, Local(euWest, 2026, 10, 24, 23, 50), PausePattern.None);

        // Across New York's fall-back (2026-11-01 02:00 EDT -> 01:00 EST).
        yield return Build(random, "C-0904", globex, usEast, "email", 3, Local(usEast, 2026, 10, 30, 16, 20), PausePattern.Weekend);
        yield return Build(random, "C-0905", acme, usEast, "network", 1, Local(usEast, 2026, 11, 1, 0, 40), PausePattern.None);
        yield return Build(random, "C-0906", globex, usEast, "crm", 4, Local(usEast, 2026, 10, 31, 10, 5), PausePattern.Night);
    }

    private static DateTimeOffset Local(SampleRegion region, int year, int month, int day, int hour, int minute) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneLeniently(region.Zone).ToDateTimeOffset();

    private CaseRecord Build(Random random, string id, SampleCustomer customer, SampleRegion region, string service, int severity, DateTimeOffset opened, PausePattern pattern)
    {
        var tierFactor = customer.Tier switch { "gold" => 1.0, "silver" => 1.5, _ => 2.0 };
        var responseDelay = Minutes(ResponseMinutes[severity] * tierFactor * Factor(random));
        var work = Minutes(Math.Max(ResolutionMinutes[severity] * tierFactor * Factor(random), responseDelay.TotalMinutes + 5));
        var events = new List<StatusEvent>(8) { new(opened, "new") };
        DateTimeOffset? response = opened + responseDelay;
        DateTimeOffset? resolved = null;

        if (pattern == PausePattern.ResolvedWithoutResponse)
        {
            // Solved at once, before anyone recorded a first response: the response clock stops at the resolution.
            response = null;
            resolved = opened + responseDelay;
            events.Add(new StatusEvent(resolved.Value, "resolved"));
        }
        else
        {
            events.Add(new StatusEvent(response.Value, "in_progress"));
            var t = response.Value;
            var remaining = work - responseDelay;
            resolved = null;
            var open = false;
            foreach (var (start, end, status) in Pauses(random, region, t, remaining, pattern))
            {
                if (start - t >= remaining)
                {
                    break;
                }

                remaining -= start - t;
                events.Add(new StatusEvent(start, status));
                if (end is null)
                {
                    open = true;
                    break;
                }

                events.Add(new StatusEvent(end.Value, "in_progress"));
                t = end.Value;
            }

            if (!open)
            {
                resolved = t + remaining;
                events.Add(new StatusEvent(resolved.Value, "resolved"));
            }
        }

        if (resolved is { } r && r > Cutoff)
        {
            resolved = null;
        }

        if (response is { } f && f > Cutoff)
        {
            response = null;
        }

        events.RemoveAll(e => e.At > Cutoff);
        return new CaseRecord(
            id, customer.Id, customer.Tier, region.Id, service, severity,
            InRegion(region, opened), response is null ? null : InRegion(region, response.Value), resolved is null ? null : InRegion(region, resolved.Value),
            Tags(random, customer, severity),
            [.. events.Select(e => new StatusEvent(InRegion(region, e.At), e.Status))]);
    }

    /// <summary>The pauses of a pattern after <paramref name="from"/>: start, end (null: still open), status.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset? End, string Status)> Pauses(Random random, SampleRegion region, DateTimeOffset from, TimeSpan work, PausePattern pattern)
    {
        switch (pattern)
        {
            case PausePattern.Night:
                {
                    // Waiting on the customer from the end of their day to the next morning.
                    var local = Zoned(region, from).LocalDateTime;
                    var day = local.TimeOfDay < new LocalTime(17, 0) ? local.Date : local.Date.PlusDays(1);
                    var start = At(region, day, 17, random.Next(0, 90));
                    var end = At(region, day.PlusDays(1), 9, random.Next(0, 45));
                    yield return (start, end, random.NextDouble() < 0.8 ? "waiting_on_customer" : "waiting_on_third_party");
                    break;
                }

            case PausePattern.Weekend:
                {
                    // Waiting from Friday afternoon to Monday morning.
                    var day = Zoned(region, from).Date;
                    while (day.DayOfWeek != IsoDayOfWeek.Friday)
                    {
                        day = day.PlusDays(1);
                    }

                    var start = At(region, day, 15, random.Next(0, 150));
                    if (start < from)
                    {
                        start = from + TimeSpan.FromMinutes(random.Next(5, 60));
                    }

                    var end = At(region, day.PlusDays(3), 9, random.Next(0, 60));
                    yield return (start, end, "waiting_on_customer");
                    break;
                }

            case PausePattern.Several:
                {
                    var t = from;
                    var count = random.Next(2, 4);
                    for (var p = 0; p < count; p++)
                    {
                        var start = WholeMinute(t + (work / (count + 1) * (0.5 + random.NextDouble())));
                        var end = start + TimeSpan.FromMinutes(random.Next(20, 300));
                        yield return (start, end, p % 2 == 0 ? "waiting_on_customer" : "waiting_on_third_party");
                        t = end;
                    }

                    break;
                }

            case PausePattern.StillOpen:
                yield return (from + TimeSpan.FromMinutes(random.Next(10, 120)), null, random.NextDouble() < 0.7 ? "waiting_on_customer" : "waiting_on_third_party");
                break;

            default:
                break;
        }
    }

    /// <summary>Cut to the whole minute, as support tools record times.</summary>
    private static DateTimeOffset WholeMinute(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMinute), at.Offset);

    private static ZonedDateTime Zoned(SampleRegion region, DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(region.Zone);

    private static DateTimeOffset At(SampleRegion region, LocalDate day, int hour, int plusMinutes) =>
        (day + new LocalTime(hour, 0)).PlusMinutes(plusMinutes).InZoneLeniently(region.Zone).ToDateTimeOffset();

    /// <summary>The same instant written with the region's local offset, as the region's systems would record it.</summary>
    private static DateTimeOffset InRegion(SampleRegion region, DateTimeOffset at) => Zoned(region, at).ToDateTimeOffset();

    /// <summary>Moves an opening time outside office hours to a random minute within the next office hours.</summary>
    private static DateTimeOffset IntoOfficeHours(SampleRegion region, DateTimeOffset at, Random random)
    {
        var local = Zoned(region, at).LocalDateTime;
        for (var d = 0; d < 8; d++)
        {
            var date = local.Date.PlusDays(d);
            if (!region.OpenDays.Contains(date.DayOfWeek))
            {
                continue;
            }

            foreach (var (start, end) in region.Hours)
            {
                var rangeStart = date + start;
                var rangeEnd = date + end;
                if (rangeEnd <= local)
                {
                    continue;
                }

                if (rangeStart <= local)
                {
                    return at;
                }

                var minutes = (int)Period.Between(rangeStart, rangeEnd, PeriodUnits.Minutes).Minutes;
                var moved = rangeStart.PlusMinutes(random.Next(0, Math.Max(1, minutes))).InZoneLeniently(region.Zone).ToDateTimeOffset();
                return moved < PeriodEnd ? moved : at;
            }
        }

        return at;
    }

    /// <summary>A multiple of the nominal duration: mostly within target, one in seven beyond it.</summary>
    private static double Factor(Random random) =>
        random.NextDouble() < 0.86 ? 0.1 + (random.NextDouble() * 0.85) : 1.05 + (random.NextDouble() * 2.0);

    private static TimeSpan Minutes(double minutes) => TimeSpan.FromMinutes(Math.Max(1, Math.Round(minutes)));

    private static SampleCustomer Pick(Random random, int totalWeight)
    {
        var n = random.Next(totalWeight);
        foreach (var customer in SampleWorld.Customers)
        {
            if (n < customer.Weight)
            {
                return customer;
            }

            n -= customer.Weight;
        }

        return SampleWorld.Customers[^1];
    }

    private static int Severity(Random random) => random.Next(100) switch
    {
        < 10 => 1,
        < 30 => 2,
        < 70 => 3,
        _ => 4,
    };

    private static PausePattern PickPattern(Random random) => random.Next(100) switch
    {
        < 40 => PausePattern.None,
        < 60 => PausePattern.Night,
        < 72 => PausePattern.Weekend,
        < 87 => PausePattern.Several,
        < 94 => PausePattern.StillOpen,
        _ => PausePattern.ResolvedWithoutResponse,
    };

    private static ImmutableArray<string> Tags(Random random, SampleCustomer customer, int severity)
    {
        var vip = customer.Tier == "gold" && random.NextDouble() < 0.3;
        var regulated = random.NextDouble() < 0.12;
        var outage = severity <= 2 && random.NextDouble() < 0.25;
        if (!vip && !regulated && !outage)
        {
            return [];
        }

        var tags = ImmutableArray.CreateBuilder<string>(3);
        if (vip)
        {
            tags.Add("vip");
        }

        if (regulated)
        {
            tags.Add("regulated");
        }

        if (outage)
        {
            tags.Add("outage");
        }

        return tags.ToImmutable();
    }
}
