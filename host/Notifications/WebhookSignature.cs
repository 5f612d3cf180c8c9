using System.Security.Cryptography;
using System.Text;

namespace SlaPolicy.Host.Notifications;

/// <summary>
/// How a webhook receiver knows a notification is ours and new: the body's HMAC-SHA256 under
/// <c>Notifications:Secret</c> in <see cref="Header"/>, and the notification's key in <see cref="IdempotencyHeader"/>.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-SlaPolicy-Signature";

    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The value of <see cref="Header"/> for <paramref name="body"/>: <c>sha256=</c> and the lower-case hex HMAC.</summary>
    public static string Of(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
