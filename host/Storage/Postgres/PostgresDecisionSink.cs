using Npgsql;
using NpgsqlTypes;
using SlaPolicy.Engine.Decisions;

namespace SlaPolicy.Host.Storage.Postgres;

/// <summary>
/// Writes one run's decisions: one connection, two prepared statements reused for every batch, each taking the
/// whole batch as array parameters (one round trip per statement instead of one per decision).
/// </summary>
internal sealed class PostgresDecisionSink : IDecisionSink
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _decision;
    private readonly NpgsqlParameter[] _d;
    private readonly NpgsqlCommand _move;
    private readonly NpgsqlParameter[] _m;
    private readonly NpgsqlCommand _escalation;
    private readonly NpgsqlParameter[] _e;
    private readonly NpgsqlCommand _stale;
    private readonly NpgsqlParameter[] _s;
    private readonly long _runId;
    private bool _prepared;

    public PostgresDecisionSink(NpgsqlConnection connection, long runId)
    {
        _connection = connection;
        _runId = runId;

        // The WHERE clause makes a re-run over unchanged inputs a no-op: the row keeps its run id and the
        // statement counts no change, which is how a run counts "decisions changed" (the same rule as SQLite's).
        _decision = PostgresStore.Command(connection, """
            INSERT INTO decisions (case_id, target, evaluation_date, policy_version, policy, status, due_at, elapsed_minutes, paused_minutes,
                percent_used, escalation_level, as_of, policy_file, policy_line, rule_name, customer, service, explanation, run_id, decision_hash,
                stopped_at, severity, is_current, inputs_hash, policy_fingerprint, state_hash)
            SELECT d.c1, d.c2, d.c3, d.c4, d.c5, d.c6, d.c7, d.c8, d.c9, d.c10, d.c11, d.c12, d.c13, d.c14, d.c15, d.c16, d.c17, d.c18, @run, d.c19, d.c20, d.c21,
                1, d.c22, d.c23, d.c24
            FROM unnest(@case, @target, @date, @version, @policy, @status, @due, @elapsed, @paused, @percent, @level, @asOf,
                @file, @line, @rule, @customer, @service, @explanation, @hash, @stopped, @severity, @inputs, @fingerprint, @state)
                AS d (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24)
            """ + StoreRows.DecisionUpsertClause);
        PostgresStore.Scalar(_decision, "@run", NpgsqlDbType.Bigint, runId);
        _d =
        [
            PostgresStore.Array(_decision, "@case", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@target", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@date", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@version", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@policy", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@status", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@due", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@elapsed", NpgsqlDbType.Double),
            PostgresStore.Array(_decision, "@paused", NpgsqlDbType.Double),
            PostgresStore.Array(_decision, "@percent", NpgsqlDbType.Double),
            PostgresStore.Array(_decision, "@level", NpgsqlDbType.Integer),
            PostgresStore.Array(_decision, "@asOf", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@file", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@line", NpgsqlDbType.Integer),
            PostgresStore.Array(_decision, "@rule", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@customer", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@service", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@explanation", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@hash", NpgsqlDbType.Bigint),
            PostgresStore.Array(_decision, "@stopped", NpgsqlDbType.Text),
            PostgresStore.Array(_decision, "@severity", NpgsqlDbType.Integer),
            PostgresStore.Array(_decision, "@inputs", NpgsqlDbType.Bigint),
            PostgresStore.Array(_decision, "@fingerprint", NpgsqlDbType.Bigint),
            PostgresStore.Array(_decision, "@state", NpgsqlDbType.Bigint),
        ];

        // Decisions of cases that continue (CaseOutcome.Continues) in the same state move their current row forward to
        // the night, as in SQLite's sink (StoreRows.MoveForwardSql); the statement returns the batch positions it moved.
        _move = PostgresStore.Command(connection, """
            UPDATE decisions d SET evaluation_date = u.date, as_of = u.as_of, elapsed_minutes = u.elapsed, paused_minutes = u.paused,
                percent_used = u.percent, due_at = u.due, explanation = u.explanation, run_id = @run, decision_hash = u.hash
            FROM unnest(@i, @case, @target, @version, @state, @date, @asOf, @elapsed, @paused, @percent, @due, @explanation, @hash)
                AS u (i, case_id, target, version, state, date, as_of, elapsed, paused, percent, due, explanation, hash)
            WHERE d.case_id = u.case_id AND d.target = u.target AND d.policy_version = u.version AND d.is_current = 1
                AND d.state_hash = u.state AND d.as_of < u.as_of
                AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.case_id = u.case_id AND x.target = u.target AND x.evaluation_date = u.date AND x.policy_version = u.version)
            RETURNING u.i
            """);
        PostgresStore.Scalar(_move, "@run", NpgsqlDbType.Bigint, runId);
        _m =
        [
            PostgresStore.Array(_move, "@i", NpgsqlDbType.Integer),
            PostgresStore.Array(_move, "@case", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@target", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@version", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@state", NpgsqlDbType.Bigint),
            PostgresStore.Array(_move, "@date", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@asOf", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@elapsed", NpgsqlDbType.Double),
            PostgresStore.Array(_move, "@paused", NpgsqlDbType.Double),
            PostgresStore.Array(_move, "@percent", NpgsqlDbType.Double),
            PostgresStore.Array(_move, "@due", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@explanation", NpgsqlDbType.Text),
            PostgresStore.Array(_move, "@hash", NpgsqlDbType.Bigint),
        ];

        // DO NOTHING keeps the first time a level was reached; repeated keys in one statement are simply skipped.
        _escalation = PostgresStore.Command(connection, """
            INSERT INTO escalation_history (case_id, level, first_reached_at, run_id)
            SELECT e.*, @run FROM unnest(@case, @level, @at) AS e
            ON CONFLICT (case_id, level) DO NOTHING
            """);
        PostgresStore.Scalar(_escalation, "@run", NpgsqlDbType.Bigint, runId);
        _e =
        [
            PostgresStore.Array(_escalation, "@case", NpgsqlDbType.Text),
            PostgresStore.Array(_escalation, "@level", NpgsqlDbType.Integer),
            PostgresStore.Array(_escalation, "@at", NpgsqlDbType.Text),
        ];

        // A case's decisions of one date that the batch no longer has, as in SQLite's sink. Each case comes with the
        // keys it keeps as one string (U+001E, then target U+001F version U+001E per key), so the plan joins the batch's
        // cases to their rows by the key's case_id and checks each row in its own case's short string. The date is
        // compared as an expression so that no date index (every decision of the night) is chosen instead.
        _stale = PostgresStore.Command(connection, """
            DELETE FROM decisions d
            USING unnest(@cases, @keys) AS c(id, keys)
            WHERE d.case_id = c.id AND (d.evaluation_date || '') = @date
                AND strpos(c.keys, chr(30) || d.target || chr(31) || d.policy_version || chr(30)) = 0
            """);
        _s =
        [
            PostgresStore.Scalar(_stale, "@date", NpgsqlDbType.Text),
            PostgresStore.Array(_stale, "@cases", NpgsqlDbType.Text),
            PostgresStore.Array(_stale, "@keys", NpgsqlDbType.Text),
        ];

        // The incremental bookkeeping, as in SQLite's sink (PendingChanges).
        _retire = PostgresStore.Command(connection, StoreRows.RetireSql("case_id = ANY(@cases)"));
        _r = [PostgresStore.Scalar(_retire, "@date", NpgsqlDbType.Text), PostgresStore.Array(_retire, "@cases", NpgsqlDbType.Text)];
        _settled = PostgresStore.Command(connection, """
            DELETE FROM pending_cases p USING unnest(@ids, @seqs) AS s(id, seq) WHERE p.case_id = s.id AND p.seq = s.seq
            """);
        _p = [PostgresStore.Array(_settled, "@ids", NpgsqlDbType.Text), PostgresStore.Array(_settled, "@seqs", NpgsqlDbType.Bigint)];
        _evaluated = PostgresStore.Command(connection, """
            UPDATE pending_cases p SET evaluated_as_of = @asOf FROM unnest(@ids, @seqs) AS s(id, seq) WHERE p.case_id = s.id AND p.seq = s.seq
            """);
        _v = [PostgresStore.Array(_evaluated, "@ids", NpgsqlDbType.Text), PostgresStore.Array(_evaluated, "@seqs", NpgsqlDbType.Bigint), PostgresStore.Scalar(_evaluated, "@asOf", NpgsqlDbType.Text)];
        _unsettled = PostgresStore.Command(connection, StoreRows.UnsettledSql("id = ANY(@ids)"));
        _u = [PostgresStore.Array(_unsettled, "@ids", NpgsqlDbType.Text), PostgresStore.Scalar(_unsettled, "@asOf", NpgsqlDbType.Text)];
    }

    private readonly NpgsqlCommand _evaluated;
    private readonly NpgsqlParameter[] _v;

    private readonly NpgsqlCommand _retire;
    private readonly NpgsqlParameter[] _r;
    private readonly NpgsqlCommand _settled;
    private readonly NpgsqlParameter[] _p;
    private readonly NpgsqlCommand _unsettled;
    private readonly NpgsqlParameter[] _u;

    public DecisionWriteResult Write(IReadOnlyList<Decision> decisions, IReadOnlyList<CaseOutcome> cases)
    {
        using var transaction = _connection.BeginTransaction();
        _decision.Transaction = transaction;
        _escalation.Transaction = transaction;
        _move.Transaction = transaction;
        if (!_prepared)
        {
            _decision.Prepare();
            _escalation.Prepare();
            _move.Prepare();
            _prepared = true;
        }

        var prepared = DecisionRows.Prepare(decisions, cases);
        var (rows, moved) = MoveForward(prepared);
        var changed = moved.Count;
        var movedForward = DecisionRows.MovedForward(cases, moved.Contains, prepared.Length > 0 && NothingLater(prepared[0].Decision.AsOf, transaction));
        foreach (var rowChunk in PostgresStore.UniqueChunks(rows, r => (r.Decision.CaseId, r.Decision.Target ?? string.Empty, StoreText.EvaluationDate(r.Decision.AsOf), r.Decision.PolicyVersion ?? string.Empty)))
        {
            var chunk = rowChunk.ConvertAll(r => r.Decision);
            _d[0].Value = chunk.Select(d => d.CaseId).ToArray();
            _d[1].Value = chunk.Select(d => d.Target ?? string.Empty).ToArray();
            _d[2].Value = chunk.Select(d => StoreText.Date(StoreText.EvaluationDate(d.AsOf))).ToArray();
            _d[3].Value = chunk.Select(d => d.PolicyVersion ?? string.Empty).ToArray();
            _d[4].Value = chunk.Select(d => d.Policy).ToArray();
            _d[5].Value = chunk.Select(d => StoreText.Status(d.Status)).ToArray();
            _d[6].Value = chunk.Select(d => d.DueAt is { } due ? StoreText.Utc(due) : null).ToArray();
            _d[7].Value = chunk.Select(d => d.ElapsedMinutes).ToArray();
            _d[8].Value = chunk.Select(d => d.PausedMinutes).ToArray();
            _d[9].Value = chunk.Select(d => d.PercentUsed).ToArray();
            _d[10].Value = chunk.Select(d => d.EscalationLevel).ToArray();
            _d[11].Value = chunk.Select(d => StoreText.Utc(d.AsOf)).ToArray();
            _d[12].Value = chunk.Select(d => d.PolicyFile).ToArray();
            _d[13].Value = chunk.Select(d => d.PolicyLine).ToArray();
            _d[14].Value = chunk.Select(d => d.RuleName).ToArray();
            _d[15].Value = chunk.Select(d => d.Customer).ToArray();
            _d[16].Value = chunk.Select(d => d.Service).ToArray();
            _d[17].Value = rowChunk.Select(r => r.ExplanationText).ToArray();
            _d[18].Value = rowChunk.Select(r => r.Hash).ToArray();
            _d[19].Value = chunk.Select(d => d.StoppedAt is { } stopped ? StoreText.Utc(stopped) : null).ToArray();
            _d[20].Value = chunk.Select(d => d.Severity).ToArray();
            _d[21].Value = rowChunk.Select(r => r.InputsHash).ToArray();
            _d[22].Value = rowChunk.Select(r => r.Fingerprint).ToArray();
            _d[23].Value = rowChunk.Select(r => r.StateHash).ToArray();
            changed += _decision.ExecuteNonQuery();
        }

        _stale.Transaction = transaction;
        foreach (var byDate in decisions.Where(d => !movedForward.Contains(d.CaseId)).GroupBy(d => StoreText.EvaluationDate(d.AsOf)))
        {
            _s[0].Value = StoreText.Date(byDate.Key);
            var byCase = byDate.GroupBy(d => d.CaseId, StringComparer.Ordinal).ToList();
            _s[1].Value = byCase.Select(c => c.Key).ToArray();
            _s[2].Value = byCase.Select(c => "\u001e" + string.Concat(c.Select(d => $"{d.Target ?? string.Empty}\u001f{d.PolicyVersion ?? string.Empty}\u001e"))).ToArray();
            changed += _stale.ExecuteNonQuery();
        }

        _stale.Transaction = null;
        var escalations = EscalationLevels.Highest(decisions);
        var reached = 0;
        if (escalations.Count > 0)
        {
            _e[0].Value = escalations.Select(e => e.CaseId).ToArray();
            _e[1].Value = escalations.Select(e => e.Level).ToArray();
            _e[2].Value = escalations.Select(e => StoreText.Utc(e.At)).ToArray();
            reached = _escalation.ExecuteNonQuery();
        }

        var pending = PendingChanges.Of(decisions, cases, movedForward);
        foreach (var (date, retired) in pending.Retired)
        {
            _r[0].Value = date;
            _r[1].Value = retired.ToArray();
            Execute(_retire, transaction);
        }

        Entries(_settled, _p, pending.Settled, null, transaction);
        Entries(_evaluated, _v, pending.Counting, pending.AsOf, transaction);
        Entries(_evaluated, _v, pending.Failed, null, transaction);
        Add(pending.NewCounting, pending.AsOf, transaction);
        Add(pending.NewFailed, null, transaction);

        transaction.Commit();
        _decision.Transaction = null;
        _escalation.Transaction = null;
        _move.Transaction = null;
        return new DecisionWriteResult(decisions.Count, changed, reached);
    }

    /// <summary>No other run is as of <paramref name="asOf"/>'s date or later (<see cref="StoreRows.NothingLater"/>); asked once per night.</summary>
    private bool NothingLater(DateTimeOffset asOf, NpgsqlTransaction transaction)
    {
        if (_nothingLater is not { } known || known.AsOf != asOf)
        {
            using var command = PostgresStore.Command(_connection, StoreRows.LatestOtherRunSql, transaction);
            PostgresStore.Scalar(command, "@run", NpgsqlDbType.Bigint, _runId);
            known = (asOf, StoreRows.NothingLater(command.ExecuteScalar(), asOf));
            _nothingLater = known;
        }

        return known.Value;
    }

    private (DateTimeOffset AsOf, bool Value)? _nothingLater;

    /// <summary>
    /// Moves forward the current rows of the decisions that continue in the same state (one statement for the batch);
    /// returns the rows still to upsert, in batch order, and the batch positions of those moved.
    /// </summary>
    private (IReadOnlyList<DecisionRow> Remaining, HashSet<int> Moved) MoveForward(DecisionRow[] rows)
    {
        var candidates = new List<int>();
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Continues)
            {
                candidates.Add(i);
            }
        }

        var moved = new HashSet<int>();
        if (candidates.Count == 0)
        {
            return (rows, moved);
        }

        foreach (var chunk in candidates.Chunk(PostgresStore.MaxRowsPerStatement))
        {
            DecisionRow At(int i) => rows[i];
            _m[0].Value = chunk;
            _m[1].Value = chunk.Select(i => At(i).Decision.CaseId).ToArray();
            _m[2].Value = chunk.Select(i => At(i).Decision.Target ?? string.Empty).ToArray();
            _m[3].Value = chunk.Select(i => At(i).Decision.PolicyVersion ?? string.Empty).ToArray();
            _m[4].Value = chunk.Select(i => At(i).StateHash).ToArray();
            _m[5].Value = chunk.Select(i => StoreText.Date(StoreText.EvaluationDate(At(i).Decision.AsOf))).ToArray();
            _m[6].Value = chunk.Select(i => StoreText.Utc(At(i).Decision.AsOf)).ToArray();
            _m[7].Value = chunk.Select(i => At(i).Decision.ElapsedMinutes).ToArray();
            _m[8].Value = chunk.Select(i => At(i).Decision.PausedMinutes).ToArray();
            _m[9].Value = chunk.Select(i => At(i).Decision.PercentUsed).ToArray();
            _m[10].Value = chunk.Select(i => At(i).Decision.DueAt is { } due ? StoreText.Utc(due) : null).ToArray();
            _m[11].Value = chunk.Select(i => At(i).ExplanationText).ToArray();
            _m[12].Value = chunk.Select(i => At(i).Hash).ToArray();
            using var reader = _move.ExecuteReader();
            while (reader.Read())
            {
                moved.Add(reader.GetInt32(0));
            }
        }

        if (moved.Count == 0)
        {
            return (rows, moved);
        }

        var rest = new List<DecisionRow>(rows.Length - moved.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            if (!moved.Contains(i))
            {
                rest.Add(rows[i]);
            }
        }

        return (rest, moved);
    }

    /// <summary>Runs a statement on the pending entries <paramref name="listed"/> (<c>@ids</c>, <c>@seqs</c>), with <c>@asOf</c> when it takes one.</summary>
    private static void Entries(NpgsqlCommand command, NpgsqlParameter[] p, ListedCases listed, string? asOf, NpgsqlTransaction transaction)
    {
        if (listed.Count == 0)
        {
            return;
        }

        p[0].Value = listed.Ids.ToArray();
        p[1].Value = listed.Seqs.ToArray();
        if (p.Length > 2)
        {
            p[2].Value = (object?)asOf ?? DBNull.Value;
        }

        Execute(command, transaction);
    }

    private void Add(IReadOnlyList<string> ids, string? asOf, NpgsqlTransaction transaction)
    {
        if (ids.Count == 0)
        {
            return;
        }

        _u[0].Value = ids.ToArray();
        _u[1].Value = (object?)asOf ?? DBNull.Value;
        Execute(_unsettled, transaction);
    }

    private static void Execute(NpgsqlCommand command, NpgsqlTransaction transaction)
    {
        command.Transaction = transaction;
        command.ExecuteNonQuery();
        command.Transaction = null;
    }

    public void Dispose()
    {
        _retire.Dispose();
        _settled.Dispose();
        _evaluated.Dispose();
        _unsettled.Dispose();
        _decision.Dispose();
        _move.Dispose();
        _escalation.Dispose();
        _stale.Dispose();
        _connection.Dispose();
    }
}
