using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Ingestion;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Web;

/// <summary>One decision as the API returns it: the decision and the evaluation date and run it is stored under.</summary>
public sealed record DecisionView(Decision Decision, DateOnly EvaluationDate, long RunId);

/// <summary>
/// One stored service credit as <c>GET /api/credits</c> returns it: the credit, and the asOf and run of the last run
/// that changed it.
/// </summary>
public sealed record CreditView(ServiceCredit Credit, DateTimeOffset AsOf, long RunId);

/// <summary>
/// One claim as <c>GET /api/claims</c> returns it: the month's credit to be claimed or paid, who owes it, by when, and
/// where it stands now (<c>owed</c>, <c>claimed</c>, <c>settled</c>, or <c>expired</c> once an owed claim's deadline has passed).
/// </summary>
public sealed record ClaimView(
    long Id,
    string Period,
    string Party,
    string Direction,
    string PolicyId,
    string Currency,
    decimal Amount,
    DateTimeOffset? ClaimableUntil,
    DateOnly? LastDay,
    bool FutureBillsOnly,
    string Status,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? SettledAt,
    string? Note,
    IReadOnlyList<ExplanationStep> Explanation,
    DateTimeOffset AsOf,
    long RunId)
{
    /// <summary>The view of a stored claim, its status judged at <paramref name="now"/>.</summary>
    public static ClaimView Of(StoredClaim c, DateTimeOffset now) => new(
        c.Id, c.Claim.Period, c.Claim.Party, ClaimRows.Direction(c.Claim.Direction), c.Claim.PolicyId, c.Claim.Currency, c.Claim.Amount,
        c.Claim.ClaimableUntil, c.Claim.LastDay, c.Claim.FutureBillsOnly, ClaimRows.Status(c.StatusAt(now)), c.ClaimedAt, c.SettledAt, c.Note,
        c.Claim.Explanation, c.AsOf, c.RunId);
}

/// <summary>
/// The answer of <c>GET /api/cases/{id}/why</c>: the case, its decisions with every instant in the case's zone, its
/// escalation history, and that zone (<c>Europe/Berlin</c>, or a fixed offset such as <c>+05:30</c>).
/// </summary>
public sealed record WhyView(CaseRecord Case, IReadOnlyList<DecisionView> Decisions, IReadOnlyList<EscalationRecord> Escalations, string Zone);

/// <summary>A notification of an escalation crossing with its delivery attempts, as <c>GET /api/notifications</c> returns it.</summary>
public sealed record NotificationView(NotificationRecord Notification, IReadOnlyList<NotificationAttempt> Attempts);

/// <summary>A rejected line as the ingestion endpoints report it.</summary>
public sealed record RejectionView(long Line, string? Field, string Reason);

/// <summary>A warning of an accepted (or rejected) line as the ingestion endpoints report it.</summary>
public sealed record WarningView(long Line, string Field, string Message);

/// <summary>
/// The answer of the ingestion endpoints: what was accepted and rejected, the warnings (near misses of known properties
/// and statuses) and the statuses no policy or known list names, with their counts.
/// </summary>
public sealed record IngestView(
    string Source,
    RecordKind Kind,
    long Accepted,
    long RejectedCount,
    IReadOnlyList<RejectionView> Rejected,
    long WarningCount,
    IReadOnlyList<WarningView> Warnings,
    IReadOnlyDictionary<string, long> UnknownStatuses);

/// <summary>
/// The HTTP API. Writes (POST) need <c>Authorization: Bearer &lt;Api:Token&gt;</c>, else 401; with no token
/// configured writes are refused. Reads are open unless <c>Api:ProtectReads</c> is true.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<HostSettings>();

        // Open to all, for load balancers and monitors; with reads protected, only the token shows the store's figures.
        app.MapGet("/health", (HttpContext context, IStore store) =>
        {
            if (settings.ProtectReads && !Authorized(context, settings))
            {
                return Results.Ok(new { status = "ok" });
            }

            var last = store.GetRuns(1).FirstOrDefault();
            return Results.Ok(new { status = "ok", schemaVersion = store.SchemaVersion(), cases = store.CountCases(), lastRun = last });
        });

        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            var path = $"/api/{kind.ToString().ToLowerInvariant()}";
            app.MapPost(path, (HttpContext context, IngestionService ingestion) => Ingest(context, kind, ingestion, settings));
        }

        var reads = app.MapGroup("/api");
        reads.AddEndpointFilter(async (context, next) =>
            settings.ProtectReads && !Authorized(context.HttpContext, settings) ? Unauthorized(settings) : await next(context));

        // A case's explanation, by id in the path (escaped: `/api/cases/INC%2F2026%2F0001/why`), or in the query for any id
        // at all, `.` and `..` included, which URL rules turn into path steps even escaped (`/api/why?case=..`).
        reads.MapGet(CaseIdRoute.WhyTemplate, (HttpContext context, string id, IStore store, IEvaluatorProvider evaluators) =>
            Why(CaseIdRoute.Resolve(context, id), store, evaluators));
        reads.MapGet("/why", (string? @case, IStore store, IEvaluatorProvider evaluators) => @case is { Length: > 0 }
            ? Why(@case, store, evaluators)
            : Results.BadRequest(new { error = "give the case id as `case`, e.g. `/api/why?case=C-1001`" }));

        reads.MapGet("/decisions", (HttpContext context, IStore store, IEvaluatorProvider evaluators) =>
        {
            var q = new QueryParameters(context.Request);
            var status = q.Checked("status", s => s == "at-risk" || StoreText.TryParseStatus(s, out _), "one of met, breached, running, paused, no-policy, error, at-risk");
            var (from, to, latest) = (q.DateOrInstant("from"), q.DateOrInstant("to"), q.Bool("latest"));
            var (limit, offset) = Page(q, 500);
            if (q.Problem is { } problem)
            {
                return problem;
            }

            var query = new DecisionQuery(status, q.Text("customer"), q.Text("service"), from, to, latest, limit, offset);
            var zones = new CaseZones.Lookup(store, evaluators.Current);
            return Paged(context, [.. store.QueryDecisions(query).Select(d => View(d with { Decision = zones.Tell(d.Decision) }))], store.CountDecisions(query), limit, offset);
        });

        reads.MapGet("/credits", (HttpContext context, IStore store) =>
        {
            var q = new QueryParameters(context.Request);
            var month = q.Checked("month", m => ReportingMonth.TryParse(m, out _), "a month written YYYY-MM");
            var owed = q.Bool("owed");
            var (limit, offset) = Page(q, 1000);
            if (q.Problem is { } problem)
            {
                return problem;
            }

            var query = new ServiceCreditQuery(month, q.Text("customer"), owed, limit, offset);
            var page = store.QueryServiceCredits(query).Select(c => new CreditView(c.Credit, c.AsOf, c.RunId)).ToList();
            return Paged(context, page, store.CountServiceCredits(query), limit, offset);
        });

        // Claims and settlement: each month's credit to be claimed or paid, in both directions (owed to customers, to be
        // claimed from suppliers), the earliest deadline first; `status` is judged now (an owed claim past its deadline is expired).
        reads.MapGet("/claims", (HttpContext context, IStore store, TimeProvider time) =>
        {
            var q = new QueryParameters(context.Request);
            var month = q.Checked("month", m => ReportingMonth.TryParse(m, out _), "a month written YYYY-MM");
            var status = q.Checked("status", s => ClaimRows.TryParseStatus(s, out _), "one of owed, claimed, settled, expired");
            var direction = q.Checked("direction", d => d is "customer" or "supplier", "customer or supplier");
            var (limit, offset) = Page(q, 1000);
            if (q.Problem is { } problem)
            {
                return problem;
            }

            var now = time.GetUtcNow();
            ClaimStatus? parsed = status is not null && ClaimRows.TryParseStatus(status, out var s) ? s : null;
            var query = new ClaimQuery(
                now, month, q.Text("party") ?? q.Text("customer"),
                direction switch { "customer" => Engine.Policies.AgreementDirection.Customer, "supplier" => Engine.Policies.AgreementDirection.Supplier, _ => null },
                parsed, limit, offset);
            return Paged(context, [.. store.QueryClaims(query).Select(c => ClaimView.Of(c, now))], store.CountClaims(query), limit, offset);
        });

        // The support leads' board: the latest evaluation's cases by urgency, one row per case; filters as for decisions,
        // plus `team` (who the case is escalated to), `severity` and `policy` (an id, or id@version).
        reads.MapGet("/board", (HttpContext context, IStore store, IEvaluatorProvider evaluators) =>
        {
            var q = new QueryParameters(context.Request);
            var severity = q.Checked("severity", s => LeadViews.Severity(s) is not null, "a severity, a whole number such as 1");
            if (q.Problem is { } problem)
            {
                return problem;
            }

            var filter = new LeadViews.BoardFilter(q.Text("customer"), q.Text("team"), LeadViews.Severity(severity), q.Text("service"), q.Text("policy"));
            return Results.Ok(LeadViews.Board(store, evaluators.Current, filter));
        });

        // The money at stake in a month: each attainment term's distance from its credit, and the open targets ranked
        // by what their breach would cost.
        reads.MapGet("/at-stake", (HttpContext context, IStore store, IEvaluatorProvider evaluators) =>
        {
            var q = new QueryParameters(context.Request);
            var month = q.Checked("month", m => ReportingMonth.TryParse(m, out _), "a month written YYYY-MM");
            if (q.Problem is { } problem)
            {
                return problem;
            }

            ReportingMonth? period = month is not null && ReportingMonth.TryParse(month, out var m) ? m : null;
            return Results.Ok(LeadViews.AtStake(store, evaluators.Current, period, q.Text("customer")));
        });

        reads.MapGet("/runs", (HttpContext context, IStore store) =>
        {
            var q = new QueryParameters(context.Request);
            var (limit, offset) = Page(q, 50);
            return q.Problem ?? Paged(context, store.GetRuns(limit, offset), store.CountRuns(), limit, offset);
        });
        reads.MapGet("/runs/{id:long}", (IStore store, long id) => store.GetRun(id) is { } run
            ? Results.Ok(new { run, partitions = store.GetPartitions(id) })
            : Results.NotFound(new { error = $"no run `{id}`" }));
        reads.MapGet("/policies", (IEvaluatorProvider evaluators) => Results.Ok(evaluators.Status));
        // Escalation notifications with every delivery attempt, newest first; by case (`case`) and state (`state`).
        reads.MapGet("/notifications", (HttpContext context, IStore store) =>
        {
            var q = new QueryParameters(context.Request);
            var state = q.Checked("state", s => NotificationStates.ContainsKey(s), "one of pending, delivered, failed, no-webhook");
            var (limit, offset) = Page(q, 100);
            if (q.Problem is { } problem)
            {
                return problem;
            }

            var caseId = q.Text("case");
            NotificationState? wanted = state is null ? null : NotificationStates[state];
            var page = store.QueryNotifications(caseId, wanted, limit, offset).Select(n => new NotificationView(n, store.GetNotificationAttempts(n.Id))).ToList();
            return Paged(context, page, store.CountNotifications(caseId, wanted), limit, offset);
        });
        reads.MapGet("/notifications/{id:long}", (IStore store, long id) => store.GetNotification(id) is { } n
            ? Results.Ok(new NotificationView(n, store.GetNotificationAttempts(id)))
            : Results.NotFound(new { error = $"no notification `{id}`" }));
        reads.MapGet("/quarantine", (HttpContext context, IStore store) =>
        {
            var q = new QueryParameters(context.Request);
            var (limit, offset) = Page(q, 100);
            return q.Problem ?? Paged(context, store.GetQuarantine(limit, offset), store.CountQuarantine(), limit, offset);
        });

        // Finance marks a claim claimed (the customer asked, or the provider asked its supplier) or settled (credited or
        // paid); `note` (optional) keeps a reference such as the invoice number. A token is needed, as for every write.
        foreach (var (verb, to) in new[] { ("claimed", ClaimStatus.Claimed), ("settled", ClaimStatus.Settled) })
        {
            app.MapPost($"/api/claims/{{id:long}}/{verb}", (HttpContext context, long id, IStore store, TimeProvider time) =>
            {
                if (!Authorized(context, settings))
                {
                    return Unauthorized(settings);
                }

                var q = new QueryParameters(context.Request);
                var at = q.Instant("at");
                if (q.Problem is { } problem)
                {
                    return problem;
                }

                var now = time.GetUtcNow();
                var (outcome, claim, reason) = store.MarkClaim(id, to, at ?? now, q.Text("note"));
                return outcome switch
                {
                    ClaimMarkOutcome.NotFound => Results.NotFound(new { error = $"no claim {id}" }),
                    ClaimMarkOutcome.Refused => Results.Conflict(new { error = reason, claim = ClaimView.Of(claim!, now) }),
                    _ => Results.Ok(ClaimView.Of(claim!, now)),
                };
            });
        }

        app.MapPost("/api/runs", async (HttpContext context, NightlyRun run, IStore store) =>
        {
            if (!Authorized(context, settings))
            {
                return Unauthorized(settings);
            }

            var q = new QueryParameters(context.Request);
            var at = q.Instant("asOf");
            var full = q.Bool("full");
            if (q.Problem is { } problem)
            {
                return problem;
            }

            if (settings.ClusterEnabled)
            {
                // In a cluster the run is handed to every host (202: it goes on after this response); the run and its
                // partitions are at GET /api/runs/{id}. A run still recorded as running does not block a new one: it may
                // be a run whose hosts all died, and two runs over the same inputs write each decision once.
                var scheduled = context.RequestServices.GetRequiredService<ScheduledRuns>();
                var started = await Task.Run(() => scheduled.Start(at ?? DateTimeOffset.UtcNow, RunTrigger.Api, full), context.RequestAborted);
                return Results.Accepted($"/api/runs/{started.Id}", started);
            }

            var record = await Task.Run(() => run.TryRun(at, RunTrigger.Api, context.RequestAborted, full));
            return record is null ? Results.Conflict(new { error = "a run is in progress; try again when it has finished" }) : Results.Ok(record);
        });
    }

    private static async Task<IResult> Ingest(HttpContext context, RecordKind kind, IngestionService ingestion, HostSettings settings)
    {
        if (!Authorized(context, settings))
        {
            return Unauthorized(settings);
        }

        if (context.Request.ContentLength > settings.MaxBodyBytes)
        {
            return TooLarge(settings);
        }

        var format = context.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true ? RecordFormat.Csv : RecordFormat.JsonLines;
        if (format == RecordFormat.Csv && kind != RecordKind.Cases)
        {
            return Results.BadRequest(new { error = "CSV is accepted for cases only" });
        }

        // The body is spooled to a temporary file first, so an over-long body is refused (413) before anything is
        // committed, and the parser reads a local file instead of holding the connection.
        var spool = Path.Combine(Path.GetTempPath(), $"slapolicy-{Guid.NewGuid():N}.tmp");
        await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            total += read;
            if (total > settings.MaxBodyBytes)
            {
                return TooLarge(settings);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
        }

        file.Position = 0;
        // Every request is its own delivery: the time says when, the GUID keeps two requests of the same millisecond apart
        // (the quarantine keeps one row per source, line and text, so a shared name would fold their rejections into one).
        var source = $"api:{kind.ToString().ToLowerInvariant()}@{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfffZ}-{Guid.NewGuid():N}";
        var result = await Task.Run(() => ingestion.Ingest(kind, file, source, format), context.RequestAborted);
        var view = new IngestView(
            result.Source, kind, result.Accepted, result.RejectedCount, [.. result.Rejected.Select(r => new RejectionView(r.LineNumber, r.Field, r.Reason))],
            result.WarningCount, [.. result.Warnings.Select(w => new WarningView(w.LineNumber, w.Field, w.Message))], result.UnknownStatuses);

        // 422 only when nothing at all could be accepted; a partly bad body is a success with its rejections listed.
        return result.Accepted == 0 && result.RejectedCount > 0 ? Results.UnprocessableEntity(view) : Results.Ok(view);
    }

    private static IResult Why(string id, IStore store, IEvaluatorProvider evaluators) =>
        store.GetCaseTrace(id) is { } stored && CaseZones.InCaseZone(OnRequestExplanations.Fill(stored, evaluators.Current), evaluators.Current) is var (trace, zone)
            ? Results.Ok(new WhyView(trace.Case, [.. trace.Decisions.Select(View)], trace.Escalations, zone.Id))
            : Results.NotFound(new { error = $"case `{id}` is not in the store" });

    private static DecisionView View(StoredDecision d) => new(d.Decision, d.EvaluationDate, d.RunId);

    private static readonly Dictionary<string, NotificationState> NotificationStates =
        Enum.GetValues<NotificationState>().ToDictionary(NotificationRows.StateText, s => s, StringComparer.Ordinal);

    private static bool Authorized(HttpContext context, HostSettings settings) => ApiToken.InHeader(context, settings);

    private static IResult Unauthorized(HostSettings settings) => Results.Json(
        new { error = settings.ApiToken is null ? "writes are disabled: set `Api:Token` in the configuration" : "a bearer token is required: `Authorization: Bearer <Api:Token>`" },
        statusCode: StatusCodes.Status401Unauthorized);

    private static IResult TooLarge(HostSettings settings) => Results.Json(
        new { error = $"the request body is larger than `Api:MaxBodyBytes` ({settings.MaxBodyBytes} bytes); split it or raise the limit" },
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The largest page any list endpoint returns.</summary>
    public const int MaxPage = 10_000;

    /// <summary>The <c>limit</c> (default <paramref name="defaultLimit"/>, 1 to <see cref="MaxPage"/>) and <c>offset</c> (from 0) of a list request.</summary>
    private static (int Limit, int Offset) Page(QueryParameters q, int defaultLimit) =>
        (q.Int("limit", defaultLimit, 1, MaxPage), q.Int("offset", 0, 0, int.MaxValue));

    /// <summary>
    /// One page of a list: the rows as the body, the number of rows the request matches in <c>X-Total-Count</c> and,
    /// when rows are left after this page, the request for the next one in <c>Link: &lt;...&gt;; rel="next"</c>.
    /// </summary>
    private static IResult Paged<T>(HttpContext context, IReadOnlyList<T> page, long total, int limit, int offset)
    {
        var headers = context.Response.Headers;
        headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        var next = (long)offset + page.Count;
        if (page.Count > 0 && next < total)
        {
            var query = context.Request.Query
                .Where(p => p.Key is not ("offset" or "limit"))
                .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
                .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)))
                .Append(new("offset", next.ToString(CultureInfo.InvariantCulture)));
            headers.Link = $"<{context.Request.PathBase}{context.Request.Path}{QueryString.Create(query)}>; rel=\"next\"";
        }

        return Results.Ok(page);
    }
}
