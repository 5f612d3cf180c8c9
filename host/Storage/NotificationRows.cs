using System.Data.Common;
using System.Globalization;

namespace SlaPolicy.Host.Storage;

/// <summary>What became of a notification of an escalation crossing.</summary>
public enum NotificationState
{
    /// <summary>Waiting for its (next) delivery attempt.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed (<c>Notifications:RetryDelaysSeconds</c> used up).</summary>
    Failed,

    /// <summary>No webhook is configured for its recipient nor a default one: kept, never sent.</summary>
    NoWebhook,
}

/// <summary>A notification to create: one escalation crossing (case, target, step) for one recipient, with the body to send.</summary>
public sealed record NewNotification(
    string Key, string CaseId, string? Target, string Step, string Action, int? Level, string Recipient, long RunId,
    DateTimeOffset CreatedAt, DateTimeOffset DeliverAfter, NotificationState State, string Body);

/// <summary>A stored notification and the outcome of its attempts so far.</summary>
public sealed record NotificationRecord(
    long Id, string Key, string CaseId, string? Target, string Step, string Action, int? Level, string Recipient, long RunId,
    DateTimeOffset CreatedAt, DateTimeOffset DeliverAfter, NotificationState State, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset? DeliveredAt, string Body);

/// <summary>One delivery attempt: when, to which webhook, the HTTP status (null when no answer came) or the error, how long.</summary>
public sealed record NotificationAttempt(long NotificationId, int Attempt, DateTimeOffset At, string? Webhook, int? Status, string? Error, long DurationMs);

/// <summary>The SQL of notifications and their attempts, the same in both stores.</summary>
internal static class NotificationRows
{
    private const string Columns =
        "id, notification_key, case_id, target, step, action, level, recipient, run_id, created_at, deliver_after, state, attempts, last_status, last_error, delivered_at, body";

    public static string StateText(NotificationState state) => state switch
    {
        NotificationState.NoWebhook => "no-webhook",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static NotificationState ParseState(string text) => text == "no-webhook" ? NotificationState.NoWebhook : Enum.Parse<NotificationState>(text, ignoreCase: true);

    /// <summary>
    /// Inserts the notifications not stored yet (by key: a crossing is notified once, however many runs see it) in one
    /// transaction; returns the new ones with their ids.
    /// </summary>
    public static IReadOnlyList<NotificationRecord> Add(DbConnection connection, IReadOnlyList<NewNotification> notifications)
    {
        var added = new List<NotificationRecord>();
        using var transaction = connection.BeginTransaction();
        foreach (var n in notifications)
        {
            using var command = RunPartitionRows.Command(connection, """
                INSERT INTO notifications (notification_key, case_id, target, step, action, level, recipient, run_id, created_at, deliver_after, state, attempts, body)
                VALUES (@key, @case, @target, @step, @action, @level, @recipient, @run, @created, @after, @state, 0, @body)
                ON CONFLICT (notification_key) DO NOTHING
                RETURNING id
                """,
                ("@key", n.Key), ("@case", n.CaseId), ("@target", n.Target), ("@step", n.Step), ("@action", n.Action), ("@level", n.Level),
                ("@recipient", n.Recipient), ("@run", n.RunId), ("@created", StoreText.Utc(n.CreatedAt)), ("@after", StoreText.Utc(n.DeliverAfter)),
                ("@state", StateText(n.State)), ("@body", n.Body));
            command.Transaction = transaction;
            if (command.ExecuteScalar() is { } id and not DBNull)
            {
                added.Add(new NotificationRecord(
                    Convert.ToInt64(id, CultureInfo.InvariantCulture), n.Key, n.CaseId, n.Target, n.Step, n.Action, n.Level, n.Recipient, n.RunId,
                    n.CreatedAt, n.DeliverAfter, n.State, 0, null, null, null, n.Body));
            }
        }

        transaction.Commit();
        return added;
    }

    /// <summary>
    /// Records attempt <paramref name="attempt"/> and the notification's state after it, in one transaction; a pending one
    /// is due again at <paramref name="next"/>.
    /// </summary>
    public static void RecordAttempt(DbConnection connection, NotificationAttempt attempt, NotificationState state, DateTimeOffset? next)
    {
        using var transaction = connection.BeginTransaction();
        using (var insert = RunPartitionRows.Command(connection, """
            INSERT INTO notification_attempts (notification_id, attempt, at, webhook, status, error, duration_ms)
            VALUES (@id, @attempt, @at, @webhook, @status, @error, @ms)
            ON CONFLICT (notification_id, attempt) DO NOTHING
            """,
            ("@id", attempt.NotificationId), ("@attempt", attempt.Attempt), ("@at", StoreText.Utc(attempt.At)), ("@webhook", attempt.Webhook),
            ("@status", attempt.Status), ("@error", attempt.Error), ("@ms", attempt.DurationMs)))
        {
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }

        using (var update = RunPartitionRows.Command(connection, """
            UPDATE notifications SET attempts = @attempt, state = @state, last_status = @status, last_error = @error, delivered_at = @delivered,
                deliver_after = COALESCE(@next, deliver_after)
            WHERE id = @id
            """,
            ("@attempt", attempt.Attempt), ("@state", StateText(state)), ("@status", attempt.Status), ("@error", attempt.Error),
            ("@next", next is { } at ? StoreText.Utc(at) : null),
            ("@delivered", state == NotificationState.Delivered ? StoreText.Utc(attempt.At) : null), ("@id", attempt.NotificationId)))
        {
            update.Transaction = transaction;
            update.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The notifications, newest first, of one case (<paramref name="caseId"/>) or all, in one state or all.</summary>
    public static List<NotificationRecord> Query(DbConnection connection, string? caseId, NotificationState? state, int limit, int offset)
    {
        var (where, parameters) = Filter(caseId, state);
        using var command = RunPartitionRows.Command(connection, $"SELECT {Columns} FROM notifications{where} ORDER BY id DESC LIMIT @limit OFFSET @offset",
            [.. parameters, ("@limit", limit), ("@offset", offset)]);
        return Read(command);
    }

    public static long Count(DbConnection connection, string? caseId, NotificationState? state)
    {
        var (where, parameters) = Filter(caseId, state);
        using var command = RunPartitionRows.Command(connection, $"SELECT COUNT(*) FROM notifications{where}", parameters);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    // Only the conditions asked for: an untyped NULL parameter is not something PostgreSQL can compare.
    private static (string Where, (string Name, object? Value)[] Parameters) Filter(string? caseId, NotificationState? state)
    {
        var conditions = new List<string>();
        var parameters = new List<(string Name, object? Value)>();
        if (caseId is not null)
        {
            conditions.Add("case_id = @case");
            parameters.Add(("@case", caseId));
        }

        if (state is { } s)
        {
            conditions.Add("state = @state");
            parameters.Add(("@state", StateText(s)));
        }

        return (conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions), [.. parameters]);
    }

    public static NotificationRecord? Get(DbConnection connection, long id)
    {
        using var command = RunPartitionRows.Command(connection, $"SELECT {Columns} FROM notifications WHERE id = @id", ("@id", id));
        return Read(command).FirstOrDefault();
    }

    /// <summary>The pending notifications due before <paramref name="before"/>: deliveries a host that died did not hand to the scheduler.</summary>
    public static List<NotificationRecord> PendingBefore(DbConnection connection, DateTimeOffset before)
    {
        using var command = RunPartitionRows.Command(connection, $"SELECT {Columns} FROM notifications WHERE state = 'pending' AND deliver_after < @before ORDER BY id",
            ("@before", StoreText.Utc(before)));
        return Read(command);
    }

    public static List<NotificationAttempt> Attempts(DbConnection connection, long id)
    {
        using var command = RunPartitionRows.Command(connection,
            "SELECT notification_id, attempt, at, webhook, status, error, duration_ms FROM notification_attempts WHERE notification_id = @id ORDER BY attempt", ("@id", id));
        using var reader = command.ExecuteReader();
        var attempts = new List<NotificationAttempt>();
        while (reader.Read())
        {
            attempts.Add(new NotificationAttempt(
                reader.GetInt64(0), reader.GetInt32(1), StoreText.ParseInstant(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6)));
        }

        return attempts;
    }

    private static List<NotificationRecord> Read(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<NotificationRecord>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(new NotificationRecord(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Text(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.GetString(7), reader.GetInt64(8), StoreText.ParseInstant(reader.GetString(9)),
                StoreText.ParseInstant(reader.GetString(10)), ParseState(reader.GetString(11)), reader.GetInt32(12), reader.IsDBNull(13) ? null : reader.GetInt32(13),
                Text(14), Text(15) is { } delivered ? StoreText.ParseInstant(delivered) : null, reader.GetString(16)));
        }

        return rows;
    }
}
