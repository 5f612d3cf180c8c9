using System.Collections.Concurrent;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SlaPolicy.Host.Notifications;

namespace SlaPolicy.Tests.Notifications;

/// <summary>Escalation notifications from the real host to a real webhook receiver on loopback, over real HTTP.</summary>
[Collection(Scheduling.HostCollection.Name)]
public class NotificationTests
{
    private const string Secret = "test-notification-secret";

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public async Task Runs_TwoNights_EachCrossingDeliveredOnceSignedWithItsIdempotencyKey(StoreKind kind)
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, Settings(receiver), store: kind);
        host.Store.Ingest(new RecordBatch([Cases.Open("C-7", "2026-11-20T16:30:00+01:00")], [], [], [], [], DateTimeOffset.UtcNow));

        // 19:00Z: first response 1400% used (the 50%, 75% and 100% steps), resolution 87.5% (the 50% and 75% steps).
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:00:00Z", string.Empty))).EnsureSuccessStatusCode();
        (await RunningHost.WaitUntil(() => receiver.Received.Count >= 5, TimeSpan.FromSeconds(30))).ShouldBeTrue($"{receiver.Received.Count} received");

        // 19:30Z: resolution reaches 100%, one crossing more; the five already notified are not sent again.
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T19:30:00Z", string.Empty))).EnsureSuccessStatusCode();
        (await RunningHost.WaitUntil(() => receiver.Received.Count >= 6, TimeSpan.FromSeconds(30))).ShouldBeTrue($"{receiver.Received.Count} received");
        await Task.Delay(2000);

        receiver.Received.Count.ShouldBe(6);
        receiver.Received.Select(r => r.Key).Distinct().Count().ShouldBe(6);
        receiver.Received.ShouldAllBe(r => r.Signature == WebhookSignature.Of(Secret, r.Body));
        receiver.Received.Select(r => r.Key).ShouldBe(
            [
                "C-7/sev1-resolution/escalate-l2/l2-oncall", "C-7/sev1-resolution/escalate-l3/duty-manager", "C-7/sev1-resolution/notify-team-lead/team-lead",
                "C-7/sev1-response/escalate-l2/l2-oncall", "C-7/sev1-response/escalate-l3/duty-manager", "C-7/sev1-response/notify-team-lead/team-lead",
            ],
            ignoreOrder: true);

        var l3 = receiver.Received.Single(r => r.Key == "C-7/sev1-resolution/escalate-l3/duty-manager");
        using var body = JsonDocument.Parse(l3.Body);
        body.RootElement.GetProperty("case").GetString().ShouldBe("C-7");
        body.RootElement.GetProperty("level").GetInt32().ShouldBe(3);
        body.RootElement.GetProperty("recipient").GetString().ShouldBe("duty-manager");
        body.RootElement.GetProperty("caseUrl").GetString().ShouldBe("http://127.0.0.1:5080/#case=C-7");

        var listed = await host.Client.GetAsync("/api/notifications?state=delivered");
        listed.Headers.GetValues("X-Total-Count").ShouldBe(["6"]);
        (await listed.Content.ReadAsStringAsync()).ShouldContain("\"state\":\"delivered\"");
    }

    [Fact]
    public async Task Deliver_ReceiverFailsTwice_DeliveredOnTheThirdTryAndEveryAttemptListed()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 2);
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, Settings(receiver));

        // As of 15:55Z: response 25 of 15 minutes (breached: its three steps), resolution 25 of 240 (no step). The
        // receiver answers 500 to the first two requests of each notification.
        host.Store.Ingest(new RecordBatch([Cases.Open("C-8", "2026-11-20T16:30:00+01:00")], [], [], [], [], DateTimeOffset.UtcNow));
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T15:55:00Z", string.Empty))).EnsureSuccessStatusCode();

        (await RunningHost.WaitUntil(() => host.Store.CountNotifications(null, NotificationState.Delivered) == 3, TimeSpan.FromSeconds(60)))
            .ShouldBeTrue(await host.Client.GetStringAsync("/api/notifications"));

        var notifications = host.Store.QueryNotifications("C-8", null, 10, 0);
        notifications.Count.ShouldBe(3);
        foreach (var n in notifications)
        {
            n.State.ShouldBe(NotificationState.Delivered);
            n.Attempts.ShouldBe(3);
            var attempts = host.Store.GetNotificationAttempts(n.Id);
            attempts.Select(a => a.Status).ShouldBe([500, 500, 200]);
            attempts[0].Error.ShouldNotBeNull().ShouldContain("500");
            receiver.Received.Count(r => r.Key == n.Key).ShouldBe(3);
        }

        var retried = notifications[0];
        // The API lists the same three attempts, in order.
        using var shown = JsonDocument.Parse(await host.Client.GetStringAsync($"/api/notifications/{retried.Id}"));
        shown.RootElement.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status").GetInt32()).ShouldBe([500, 500, 200]);
    }

    [Fact]
    public void Written_NotifyStepOutsideTheRecipientsHours_DueAtTheNextOpening()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        using var scheduler = SchedulerStorage.Open(new HostSettings { StorePath = folder.File("slapolicy.db") });

        // Saturday 03:00Z: the team lead's office (eu-office, Mon-Fri 08:00-17:00 Berlin) opens Monday 08:00 = 07:00Z.
        var now = DateTimeOffset.Parse("2026-11-21T03:00:00Z");
        var settings = new NotificationSettings
        {
            Webhooks = new Dictionary<string, Uri> { ["default"] = new("http://127.0.0.1:9/") },
            Secret = Secret,
            Calendars = new Dictionary<string, string> { ["team-lead"] = "eu-office" },
        };
        var notifier = new EscalationNotifier(store, new BackgroundJobClient(scheduler.Storage), settings, new FixedTime(now), NullLogger<EscalationNotifier>.Instance);
        var evaluator = SamplePolicyEvaluator.Provider.Current;
        var decisions = evaluator.Evaluate(Cases.Open("C-9", "2026-11-21T02:00:00+00:00"), now, explain: false);

        notifier.Written(1, decisions, evaluator);

        var stored = store.QueryNotifications("C-9", null, 20, 0);
        stored.Single(n => n.Key == "C-9/sev1-response/notify-team-lead/team-lead").DeliverAfter.ShouldBe(DateTimeOffset.Parse("2026-11-23T07:00:00Z"));

        // An escalation pages the on-call at once, whatever the hour.
        stored.Single(n => n.Key == "C-9/sev1-response/escalate-l3/duty-manager").DeliverAfter.ShouldBe(now);

        // Seen again by the next run: nothing new.
        notifier.Written(2, decisions, evaluator);
        store.CountNotifications("C-9", null).ShouldBe(stored.Count);
    }

    private static Dictionary<string, string?> Settings(Receiver receiver) => new()
    {
        ["Notifications:Webhooks:default"] = receiver.Url,
        ["Notifications:Secret"] = Secret,
        ["Notifications:RetryDelaysSeconds"] = "1,1,1",
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A webhook receiver on loopback that records every request and answers 500 to the first <c>failFirst</c> of each key.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, int> _seen = new();

        private Receiver(WebApplication app, int failFirst)
        {
            _app = app;
            _app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var key = context.Request.Headers[WebhookSignature.IdempotencyHeader].ToString();
                Received.Enqueue(new Request(key, context.Request.Headers[WebhookSignature.Header].ToString(), body));
                return _seen.AddOrUpdate(key, 1, (_, n) => n + 1) <= failFirst ? Results.StatusCode(500) : Results.Ok();
            });
        }

        public ConcurrentQueue<Request> Received { get; } = new();

        public string Url { get; private set; } = string.Empty;

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var receiver = new Receiver(builder.Build(), failFirst);
            await receiver._app.StartAsync();
            receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    public sealed record Request(string Key, string Signature, string Body);
}
