namespace SlaPolicy.Host.Storage;

/// <summary>
/// The SQLite schema as an ordered list of migrations. A migration, once released, never changes: add a new
/// one instead. Applied versions are recorded in <c>schema_migrations</c>.
/// </summary>
/// <remarks>
/// Instants are stored as text: input timestamps keep their original offset (round-trip format); instants the
/// host computes (asOf, due, run times) are UTC with a fixed width, so that text order is time order.
/// Keys that may be absent (a no-policy decision has no target or version) are stored as the empty string,
/// because a UNIQUE constraint treats NULLs as distinct and would let duplicates in.
/// </remarks>
internal static class SqliteMigrations
{
    /// <summary>
    /// The partial indexes of the current decisions (the pages' status counts and the credits step's reads), as
    /// migration 16 leaves them. A night that writes the whole store drops them and builds them again once its decisions
    /// are written (<see cref="SqliteStore.DeferCurrentDecisionIndexes"/>); <see cref="SqliteStore.Migrate"/> runs this
    /// at every start, so that a process that died in between gets them back.
    /// </summary>
    public const string CurrentDecisionIndexes = CurrentStatusIndex + CurrentStoppedIndex;

    /// <summary>The index of the current decisions by status (the page's lists): the first of <see cref="CurrentDecisionIndexes"/>.</summary>
    public const string CurrentStatusIndex = """
        CREATE INDEX IF NOT EXISTS ix_decisions_current_status ON decisions (status, percent_used) WHERE is_current = 1;

        """;

    /// <summary>The covering index of the current stops (attainment, and the count of it): the second of <see cref="CurrentDecisionIndexes"/>.</summary>
    public const string CurrentStoppedIndex = """
        CREATE INDEX IF NOT EXISTS ix_decisions_current_stopped ON decisions (stopped_at, status, customer, policy, policy_version, severity, due_at) WHERE is_current = 1 AND stopped_at IS NOT NULL;

        """;

    /// <summary>Drops the indexes <see cref="CurrentDecisionIndexes"/> builds.</summary>
    public const string DropCurrentDecisionIndexes = "DROP INDEX IF EXISTS ix_decisions_current_status; DROP INDEX IF EXISTS ix_decisions_current_stopped;";

    /// <summary>The first version whose schema has <see cref="CurrentDecisionIndexes"/> as they are written there.</summary>
    public const int CurrentDecisionIndexesVersion = 16;

    /// <summary>The version that adds the attainment counts and their triggers (<see cref="AttainmentCounts"/>).</summary>
    public const int AttainmentCountsVersion = 18;

    public static readonly IReadOnlyList<(int Version, string Name, string Sql)> All =
    [
        (1, "initial schema", """
            CREATE TABLE cases (
                id TEXT NOT NULL PRIMARY KEY,
                customer TEXT NOT NULL,
                tier TEXT NOT NULL,
                region TEXT NOT NULL,
                service TEXT NOT NULL,
                severity INTEGER NOT NULL,
                opened_at TEXT NOT NULL,
                first_response_at TEXT NULL,
                resolved_at TEXT NULL,
                tags TEXT NOT NULL,
                events TEXT NOT NULL,
                received_at TEXT NOT NULL
            );
            CREATE TABLE outages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                outage_id TEXT NULL,
                service TEXT NOT NULL,
                region TEXT NOT NULL,
                start_at TEXT NOT NULL,
                end_at TEXT NOT NULL,
                kind TEXT NOT NULL,
                received_at TEXT NOT NULL,
                UNIQUE (service, region, start_at, kind)
            );
            CREATE TABLE subscriptions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                customer TEXT NOT NULL,
                tier TEXT NOT NULL,
                region TEXT NOT NULL,
                service TEXT NOT NULL,
                monthly_fee REAL NULL,
                currency TEXT NULL,
                received_at TEXT NOT NULL,
                UNIQUE (customer, region, service)
            );
            CREATE TABLE measurements (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                service TEXT NOT NULL,
                region TEXT NOT NULL,
                at TEXT NOT NULL,
                metric TEXT NOT NULL,
                value REAL NOT NULL,
                received_at TEXT NOT NULL,
                UNIQUE (service, region, at, metric)
            );
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                as_of TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT NULL,
                status TEXT NOT NULL,
                run_trigger TEXT NOT NULL,
                cases_read INTEGER NOT NULL DEFAULT 0,
                decisions_written INTEGER NOT NULL DEFAULT 0,
                decisions_changed INTEGER NOT NULL DEFAULT 0,
                rejected INTEGER NOT NULL DEFAULT 0,
                duration_ms INTEGER NOT NULL DEFAULT 0,
                policy_versions TEXT NOT NULL DEFAULT '[]',
                error TEXT NULL
            );
            CREATE TABLE decisions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                case_id TEXT NOT NULL,
                target TEXT NOT NULL,
                evaluation_date TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                policy TEXT NULL,
                status TEXT NOT NULL,
                due_at TEXT NULL,
                elapsed_minutes REAL NOT NULL,
                paused_minutes REAL NOT NULL,
                percent_used REAL NOT NULL,
                escalation_level INTEGER NOT NULL,
                as_of TEXT NOT NULL,
                policy_file TEXT NULL,
                policy_line INTEGER NOT NULL,
                rule_name TEXT NULL,
                customer TEXT NULL,
                service TEXT NULL,
                explanation TEXT NOT NULL,
                run_id INTEGER NOT NULL,
                UNIQUE (case_id, target, evaluation_date, policy_version)
            );
            CREATE INDEX ix_decisions_status ON decisions (evaluation_date, status);
            CREATE TABLE escalation_history (
                case_id TEXT NOT NULL,
                level INTEGER NOT NULL,
                first_reached_at TEXT NOT NULL,
                run_id INTEGER NOT NULL,
                PRIMARY KEY (case_id, level)
            );
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source TEXT NOT NULL,
                line INTEGER NOT NULL,
                field TEXT NULL,
                reason TEXT NOT NULL,
                raw TEXT NOT NULL,
                received_at TEXT NOT NULL
            );
            """),

        // The same file ingested again (e.g. `run --ingest` twice) must not quarantine its bad lines twice.
        (2, "quarantine keeps one row per rejected line", """
            DELETE FROM quarantine WHERE id NOT IN (SELECT MIN(id) FROM quarantine GROUP BY source, line, raw);
            CREATE UNIQUE INDEX ux_quarantine_line ON quarantine (source, line, raw);
            """),

        // The month's availability, performance, attainment and credits as the nightly run computes them. Amounts are
        // whole cents (exact); keys that do not apply to a kind are the empty string (see ServiceCredit).
        (3, "service credits of the month, counted per run", """
            CREATE TABLE service_credits (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                period TEXT NOT NULL,
                customer TEXT NOT NULL,
                kind TEXT NOT NULL,
                objective TEXT NOT NULL,
                service TEXT NOT NULL,
                region TEXT NOT NULL,
                policy_id TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                currency TEXT NOT NULL,
                target TEXT NOT NULL,
                tier TEXT NULL,
                measured REAL NULL,
                met INTEGER NULL,
                credit_percent REAL NULL,
                amount_cents INTEGER NOT NULL,
                explanation TEXT NOT NULL,
                as_of TEXT NOT NULL,
                run_id INTEGER NOT NULL,
                UNIQUE (period, customer, kind, objective, service, region, policy_id, policy_version, currency)
            );
            CREATE INDEX ix_service_credits_customer ON service_credits (customer, period);
            ALTER TABLE runs ADD COLUMN credits_written INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN credits_changed INTEGER NOT NULL DEFAULT 0;
            """),

        // A run is split into partitions by customer (see docs/SCALE-OUT.md); each partition records who ran it, how
        // often and with what result. The customer index serves the partition reads.
        (4, "run partitions", """
            CREATE TABLE run_partitions (
                run_id INTEGER NOT NULL,
                partition_no INTEGER NOT NULL,
                partitions INTEGER NOT NULL,
                state TEXT NOT NULL,
                owner TEXT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                started_at TEXT NULL,
                finished_at TEXT NULL,
                cases_read INTEGER NOT NULL DEFAULT 0,
                decisions_written INTEGER NOT NULL DEFAULT 0,
                decisions_changed INTEGER NOT NULL DEFAULT 0,
                rejected INTEGER NOT NULL DEFAULT 0,
                error TEXT NULL,
                PRIMARY KEY (run_id, partition_no)
            );
            CREATE INDEX ix_cases_customer ON cases (customer);
            """),

        // A repeat night compares one number per decision instead of every column (StoreRows.DecisionUpsertClause).
        (5, "decisions carry a hash of their stored values", """
            ALTER TABLE decisions ADD COLUMN decision_hash INTEGER NULL;
            """),

        // The credits step reads the decisions attainment counts (met or breached, clock stopped in the month) from the
        // run's own rows instead of evaluating every case again (StoreRows.AttainmentDecisionsSql). stopped_at is
        // fixed-width UTC text, NULL while the clock runs; severity is NULL when unknown. Rows stored before this
        // migration get both on their next rewrite (their hash no longer matches).
        (6, "decisions carry their stop instant and severity", """
            ALTER TABLE decisions ADD COLUMN stopped_at TEXT NULL;
            ALTER TABLE decisions ADD COLUMN severity INTEGER NULL;
            CREATE INDEX ix_decisions_stopped ON decisions (evaluation_date, stopped_at);
            """),

        // A run says what it ran on when that was not simply the whole policy folder (NightlyRun.PolicyNote).
        (7, "runs note the policies they ran on", """
            ALTER TABLE runs ADD COLUMN policy_note TEXT NULL;
            """),

        // Money is exact: a fee is kept as the decimal text it was read as (invariant culture), never as a binary double,
        // which kept 15 significant digits and overflowed decimal on the way back. Fees stored before come over as
        // SQLite prints their REAL value.
        (8, "monthly fees as exact decimal text", """
            ALTER TABLE subscriptions ADD COLUMN monthly_fee_text TEXT NULL;
            UPDATE subscriptions SET monthly_fee_text = CAST(monthly_fee AS TEXT) WHERE monthly_fee IS NOT NULL;
            ALTER TABLE subscriptions DROP COLUMN monthly_fee;
            ALTER TABLE subscriptions RENAME COLUMN monthly_fee_text TO monthly_fee;
            """),

        // Each partition counts the events whose status nothing gives a meaning (StatusCensus); a run sums them.
        (9, "partitions count unknown statuses", """
            ALTER TABLE run_partitions ADD COLUMN unknown_statuses INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE run_partitions ADD COLUMN unknown_status_names TEXT NOT NULL DEFAULT '';
            """),

        // What an outage affected (an instance, a zone, a project), when its producer says; outages stored before have none.
        (10, "outages name the resource they affected", """
            ALTER TABLE outages ADD COLUMN resource TEXT NULL;
            """),

        // The scheduler job running a partition (NightlyRun.RunPartition): the same job handed to another host takes it over.
        (11, "partitions record the scheduler job that runs them", """
            ALTER TABLE run_partitions ADD COLUMN job_id TEXT NULL;
            """),

        // Escalation crossings delivered to webhooks (Notifications), once each, with every attempt.
        (12, "notifications of escalation crossings and their delivery attempts", """
            CREATE TABLE notifications (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                notification_key TEXT NOT NULL UNIQUE,
                case_id TEXT NOT NULL,
                target TEXT NULL,
                step TEXT NOT NULL,
                action TEXT NOT NULL,
                level INTEGER NULL,
                recipient TEXT NOT NULL,
                run_id INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                deliver_after TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_status INTEGER NULL,
                last_error TEXT NULL,
                delivered_at TEXT NULL,
                body TEXT NOT NULL
            );
            CREATE INDEX ix_notifications_case ON notifications (case_id);
            CREATE INDEX ix_notifications_state ON notifications (state, deliver_after);
            CREATE TABLE notification_attempts (
                notification_id INTEGER NOT NULL,
                attempt INTEGER NOT NULL,
                at TEXT NOT NULL,
                webhook TEXT NULL,
                status INTEGER NULL,
                error TEXT NULL,
                duration_ms INTEGER NOT NULL,
                PRIMARY KEY (notification_id, attempt)
            );
            """),

        // Incremental nights (NightlyRun): a night evaluates the cases that may have changed and keeps the others' decisions.
        // A decision row says whether it is its case's current one (the rows of the case's last evaluation) and carries the
        // proof that it still holds: the hash of the case record it was made from and the fingerprint of the policies that
        // may govern the case (ICaseEvaluator.ScopeFingerprint). pending_cases lists the cases a night must evaluate: new or
        // changed since their decisions (marked by ingestion, with the ingest batch's number from store_counters) or still
        // counting (marked by the run, with the asOf it last evaluated them as of: the same night again skips them); evaluated_scopes, per customer, the fingerprint and asOf its cases were last
        // evaluated under. Readers of "the latest decisions" use is_current instead of the latest evaluation date.
        (13, "decisions carry their proof; cases pending evaluation; scopes evaluated", """
            ALTER TABLE decisions ADD COLUMN is_current INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE decisions ADD COLUMN inputs_hash INTEGER NULL;
            ALTER TABLE decisions ADD COLUMN policy_fingerprint INTEGER NULL;
            UPDATE decisions SET is_current = 1
                WHERE evaluation_date = (SELECT MAX(d.evaluation_date) FROM decisions d WHERE d.case_id = decisions.case_id);
            DROP INDEX ix_decisions_status;
            DROP INDEX ix_decisions_stopped;
            CREATE INDEX ix_decisions_current_status ON decisions (status, percent_used) WHERE is_current = 1;
            CREATE INDEX ix_decisions_current_stopped ON decisions (stopped_at, status, customer, policy, policy_version, severity, due_at) WHERE is_current = 1;
            ALTER TABLE cases ADD COLUMN inputs_hash INTEGER NULL;
            CREATE TABLE pending_cases (case_id TEXT NOT NULL PRIMARY KEY, seq INTEGER NOT NULL, evaluated_as_of TEXT NULL) WITHOUT ROWID;
            CREATE TABLE evaluated_scopes (customer TEXT NOT NULL PRIMARY KEY, fingerprint INTEGER NOT NULL, as_of TEXT NOT NULL, run_id INTEGER NOT NULL);
            CREATE TABLE store_counters (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL);
            INSERT INTO store_counters (name, value) VALUES ('ingest', 0), ('service', 0);
            ALTER TABLE runs ADD COLUMN inputs_mark TEXT NULL;
            ALTER TABLE runs ADD COLUMN full_run INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE run_partitions ADD COLUMN cases_kept INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE run_partitions ADD COLUMN customers_full INTEGER NOT NULL DEFAULT 0;
            """),

        // Claims and settlement: each month's credit above 0 per party, policy and currency (owed to a customer, or to be
        // claimed from a supplier), with the deadline by which it must be claimed and where finance has got with it; and
        // subscriptions carry the amount billed for a month and the dates subscribed, the fee base of their credits.
        (14, "credit claims; billed amounts and subscription dates", """
            CREATE TABLE credit_claims (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                period TEXT NOT NULL,
                party TEXT NOT NULL,
                policy_id TEXT NOT NULL,
                currency TEXT NOT NULL,
                direction TEXT NOT NULL,
                amount_cents INTEGER NOT NULL,
                claimable_until TEXT NULL,
                future_bills_only INTEGER NOT NULL,
                explanation TEXT NOT NULL,
                status TEXT NOT NULL,
                claimed_at TEXT NULL,
                settled_at TEXT NULL,
                note TEXT NULL,
                as_of TEXT NOT NULL,
                run_id INTEGER NOT NULL,
                UNIQUE (period, party, policy_id, currency, direction)
            );
            CREATE INDEX ix_credit_claims_status ON credit_claims (status, claimable_until);
            ALTER TABLE subscriptions ADD COLUMN billed TEXT NULL;
            ALTER TABLE subscriptions ADD COLUMN subscribed_from TEXT NULL;
            ALTER TABLE subscriptions ADD COLUMN subscribed_until TEXT NULL;
            """),

        // Availability from request counts and per resource: measurements carry the requests and failed requests of their
        // interval and the resource measured; subscriptions name a resource (an instance, a function, a zone). The resource is
        // part of both keys (the empty string when none is named, since a UNIQUE constraint treats NULLs as distinct), so
        // SQLite rebuilds the two tables with their new keys; rows stored before keep their ids and name no resource.
        (15, "request counts and resources on measurements; resources on subscriptions", """
            CREATE TABLE measurements_15 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                service TEXT NOT NULL,
                region TEXT NOT NULL,
                at TEXT NOT NULL,
                metric TEXT NOT NULL,
                value REAL NOT NULL,
                received_at TEXT NOT NULL,
                requests TEXT NULL,
                failed TEXT NULL,
                resource TEXT NOT NULL DEFAULT '',
                UNIQUE (service, region, at, metric, resource)
            );
            INSERT INTO measurements_15 (id, service, region, at, metric, value, received_at)
                SELECT id, service, region, at, metric, value, received_at FROM measurements;
            DROP TABLE measurements;
            ALTER TABLE measurements_15 RENAME TO measurements;
            CREATE TABLE subscriptions_15 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                customer TEXT NOT NULL,
                tier TEXT NOT NULL,
                region TEXT NOT NULL,
                service TEXT NOT NULL,
                currency TEXT NULL,
                received_at TEXT NOT NULL,
                monthly_fee TEXT NULL,
                billed TEXT NULL,
                subscribed_from TEXT NULL,
                subscribed_until TEXT NULL,
                resource TEXT NOT NULL DEFAULT '',
                UNIQUE (customer, region, service, resource)
            );
            INSERT INTO subscriptions_15 (id, customer, tier, region, service, currency, received_at, monthly_fee, billed, subscribed_from, subscribed_until)
                SELECT id, customer, tier, region, service, currency, received_at, monthly_fee, billed, subscribed_from, subscribed_until FROM subscriptions;
            DROP TABLE subscriptions;
            ALTER TABLE subscriptions_15 RENAME TO subscriptions;
            """),

        // A decision still counting whose state holds (DecisionRow.StateHash: the same status, escalation level, policy
        // and proof; only the evaluation time and what moves with it differ) is stored by moving its current row forward
        // to the night instead of adding a row and retiring the old one (NightlyRun, CaseOutcome.Continues). The history
        // then keeps one row per state a decision went through, dated the last night it was seen in it. Rows stored before
        // this version have no state hash and are never moved: their case gets a new row once, as before. The partial
        // index of the current rows' stop instants (the credits step's reads) leaves out the rows still counting (no stop
        // instant), so that moving one forward does not touch it.
        (16, "decisions carry the hash of their state", """
            ALTER TABLE decisions ADD COLUMN state_hash INTEGER NULL;
            DROP INDEX ix_decisions_current_stopped;
            CREATE INDEX ix_decisions_current_stopped ON decisions (stopped_at, status, customer, policy, policy_version, severity, due_at) WHERE is_current = 1 AND stopped_at IS NOT NULL;
            """),

        // The share of users an outage affected (a percent, kept as written), for availability terms that weight downtime by
        // it; outages stored before have none and count in full.
        (17, "outages carry the share of users affected", """
            ALTER TABLE outages ADD COLUMN affected TEXT NULL;
            """),

        // The credits step counts the current decisions attainment counts by group (StoreRows.AttainmentGroupsSql). Reading
        // them from the rows walks every decision of the month, a cost that grows with the store however little changed.
        // attainment_counts keeps the same counts per UTC day of the stop instant, moved by triggers on every row that
        // enters or leaves the counted set (AttainmentCounts), so that the step reads a few thousand rows instead.
        // The credits step also reads one by one the current stopped decisions of unknown severity over the whole month
        // (StoreRows.AttainmentDecisionsSql): a partial index finds those few without walking the month's stops.
        (18, "attainment counts per stop day", AttainmentCounts.Schema + """
            CREATE INDEX ix_decisions_current_unknown_severity ON decisions (stopped_at) WHERE is_current = 1 AND stopped_at IS NOT NULL AND severity IS NULL;
            """),
    ];
}

/// <summary>
/// <c>attainment_counts</c>: how many current decisions attainment counts (met or breached, clock stopped, severity
/// known) there are per UTC day of their stop instant and per group of <see cref="StoreRows.AttainmentGroupsSql"/>
/// (customer, policy, version, severity, status, for a breach the UTC day of its due time). Triggers on the decisions
/// log each change to <c>attainment_count_changes</c>: a row entering the counted set (inserted current, made current,
/// given a stop instant, ...) adds one to its group, a row leaving it (retired, deleted, ...) takes one away, a row
/// whose group changes does both. The counts are the sum of both tables (<see cref="GroupsSql"/>); the decision sink
/// folds the log into the counts as it closes (<see cref="FoldSql"/>).
/// </summary>
/// <remarks>
/// A trigger appends to the log rather than updating the count in place: an append costs less than half as much per
/// row, and the writes of a night pay it on every decision that enters or leaves the set. Absent customers and policies
/// are kept as the empty BLOB (<c>x''</c>), which no text equals, so that a key column can be NOT NULL (a primary key
/// treats NULLs as distinct) and still tell an absent value from the empty text; a met decision's breach day is the
/// empty text. A group's row stays at 0 when its last decision leaves: readers skip it. A night over the whole store
/// drops the triggers and counts again once its decisions are written (<see cref="Recount"/>). The texts below are
/// migration 18's as released; a later change to the triggers is a new migration, and <see cref="Triggers"/> then
/// follows it.
/// </remarks>
internal static class AttainmentCounts
{
    /// <summary>The condition on a decision row (<c>{0}</c>: <c>new</c>, <c>old</c> or the table) for attainment to count it.</summary>
    private const string Counted = "{0}.is_current = 1 AND {0}.stopped_at IS NOT NULL AND {0}.status IN ('met', 'breached') AND {0}.severity IS NOT NULL";

    /// <summary>The key of a counted row: each column of the table with its value.</summary>
    private static readonly (string Column, string Value)[] Key =
    [
        ("stop_day", "substr({0}.stopped_at, 1, 10)"),
        ("customer", "ifnull({0}.customer, x'')"),
        ("policy", "ifnull({0}.policy, x'')"),
        ("policy_version", "{0}.policy_version"),
        ("severity", "{0}.severity"),
        ("status", "{0}.status"),
        ("breach_day", "CASE WHEN {0}.status = 'breached' THEN substr(COALESCE({0}.due_at, {0}.stopped_at), 1, 10) ELSE '' END"),
    ];

    private static readonly string Columns = string.Join(", ", Key.Select(k => k.Column));

    private static readonly string ColumnTypes = """
            stop_day TEXT NOT NULL,
            customer NOT NULL,
            policy NOT NULL,
            policy_version TEXT NOT NULL,
            severity INTEGER NOT NULL,
            status TEXT NOT NULL,
            breach_day TEXT NOT NULL,
            n INTEGER NOT NULL
        """;

    private static string Of(string template, string row) => template.Replace("{0}", row, StringComparison.Ordinal);

    private static string Values(string row) => string.Join(", ", Key.Select(k => Of(k.Value, row)));

    private static string Log(string row, int n) =>
        $"INSERT INTO attainment_count_changes ({Columns}, n) SELECT {Values(row)}, {n} WHERE {Of(Counted, row)};";

    /// <summary>The old row and the new one have one key: a row moved forward or rewritten in its group changes no count.</summary>
    private static readonly string SameKey = string.Join(" AND ", Key.Select(k => $"{Of(k.Value, "old")} IS {Of(k.Value, "new")}"));

    /// <summary>The triggers that log the changes.</summary>
    public static readonly string Triggers = $"""
        CREATE TRIGGER tr_attainment_counts_insert AFTER INSERT ON decisions WHEN {Of(Counted, "new")}
        BEGIN
            {Log("new", 1)}
        END;
        CREATE TRIGGER tr_attainment_counts_delete AFTER DELETE ON decisions WHEN {Of(Counted, "old")}
        BEGIN
            {Log("old", -1)}
        END;
        CREATE TRIGGER tr_attainment_counts_update AFTER UPDATE OF is_current, stopped_at, status, severity, customer, policy, policy_version, due_at ON decisions
            WHEN (({Of(Counted, "old")}) OR ({Of(Counted, "new")}))
                AND NOT (({Of(Counted, "old")}) AND ({Of(Counted, "new")}) AND {SameKey})
        BEGIN
            {Log("old", -1)}
            {Log("new", 1)}
        END;

        """;

    /// <summary>Drops <see cref="Triggers"/>.</summary>
    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS tr_attainment_counts_insert;
        DROP TRIGGER IF EXISTS tr_attainment_counts_delete;
        DROP TRIGGER IF EXISTS tr_attainment_counts_update;
        """;

    /// <summary>True (1) when the triggers are in place: a night over the whole store that died before it counted again leaves them dropped.</summary>
    public const string HasTriggersSql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'tr_attainment_counts_insert'";

    /// <summary>
    /// The counts as the rows give them, one row per day and group. <c>status || ''</c> keeps SQLite off the partial index
    /// by status, whose rows it would then read one by one from the table (6 to 7 s at a million cases, against 2.6 s
    /// over the covering index of the stop instants).
    /// </summary>
    public static readonly string RecountSql =
        $"SELECT {Values("decisions")}, COUNT(*) FROM decisions WHERE {Of(Counted, "decisions").Replace("decisions.status IN", "(decisions.status || '') IN", StringComparison.Ordinal)} GROUP BY 1, 2, 3, 4, 5, 6, 7";

    /// <summary>The counts of both tables per day and group, those not 0, in the columns of <see cref="RecountSql"/>.</summary>
    public static readonly string StoredSql =
        $"SELECT {Columns}, SUM(n) FROM (SELECT {Columns}, n FROM attainment_counts UNION ALL SELECT {Columns}, n FROM attainment_count_changes) GROUP BY {Columns} HAVING SUM(n) <> 0";

    /// <summary>The tables and the triggers, the counts filled from the rows already stored.</summary>
    public static readonly string Schema = $"""
        CREATE TABLE attainment_counts (
        {ColumnTypes},
            PRIMARY KEY ({Columns})
        ) WITHOUT ROWID;
        CREATE TABLE attainment_count_changes (
        {ColumnTypes}
        );
        INSERT INTO attainment_counts ({Columns}, n) {RecountSql};
        {Triggers}
        """;

    /// <summary>Empties the counts and their log (the first half of <see cref="Recount"/>).</summary>
    public const string Clear = "DELETE FROM attainment_count_changes; DELETE FROM attainment_counts;";

    /// <summary>Adds one count: the columns of <see cref="RecountSql"/>, as it gives them, as <c>?1</c> to <c>?8</c>.</summary>
    public static readonly string InsertSql = $"INSERT INTO attainment_counts ({Columns}, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    /// <summary>Counts again from the rows and puts the triggers back (run in one transaction, with the triggers dropped).</summary>
    public static readonly string Recount = $"""
        {Clear}
        INSERT INTO attainment_counts ({Columns}, n) {RecountSql};
        {Triggers}
        """;

    /// <summary>Adds the logged changes to the counts and empties the log (run in one transaction).</summary>
    public static readonly string FoldSql = $"""
        INSERT INTO attainment_counts ({Columns}, n)
            SELECT {Columns}, SUM(n) FROM attainment_count_changes WHERE true GROUP BY {Columns}
            ON CONFLICT ({Columns}) DO UPDATE SET n = n + excluded.n;
        DELETE FROM attainment_count_changes;
        """;

    /// <summary>
    /// The groups of <see cref="StoreRows.AttainmentGroupsSql"/> for stop instants in [<c>@fromDay</c>, <c>@toDay</c>) (UTC
    /// days, <c>yyyy-MM-dd</c>), absent values back as NULL, in that query's order (absent first, texts by their bytes).
    /// </summary>
    public static readonly string GroupsSql = $"""
        SELECT nullif(customer, x''), nullif(policy, x''), policy_version, severity, status, nullif(breach_day, ''), SUM(n)
        FROM (
            SELECT {Columns}, n FROM attainment_counts WHERE stop_day >= @fromDay AND stop_day < @toDay
            UNION ALL
            SELECT {Columns}, n FROM attainment_count_changes WHERE stop_day >= @fromDay AND stop_day < @toDay)
        GROUP BY customer, policy, policy_version, severity, status, breach_day
        HAVING SUM(n) > 0
        ORDER BY 1, 2, 3, 4, 5, 6
        """;
}
