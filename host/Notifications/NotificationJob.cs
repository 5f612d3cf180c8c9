using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Microsoft.Extensions.Logging;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Notifications;

/// <summary>
/// Delivers one notification: an HTTP POST of its stored JSON body to its recipient's webhook, with
/// <c>X-SlaPolicy-Signature: sha256=&lt;hex HMAC-SHA256 of the body under Notifications:Secret&gt;</c> and
/// <c>Idempotency-Key: &lt;case/target/step/recipient&gt;</c> (the same on every attempt, so that a receiver drops
/// repeats). Every attempt is recorded. A 2xx answer delivers it; anything else (another status, no answer within
/// <c>Notifications:TimeoutSeconds</c>, no connection) is retried after the next pause of
/// <c>Notifications:RetryDelaysSeconds</c>, and when those are used up the notification is recorded failed.
/// </summary>
public sealed class NotificationJob(IStore store, IHttpClientFactory http, IBackgroundJobClient jobs, NotificationSettings settings, TimeProvider time, ILogger<NotificationJob> logger)
{
    // Retries are this job's own (scheduled with the configured pauses); Hangfire retries only a job that could not record its attempt.
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
    [JobDisplayName("notification {0}")]
    public async Task Deliver(long id)
    {
        if (store.GetNotification(id) is not { State: NotificationState.Pending } notification)
        {
            return;
        }

        var webhook = settings.WebhookFor(notification.Recipient);
        var attempt = notification.Attempts + 1;
        var clock = Stopwatch.StartNew();
        var started = time.GetUtcNow();
        int? status = null;
        string? error = null;
        if (webhook is null)
        {
            error = $"no webhook for `{notification.Recipient}` and no default one (Notifications:Webhooks)";
        }
        else
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new StringContent(notification.Body, Encoding.UTF8, "application/json") };
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Of(settings.Secret!, notification.Body));
                request.Headers.Add(WebhookSignature.IdempotencyHeader, notification.Key);
                request.Headers.Add("X-SlaPolicy-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("SlaPolicy", "1"));
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(0.1, settings.TimeoutSeconds)));
                using var response = await http.CreateClient().SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"the receiver answered {status} {response.ReasonPhrase}";
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                error = ex is OperationCanceledException ? $"no answer within {settings.TimeoutSeconds} s" : ex.Message;
            }
        }

        var delivered = error is null;
        var retryIn = !delivered && webhook is not null && attempt <= settings.RetryDelaysSeconds.Count ? TimeSpan.FromSeconds(settings.RetryDelaysSeconds[attempt - 1]) : (TimeSpan?)null;
        var state = delivered ? NotificationState.Delivered : retryIn is null ? NotificationState.Failed : NotificationState.Pending;
        store.RecordNotificationAttempt(
            new NotificationAttempt(id, attempt, started, webhook?.ToString(), status, error, clock.ElapsedMilliseconds), state, retryIn is { } next ? time.GetUtcNow() + next : null);
        if (retryIn is { } pause)
        {
            logger.LogWarning("notification {Id} to {Recipient}, attempt {Attempt}: {Error}; next attempt in {Pause}", id, notification.Recipient, attempt, error, pause);
            jobs.Schedule<NotificationJob>(j => j.Deliver(id), pause);
        }
        else if (!delivered)
        {
            logger.LogError("notification {Id} to {Recipient} failed after {Attempts} attempts: {Error}", id, notification.Recipient, attempt, error);
        }
    }
}
