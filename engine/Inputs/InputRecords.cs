namespace SlaPolicy.Engine.Inputs;

// Input records as read from JSON Lines (formats in docs/INPUTS.md). Timestamps always carry an offset.

/// <summary>A status change of a case; statuses listed in a policy's <c>pauseOn</c> pause its clocks.</summary>
public sealed record StatusEvent(DateTimeOffset At, string Status)
{
    /// <summary>What the event is (<c>reply</c>, <c>note</c>, ...), as the case's source system calls it; null when not given.</summary>
    public string? Type { get; init; }

    /// <summary>True when the event was visible to the customer (a public reply), false for an internal one; null when not given.</summary>
    public bool? Public { get; init; }

    /// <summary>The case's new severity from this event on (1 to 4); null when the event does not change it.</summary>
    public int? Severity { get; init; }

    /// <summary>
    /// The team that holds the case from this event on (JSON <c>team</c>, optional): the case was assigned to it here.
    /// Null when the event does not change the holder. Policies with <c>calendarFrom.teams</c> count business clocks on
    /// the calendar of the team holding the case at each instant (docs/CLOCKS.md "Follow-the-sun").
    /// </summary>
    public string? Team { get; init; }

    /// <summary>
    /// Who wrote the event (JSON <c>author</c>, optional): <c>customer</c>, <c>agent</c>, or another word of the case's
    /// source system; null when not given. Next-reply targets wait from a customer message to the next agent reply
    /// (docs/CLOCKS.md "Next reply targets").
    /// </summary>
    public string? Author { get; init; }
}

/// <summary>A record that could not be accepted: where it was, which field, why, and the raw text.</summary>
public sealed record RejectedRecord(string Source, long LineNumber, string? Field, string Reason, string RawText);

/// <summary>
/// Something in an accepted line that looks like a mistake: where it was, the field (as written), and a message in the
/// style of rejection reasons, e.g. <c>unknown property `firstresponseAt` ignored (did you mean `firstResponseAt`?)</c>.
/// </summary>
public sealed record InputWarning(string Source, long LineNumber, string Field, string Message);
