namespace SlaPolicy.Engine.Inputs;

// Input records as read from JSON Lines (formats in docs/INPUTS.md). Timestamps always carry an offset.

/// <summary>A status change of a case; statuses listed in a policy's <c>pauseOn</c> pause its clocks.</summary>
public sealed record StatusEvent(DateTimeOffset At, string Status);

/// <summary>A record that could not be accepted: where it was, which field, why, and the raw text.</summary>
public sealed record RejectedRecord(string Source, long LineNumber, string? Field, string Reason, string RawText);

/// <summary>
/// Something in an accepted line that looks like a mistake: where it was, the field (as written), and a message in the
/// style of rejection reasons, e.g. <c>unknown property `firstresponseAt` ignored (did you mean `firstResponseAt`?)</c>.
/// </summary>
public sealed record InputWarning(string Source, long LineNumber, string Field, string Message);
