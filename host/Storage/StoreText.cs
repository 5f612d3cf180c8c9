using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>How values are written as text in the store (shared by every SQL implementation).</summary>
internal static class StoreText
{
    public static JsonSerializerOptions Json => StoredForms.Json;

    /// <summary>UTC, fixed width: text order is time order.</summary>
    public static string Utc(DateTimeOffset value) => StoredForms.Utc(value);

    /// <summary>Round-trip text keeping the original offset.</summary>
    public static string Instant(DateTimeOffset value) => StoredForms.Instant(value);

    public static DateTimeOffset ParseInstant(string text) => StoredForms.ParseInstant(text);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The evaluation date a decision is keyed by: the UTC calendar date of its asOf.</summary>
    public static DateOnly EvaluationDate(DateTimeOffset asOf) => DateOnly.FromDateTime(asOf.UtcDateTime);

    private static readonly EnumText<DecisionStatus> Statuses = new(
        ignoreCase: true,
        (DecisionStatus.Met, "met"), (DecisionStatus.Breached, "breached"), (DecisionStatus.Running, "running"),
        (DecisionStatus.Paused, "paused"), (DecisionStatus.NoPolicy, "no-policy"), (DecisionStatus.Error, "error"),
        (DecisionStatus.Pending, "pending"), (DecisionStatus.Cancelled, "cancelled"));

    private static readonly EnumText<RunTrigger> Triggers = new(
        ignoreCase: false,
        (RunTrigger.Schedule, "schedule"), (RunTrigger.CatchUp, "catch-up"), (RunTrigger.Api, "api"), (RunTrigger.Cli, "cli"));

    public static string Status(DecisionStatus status) => Statuses.Text(status);

    public static bool TryParseStatus(string text, out DecisionStatus status) => Statuses.TryParse(text, out status);

    public static string Explanation(ImmutableArray<ExplanationStep> steps) => JsonSerializer.Serialize(steps.IsDefault ? [] : steps, Json);

    public static ImmutableArray<ExplanationStep> ParseExplanation(string json) => JsonSerializer.Deserialize<ImmutableArray<ExplanationStep>>(json, Json);

    public static string Strings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, Json);

    public static IReadOnlyList<string> ParseStrings(string json) => JsonSerializer.Deserialize<string[]>(json, Json) ?? [];

    public static string Trigger(RunTrigger trigger) => Triggers.Text(trigger);

    /// <summary>The trigger stored as <paramref name="text"/>; <see cref="RunTrigger.Cli"/> for any other text.</summary>
    public static RunTrigger ParseTrigger(string text) => Triggers.TryParse(text, out var trigger) ? trigger : RunTrigger.Cli;

    public static string State(RunState state) => state.ToString().ToLowerInvariant();

    public static RunState ParseState(string text) => Enum.Parse<RunState>(text, ignoreCase: true);
}
