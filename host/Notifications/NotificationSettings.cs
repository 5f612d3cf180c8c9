using Microsoft.Extensions.Configuration;

namespace SlaPolicy.Host.Notifications;

/// <summary>
/// The <c>Notifications</c> section: where each recipient's escalation notifications go, how they are signed, when
/// they may be delivered, and how failed deliveries are retried. With no webhook configured nothing is notified.
/// See docs/OPERATIONS.md "Escalation notifications".
/// </summary>
public sealed record NotificationSettings
{
    /// <summary>The recipient whose webhook serves every recipient without one of its own.</summary>
    public const string DefaultRecipient = "default";

    /// <summary><c>Notifications:Webhooks:&lt;to&gt;</c>: the URL a recipient's notifications are posted to; <c>default</c> for the others.</summary>
    public IReadOnlyDictionary<string, Uri> Webhooks { get; init; } = new Dictionary<string, Uri>();

    /// <summary><c>Notifications:Calendars:&lt;to&gt;</c>: a calendar of the policy folder whose open hours a recipient's <c>notify</c> steps wait for.</summary>
    public IReadOnlyDictionary<string, string> Calendars { get; init; } = new Dictionary<string, string>();

    /// <summary><c>Notifications:Secret</c>: the key of the HMAC-SHA256 signature of every body; required with webhooks.</summary>
    public string? Secret { get; init; }

    /// <summary><c>Notifications:BaseUrl</c>: where the page is, for the link to the case in each notification.</summary>
    public string BaseUrl { get; init; } = "http://127.0.0.1:5080";

    /// <summary><c>Notifications:RetryDelaysSeconds</c>: the pause before each retry of a failed delivery; one attempt more than there are pauses.</summary>
    public IReadOnlyList<double> RetryDelaysSeconds { get; init; } = [30, 120, 600, 1800, 3600, 7200];

    /// <summary><c>Notifications:TimeoutSeconds</c>: how long one attempt waits for the receiver's answer.</summary>
    public double TimeoutSeconds { get; init; } = 10;

    public bool Enabled => Webhooks.Count > 0;

    /// <summary>The webhook of <paramref name="recipient"/>, else the default one; null when neither is configured.</summary>
    public Uri? WebhookFor(string recipient) =>
        Webhooks.TryGetValue(recipient, out var own) ? own : Webhooks.TryGetValue(DefaultRecipient, out var fallback) ? fallback : null;

    /// <summary>Reads the section; throws <see cref="InvalidOperationException"/> naming the key of a value that cannot be used.</summary>
    public static NotificationSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Notifications");
        var d = new NotificationSettings();
        var webhooks = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var child in section.GetSection("Webhooks").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value))
            {
                continue;
            }

            if (!Uri.TryCreate(child.Value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"Notifications:Webhooks:{child.Key} is `{child.Value}`; give an absolute http or https URL");
            }

            webhooks[child.Key] = uri;
        }

        var secret = section["Secret"] is { Length: > 0 } s ? s : null;
        if (webhooks.Count > 0 && secret is null)
        {
            throw new InvalidOperationException("Notifications:Webhooks is set but Notifications:Secret is empty: every notification is signed with it (HMAC-SHA256); set a long random value and give it to the receivers");
        }

        var delays = section.GetSection("RetryDelaysSeconds").GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (delays.Count == 0 && section["RetryDelaysSeconds"] is { Length: > 0 } list)
        {
            delays = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return new NotificationSettings
        {
            Webhooks = webhooks,
            Calendars = section.GetSection("Calendars").GetChildren().Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
            Secret = secret,
            BaseUrl = section["BaseUrl"] is { Length: > 0 } baseUrl ? baseUrl.TrimEnd('/') : d.BaseUrl,
            RetryDelaysSeconds = delays.Count == 0 ? d.RetryDelaysSeconds : [.. delays.Select(text => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v
                : throw new InvalidOperationException($"Notifications:RetryDelaysSeconds holds `{text}`; give seconds, e.g. 30,120,600"))],
            TimeoutSeconds = section.GetValue("TimeoutSeconds", d.TimeoutSeconds),
        };
    }
}
