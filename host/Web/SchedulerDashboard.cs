using System.Net;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Scheduling;

namespace SlaPolicy.Host.Web;

/// <summary>
/// Hangfire's dashboard at <see cref="Path"/>: the recurring nightly job, the queues, every job and its history, the
/// hosts (servers) on the storage. Reading it needs the API token unless the request comes from this machine
/// (loopback) and reads are not protected; every action (trigger, requeue, delete) needs the token, and a POST without
/// the dashboard's antiforgery token is refused. A browser shows the token with the session cookie that
/// <c>POST /api/dashboard-session</c> (the page's "Scheduler" link) sets.
/// </summary>
internal static class SchedulerDashboard
{
    public const string Path = "/hangfire";

    /// <summary>Registers antiforgery, which the dashboard then requires on every POST (a forged one gets 403).</summary>
    public static void AddTo(IServiceCollection services) => services.AddAntiforgery();

    public static void Map(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<HostSettings>();
        var options = new DashboardOptions
        {
            DashboardTitle = "SlaPolicy scheduler",
            AppPath = "/",
            Authorization = [new Access(settings)],
            IsReadOnlyFunc = context => !ApiToken.InHeaderOrCookie(((AspNetCoreDashboardContext)context).HttpContext, settings),
            DisplayStorageConnectionString = false,
        };

        // As UseHangfireDashboard does, but the scheduler's storage is opened at the dashboard's first request rather
        // than when the host is built, so that a bad store configuration is reported as such first (StoreSetup.TryOpen).
        ((IApplicationBuilder)app).Map(new PathString(Path), dashboard => dashboard.Use(next =>
        {
            var services = dashboard.ApplicationServices;
            var middleware = new Lazy<AspNetCoreDashboardMiddleware>(() =>
            {
                _ = services.GetRequiredService<IGlobalConfiguration>();
                return new AspNetCoreDashboardMiddleware(next, services.GetRequiredService<JobStorage>(), options, services.GetRequiredService<Hangfire.Dashboard.RouteCollection>());
            });
            return context => middleware.Value.Invoke(context);
        }));

        // Sets the dashboard's session cookie for a request with the bearer token: HttpOnly (scripts cannot read it),
        // SameSite=Strict (another site cannot send it), for the dashboard's path only.
        app.MapPost("/api/dashboard-session", (HttpContext context) =>
        {
            if (!ApiToken.InHeader(context, settings))
            {
                return Results.Json(new { error = "a bearer token is required: `Authorization: Bearer <Api:Token>`" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            context.Response.Cookies.Append(ApiToken.CookieName, ApiToken.CookieValue(settings.ApiToken!), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = Path,
            });
            return Results.NoContent();
        });
    }

    /// <summary>Who may see the dashboard: the token's holder, or (reads unprotected) anyone on this machine.</summary>
    private sealed class Access(HostSettings settings) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var http = ((AspNetCoreDashboardContext)context).HttpContext;
            if (ApiToken.InHeaderOrCookie(http, settings))
            {
                return true;
            }

            var remote = http.Connection.RemoteIpAddress;
            return !settings.ProtectReads && remote is not null && IPAddress.IsLoopback(remote);
        }
    }
}
