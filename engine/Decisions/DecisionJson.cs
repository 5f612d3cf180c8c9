using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Decisions;

/// <summary>
/// Writes decisions as JSON with stable field names (a rename is a breaking change). One writer serves the
/// <c>evaluate</c> command, the store and the HTTP API, so the shapes cannot drift apart.
/// </summary>
public static class DecisionJson
{
    /// <summary>A decision's cycles or gaps, each numbered with its start, end, minutes and status; nothing when there are none.</summary>
    private static void WriteStretches(Utf8JsonWriter writer, string name, string numberName, string endName, ImmutableArray<DecisionCycle> stretches)
    {
        if (stretches.IsDefaultOrEmpty)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var stretch in stretches)
        {
            writer.WriteStartObject();
            writer.WriteNumber(numberName, stretch.Number);
            WriteInstant(writer, "start", stretch.Start);
            WriteInstant(writer, endName, stretch.Stop);
            writer.WriteNumber("elapsedMinutes", Math.Round(stretch.ElapsedMinutes, 2));
            writer.WriteString("status", StatusName(stretch.Status));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The status as written in JSON: <c>met</c>, <c>breached</c>, <c>running</c>, <c>paused</c>, <c>no-policy</c>, <c>error</c>, <c>pending</c>, <c>cancelled</c>.</summary>
    public static string StatusName(DecisionStatus status) => status switch
    {
        DecisionStatus.Met => "met",
        DecisionStatus.Breached => "breached",
        DecisionStatus.Running => "running",
        DecisionStatus.Paused => "paused",
        DecisionStatus.NoPolicy => "no-policy",
        DecisionStatus.Pending => "pending",
        DecisionStatus.Cancelled => "cancelled",
        _ => "error",
    };

    /// <summary>Parses a status name written by <see cref="StatusName"/>.</summary>
    public static bool TryParseStatus(string? text, out DecisionStatus status)
    {
        foreach (var candidate in Enum.GetValues<DecisionStatus>())
        {
            if (string.Equals(StatusName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Writes one decision as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(decision);
        writer.WriteStartObject();
        writer.WriteString("caseId", decision.CaseId);
        WriteNullable(writer, "target", decision.Target);
        WriteNullable(writer, "policy", decision.Policy);
        WriteNullable(writer, "policyVersion", decision.PolicyVersion);
        writer.WriteString("status", StatusName(decision.Status));
        WriteInstant(writer, "dueAt", decision.DueAt);
        WriteInstant(writer, "stoppedAt", decision.StoppedAt);
        writer.WriteNumber("elapsedMinutes", Math.Round(decision.ElapsedMinutes, 2));
        writer.WriteNumber("pausedMinutes", Math.Round(decision.PausedMinutes, 2));
        writer.WriteNumber("percentUsed", Math.Round(decision.PercentUsed, 2));
        writer.WriteNumber("escalationLevel", decision.EscalationLevel);
        WriteInstant(writer, "asOf", decision.AsOf);
        WriteNullable(writer, "customer", decision.Customer);
        WriteNullable(writer, "service", decision.Service);
        if (decision.Calendar is not null)
        {
            // Only for policies that let the case choose its calendar or clock: other decisions keep their shape.
            writer.WriteString("calendar", decision.Calendar);
            WriteNullable(writer, "calendarBy", decision.CalendarBy);
        }

        // Only for targets with a reopen rule on a reopened case, and for update targets: other decisions keep their shape.
        WriteStretches(writer, "cycles", "cycle", "stop", decision.Cycles);
        WriteStretches(writer, "gaps", "gap", "end", decision.Gaps);

        if (decision.SeverityHistory is not null)
        {
            writer.WriteString("severityHistory", decision.SeverityHistory);
        }

        if (decision.PolicyFile is not null)
        {
            writer.WriteStartObject("source");
            writer.WriteString("file", decision.PolicyFile);
            writer.WriteNumber("line", decision.PolicyLine);
            WriteNullable(writer, "rule", decision.RuleName);
            writer.WriteEndObject();
        }

        if (!decision.Explanation.IsDefaultOrEmpty)
        {
            writer.WritePropertyName("explanation");
            WriteExplanation(writer, decision.Explanation);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes explanation steps as a JSON array of objects with kind, text, at and source.</summary>
    public static void WriteExplanation(Utf8JsonWriter writer, IEnumerable<ExplanationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(steps);
        writer.WriteStartArray();
        foreach (var step in steps)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", step.Kind);
            writer.WriteString("text", step.Text);
            if (step.At is { } at)
            {
                writer.WriteString("at", at.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture));
            }

            if (step.Location is { IsKnown: true } location)
            {
                writer.WriteString("source", location.ToString());
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads explanation steps written by <see cref="WriteExplanation"/>.</summary>
    public static IReadOnlyList<ExplanationStep> ReadExplanation(string json)
    {
        using var document = JsonDocument.Parse(json);
        var steps = new List<ExplanationStep>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            DateTimeOffset? at = element.TryGetProperty("at", out var a) ? a.GetDateTimeOffset() : null;
            SourceLocation? location = element.TryGetProperty("source", out var s) ? ParseLocation(s.GetString()) : null;
            steps.Add(new ExplanationStep(element.GetProperty("kind").GetString() ?? string.Empty, element.GetProperty("text").GetString() ?? string.Empty, location, at));
        }

        return steps;
    }

    private static SourceLocation? ParseLocation(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(':');
        return parts.Length >= 3
            && int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var line)
            && int.TryParse(parts[^1], CultureInfo.InvariantCulture, out var column)
            ? new SourceLocation(string.Join(':', parts[..^2]), line, column)
            : new SourceLocation(text, 0, 0);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
