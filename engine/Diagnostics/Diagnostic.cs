namespace SlaPolicy.Engine.Diagnostics;

/// <summary>A position in a source file: 1-based line and column. <see cref="None"/> when unknown.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new(string.Empty, 0, 0);

    public bool IsKnown => Line > 0;

    public override string ToString() => IsKnown ? $"{File}:{Line}:{Column}" : File;
}

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One entry of the diagnostic catalogue: a stable code, its severity, a title and a help line.
/// Codes never change meaning once published; see docs/DIAGNOSTICS.md.
/// </summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title, string Help);

/// <summary>
/// A problem found in a policy file or an expression. Messages follow one style: one sentence, no capital,
/// no final period, user input in backticks.
/// </summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, SourceLocation Location, string Message, string? Help = null)
{
    /// <summary>Longest message kept: a message quotes what a file says, and a file may say anything at any length.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>The message, cut to <see cref="MaxMessageLength"/> characters (saying how long it was).</summary>
    public string Message { get; init; } = Message.Length <= MaxMessageLength
        ? Message
        : string.Concat(Message.AsSpan(0, MaxMessageLength), $"… ({Message.Length:N0} characters)");

    public string Code => Descriptor.Code;

    public DiagnosticSeverity Severity => Descriptor.Severity;

    /// <summary>Renders <c>path:line:col: error SLAnnnn: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var text = $"{Location}: {severity} {Code}: {Message}";
        return Help is null ? text : $"{text} ({Help})";
    }
}

/// <summary>Collects diagnostics across stages; compilation stops only when a stage cannot go on.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticSeverity.Error);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void Add(DiagnosticDescriptor descriptor, SourceLocation location, string message, string? help = null)
        => _items.Add(new Diagnostic(descriptor, location, message, help));

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>Diagnostics ordered by file, line and column, as they are printed.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items.OrderBy(d => d.Location.File, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column)];
}
