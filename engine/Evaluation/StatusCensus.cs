using System.Collections.Immutable;
using System.Globalization;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>
/// Counts the statuses of cases' events that nothing gives a meaning: neither a policy's <c>pauseOn</c> nor the list of
/// <see cref="KnownStatuses"/> names them. Statuses compare exactly (ordinal, case-sensitive), as the clocks compare
/// them with <c>pauseOn</c>, so <c>Waiting_On_Customer</c> does not pause a clock that pauses on
/// <c>waiting_on_customer</c>: such a near miss (the same ignoring case, or a small edit away) is counted and also
/// reported as a warning on its line, naming the status meant. One census per ingestion or evaluation; not thread-safe.
/// </summary>
public sealed class StatusCensus
{
    /// <summary>Statuses that need no policy to be known (docs/INPUTS.md "Statuses"): common ticketing states.</summary>
    public static readonly ImmutableArray<string> KnownStatuses =
        ["new", "open", "in_progress", "waiting_on_customer", "waiting_on_third_party", "on_hold", "resolved", "closed", "reopened"];

    private readonly HashSet<string> _known;
    private readonly string[] _pauseOn;
    private readonly string[] _teams;
    private readonly Dictionary<string, long> _unknown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _suggestions = new(StringComparer.Ordinal);

    /// <summary>A census against the statuses <paramref name="pauseOn"/> of the policies in force.</summary>
    public StatusCensus(IEnumerable<string> pauseOn)
        : this(pauseOn, [], [])
    {
    }

    /// <summary>
    /// A census against the statuses <paramref name="pauseOn"/>, the statuses targets' conditions name
    /// (<paramref name="named"/>, known too) and the teams <paramref name="teams"/> (the keys of <c>calendarFrom.teams</c>)
    /// of the policies in force: an event's <c>team</c> a small edit away from one of them is warned too. Other teams are
    /// not: a team a policy does not map counts on the case's own calendar.
    /// </summary>
    public StatusCensus(IEnumerable<string> pauseOn, IEnumerable<string> named, IEnumerable<string> teams)
    {
        ArgumentNullException.ThrowIfNull(pauseOn);
        ArgumentNullException.ThrowIfNull(named);
        ArgumentNullException.ThrowIfNull(teams);
        _pauseOn = [.. pauseOn.Distinct(StringComparer.Ordinal)];
        _known = new HashSet<string>(_pauseOn.Concat(KnownStatuses).Concat(named), StringComparer.Ordinal);
        _teams = [.. teams.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A census against the <c>pauseOn</c> statuses and teams of <paramref name="evaluator"/>'s policies (none when it has
    /// no compiled set); the statuses its targets' <c>start</c>, <c>stop</c>, <c>pause</c> and <c>cancel</c> name are known too.
    /// </summary>
    public static StatusCensus For(ICaseEvaluator? evaluator) =>
        evaluator is CaseEvaluator compiled
            ? new(
                compiled.Set.Policies.SelectMany(p => p.PauseOn),
                compiled.Set.Policies.SelectMany(p => p.Targets).SelectMany(ConditionStatuses),
                compiled.Set.Policies.SelectMany(p => p.CalendarFrom is { FollowsTheSun: true } from ? from.Teams.Select(t => t.Key) : []))
            : new([]);

    private static IEnumerable<string> ConditionStatuses(Policies.TargetTerm target) =>
        new[] { target.Start, target.Stop, target.Pause, target.Cancel }.SelectMany(c => c is null || c.Statuses.IsDefault ? [] : c.Statuses.AsEnumerable());

    /// <summary>The unknown statuses seen so far and how many events carried each, in ordinal order.</summary>
    public IReadOnlyDictionary<string, long> Unknown => new SortedDictionary<string, long>(_unknown, StringComparer.Ordinal);

    /// <summary>
    /// Counts the unknown statuses of <paramref name="ticket"/>; returns a warning for each event whose status is a near
    /// miss of a <c>pauseOn</c> or known status (empty for most cases).
    /// </summary>
    public IReadOnlyList<InputWarning> Observe(CaseRecord ticket, string source, long lineNumber)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        List<InputWarning>? warnings = null;
        for (var i = 0; i < ticket.Events.Length; i++)
        {
            if (ticket.Events[i].Team is { } team && _teams.Length > 0 && TeamWarning(team, i, source, lineNumber) is { } teamWarning)
            {
                (warnings ??= []).Add(teamWarning);
            }

            var status = ticket.Events[i].Status;
            if (_known.Contains(status))
            {
                continue;
            }

            _unknown[status] = _unknown.GetValueOrDefault(status) + 1;
            if (!_suggestions.TryGetValue(status, out var suggestion))
            {
                suggestion = Suggestions.Closest(status, _pauseOn, 2) ?? Suggestions.Closest(status, KnownStatuses, 2);
                _suggestions[status] = suggestion;
            }

            if (suggestion is not null)
            {
                var meaning = _pauseOn.Contains(suggestion, StringComparer.Ordinal) ? $", and only `{suggestion}` pauses the clock" : string.Empty;
                (warnings ??= []).Add(new InputWarning(
                    source, lineNumber, $"events[{i.ToString(CultureInfo.InvariantCulture)}].status",
                    $"unknown status `{status}` (did you mean `{suggestion}`?): statuses compare exactly, case-sensitive{meaning}"));
            }
        }

        return warnings ?? (IReadOnlyList<InputWarning>)[];
    }

    private InputWarning? TeamWarning(string team, int index, string source, long lineNumber)
    {
        // Short names all look alike: one edit for names of up to 5 characters, as for property names.
        if (_teams.Contains(team, StringComparer.Ordinal) || Suggestions.Closest(team, _teams, team.Length <= 5 ? 1 : 2) is not { } meant)
        {
            return null;
        }

        return new InputWarning(
            source, lineNumber, $"events[{index.ToString(CultureInfo.InvariantCulture)}].team",
            $"unknown team `{team}` (did you mean `{meant}`?): teams compare exactly, case-sensitive, and a team calendarFrom.teams does not name counts on the case's own calendar");
    }

    /// <summary>One line for a summary: <c>2 unknown statuses: `Waiting_On_Customer` (3 events, did you mean `waiting_on_customer`?), `x` (1 event)</c>.</summary>
    public static string Describe(IReadOnlyDictionary<string, long> unknown, Func<string, string?>? suggestionOf = null)
    {
        ArgumentNullException.ThrowIfNull(unknown);
        var parts = unknown.Select(kv =>
        {
            var events = kv.Value == 1 ? "1 event" : $"{kv.Value.ToString(CultureInfo.InvariantCulture)} events";
            var hint = suggestionOf?.Invoke(kv.Key) is { } s ? $", did you mean `{s}`?" : string.Empty;
            return $"`{kv.Key}` ({events}{hint})";
        });
        return $"{unknown.Count.ToString(CultureInfo.InvariantCulture)} unknown status{(unknown.Count == 1 ? string.Empty : "es")} (neither in a policy's pauseOn nor a known status): {string.Join(", ", parts)}";
    }

    /// <summary>The status an unknown one seems meant as, when it was observed and is a near miss; else null.</summary>
    public string? SuggestionFor(string status) => _suggestions.GetValueOrDefault(status);
}
