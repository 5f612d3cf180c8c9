using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Calendars;

/// <summary>
/// A span a calendar is closed for, from a timed iCalendar event (docs/CLOCKS.md "Timed closures"): [<see cref="Start"/>,
/// <see cref="End"/>). When <see cref="Floating"/> is false both are UTC instants (the event named a <c>TZID</c> or was
/// written in UTC); when true they are wall-clock times read in the time zone of each calendar that names the file.
/// </summary>
/// <param name="Start">The first closed instant (or local time when floating).</param>
/// <param name="End">The first instant open again (or local time when floating); after <paramref name="Start"/>.</param>
/// <param name="Floating">True for an event written without a time zone (<c>DTSTART:20261224T130000</c>).</param>
/// <param name="Location">The event's <c>BEGIN:VEVENT</c> line.</param>
public sealed record TimedClosure(DateTime Start, DateTime End, bool Floating, SourceLocation Location)
{
    /// <summary>The event's <c>SUMMARY</c>; null when it has none.</summary>
    public string? Name { get; init; }
}
