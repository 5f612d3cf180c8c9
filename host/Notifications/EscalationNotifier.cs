using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Logging;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Evaluation;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Notifications;

/// <summary>Told of every batch of decisions a run writes; <c>serve</c> delivers the escalation crossings in them.</summary>
public interface IEscalationNotifier
{
    /// <summary>Stores the crossings of <paramref name="decisions"/> not notified before and hands them to the scheduler for delivery.</summary>
    void Written(long runId, IReadOnlyList<Decision> decisions, ICaseEvaluator evaluator);
}

/// <summary>
/// Finds the escalation crossings of a batch of decisions and stores one notification per crossing and recipient: a
/// step of the policy's ladder (<c>notify</c> or <c>escalate</c>) whose <c>at</c> the target's clock has reached, for a
/// case whose clock is still counting (a crossing of a case already stopped is history, not news). The key (case,
/// target, step, recipient) makes it once, however many runs see it. Each new one is enqueued as a
/// <see cref="NotificationJob"/>, at once, or for a <c>notify</c> step to a recipient with a calendar
/// (<c>Notifications:Calendars</c>), at the next opening of that calendar.
/// </summary>
public sealed class EscalationNotifier(IStore store, IBackgroundJobClient jobs, NotificationSettings settings, TimeProvider time, ILogger<EscalationNotifier> logger)
    : IEscalationNotifier
{
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    // The policies and calendars of an evaluator, by id@version and by id, read once per evaluator (policy set).
    private readonly ConditionalWeakTable<ICaseEvaluator, Lookup> _lookups = [];

    public void Written(long runId, IReadOnlyList<Decision> decisions, ICaseEvaluator evaluator)
    {
        if (!settings.Enabled || evaluator is not CaseEvaluator compiled)
        {
            return;
        }

        var lookup = _lookups.GetValue(evaluator, _ => new Lookup(compiled.Set));
        var now = time.GetUtcNow();
        var found = new List<NewNotification>();
        foreach (var d in decisions)
        {
            if (d.StoppedAt is not null || d.Status is not (DecisionStatus.Running or DecisionStatus.Paused or DecisionStatus.Breached)
                || d.Policy is null || lookup.Policy(d.Policy, d.PolicyVersion) is not { } policy)
            {
                continue;
            }

            foreach (var step in policy.Escalations)
            {
                if ((double)step.AtPercent <= d.PercentUsed)
                {
                    found.Add(Describe(runId, d, step, lookup, now));
                }
            }
        }

        if (found.Count == 0)
        {
            return;
        }

        foreach (var added in store.AddNotifications(found))
        {
            Enqueue(added);
        }
    }

    /// <summary>Hands <paramref name="notification"/> to the scheduler: at once when it is due, else at its time.</summary>
    public void Enqueue(NotificationRecord notification)
    {
        if (notification.State != NotificationState.Pending)
        {
            logger.LogWarning("notification {Id} ({Key}) is not sent: no webhook for `{Recipient}` and no default one (Notifications:Webhooks)", notification.Id, notification.Key, notification.Recipient);
            return;
        }

        var id = notification.Id;
        if (notification.DeliverAfter > time.GetUtcNow())
        {
            jobs.Schedule<NotificationJob>(j => j.Deliver(id), notification.DeliverAfter);
        }
        else
        {
            jobs.Enqueue<NotificationJob>(j => j.Deliver(id));
        }
    }

    private NewNotification Describe(long runId, Decision d, EscalationStep step, Lookup lookup, DateTimeOffset now)
    {
        var recipient = step.To ?? NotificationSettings.DefaultRecipient;
        var key = $"{d.CaseId}/{d.Target}/{step.Id}/{recipient}";

        // A notify step waits for the recipient's hours; an escalation pages whoever is on call at once.
        var deliverAfter = now;
        if (step.Action == "notify" && settings.Calendars.TryGetValue(recipient, out var calendarId) && lookup.Calendar(calendarId) is { } calendar)
        {
            deliverAfter = calendar.OpenIntervals(now, now.AddDays(60)).Select(i => (DateTimeOffset?)i.Start).FirstOrDefault() is { } open && open > now ? open : now;
        }

        var body = JsonSerializer.Serialize(
            new NotificationBody(
                key, d.CaseId, d.Target, d.Policy, d.PolicyVersion, d.Customer, d.Service, step.Id, step.Action, step.Level, recipient, StoreText.Status(d.Status),
                d.DueAt, Math.Round(d.PercentUsed, 1), step.AtPercent, d.AsOf, runId, $"{settings.BaseUrl}/#case={Uri.EscapeDataString(d.CaseId)}"),
            BodyJson);
        var state = settings.WebhookFor(recipient) is null ? NotificationState.NoWebhook : NotificationState.Pending;
        return new NewNotification(key, d.CaseId, d.Target, step.Id, step.Action, step.Level, recipient, runId, now, deliverAfter, state, body);
    }

    /// <summary>What a webhook receives (JSON, camelCase; <c>Case</c> as <c>case</c>): see docs/OPERATIONS.md "Escalation notifications".</summary>
    private sealed record NotificationBody(
        string Key,
        [property: System.Text.Json.Serialization.JsonPropertyName("case")] string CaseId,
        string? Target, string? Policy, string? PolicyVersion, string? Customer, string? Service, string Step, string Action, int? Level, string Recipient,
        string Status, DateTimeOffset? DueAt, double PercentUsed, decimal StepAtPercent, DateTimeOffset AsOf, long RunId, string CaseUrl);

    private sealed class Lookup(PolicySet set)
    {
        private readonly Dictionary<(string, string?), Policy> _policies = set.Policies.ToDictionary(p => (p.Id, (string?)p.Version));
        private readonly ConcurrentDictionary<string, BusinessCalendar?> _calendars = new(StringComparer.Ordinal);

        public Policy? Policy(string id, string? version) => _policies.GetValueOrDefault((id, version));

        public BusinessCalendar? Calendar(string id) =>
            _calendars.GetOrAdd(id, key => set.Calendars.TryGetValue(key, out var definition) ? BusinessCalendar.Create(definition) : null);
    }
}
