using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies;

/// <summary>A policy version whose review is due or overdue on a date.</summary>
/// <param name="Policy">The version, <c>id@version</c>.</param>
/// <param name="File">The file that writes it.</param>
/// <param name="ReviewBy">The review date it names.</param>
/// <param name="NoticeDays">Its notice period in days.</param>
/// <param name="DaysLeft">Days from the date to <paramref name="ReviewBy"/>: negative when overdue.</param>
/// <param name="Location">Where <c>reviewBy</c> is written, <c>file:line:col</c>.</param>
public sealed record PolicyReview(string Policy, string File, DateOnly ReviewBy, int NoticeDays, int DaysLeft, string Location)
{
    /// <summary>True when the review date has passed.</summary>
    public bool Overdue => DaysLeft < 0;
}

/// <summary>
/// Review dates of policy versions (<c>reviewBy</c>, <c>reviewNoticeDays</c>): which are due within their notice
/// period or overdue on a date, as diagnostics (SLA3004, SLA3005) and as a list. A version that is no longer in effect
/// on the date (its <c>effective.to</c> has passed) needs no review and is left out. The caller says what day it is.
/// </summary>
public static class PolicyReviews
{
    /// <summary>The versions of <paramref name="policies"/> whose review is due or overdue on <paramref name="today"/>, soonest first.</summary>
    public static IReadOnlyList<PolicyReview> Due(IEnumerable<Policy> policies, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return [.. policies
            .Where(p => p.ReviewBy is { } by && (p.EffectiveTo is null || today < p.EffectiveTo.Value) && today.DayNumber >= by.DayNumber - p.ReviewNoticeDays)
            .Select(p => new PolicyReview($"{p.Id}@{p.Version}", p.File, p.ReviewBy!.Value, p.ReviewNoticeDays, p.ReviewBy.Value.DayNumber - today.DayNumber, p.ReviewByLocation.ToString()))
            .OrderBy(r => r.DaysLeft)
            .ThenBy(r => r.Policy, StringComparer.Ordinal)];
    }

    /// <summary>One warning per version of <see cref="Due"/>, at its <c>reviewBy</c>.</summary>
    public static IEnumerable<Diagnostic> Diagnostics(IEnumerable<Policy> policies, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var byName = policies.ToDictionary(p => $"{p.Id}@{p.Version}", StringComparer.Ordinal);
        foreach (var review in Due(byName.Values, today))
        {
            var policy = byName[review.Policy];
            var id = $"`{policy.Id}` {policy.Version}";
            yield return review.Overdue
                ? new Diagnostic(DiagnosticCatalog.ReviewOverdue, policy.ReviewByLocation, $"the review of {id} was due by {review.ReviewBy:yyyy-MM-dd}, {Days(-review.DaysLeft)} ago")
                : new Diagnostic(
                    DiagnosticCatalog.ReviewDue,
                    policy.ReviewByLocation,
                    $"the review of {id} is due by {review.ReviewBy:yyyy-MM-dd}, {(review.DaysLeft == 0 ? "today" : $"in {Days(review.DaysLeft)}")} (notice period {Days(review.NoticeDays)})");
        }
    }

    /// <summary>
    /// A warning (SLA3006) for each version of <paramref name="policies"/> that is no longer in effect on
    /// <paramref name="today"/> while cases it governs are still open; <paramref name="openCases"/> maps a version
    /// (<c>id@version</c>) to the ids of its open cases.
    /// </summary>
    public static IEnumerable<Diagnostic> EndedWithOpenCases(IEnumerable<Policy> policies, IReadOnlyDictionary<string, List<string>> openCases, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(openCases);
        foreach (var policy in policies)
        {
            if (policy.EffectiveTo is not { } to || today < to || !openCases.TryGetValue($"{policy.Id}@{policy.Version}", out var ids) || ids.Count == 0)
            {
                continue;
            }

            const int Listed = 5;
            var shown = string.Join(", ", ids.Order(StringComparer.Ordinal).Take(Listed)) + (ids.Count > Listed ? $" and {ids.Count - Listed} more" : string.Empty);
            var location = policy.EffectiveToLocation.IsKnown ? policy.EffectiveToLocation : policy.Location;
            yield return new Diagnostic(
                DiagnosticCatalog.EndedWithOpenCases,
                location,
                $"`{policy.Id}` {policy.Version} is no longer in effect since {to:yyyy-MM-dd}, but {(ids.Count == 1 ? "1 case it governs is" : $"{ids.Count} cases it governs are")} still open: {shown}");
        }
    }

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
