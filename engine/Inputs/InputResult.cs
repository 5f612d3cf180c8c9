using System.Collections.Immutable;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// The outcome of reading one line of an input file: either an accepted <see cref="Record"/> or a
/// <see cref="Rejected"/> record saying where and why, never both.
/// </summary>
/// <typeparam name="T">The record type (<see cref="CaseRecord"/>, <see cref="OutageRecord"/>, ...).</typeparam>
/// <param name="Record">The accepted record; null when the line was rejected.</param>
/// <param name="LineNumber">The 1-based line number of the record in its source.</param>
/// <param name="Rejected">Why the line was rejected; null when it was accepted.</param>
public readonly record struct InputResult<T>(T? Record, long LineNumber, RejectedRecord? Rejected)
    where T : class
{
    private readonly ImmutableArray<InputWarning> _warnings;

    /// <summary>
    /// What was accepted but looks like a mistake (an unknown property a small edit away from a known one); empty for
    /// most lines. A rejected line may carry warnings too.
    /// </summary>
    public ImmutableArray<InputWarning> Warnings
    {
        get => _warnings.IsDefault ? [] : _warnings;
        init => _warnings = value;
    }

    /// <summary>True when the line was accepted; <see cref="Record"/> is then not null.</summary>
    public bool IsAccepted => Record is not null;

    /// <summary>An accepted record read from the given line.</summary>
    public static InputResult<T> Accept(T record, long lineNumber) => new(record, lineNumber, null);

    /// <summary>A rejected line.</summary>
    public static InputResult<T> Reject(RejectedRecord rejected) => new(null, rejected.LineNumber, rejected);
}

/// <summary>
/// Limits that keep one bad or hostile line from exhausting memory. Immutable.
/// </summary>
/// <param name="MaxLineBytes">The longest line accepted, in bytes, excluding the line break (default 1 MiB).</param>
/// <param name="MaxStringBytes">
/// The longest string value accepted (ids, names, statuses, tags, currencies), in bytes as written in the
/// file, escapes included (default 4 KiB).
/// </param>
/// <param name="MaxEvents">The most status events one case may hold, inclusive (default 10,000).</param>
/// <param name="MaxTags">The most tags one case may hold, inclusive (default 100).</param>
public sealed record InputLimits(
    int MaxLineBytes = InputLimits.DefaultMaxLineBytes,
    int MaxStringBytes = InputLimits.DefaultMaxStringBytes,
    int MaxEvents = InputLimits.DefaultMaxEvents,
    int MaxTags = InputLimits.DefaultMaxTags)
{
    /// <summary>1 MiB.</summary>
    public const int DefaultMaxLineBytes = 1024 * 1024;

    /// <summary>4 KiB.</summary>
    public const int DefaultMaxStringBytes = 4 * 1024;

    /// <summary>10,000 events: a year of a status change every hour, far beyond any real case.</summary>
    public const int DefaultMaxEvents = 10_000;

    /// <summary>100 tags.</summary>
    public const int DefaultMaxTags = 100;

    /// <summary>
    /// The most of a rejected line kept as its raw text in the quarantine (64 KiB); beyond it the first 4 KiB are kept,
    /// followed by <c>… (N bytes in all)</c>, so that an absurd line cannot bloat the quarantine.
    /// </summary>
    public const int MaxQuarantinedRawBytes = 64 * 1024;

    /// <summary>The default limits: 1 MiB a line, 4 KiB a string, 10,000 events and 100 tags a case.</summary>
    public static InputLimits Default { get; } = new();
}
