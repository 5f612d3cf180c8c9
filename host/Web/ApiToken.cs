using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using SlaPolicy.Host.Scheduling;

namespace SlaPolicy.Host.Web;

/// <summary>
/// How a request proves it holds <c>Api:Token</c>: the API reads <c>Authorization: Bearer &lt;token&gt;</c>; the
/// scheduler's dashboard, which a browser opens as a page, reads the session cookie <see cref="CookieName"/> that
/// <c>POST /api/dashboard-session</c> sets for a request with the bearer token.
/// </summary>
internal static class ApiToken
{
    public const string CookieName = "slapolicy-dashboard";

    /// <summary>True when the request carries the configured token as a bearer token (never when no token is configured).</summary>
    public static bool InHeader(HttpContext context, HostSettings settings)
    {
        if (settings.ApiToken is null)
        {
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && Same(header[prefix.Length..].Trim(), settings.ApiToken);
    }

    /// <summary>True when the request carries the token as a bearer token or the dashboard's session cookie.</summary>
    public static bool InHeaderOrCookie(HttpContext context, HostSettings settings) =>
        InHeader(context, settings)
        || (settings.ApiToken is not null && context.Request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is not null && Same(cookie, CookieValue(settings.ApiToken)));

    /// <summary>
    /// What the session cookie holds: an HMAC of a fixed label under the token, so that the token itself never sits in
    /// a cookie, and changing the token ends every session.
    /// </summary>
    public static string CookieValue(string token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "slapolicy dashboard session"u8));

    // Constant-time comparison: the time taken does not tell how much of a guessed token was right.
    private static bool Same(string given, string expected) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
