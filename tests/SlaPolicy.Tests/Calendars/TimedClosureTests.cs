using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaPolicy.Tests.Policies;
using static SlaPolicy.Tests.Calendars.CalendarSpec;

namespace SlaPolicy.Tests.Calendars;

/// <summary>
/// Timed iCalendar events in a calendar's <c>closures</c>: each closes the calendar for its span. The calendar is London,
/// Mon-Fri 09:00-17:30 (510 minutes a day). Worked by hand.
/// </summary>
public class TimedClosureTests
{
    private const string Calendar = """
        { "id": "c", "timeZone": "Europe/London", "hours": { "mon-fri": "09:00-17:30" },
          "closures": ["closures/c.ics"] }
        """;

    private static string Ics(params string[] lines) =>
        string.Join("\r\n", ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", .. lines, "END:VCALENDAR", ""]);

    private static string[] Event(string summary, params string[] lines) =>
        ["BEGIN:VEVENT", $"UID:{summary}", "DTSTAMP:20260101T000000Z", $"SUMMARY:{summary}", .. lines, "END:VEVENT"];

    private static readonly string ClosuresFile = Ics(
    [
        // Line 4: Christmas Eve afternoon, London time.
        .. Event("Christmas Eve afternoon", "DTSTART;TZID=Europe/London:20261224T130000", "DTEND;TZID=Europe/London:20261224T170000"),
        // Line 11: in UTC.
        .. Event("Server move", "DTSTART:20261109T120000Z", "DTEND:20261109T140000Z"),
        // Line 18: floating: read in the calendar's zone (BST in July).
        .. Event("Fire drill", "DTSTART:20260714T120000", "DURATION:PT2H"),
        // Line 25: another zone's time: 09:00-11:00 in New York (EST) is 14:00-16:00 in London.
        .. Event("All hands", "DTSTART;TZID=America/New_York:20261111T090000", "DTEND;TZID=America/New_York:20261111T110000"),
        // Line 32: every Tuesday 16:00-17:00 London, three times, across the end of summer time (25 Oct).
        .. Event("Training", "DTSTART;TZID=Europe/London:20261020T160000", "DTEND;TZID=Europe/London:20261020T170000", "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
        // Line 40: over a weekend, Friday 15:00 to Monday 11:00.
        .. Event("Office move", "DTSTART;TZID=Europe/London:20261113T150000", "DTEND;TZID=Europe/London:20261116T110000"),
        // Line 47: a whole-day event still closes the day.
        .. Event("Founders' Day", "DTSTART;VALUE=DATE:20261201"),
    ]);

    private static readonly Lazy<BusinessCalendar> Loaded = new(() =>
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar), ("calendars/closures/c.ics", ClosuresFile));
        var result = PolicyLoader.Load(dir.Path);
        result.Diagnostics.ShouldBeEmpty();
        return BusinessCalendar.Create(result.Set.Calendars["c"]);
    });

    private static double Minutes(string from, string to) => Loaded.Value.BusinessTimeBetween(At(from), At(to)).TotalMinutes;

    // from, to, business minutes, why
    public static TheoryData<string, string, double> Spans => new()
    {
        // Thu 24 Dec (GMT): 09:00-13:00 (240) + 17:00-17:30 (30) = 270 of 510.
        { "2026-12-24T00:00:00Z", "2026-12-25T00:00:00Z", 270 },
        { "2026-12-24T13:00:00Z", "2026-12-24T17:00:00Z", 0 },
        // Mon 9 Nov: 12:00Z-14:00Z closed = 12:00-14:00 London (GMT): 510 - 120 = 390.
        { "2026-11-09T00:00:00Z", "2026-11-10T00:00:00Z", 390 },
        // Tue 14 Jul (BST, UTC+1): the floating 12:00-14:00 is London's, 11:00Z-13:00Z; 13:00Z-14:00Z is open.
        { "2026-07-14T00:00:00Z", "2026-07-15T00:00:00Z", 390 },
        { "2026-07-14T11:00:00Z", "2026-07-14T13:00:00Z", 0 },
        { "2026-07-14T13:00:00Z", "2026-07-14T14:00:00Z", 60 },
        // Wed 11 Nov: New York 09:00-11:00 EST = 14:00Z-16:00Z = London 14:00-16:00: 390.
        { "2026-11-11T00:00:00Z", "2026-11-12T00:00:00Z", 390 },
        { "2026-11-11T14:00:00Z", "2026-11-11T16:00:00Z", 0 },
        // Training, Tue 20 Oct (BST): 16:00-17:00 London = 15:00Z-16:00Z; Tue 27 Oct (GMT) = 16:00Z-17:00Z; Tue 3 Nov too;
        // COUNT=3, so Tue 10 Nov is a whole day.
        { "2026-10-20T00:00:00Z", "2026-10-21T00:00:00Z", 450 },
        { "2026-10-20T15:00:00Z", "2026-10-20T16:00:00Z", 0 },
        { "2026-10-27T16:00:00Z", "2026-10-27T17:00:00Z", 0 },
        { "2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z", 450 },
        { "2026-11-10T00:00:00Z", "2026-11-11T00:00:00Z", 510 },
        // Office move: Fri 13 Nov 09:00-15:00 (360), the weekend, Mon 16 Nov 11:00-17:30 (390).
        { "2026-11-13T00:00:00Z", "2026-11-14T00:00:00Z", 360 },
        { "2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z", 390 },
        // Founders' Day, Tue 1 Dec, whole day.
        { "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", 0 },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void Closure_ClosesItsSpan(string from, string to, double minutes) => Minutes(from, to).ShouldBe(minutes);

    [Fact]
    public void Closure_DueTimeSkipsIt()
    {
        // 4 h from Thu 24 Dec 11:00: 11:00-13:00 (2 h), closed 13:00-17:00, 17:00-17:30 (0.5 h), then Fri 09:00-10:30 (1.5 h).
        Loaded.Value.AddBusinessTime(At("2026-12-24T11:00:00Z"), TimeSpan.FromHours(4)).ShouldBe(At("2026-12-25T10:30:00Z"));

        // Exactly the time before the closure ends at its start, not at its end: 2 h from 11:00 is 13:00.
        Loaded.Value.AddBusinessTime(At("2026-12-24T11:00:00Z"), TimeSpan.FromHours(2)).ShouldBe(At("2026-12-24T13:00:00Z"));
    }

    [Fact]
    public void Closure_IsNamedWithItsEvent()
    {
        var met = Loaded.Value.ClosuresBetween(At("2026-12-24T11:00:00Z"), At("2026-12-25T10:30:00Z")).ShouldHaveSingleItem();

        met.Closure.Name.ShouldBe("Christmas Eve afternoon");
        met.Closure.Location.Line.ShouldBe(4);
        (met.Start, met.End).ShouldBe((At("2026-12-24T13:00:00Z"), At("2026-12-24T17:00:00Z")));

        // A closure that closes nothing open (a Saturday) is not met.
        Loaded.Value.ClosuresBetween(At("2026-11-14T00:00:00Z"), At("2026-11-15T00:00:00Z")).Select(c => c.Closure.Name).ShouldBe(["Office move"]);
        Loaded.Value.ClosuresBetween(At("2026-11-14T00:00:00Z"), At("2026-11-14T12:00:00Z")).Select(c => c.Closure.Name).ShouldBe(["Office move"]);
    }

    [Fact]
    public void Explain_NamesTheClosureAndWhereItIsWritten()
    {
        const string policy = """
            { "id": "p", "version": "1", "effective": { "from": "2026-01-01" }, "appliesTo": { "customers": ["acme"] }, "calendar": "c",
              "targets": [ { "id": "resolution", "metric": "resolution", "within": "4h", "clock": "business" } ] }
            """;
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar), ("calendars/closures/c.ics", ClosuresFile), ("p.json", policy));
        var compilation = SlaPolicy.Engine.Compilation.PolicyPipeline.LoadAndCompile(dir.Path);
        compilation.Diagnostics.ShouldBeEmpty();
        var ticket = new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 3, At("2026-12-24T11:00:00Z"), null, null, [], []);

        var decision = compilation.CreateEvaluator().Evaluate(ticket, At("2026-12-25T12:00:00Z"), explain: true).Single();

        // Due Fri 10:30 (see above); at Fri 12:00: 2 + 0.5 + 3 = 5.5 h: breached.
        decision.Status.ShouldBe(DecisionStatus.Breached);
        decision.DueAt.ShouldBe(At("2026-12-25T10:30:00Z"));
        decision.ElapsedMinutes.ShouldBe(330);
        var step = decision.Explanation.Single(s => s.Kind == "closure");
        step.Text.ShouldBe("2026-12-24 13:00 to 17:00 +00:00 is closed in calendar c (Christmas Eve afternoon): not counted");
        step.Location!.Value.Line.ShouldBe(4);
        step.Location.Value.File.ShouldEndWith("c.ics");
    }

    // closures file text, expected code, line, what is still read (business minutes of Mon 9 Nov)
    public static TheoryData<string, string, int, double> Warnings => new()
    {
        // A time zone nobody knows: left out with SLA2023, the UTC event after it still closes 12:00-14:00.
        {
            Ics([.. Event("Mars", "DTSTART;TZID=Mars/Olympus:20261109T100000", "DTEND;TZID=Mars/Olympus:20261109T110000"),
                 .. Event("Server move", "DTSTART:20261109T120000Z", "DTEND:20261109T140000Z")]),
            "SLA2023", 4, 390
        },
        // No DTEND nor DURATION on a timed event: it lasts no time (RFC 5545), closes nothing; SLA2023.
        {
            Ics([.. Event("Blip", "DTSTART:20261109T100000Z"), .. Event("Server move", "DTSTART:20261109T120000Z", "DTEND:20261109T140000Z")]),
            "SLA2023", 4, 390
        },
    };

    [Theory]
    [MemberData(nameof(Warnings))]
    public void Closure_ThatCannotBeRead_IsAWarning_AndTheRestIsRead(string ics, string code, int line, double minutes)
    {
        using var dir = new TempPolicyDirectory(("calendars/c.json", Calendar), ("calendars/closures/c.ics", ics));

        var result = PolicyLoader.Load(dir.Path);

        var warning = result.Diagnostics.ShouldHaveSingleItem();
        (warning.Descriptor.Code, warning.Descriptor.Severity, warning.Location.Line).ShouldBe((code, DiagnosticSeverity.Warning, line));
        BusinessCalendar.Create(result.Set.Calendars["c"]).BusinessTimeBetween(At("2026-11-09T00:00:00Z"), At("2026-11-10T00:00:00Z")).TotalMinutes.ShouldBe(minutes);
    }

    // closures entry, expected code, column, help
    public static TheoryData<string, string, int, string?> BadEntries => new()
    {
        // A JSON holiday list in `closures`: SLA2024 at the entry's first character, line 2 column 17 (two spaces of
        // indent, `"closures": [` is 13 characters, then the opening quote at 16).
        { "\"closures\": [\"holidays/de.json\"]", "SLA2024", 17, "name an `.ics` file here; days and yearly rules belong in `holidays`" },
        // A misspelt key.
        { "\"closure\": [\"closures/c.ics\"]", "SLA1002", 3, "did you mean `closures`?" },
        // A file that is not there: SLA2021 at the entry.
        { "\"closures\": [\"closures/missing.ics\"]", "SLA2021", 17, null },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public void Closures_BadEntry_IsReportedAtItsPlace(string entry, string code, int column, string? help)
    {
        var calendar = $$"""
            { "id": "c", "timeZone": "Europe/London", "hours": { "mon-fri": "09:00-17:30" },
              {{entry}} }
            """;
        using var dir = new TempPolicyDirectory(("calendars/c.json", calendar));

        var diagnostic = PolicyLoader.Load(dir.Path).Diagnostics.ShouldHaveSingleItem();

        (diagnostic.Descriptor.Code, diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((code, 2, column));
        if (help is not null)
        {
            diagnostic.Help.ShouldBe(help);
        }
    }

    [Fact]
    public void Holidays_TimedEvent_StillLeftOutWithSla2023_ThatPointsAtClosures()
    {
        var calendar = """{ "id": "c", "timeZone": "Europe/London", "hours": { "mon-fri": "09:00-17:30" }, "holidays": ["closures/c.ics"] }""";
        using var dir = new TempPolicyDirectory(("calendars/c.json", calendar), ("calendars/closures/c.ics", Ics(Event("Server move", "DTSTART:20261109T120000Z", "DTEND:20261109T140000Z"))));

        var result = PolicyLoader.Load(dir.Path);

        var warning = result.Diagnostics.ShouldHaveSingleItem();
        warning.Descriptor.Code.ShouldBe("SLA2023");
        warning.Help!.ShouldContain("`closures`");
        BusinessCalendar.Create(result.Set.Calendars["c"]).BusinessTimeBetween(At("2026-11-09T00:00:00Z"), At("2026-11-10T00:00:00Z")).TotalMinutes.ShouldBe(510);
    }

    private static Gen<(string Zone, int Open, int Length, int Start, int Span, int Split, int From, int Window, int Amount)> ClosureGen =>
        from zone in Gen.Elements("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
        from open in Gen.Choose(0, 20)
        from length in Gen.Choose(1, 12)
        from start in Gen.Choose(0, 60 * 24 * 60)
        from span in Gen.Choose(2, 5 * 24 * 60)
        from split in Gen.Choose(1, 1_000_000)
        from begin in Gen.Choose(0, 60 * 24 * 60)
        from window in Gen.Choose(0, 20 * 24 * 60)
        from amount in Gen.Choose(0, 6000)
        select (zone, open, Math.Min(24 - open, length), start, span, split, begin, window, amount);

    private static string Clock(int hours) => hours == 24 ? "24:00" : $"{hours:00}:00";

    /// <summary>Splitting a closure range in two (13:00-17:00 as 13:00-15:00 and 15:00-17:00), in UTC or floating, changes nothing.</summary>
    [Property(MaxTest = 300)]
    public Property SplittingAClosure_ChangesNothing() => Prop.ForAll(ClosureGen.ToArbitrary(), g =>
    {
        var origin = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var (a, b) = (origin.AddMinutes(g.Start), origin.AddMinutes(g.Start + g.Span));
        var m = a.AddMinutes(1 + (g.Split % (g.Span - 1)));
        var floating = g.Split % 2 == 0;
        var definition = Definition(g.Zone, $"mon-sat={Clock(g.Open)}-{Clock(g.Open + g.Length)}");
        var whole = BusinessCalendar.Create(definition with { Closures = [new TimedClosure(a, b, floating, SourceLocation.None)] });
        var split = BusinessCalendar.Create(definition with { Closures = [new TimedClosure(m, b, floating, SourceLocation.None), new TimedClosure(a, m, floating, SourceLocation.None)] });
        var from = new DateTimeOffset(origin.AddMinutes(g.From));
        var to = from.AddMinutes(g.Window);
        return whole.BusinessTimeBetween(from, to) == split.BusinessTimeBetween(from, to)
            && whole.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount)) == split.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount))
            && whole.OpenIntervals(from, to).SequenceEqual(split.OpenIntervals(from, to));
    });

    /// <summary>A closure takes away exactly the open time inside it, and never makes an amount end earlier.</summary>
    [Property(MaxTest = 300)]
    public Property Closure_RemovesExactlyTheOpenTimeInside() => Prop.ForAll(ClosureGen.ToArbitrary(), g =>
    {
        var origin = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var (a, b) = (origin.AddMinutes(g.Start), origin.AddMinutes(g.Start + g.Span));
        var definition = Definition(g.Zone, $"mon-sat={Clock(g.Open)}-{Clock(g.Open + g.Length)}");
        var open = BusinessCalendar.Create(definition);
        var closed = BusinessCalendar.Create(definition with { Closures = [new TimedClosure(a, b, false, SourceLocation.None)] });
        var from = new DateTimeOffset(origin.AddMinutes(g.From));
        var to = from.AddMinutes(g.Window);
        var (ca, cb) = (Max(from, new DateTimeOffset(a)), Min(to, new DateTimeOffset(b)));
        var inside = cb > ca ? open.BusinessTimeBetween(ca, cb) : TimeSpan.Zero;
        return closed.BusinessTimeBetween(from, to) == open.BusinessTimeBetween(from, to) - inside
            && closed.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount)) >= open.AddBusinessTime(from, TimeSpan.FromMinutes(g.Amount));
    });

    private static DateTimeOffset Max(DateTimeOffset x, DateTimeOffset y) => x >= y ? x : y;

    private static DateTimeOffset Min(DateTimeOffset x, DateTimeOffset y) => x <= y ? x : y;
}
