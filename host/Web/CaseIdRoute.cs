using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SlaPolicy.Host.Web;

/// <summary>
/// Makes every case id reachable at <c>GET /api/cases/{id}/why</c>, whatever it holds: ids such as <c>INC/2026/0001</c>,
/// <c>a%2Fb</c>, <c>.</c> or <c>..</c>. The id is one path segment, percent-encoded by the client (every byte but
/// letters, digits and <c>-_~</c>; <c>%2E</c> for a dot). The server reads it from the request target as sent and
/// decodes it exactly once, because the decoded path cannot say which <c>/</c> was <c>%2F</c> (ASP.NET Core leaves
/// <c>%2F</c> encoded but decodes <c>%25</c>) and has already taken <c>%2E%2E</c> as a step up.
/// </summary>
internal static class CaseIdRoute
{
    /// <summary>The route of a case's explanation, under the <c>/api</c> group.</summary>
    public const string WhyTemplate = "/cases/{id}/why";

    private const string Prefix = "/api/cases/";
    private const string Suffix = "/why";
    private const string ItemKey = "slapolicy.case-id";

    /// <summary>
    /// Adds, before routing, the step that recognises <c>/api/cases/{segment}/why</c> in the raw request target, keeps
    /// the decoded id for <see cref="Resolve"/> and routes the request to the explanation endpoint.
    /// </summary>
    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is { } raw && IdFromTarget(raw) is { } id)
            {
                context.Items[ItemKey] = id;
                context.Request.Path = new PathString(Prefix + "id" + Suffix);
            }

            await next(context);
        });
        app.UseRouting();
    }

    /// <summary>The case id of the request: the one read from its raw target, else the route value as routing decoded it.</summary>
    public static string Resolve(HttpContext context, string routeValue) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string text ? text : routeValue;

    /// <summary>The decoded id when <paramref name="target"/> is <c>/api/cases/{one segment}/why</c> (with any query); else null.</summary>
    internal static string? IdFromTarget(string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? target[..query] : target;
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !path.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)
            || path.Length <= Prefix.Length + Suffix.Length)
        {
            return null;
        }

        var segment = path[Prefix.Length..^Suffix.Length];
        return segment.Contains('/', StringComparison.Ordinal) ? null : Uri.UnescapeDataString(segment);
    }
}
