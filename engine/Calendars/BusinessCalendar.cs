using System.Collections.Immutable;
using NodaTime;
using NodaTime.TimeZones;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Calendars;

/// <summary>
/// The business hours of one <see cref="CalendarDefinition"/>: an IANA time zone, opening hours per weekday
/// (several ranges a day) and holidays (whole local days), turned into open intervals of real time.
/// </summary>
/// <remarks>
/// <para>
/// Every method takes and returns instants; the offset of an argument does not matter, only the instant it
/// denotes. Results are returned with a zero (UTC) offset. Intervals are start-inclusive, end-exclusive.
/// </para>
/// <para>
/// Local opening hours are converted with the zone's rules, day by day, so that business time is real time:
/// on the day clocks spring forward a range <c>08:00-17:00</c> still holds 9 real hours, and a range
/// <c>00:00-24:00</c> holds 23. A local opening or closing time that does not exist (it falls in a DST gap)
/// is taken at the first instant after the gap; one that exists twice (it falls in a DST overlap) is taken at
/// its first occurrence. So hours <c>02:00-03:00</c> on the spring-forward day in Europe/Berlin hold nothing,
/// and on the fall-back day they hold the two real hours the wall clock shows 02:00-03:00.
/// A range end of <c>00:00</c> means midnight at the end of the day (24:00).
/// </para>
/// <para>
/// Cost: the open intervals of a local year are computed once, on first use, as UTC ticks with a running sum,
/// and cached; <see cref="BusinessTimeBetween"/> and <see cref="AddBusinessTime"/> are then two binary searches
/// per year touched and allocate nothing, however long the span. Thread-safe; keep one instance per calendar.
/// Supported local years: 1900 to 2199.
/// </para>
/// </remarks>
public sealed partial class BusinessCalendar
{
    /// <summary>The first local year the calendar covers.</summary>
    public const int MinYear = 1900;

    /// <summary>The last local year the calendar covers.</summary>
    public const int MaxYear = 2199;

    // Ambiguous local time: first occurrence; skipped local time: the first instant after the gap.
    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly DateTimeZone _zone;

    // Per ISO weekday (index 0 = Sunday, as System.DayOfWeek): merged local ranges as ticks since midnight.
    private readonly (long Start, long End)[][] _hours;
    private readonly HashSet<LocalDate> _holidays;
    private readonly ImmutableArray<DateRule> _holidayRules;

    // Exact dates first, then yearly rules in the order written: the first that names a day gives its hours.
    private readonly ImmutableArray<(DateHours Hours, (long Start, long End)[] Ticks)> _dateHours;

    // Timed closures as UTC ticks, in order of start, and merged (disjoint, in order) for folding into the year tables.
    private readonly (long Start, long End, TimedClosure Source)[] _closures = [];
    private readonly (long Start, long End)[] _closed = [];

    // _yearStarts[y - MinYear] = UTC ticks of local midnight starting 1 January of y (one extra entry at the end).
    private readonly long[] _yearStarts;
    private readonly YearTable?[] _years;

    private BusinessCalendar(
        string id,
        DateTimeZone zone,
        (long Start, long End)[][] hours,
        ImmutableArray<DateOnly> holidays,
        ImmutableArray<DateRule> holidayRules,
        ImmutableArray<(DateHours Hours, (long Start, long End)[] Ticks)> dateHours)
    {
        Id = id;
        _zone = zone;
        _hours = hours;
        _holidays = [.. holidays.Select(LocalDate.FromDateOnly)];
        _holidayRules = holidayRules;
        _dateHours = dateHours;
        _years = new YearTable?[MaxYear - MinYear + 1];
        _yearStarts = new long[MaxYear - MinYear + 2];
        for (var year = MinYear; year <= MaxYear + 1; year++)
        {
            _yearStarts[year - MinYear] = ToTicks(new LocalDate(year, 1, 1).AtMidnight());
        }
    }

    /// <summary>The calendar's id, as in its file.</summary>
    public string Id { get; }

    /// <summary>The IANA time zone id the opening hours are read in.</summary>
    public string TimeZone => _zone.Id;

    /// <summary>
    /// Builds a calendar from its definition. Throws <see cref="ArgumentException"/> for an unknown time zone,
    /// a range whose end is not after its start (other than an end of 00:00, read as 24:00), or a calendar that
    /// is never open.
    /// </summary>
    public static BusinessCalendar Create(CalendarDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(definition.TimeZone)
            ?? throw new ArgumentException($"calendar `{definition.Id}` names unknown time zone `{definition.TimeZone}`", nameof(definition));

        var perDay = new List<(long Start, long End)>[7];
        for (var i = 0; i < 7; i++)
        {
            perDay[i] = [];
        }

        foreach (var range in definition.Hours.IsDefault ? [] : definition.Hours)
        {
            var start = range.Start.Ticks;
            var end = range.End == TimeOnly.MinValue ? TimeSpan.TicksPerDay : range.End.Ticks;
            if (end <= start)
            {
                throw new ArgumentException(
                    $"calendar `{definition.Id}` has range `{range.Start:HH\\:mm}-{range.End:HH\\:mm}` on {range.Day} whose end is not after its start",
                    nameof(definition));
            }

            perDay[(int)range.Day].Add((start, end));
        }

        var hours = new (long Start, long End)[7][];
        for (var i = 0; i < 7; i++)
        {
            hours[i] = Merge(perDay[i]);
        }

        var dateHours = (definition.DateHours.IsDefault ? [] : definition.DateHours)
            .OrderBy(d => d.When.Kind == DateRuleKind.Date ? 0 : 1)
            .Select(d => (d, Merge([.. d.Ranges.Select(r => (r.Start.Ticks, r.End.Ticks))])))
            .ToImmutableArray();
        if (hours.All(h => h.Length == 0) && dateHours.All(d => d.Item2.Length == 0))
        {
            throw new ArgumentException($"calendar `{definition.Id}` has no opening hours", nameof(definition));
        }

        foreach (var (special, ticks) in dateHours)
        {
            if (ticks.Any(r => r.End <= r.Start || r.End > TimeSpan.TicksPerDay))
            {
                throw new ArgumentException($"calendar `{definition.Id}` has hours `{special.HoursText}` on `{special.When.Text}` that do not fit in a day", nameof(definition));
            }
        }

        var holidays = (definition.Holidays.IsDefault ? [] : definition.Holidays).Distinct().Order().ToImmutableArray();
        var rules = definition.HolidayRules.IsDefault ? [] : definition.HolidayRules;
        var calendar = new BusinessCalendar(definition.Id, zone, hours, holidays, rules, dateHours);
        return definition.Closures.IsDefaultOrEmpty ? calendar : new BusinessCalendar(calendar, definition.Closures);
    }

    /// <summary>The same calendar with timed closures: floating ones are read in the calendar's zone.</summary>
    private BusinessCalendar(BusinessCalendar open, ImmutableArray<TimedClosure> closures)
        : this(open.Id, open._zone, open._hours, [.. open._holidays.Select(d => d.ToDateOnly())], open._holidayRules, open._dateHours)
    {
        _closures = [.. closures
            .Select(c => c.Floating
                ? (open.ToTicks(LocalDateTime.FromDateTime(c.Start)), open.ToTicks(LocalDateTime.FromDateTime(c.End)), c)
                : (c.Start.Ticks, c.End.Ticks, c))
            .Where(c => c.Item2 > c.Item1)
            .OrderBy(c => c.Item1)];
        var merged = new List<(long Start, long End)>();
        foreach (var (start, end, _) in _closures)
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        _closed = [.. merged];
    }

    /// <summary>Business time in [<paramref name="from"/>, <paramref name="to"/>); zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to) =>
        new(BusinessTicksBetween(from.UtcTicks, to.UtcTicks));

    /// <summary>
    /// The earliest instant t &gt;= <paramref name="from"/> at which the business time in [from, t) equals
    /// <paramref name="amount"/>. A zero amount returns <paramref name="from"/> itself, even outside hours; a positive
    /// amount always ends inside or at the close of an open interval (a due time is never pushed to the next opening).
    /// </summary>
    public DateTimeOffset AddBusinessTime(DateTimeOffset from, TimeSpan amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount.Ticks, nameof(amount));
        return new DateTimeOffset(AddBusinessTicks(from.UtcTicks, amount.Ticks), TimeSpan.Zero);
    }

    /// <summary>The open intervals of the calendar within [<paramref name="from"/>, <paramref name="to"/>), clipped to it, in order.</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> OpenIntervals(DateTimeOffset from, DateTimeOffset to)
    {
        if (_holders is not null)
        {
            foreach (var interval in Piecewise(from, to, (calendar, a, b) => calendar.OpenIntervals(a, b)))
            {
                yield return interval;
            }

            yield break;
        }

        long a = from.UtcTicks, b = to.UtcTicks;
        if (b <= a)
        {
            yield break;
        }

        for (var year = YearOf(a); year <= YearOf(b); year++)
        {
            var table = Table(year);
            for (var i = Math.Max(0, table.IndexAtOrBefore(a)); i < table.Starts.Length && table.Starts[i] < b; i++)
            {
                var start = Math.Max(a, table.Starts[i]);
                var end = Math.Min(b, table.Ends[i]);
                if (end > start)
                {
                    yield return (new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero));
                }
            }
        }
    }

    /// <summary>
    /// The holidays whose local day meets [<paramref name="from"/>, <paramref name="to"/>) and that would otherwise
    /// have had opening hours (a holiday on a closed weekday skips nothing), in order.
    /// </summary>
    public IEnumerable<DateOnly> HolidaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (_holders is not null)
        {
            foreach (var holiday in Piecewise(from, to, (calendar, a, b) => calendar.HolidaysBetween(a, b)))
            {
                yield return holiday;
            }

            yield break;
        }

        if (to <= from)
        {
            yield break;
        }

        var first = LocalDateOf(from.UtcTicks).ToDateOnly();
        var last = LocalDateOf(to.UtcTicks - 1).ToDateOnly();
        for (var year = first.Year; year <= last.Year; year++)
        {
            foreach (var holiday in Table(year).Holidays)
            {
                if (holiday >= first && holiday <= last)
                {
                    yield return holiday;
                }
            }
        }
    }

    /// <summary>
    /// The days whose local date meets [<paramref name="from"/>, <paramref name="to"/>) and that have hours of their
    /// own (<c>dates</c> of the calendar), with the entry that gave them, in order.
    /// </summary>
    public IEnumerable<(DateOnly Date, DateHours Hours)> SpecialDaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (_holders is not null)
        {
            foreach (var day in Piecewise(from, to, (calendar, a, b) => calendar.SpecialDaysBetween(a, b)))
            {
                yield return day;
            }

            yield break;
        }

        if (to <= from || _dateHours.IsEmpty)
        {
            yield break;
        }

        var first = LocalDateOf(from.UtcTicks).ToDateOnly();
        var last = LocalDateOf(to.UtcTicks - 1).ToDateOnly();
        for (var year = first.Year; year <= last.Year; year++)
        {
            foreach (var day in Table(year).SpecialDays)
            {
                if (day.Date >= first && day.Date <= last)
                {
                    yield return day;
                }
            }
        }
    }

    /// <summary>
    /// The timed closures (<c>closures</c> of the calendar) that meet [<paramref name="from"/>, <paramref name="to"/>) and
    /// close time that would otherwise have been open, with the span each closes (UTC), in order.
    /// </summary>
    public IEnumerable<(TimedClosure Closure, DateTimeOffset Start, DateTimeOffset End)> ClosuresBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (_holders is not null)
        {
            foreach (var closure in Piecewise(from, to, (calendar, a, b) => calendar.ClosuresBetween(a, b)).Distinct())
            {
                yield return closure;
            }

            yield break;
        }

        long a = from.UtcTicks, b = to.UtcTicks;
        if (b <= a || _closures.Length == 0)
        {
            yield break;
        }

        var seen = new HashSet<TimedClosure>(ReferenceEqualityComparer.Instance);
        for (var year = YearOf(a); year <= YearOf(b - 1); year++)
        {
            foreach (var (closure, start, end) in Table(year).Closures)
            {
                if (start < b && end > a && seen.Add(closure))
                {
                    yield return (closure, new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero));
                }
            }
        }
    }

    /// <summary>The yearly rule or holiday-file entry that makes <paramref name="date"/> a holiday; null for a holiday written as a date, or no holiday.</summary>
    public DateRule? HolidayRuleFor(DateOnly date)
    {
        if (_holders is not null)
        {
            return _holders.Select(h => h.Calendar.HolidayRuleFor(date)).FirstOrDefault(r => r is not null);
        }

        if (_holidays.Contains(LocalDate.FromDateOnly(date)))
        {
            return null;
        }

        foreach (var rule in _holidayRules)
        {
            if (rule.InYear(date.Year) == date)
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>
    /// What <paramref name="days"/> business days from <paramref name="start"/> are on this calendar: counting
    /// begins at the first open instant at or after <paramref name="start"/>, which lies some business time into
    /// its local day's opening hours; the target is the same business time into the opening hours of the
    /// <paramref name="days"/>-th later local day that has any (holidays and closed weekdays are not business
    /// days), capped at that day's close when it is a shorter day. <see cref="BusinessDaySpan.Within"/> is the
    /// business time between the two, which a clock then counts like any business-time target.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is not positive, or the span leaves the covered years.</exception>
    public BusinessDaySpan BusinessDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        if (_holders is not null)
        {
            // Business days are counted on the calendar of the team holding the case where counting begins.
            var begins = new DateTimeOffset(AddBusinessTicks(start.UtcTicks, 1) - 1, TimeSpan.Zero);
            return HolderAt(begins.UtcTicks).BusinessDays(begins, days);
        }

        var from = AddBusinessTicks(start.UtcTicks, 1) - 1;
        var fromDay = LocalDateOf(from);
        var intoDay = BusinessTicksBetween(DayStart(fromDay), from);
        var day = fromDay;
        var found = 0;
        long capacity = 0;
        while (found < days)
        {
            day = day.PlusDays(1);
            if (day.Year > MaxYear)
            {
                throw new ArgumentOutOfRangeException(nameof(days), $"calendar `{Id}` covers local years {MinYear} to {MaxYear} only");
            }

            capacity = BusinessTicksBetween(DayStart(day), DayStart(day.PlusDays(1)));
            if (capacity > 0)
            {
                found++;
            }
        }

        var within = BusinessTicksBetween(from, DayStart(day)) + Math.Min(intoDay, capacity);
        return new BusinessDaySpan(
            days,
            new DateTimeOffset(from, TimeSpan.Zero),
            fromDay.ToDateOnly(),
            new TimeSpan(intoDay),
            day.ToDateOnly(),
            intoDay > capacity,
            new TimeSpan(within),
            new DateTimeOffset(AddBusinessTicks(from, within), TimeSpan.Zero));
    }

    private long DayStart(LocalDate date) => ToTicks(date.AtMidnight());

    /// <summary>Business ticks in [a, b) where both are UTC ticks.</summary>
    internal long BusinessTicksBetween(long a, long b)
    {
        if (b <= a)
        {
            return 0;
        }

        if (_holders is not null)
        {
            return PiecewiseTicksBetween(a, b);
        }

        int yearA = YearOf(a), yearB = YearOf(b);
        var tableA = Table(yearA);
        if (yearA == yearB)
        {
            return tableA.CumulativeAt(b) - tableA.CumulativeAt(a);
        }

        var total = tableA.Total - tableA.CumulativeAt(a);
        for (var year = yearA + 1; year < yearB; year++)
        {
            total += Table(year).Total;
        }

        return total + Table(yearB).CumulativeAt(b);
    }

    /// <summary>The earliest UTC tick t &gt;= a with <see cref="BusinessTicksBetween"/>(a, t) == amount.</summary>
    internal long AddBusinessTicks(long a, long amount)
    {
        if (amount <= 0)
        {
            return a;
        }

        if (_holders is not null)
        {
            return PiecewiseAddTicks(a, amount);
        }

        var year = YearOf(a);
        var table = Table(year);
        var target = table.CumulativeAt(a) + amount;
        while (target > table.Total)
        {
            target -= table.Total;
            if (++year > MaxYear)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), $"calendar `{Id}` covers local years {MinYear} to {MaxYear} only");
            }

            table = Table(year);
        }

        return table.InstantAtCumulative(target);
    }

    private int YearOf(long utcTicks)
    {
        var year = new DateTime(utcTicks, DateTimeKind.Utc).Year;
        if (year >= MinYear && year <= MaxYear + 1 && utcTicks < _yearStarts[year - MinYear])
        {
            year--;
        }
        else if (year >= MinYear - 1 && year <= MaxYear && utcTicks >= _yearStarts[year - MinYear + 1])
        {
            year++;
        }

        if (year < MinYear || year > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(utcTicks), $"calendar `{Id}` covers local years {MinYear} to {MaxYear} only");
        }

        return year;
    }

    private YearTable Table(int year)
    {
        var slot = year - MinYear;
        var table = Volatile.Read(ref _years[slot]);
        if (table is null)
        {
            // Two threads may build the same year; both results are equal, one wins.
            table = BuildYear(year);
            table = Interlocked.CompareExchange(ref _years[slot], table, null) ?? table;
        }

        return table;
    }

    private YearTable BuildYear(int year)
    {
        // The year's overrides, folded in once: holidays from rules, and days with hours of their own.
        var closed = new HashSet<LocalDate>(_holidays.Where(d => d.Year == year));
        foreach (var rule in _holidayRules)
        {
            if (rule.InYear(year) is { } day)
            {
                closed.Add(LocalDate.FromDateOnly(day));
            }
        }

        var special = new Dictionary<LocalDate, (DateHours Hours, (long Start, long End)[] Ticks)>();
        foreach (var entry in _dateHours)
        {
            if (entry.Hours.When.InYear(year) is { } day)
            {
                special.TryAdd(LocalDate.FromDateOnly(day), entry);
            }
        }

        var starts = new List<long>(300);
        var ends = new List<long>(300);
        var holidays = new List<DateOnly>();
        var previousEnd = long.MinValue;
        for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
        {
            var ranges = _hours[(int)date.DayOfWeek % 7];
            if (special.TryGetValue(date, out var own))
            {
                ranges = own.Ticks;
            }
            else if (closed.Contains(date))
            {
                if (ranges.Length > 0)
                {
                    holidays.Add(date.ToDateOnly());
                }

                continue;
            }

            var midnight = date.AtMidnight();
            foreach (var (localStart, localEnd) in ranges)
            {
                var start = ToTicks(midnight.PlusTicks(localStart));
                var end = ToTicks(midnight.PlusTicks(localEnd));

                // Resolution is monotonic, so only a zone's odd transitions can make a range touch the previous one.
                start = Math.Max(start, previousEnd);
                if (end <= start)
                {
                    continue;
                }

                if (start == previousEnd)
                {
                    ends[^1] = end;
                }
                else
                {
                    starts.Add(start);
                    ends.Add(end);
                }

                previousEnd = end;
            }
        }

        var specialDays = special.Select(kv => (kv.Key.ToDateOnly(), kv.Value.Hours)).OrderBy(d => d.Item1).ToArray();
        var closuresMet = Array.Empty<(TimedClosure, long, long)>();
        if (_closed.Length > 0)
        {
            (closuresMet, starts, ends) = Close(year, starts, ends);
        }

        return new YearTable([.. starts], [.. ends]) { Holidays = [.. holidays], SpecialDays = specialDays, Closures = closuresMet };
    }

    /// <summary>
    /// The year's open intervals less the timed closures, and the closures that closed some time that would have been
    /// open (the explanation names those).
    /// </summary>
    private ((TimedClosure, long, long)[] Met, List<long> Starts, List<long> Ends) Close(int year, List<long> starts, List<long> ends)
    {
        long yearStart = _yearStarts[year - MinYear], yearEnd = _yearStarts[year - MinYear + 1];
        var met = new List<(TimedClosure, long, long)>();
        foreach (var (start, end, source) in _closures)
        {
            if (start < yearEnd && end > yearStart && OverlapsAny(starts, ends, start, end))
            {
                met.Add((source, start, end));
            }
        }

        var openStarts = new List<long>(starts.Count);
        var openEnds = new List<long>(ends.Count);
        var c = 0;
        while (c < _closed.Length && _closed[c].End <= yearStart)
        {
            c++;
        }

        for (var i = 0; i < starts.Count; i++)
        {
            var cursor = starts[i];
            var end = ends[i];
            while (c < _closed.Length && _closed[c].Start < end)
            {
                if (_closed[c].End <= cursor)
                {
                    c++;
                    continue;
                }

                if (_closed[c].Start > cursor)
                {
                    openStarts.Add(cursor);
                    openEnds.Add(_closed[c].Start);
                }

                cursor = Math.Max(cursor, _closed[c].End);
                if (_closed[c].End >= end)
                {
                    // The closure may reach into the next interval: keep it.
                    break;
                }

                c++;
            }

            if (cursor < end)
            {
                openStarts.Add(cursor);
                openEnds.Add(end);
            }
        }

        return ([.. met], openStarts, openEnds);
    }

    private static bool OverlapsAny(List<long> starts, List<long> ends, long start, long end)
    {
        for (var i = 0; i < starts.Count; i++)
        {
            if (starts[i] < end && ends[i] > start)
            {
                return true;
            }
        }

        return false;
    }

    private long ToTicks(LocalDateTime local) =>
        _zone.ResolveLocal(local, Resolver).ToInstant().ToDateTimeUtc().Ticks;

    private LocalDate LocalDateOf(long utcTicks) =>
        Instant.FromDateTimeUtc(new DateTime(utcTicks, DateTimeKind.Utc)).InZone(_zone).Date;

    private static (long Start, long End)[] Merge(List<(long Start, long End)> ranges)
    {
        ranges.Sort();
        var merged = new List<(long Start, long End)>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        return [.. merged];
    }

    /// <summary>The open intervals of one local year as UTC ticks, with the business ticks before each.</summary>
    private sealed class YearTable
    {
        public YearTable(long[] starts, long[] ends)
        {
            Starts = starts;
            Ends = ends;
            Cumulative = new long[starts.Length + 1];
            for (var i = 0; i < starts.Length; i++)
            {
                Cumulative[i + 1] = Cumulative[i] + (ends[i] - starts[i]);
            }
        }

        public long[] Starts { get; }

        public long[] Ends { get; }

        /// <summary>The year's holidays that would otherwise have had opening hours, in order.</summary>
        public DateOnly[] Holidays { get; init; } = [];

        /// <summary>The year's timed closures that closed time that would otherwise have been open, in order, as UTC ticks.</summary>
        public (TimedClosure Closure, long Start, long End)[] Closures { get; init; } = [];

        /// <summary>The year's days with hours of their own, in order.</summary>
        public (DateOnly Date, DateHours Hours)[] SpecialDays { get; init; } = [];

        /// <summary>Cumulative[i] = business ticks of the year before interval i; the last entry is the year's total.</summary>
        public long[] Cumulative { get; }

        public long Total => Cumulative[^1];

        /// <summary>Index of the last interval starting at or before t; -1 when none.</summary>
        public int IndexAtOrBefore(long t)
        {
            int lo = 0, hi = Starts.Length - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Starts[mid] <= t)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return hi;
        }

        /// <summary>Business ticks of the year before instant t.</summary>
        public long CumulativeAt(long t)
        {
            var i = IndexAtOrBefore(t);
            return i < 0 ? 0 : Cumulative[i] + (Math.Min(t, Ends[i]) - Starts[i]);
        }

        /// <summary>The earliest instant at which the year's business ticks reach target (0 &lt; target &lt;= Total).</summary>
        public long InstantAtCumulative(long target)
        {
            // First interval whose end-cumulative reaches the target.
            int lo = 0, hi = Starts.Length - 1;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Cumulative[mid + 1] >= target)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return Starts[lo] + (target - Cumulative[lo]);
        }
    }
}

/// <summary>
/// How a business-day target was counted on a calendar (<see cref="BusinessCalendar.BusinessDays"/>): from
/// <see cref="CountedFrom"/> (the first open instant at or after the clock's start), <see cref="IntoDay"/> of
/// business time into the opening hours of <see cref="FromDay"/>, to the same point of <see cref="DueDay"/>'s
/// opening hours (its close when <see cref="CappedAtClose"/>). <see cref="Within"/> is the business time between
/// them and <see cref="DueAt"/> where it ends when nothing pauses the clock. Instants in UTC, days local.
/// </summary>
public readonly record struct BusinessDaySpan(
    int Days,
    DateTimeOffset CountedFrom,
    DateOnly FromDay,
    TimeSpan IntoDay,
    DateOnly DueDay,
    bool CappedAtClose,
    TimeSpan Within,
    DateTimeOffset DueAt);
