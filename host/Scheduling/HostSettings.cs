using Microsoft.Extensions.Configuration;
using SlaPolicy.Engine.Compilation;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// The host's configuration keys (appsettings.json, then environment variables <c>SLAPOLICY_</c> with
/// <c>__</c> for <c>:</c>, then command-line options). Relative paths are resolved against the current
/// directory. See docs/OPERATIONS.md.
/// </summary>
public sealed record HostSettings
{
    /// <summary><c>Store:Path</c>: the SQLite file, created with its folder if missing.</summary>
    public string StorePath { get; init; } = "data/slapolicy.db";

    /// <summary><c>Store:Provider</c>: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string StoreProvider { get; init; } = "sqlite";

    /// <summary><c>Store:ConnectionString</c>: the Npgsql connection string when <see cref="StoreProvider"/> is <c>postgres</c>.</summary>
    public string? StoreConnectionString { get; init; }

    /// <summary><c>Policies:Path</c>: the policy folder.</summary>
    public string PoliciesPath { get; init; } = "policies";

    /// <summary><c>Policies:ReloadDelaySeconds</c>: after an edit in the policy folder, how long it must stay quiet before it is reloaded.</summary>
    public double PolicyReloadDelaySeconds { get; init; } = 1;

    /// <summary>
    /// <c>Schedule:Cron</c>: when the nightly run fires, in the syntax Hangfire reads (<see cref="NightlyCron"/>): five
    /// fields, minute first, or six with seconds first. Default: every night at 02:00.
    /// </summary>
    public string Cron { get; init; } = "0 0 2 * * ?";

    /// <summary><c>Schedule:TimeZone</c>: IANA id in which <see cref="Cron"/> is read.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary><c>Schedule:CatchUp</c>: run once at start when the last scheduled night was missed.</summary>
    public bool CatchUp { get; init; } = true;

    /// <summary><c>Schedule:PollSeconds</c>: how often the scheduler looks for due recurring jobs and queued jobs (long polling makes a cluster's pick-up immediate).</summary>
    public double SchedulePollSeconds { get; init; } = 15;

    /// <summary><c>Schedule:StoragePath</c>: the embedded scheduler's SQLite file; default <c>NAME.hangfire.db</c> beside <see cref="StorePath"/>.</summary>
    public string? ScheduleStoragePath { get; init; }

    /// <summary>
    /// <c>Schedule:MaxRunHours</c>: a run still recorded as running makes the next night skip for this long after its
    /// start; after that it is taken for abandoned (recorded failed) and the night runs.
    /// </summary>
    public double ScheduleMaxRunHours { get; init; } = 20;

    /// <summary><c>Dashboard:Enabled</c>: serve Hangfire's dashboard at <c>/hangfire</c>.</summary>
    public bool DashboardEnabled { get; init; } = true;

    /// <summary><c>Api:Token</c>: bearer token for writes; when empty, writes are refused (401) rather than open.</summary>
    public string? ApiToken { get; init; }

    /// <summary><c>Api:ProtectReads</c>: also require the token for GET endpoints (the page then asks for it).</summary>
    public bool ProtectReads { get; init; }

    /// <summary><c>Api:MaxBodyBytes</c>: largest request body accepted (413 above), in bytes.</summary>
    public long MaxBodyBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary><c>Ingestion:Inbox</c>: folder watched for <c>*.jsonl</c> and <c>*.csv</c> files.</summary>
    public string InboxPath { get; init; } = "data/inbox";

    /// <summary><c>Ingestion:PollSeconds</c>: how often the inbox is looked at.</summary>
    public double InboxPollSeconds { get; init; } = 5;

    /// <summary><c>Ingestion:BatchSize</c>: records per ingestion transaction.</summary>
    public int IngestBatchSize { get; init; } = 10_000;

    /// <summary><c>Run:BatchSize</c>: cases whose decisions are written per transaction.</summary>
    public int RunBatchSize { get; init; } = 10_000;

    /// <summary>
    /// <c>Run:BulkIndexCases</c>: from how many stored cases a night that evaluates every case (the first night,
    /// <c>run --full</c>, a policy change for every customer) drops the store's indexes of the current decisions while it
    /// writes and builds them once afterwards (<see cref="Storage.IStore.DeferCurrentDecisionIndexes"/>); 0 never does.
    /// </summary>
    public long BulkIndexCases { get; init; } = 100_000;

    /// <summary><c>Run:Parallelism</c>: threads that evaluate a batch; 0 (default) = one per processor, 1 = single-threaded.</summary>
    public int RunParallelism { get; init; }

    /// <summary>
    /// <c>Run:Explain</c>: which decisions the nightly run stores with their explanation steps (what <c>why</c> and the
    /// page show): <c>notable</c> (default) every notable decision whose clock has stopped (breached, escalated, no policy,
    /// error; not a target met without escalation, nor one still counting), <c>all</c> (or
    /// <c>true</c>), or <c>none</c> (or <c>false</c>). A decision stored without one has it built on request from the
    /// stored case (<see cref="OnRequestExplanations"/>).
    /// </summary>
    public ExplainMode Explain { get; init; } = ExplainMode.Notable;

    /// <summary>
    /// <c>Run:Partitions</c>: the number of partitions a run is split into, by a stable hash of the customer (at least 1).
    /// Each partition is claimed, evaluated and recorded on its own; clustered hosts share them.
    /// </summary>
    public int RunPartitions { get; init; } = 1;

    /// <summary>
    /// <c>Run:RetrySeconds</c>: how long, in seconds from its first attempt, a partition that meets a transient database
    /// failure is retried (from its start, with growing pauses) before it, and the run, are marked failed.
    /// </summary>
    public double RunRetrySeconds { get; init; } = 120;

    /// <summary>
    /// <c>Cluster:Enabled</c>: <c>serve</c> is one of several hosts on one PostgreSQL database (Hangfire's PostgreSQL
    /// storage): the nightly run fires once in the cluster, its partitions are shared, and a run asked for over the API
    /// is handed to the cluster (202). Requires <c>Store:Provider=postgres</c>.
    /// </summary>
    public bool ClusterEnabled { get; init; }

    /// <summary><c>Cluster:InstanceId</c>: this host's id in the cluster (the owner recorded on the partitions it runs), unique per host; <c>AUTO</c> (default) is <c>machine:pid</c>.</summary>
    public string ClusterInstanceId { get; init; } = "AUTO";

    /// <summary>
    /// <c>Cluster:CheckinIntervalSeconds</c>: how often a host records that it is alive (Hangfire's server heartbeat); the
    /// dashboard lists a host silent for four times this long as gone.
    /// </summary>
    public double ClusterCheckinIntervalSeconds { get; init; } = 7.5;

    /// <summary>
    /// <c>Cluster:InvisibilityTimeoutSeconds</c>: on PostgreSQL, how long a job whose host stopped renewing it (died)
    /// stays invisible before another host takes it; a live host renews its jobs however long they run.
    /// </summary>
    public double ClusterInvisibilityTimeoutSeconds { get; init; } = 60;

    /// <summary><c>Cluster:Threads</c>: partitions (Hangfire jobs) one host runs at once; each partition evaluates on <see cref="RunParallelism"/> threads.</summary>
    public int ClusterThreads { get; init; } = 1;

    /// <summary>
    /// <c>Rules:Executor</c> (<c>compiled</c>, the default, or <c>rulesengine</c>), <c>Rules:CustomTypes</c> (assembly-qualified
    /// type names, as an array or separated by `;`, whose members expressions may use, under both executors) and
    /// <c>Rules:IsExpressionCaseSensitive</c>: who runs the policies' rules. See docs/RULES.md "Executors".
    /// </summary>
    public RuleCompilerOptions Rules { get; init; } = new();

    /// <summary>Reads the settings, using the defaults above for missing keys.</summary>
    public static HostSettings From(IConfiguration configuration)
    {
        var d = new HostSettings();
        return new HostSettings
        {
            StorePath = configuration["Store:Path"] is { Length: > 0 } store ? store : d.StorePath,
            StoreProvider = configuration["Store:Provider"] is { Length: > 0 } provider ? provider : d.StoreProvider,
            StoreConnectionString = configuration["Store:ConnectionString"] is { Length: > 0 } connection ? connection : null,
            PoliciesPath = configuration["Policies:Path"] is { Length: > 0 } policies ? policies : d.PoliciesPath,
            PolicyReloadDelaySeconds = configuration.GetValue("Policies:ReloadDelaySeconds", d.PolicyReloadDelaySeconds),
            Cron = configuration["Schedule:Cron"] is { Length: > 0 } cron ? cron : d.Cron,
            TimeZone = configuration["Schedule:TimeZone"] is { Length: > 0 } zone ? zone : d.TimeZone,
            CatchUp = configuration.GetValue("Schedule:CatchUp", d.CatchUp),
            SchedulePollSeconds = configuration.GetValue("Schedule:PollSeconds", d.SchedulePollSeconds),
            ScheduleStoragePath = configuration["Schedule:StoragePath"] is { Length: > 0 } hangfire ? hangfire : null,
            ScheduleMaxRunHours = configuration.GetValue("Schedule:MaxRunHours", d.ScheduleMaxRunHours),
            DashboardEnabled = configuration.GetValue("Dashboard:Enabled", d.DashboardEnabled),
            ApiToken = configuration["Api:Token"] is { Length: > 0 } token ? token : null,
            ProtectReads = configuration.GetValue("Api:ProtectReads", d.ProtectReads),
            MaxBodyBytes = configuration.GetValue("Api:MaxBodyBytes", d.MaxBodyBytes),
            InboxPath = configuration["Ingestion:Inbox"] is { Length: > 0 } inbox ? inbox : d.InboxPath,
            InboxPollSeconds = configuration.GetValue("Ingestion:PollSeconds", d.InboxPollSeconds),
            IngestBatchSize = configuration.GetValue("Ingestion:BatchSize", d.IngestBatchSize),
            RunBatchSize = configuration.GetValue("Run:BatchSize", d.RunBatchSize),
            BulkIndexCases = configuration.GetValue("Run:BulkIndexCases", d.BulkIndexCases),
            RunParallelism = configuration.GetValue("Run:Parallelism", d.RunParallelism),
            Explain = ParseExplain(configuration["Run:Explain"], d.Explain),
            RunPartitions = Math.Max(1, configuration.GetValue("Run:Partitions", d.RunPartitions)),
            RunRetrySeconds = Math.Max(0, configuration.GetValue("Run:RetrySeconds", d.RunRetrySeconds)),
            ClusterEnabled = configuration.GetValue("Cluster:Enabled", d.ClusterEnabled),
            ClusterInstanceId = configuration["Cluster:InstanceId"] is { Length: > 0 } instance ? instance : d.ClusterInstanceId,
            ClusterCheckinIntervalSeconds = configuration.GetValue("Cluster:CheckinIntervalSeconds", d.ClusterCheckinIntervalSeconds),
            ClusterInvisibilityTimeoutSeconds = configuration.GetValue("Cluster:InvisibilityTimeoutSeconds", d.ClusterInvisibilityTimeoutSeconds),
            ClusterThreads = Math.Max(1, configuration.GetValue("Cluster:Threads", d.ClusterThreads)),
            Rules = RuleOptions(configuration),
        };
    }

    /// <summary>The <c>Rules:</c> section as compiler options; a bad value stops the host with what to write instead.</summary>
    internal static RuleCompilerOptions RuleOptions(IConfiguration configuration)
    {
        var executor = ParseExecutor(configuration["Rules:Executor"], "Rules:Executor");
        var names = configuration.GetSection("Rules:CustomTypes").GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (names.Count == 0 && configuration["Rules:CustomTypes"] is { Length: > 0 } list)
        {
            names = [.. list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var types = names.Select(name => Type.GetType(name, throwOnError: false)
            ?? throw new InvalidOperationException($"Rules:CustomTypes names `{name}`, which is not a type this host can load; give its assembly-qualified name, e.g. `MyCompany.SlaHelpers, MyCompany.SlaHelpers`"));
        return new RuleCompilerOptions
        {
            Executor = executor,
            RulesEngine = new RulesEngineSettings
            {
                CustomTypes = [.. types],
                IsExpressionCaseSensitive = configuration.GetValue("Rules:IsExpressionCaseSensitive", false),
            },
        };
    }

    /// <summary><c>compiled</c> or <c>rulesengine</c> (case ignored); empty means <c>compiled</c>.</summary>
    internal static RuleExecutor ParseExecutor(string? value, string what) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "compiled" => RuleExecutor.Compiled,
        "rulesengine" => RuleExecutor.RulesEngine,
        _ => throw new InvalidOperationException($"{what} is `{value}`; use compiled or rulesengine"),
    };

    private static ExplainMode ParseExplain(string? value, ExplainMode fallback) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => fallback,
        "notable" => ExplainMode.Notable,
        "all" or "true" => ExplainMode.All,
        "none" or "false" => ExplainMode.None,
        _ => throw new InvalidOperationException($"Run:Explain is `{value}`; use notable, all or none"),
    };
}

/// <summary>Which decisions a run stores with their explanation steps (<c>Run:Explain</c>).</summary>
public enum ExplainMode
{
    /// <summary>
    /// Every decision support leads ask about whose clock has stopped: breached, escalated, no policy, error. Not a target
    /// met without escalation, nor one still counting (running, paused, breached and running), whose explanation grows
    /// every night: those are built on request.
    /// </summary>
    Notable,

    /// <summary>Every decision.</summary>
    All,

    /// <summary>None: every explanation is built on request.</summary>
    None,
}
