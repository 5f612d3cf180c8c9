using System.Data.Common;
using System.Text;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The SQL text and row mapping both stores share. Both schemas use the same column names, the same text
/// representation of instants and JSON (<see cref="StoreText"/>) and the same numeric widths, so one query and one
/// reader mapping serve SQLite and PostgreSQL alike; keeping them in one place keeps the two stores identical.
/// </summary>
internal static class StoreRows
{
    /// <summary>percentUsed from which a running decision counts as at risk.</summary>
    public const double AtRiskPercent = 75;

    public const string CaseColumns = "id, customer, tier, region, service, severity, opened_at, first_response_at, resolved_at, tags, events";

    public const string RunColumns = "id, as_of, started_at, finished_at, status, run_trigger, cases_read, decisions_written, decisions_changed, rejected, duration_ms, policy_versions, error";

    public const string DecisionColumns = "case_id, target, evaluation_date, policy_version, policy, status, due_at, elapsed_minutes, paused_minutes, percent_used, escalation_level, as_of, policy_file, policy_line, rule_name, customer, service, explanation, run_id";

    /// <summary>
    /// The conflict clause of the decision upsert, one for both stores: a decision already stored under its key
    /// (case, target, evaluation date, policy version) is updated only when something a reader sees has changed, so a
    /// re-run over unchanged inputs reports no change and the row keeps its run id. "Changed" is decided by one
    /// comparison of <c>decision_hash</c> (see <see cref="DecisionRow.Hash"/>) instead of every column; a row stored
    /// before that column existed has no hash and is rewritten once.
    /// </summary>
    public const string DecisionUpsertClause = """

        ON CONFLICT (case_id, target, evaluation_date, policy_version) DO UPDATE SET
            policy = excluded.policy, status = excluded.status, due_at = excluded.due_at, elapsed_minutes = excluded.elapsed_minutes,
            paused_minutes = excluded.paused_minutes, percent_used = excluded.percent_used, escalation_level = excluded.escalation_level,
            as_of = excluded.as_of, policy_file = excluded.policy_file, policy_line = excluded.policy_line, rule_name = excluded.rule_name,
            customer = excluded.customer, service = excluded.service, explanation = excluded.explanation, run_id = excluded.run_id,
            decision_hash = excluded.decision_hash
        WHERE decisions.decision_hash IS DISTINCT FROM excluded.decision_hash
        """;

    public const string QuarantineColumns = "id, source, line, field, reason, raw, received_at";

    /// <summary>A case's decisions of its latest evaluation date; parameter <c>@id</c>.</summary>
    public const string CaseTraceDecisionsSql =
        $"SELECT {DecisionColumns} FROM decisions WHERE case_id = @id AND evaluation_date = (SELECT MAX(evaluation_date) FROM decisions WHERE case_id = @id) ORDER BY target, policy_version";

    /// <summary>A case's escalation history by level; parameter <c>@id</c>.</summary>
    public const string EscalationsSql = "SELECT case_id, level, first_reached_at, run_id FROM escalation_history WHERE case_id = @id ORDER BY level";

    /// <summary>Reads a row of <see cref="CaseColumns"/>.</summary>
    public static CaseRecord ReadCase(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt32(5),
        StoreText.ParseInstant(reader.GetString(6)),
        reader.IsDBNull(7) ? null : StoreText.ParseInstant(reader.GetString(7)),
        reader.IsDBNull(8) ? null : StoreText.ParseInstant(reader.GetString(8)),
        StoreText.ParseTags(reader.GetString(9)),
        StoreText.ParseEvents(reader.GetString(10)));

    /// <summary>Reads a row of <see cref="RunColumns"/>.</summary>
    public static RunRecord ReadRun(DbDataReader reader) => new(
        reader.GetInt64(0),
        StoreText.ParseInstant(reader.GetString(1)),
        StoreText.ParseInstant(reader.GetString(2)),
        reader.IsDBNull(3) ? null : StoreText.ParseInstant(reader.GetString(3)),
        StoreText.ParseState(reader.GetString(4)),
        StoreText.ParseTrigger(reader.GetString(5)),
        reader.GetInt64(6),
        reader.GetInt64(7),
        reader.GetInt64(8),
        reader.GetInt64(9),
        reader.GetInt64(10),
        StoreText.ParseStrings(reader.GetString(11)),
        reader.IsDBNull(12) ? null : reader.GetString(12));

    /// <summary>Reads a row of <see cref="DecisionColumns"/>; absent keys are stored as the empty string and read back as null.</summary>
    public static StoredDecision ReadDecision(DbDataReader reader)
    {
        StoreText.TryParseStatus(reader.GetString(5), out var status);
        var target = reader.GetString(1);
        var version = reader.GetString(3);
        var decision = new Decision(
            CaseId: reader.GetString(0),
            Target: target.Length == 0 ? null : target,
            Policy: reader.IsDBNull(4) ? null : reader.GetString(4),
            PolicyVersion: version.Length == 0 ? null : version,
            Status: status,
            DueAt: reader.IsDBNull(6) ? null : StoreText.ParseInstant(reader.GetString(6)),
            ElapsedMinutes: reader.GetDouble(7),
            PausedMinutes: reader.GetDouble(8),
            PercentUsed: reader.GetDouble(9),
            EscalationLevel: reader.GetInt32(10),
            AsOf: StoreText.ParseInstant(reader.GetString(11)),
            PolicyFile: reader.IsDBNull(12) ? null : reader.GetString(12),
            PolicyLine: reader.GetInt32(13),
            RuleName: reader.IsDBNull(14) ? null : reader.GetString(14),
            Customer: reader.IsDBNull(15) ? null : reader.GetString(15),
            Service: reader.IsDBNull(16) ? null : reader.GetString(16),
            Explanation: StoreText.ParseExplanation(reader.GetString(17)));
        return new StoredDecision(decision, StoreText.ParseDate(reader.GetString(2)), reader.GetInt64(18));
    }

    /// <summary>Reads a row of <c>case_id, level, first_reached_at, run_id</c>.</summary>
    public static EscalationRecord ReadEscalation(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), StoreText.ParseInstant(reader.GetString(2)), reader.GetInt64(3));

    /// <summary>Reads a row of <see cref="QuarantineColumns"/>.</summary>
    public static QuarantineEntry ReadQuarantine(DbDataReader reader) => new(
        reader.GetInt64(0),
        new RejectedRecord(reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5)),
        StoreText.ParseInstant(reader.GetString(6)));

    /// <summary>
    /// The SELECT for <paramref name="query"/> with its named parameters (values only ever travel as parameters).
    /// </summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) DecisionQuery(DecisionQuery query)
    {
        var sql = new StringBuilder($"SELECT {DecisionColumns} FROM decisions WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            if (string.Equals(query.Status, "at-risk", StringComparison.OrdinalIgnoreCase))
            {
                sql.Append(" AND status = @status AND percent_used >= @atRisk");
                parameters.Add(("@status", StoreText.Status(DecisionStatus.Running)));
                parameters.Add(("@atRisk", AtRiskPercent));
            }
            else
            {
                sql.Append(" AND status = @status");
                parameters.Add(("@status", query.Status.ToLowerInvariant()));
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Customer))
        {
            sql.Append(" AND customer = @customer");
            parameters.Add(("@customer", query.Customer));
        }

        if (!string.IsNullOrWhiteSpace(query.Service))
        {
            sql.Append(" AND service = @service");
            parameters.Add(("@service", query.Service));
        }

        if (query.From is { } from)
        {
            sql.Append(" AND as_of >= @from");
            parameters.Add(("@from", StoreText.Utc(from)));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND as_of < @to");
            parameters.Add(("@to", StoreText.Utc(to)));
        }

        if (query.LatestOnly)
        {
            sql.Append(" AND evaluation_date = (SELECT MAX(evaluation_date) FROM decisions)");
        }

        sql.Append(" ORDER BY evaluation_date DESC, percent_used DESC, case_id, target LIMIT @limit");
        parameters.Add(("@limit", Math.Clamp(query.Limit, 1, 10_000)));
        return (sql.ToString(), parameters);
    }
}
