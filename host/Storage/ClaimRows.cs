using System.Data.Common;
using System.Globalization;
using System.Text;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// A stored claim: the month's credit (<see cref="CreditClaim"/>), where finance has got with it and when, and the run
/// that last wrote its amount. <see cref="StoredStatus"/> is what was marked (owed, claimed, settled); <see cref="StatusAt"/>
/// tells an owed claim whose deadline has passed as expired.
/// </summary>
public sealed record StoredClaim(
    long Id,
    CreditClaim Claim,
    ClaimStatus StoredStatus,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? SettledAt,
    string? Note,
    DateTimeOffset AsOf,
    long RunId)
{
    /// <summary>The status at <paramref name="now"/>: the marked one, or expired for an owed claim past its deadline.</summary>
    public ClaimStatus StatusAt(DateTimeOffset now) => StoredStatus == ClaimStatus.Owed ? Claim.StatusAt(now) : StoredStatus;
}

/// <summary>
/// A filter over stored claims; all fields optional. <see cref="Status"/> is judged at <see cref="Now"/> (an owed claim
/// whose deadline has passed is expired).
/// </summary>
public sealed record ClaimQuery(
    DateTimeOffset Now, string? Period = null, string? Party = null, AgreementDirection? Direction = null, ClaimStatus? Status = null, int Limit = 1000, int Offset = 0);

/// <summary>What marking a claim did.</summary>
public enum ClaimMarkOutcome
{
    /// <summary>The claim was marked.</summary>
    Marked,

    /// <summary>No claim has that id.</summary>
    NotFound,

    /// <summary>The claim's status does not allow it (settled already; claimed after its deadline).</summary>
    Refused,
}

/// <summary>
/// The <c>credit_claims</c> table for both stores (migration 14): the nightly upsert of a month's claims, the query and the
/// marking of a claim claimed or settled. A claim once claimed or settled keeps the amount it was claimed with.
/// </summary>
internal static class ClaimRows
{
    public const string Columns =
        "id, period, party, policy_id, currency, direction, amount_cents, claimable_until, future_bills_only, explanation, status, claimed_at, settled_at, note, as_of, run_id";

    private const string UpsertSql = """
        INSERT INTO credit_claims (period, party, policy_id, currency, direction, amount_cents, claimable_until, future_bills_only, explanation, status, as_of, run_id)
        VALUES (@period, @party, @policyId, @currency, @direction, @cents, @until, @future, @explanation, 'owed', @asOf, @run)
        ON CONFLICT (period, party, policy_id, currency, direction) DO UPDATE SET
            amount_cents = excluded.amount_cents, claimable_until = excluded.claimable_until, future_bills_only = excluded.future_bills_only,
            explanation = excluded.explanation, as_of = excluded.as_of, run_id = excluded.run_id
        WHERE credit_claims.status = 'owed' AND (credit_claims.amount_cents <> excluded.amount_cents
            OR COALESCE(credit_claims.claimable_until, '') <> COALESCE(excluded.claimable_until, '')
            OR credit_claims.future_bills_only <> excluded.future_bills_only OR credit_claims.explanation <> excluded.explanation)
        """;

    public static string Direction(AgreementDirection direction) => direction == AgreementDirection.Supplier ? "supplier" : "customer";

    public static string Status(ClaimStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseStatus(string? text, out ClaimStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    /// <summary>
    /// Upserts <paramref name="claims"/> (still owed ones take the new amount and deadline; claimed and settled ones keep
    /// theirs) and removes the owed claims of <paramref name="periods"/> the computation no longer produced, in one
    /// transaction. Returns the rows changed (inserted, updated or removed): 0 when the same night runs again.
    /// </summary>
    public static int Write(DbConnection connection, IReadOnlyCollection<string> periods, IReadOnlyList<CreditClaim> claims, long runId, DateTimeOffset asOf)
    {
        using var transaction = connection.BeginTransaction();
        var changed = 0;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in claims)
        {
            if (!keys.Add(Key(c.Period, c.Party, c.PolicyId, c.Currency, Direction(c.Direction))))
            {
                throw new ArgumentException($"claim listed twice: `{c.Party}` under `{c.PolicyId}` in {c.Period}", nameof(claims));
            }

            using var upsert = StoreRows.Command(connection, UpsertSql, [
                ("@period", c.Period), ("@party", c.Party), ("@policyId", c.PolicyId), ("@currency", c.Currency), ("@direction", Direction(c.Direction)),
                ("@cents", (long)(c.Amount * 100m)), ("@until", c.ClaimableUntil is { } until ? StoreText.Utc(until) : DBNull.Value),
                ("@future", c.FutureBillsOnly), ("@explanation", StoreText.Explanation(c.Explanation)), ("@asOf", StoreText.Utc(asOf)), ("@run", runId)]);
            upsert.Transaction = transaction;
            changed += upsert.ExecuteNonQuery();
        }

        var stale = new List<long>();
        foreach (var period in periods)
        {
            using var select = StoreRows.Command(
                connection, "SELECT id, period, party, policy_id, currency, direction FROM credit_claims WHERE period = @period AND status = 'owed'", [("@period", period)]);
            select.Transaction = transaction;
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                if (!keys.Contains(Key(Enumerable.Range(1, 5).Select(reader.GetString).ToArray())))
                {
                    stale.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in stale)
        {
            using var delete = StoreRows.Command(connection, "DELETE FROM credit_claims WHERE id = @id", [("@id", id)]);
            delete.Transaction = transaction;
            changed += delete.ExecuteNonQuery();
        }

        transaction.Commit();
        return changed;
    }

    /// <summary>The SELECT of one page of <paramref name="query"/>: the earliest deadline first, then month, party and policy.</summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) Query(ClaimQuery query) =>
        StoreRows.Page(Filter(query, $"SELECT {Columns}"), "COALESCE(claimable_until, '9999'), period, party, policy_id, currency, direction", query.Limit, query.Offset);

    /// <summary>The COUNT of every row <paramref name="query"/> matches.</summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) Count(ClaimQuery query) => StoreRows.Text(Filter(query, "SELECT COUNT(*)"));

    private static (StringBuilder Sql, List<(string Name, object Value)> Parameters) Filter(ClaimQuery query, string select)
    {
        var sql = new StringBuilder($"{select} FROM credit_claims WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        StoreRows.Equal(sql, parameters, "period", query.Period);
        StoreRows.Equal(sql, parameters, "party", query.Party);
        if (query.Direction is { } direction)
        {
            StoreRows.Equal(sql, parameters, "direction", Direction(direction));
        }

        switch (query.Status)
        {
            case ClaimStatus.Owed:
                sql.Append(" AND status = 'owed' AND (claimable_until IS NULL OR claimable_until > @now)");
                parameters.Add(("@now", StoreText.Utc(query.Now)));
                break;
            case ClaimStatus.Expired:
                sql.Append(" AND status = 'owed' AND claimable_until <= @now");
                parameters.Add(("@now", StoreText.Utc(query.Now)));
                break;
            case { } marked:
                StoreRows.Equal(sql, parameters, "status", Status(marked));
                break;
        }

        return (sql, parameters);
    }

    /// <summary>Reads a row of <see cref="Columns"/>.</summary>
    public static StoredClaim Read(DbDataReader reader)
    {
        var claim = new CreditClaim(
            Period: reader.GetString(1),
            Party: reader.GetString(2),
            PolicyId: reader.GetString(3),
            Currency: reader.GetString(4),
            Direction: reader.GetString(5) == "supplier" ? AgreementDirection.Supplier : AgreementDirection.Customer,
            Amount: reader.GetInt64(6) / 100m,
            ClaimableUntil: reader.IsDBNull(7) ? null : StoreText.ParseInstant(reader.GetString(7)),
            FutureBillsOnly: reader.GetBoolean(8),
            HasTerms: true,
            Explanation: StoreText.ParseExplanation(reader.GetString(9)));
        var status = TryParseStatus(reader.GetString(10), out var s) ? s : throw new InvalidDataException($"unknown claim status `{reader.GetString(10)}` in the store");
        return new StoredClaim(
            reader.GetInt64(0), claim, status, Instant(reader, 11), Instant(reader, 12), reader.IsDBNull(13) ? null : reader.GetString(13),
            StoreText.ParseInstant(reader.GetString(14)), reader.GetInt64(15));
    }

    /// <summary>
    /// Marks claim <paramref name="id"/> <paramref name="to"/> (claimed or settled) at <paramref name="at"/>. An owed claim
    /// may be claimed until its deadline and settled at any time; a claimed one settled; a settled one not changed again.
    /// </summary>
    public static (ClaimMarkOutcome Outcome, StoredClaim? Claim, string? Reason) Mark(DbConnection connection, long id, ClaimStatus to, DateTimeOffset at, string? note)
    {
        if (to is not (ClaimStatus.Claimed or ClaimStatus.Settled))
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "a claim is marked claimed or settled");
        }

        using var transaction = connection.BeginTransaction();
        StoredClaim? current;
        using (var select = StoreRows.Command(connection, $"SELECT {Columns} FROM credit_claims WHERE id = @id", [("@id", id)]))
        {
            select.Transaction = transaction;
            using var reader = select.ExecuteReader();
            current = reader.Read() ? Read(reader) : null;
        }

        if (current is null)
        {
            return (ClaimMarkOutcome.NotFound, null, null);
        }

        var status = current.StatusAt(at);
        var refusal = (status, to) switch
        {
            (ClaimStatus.Settled, _) => "the claim is settled already",
            (ClaimStatus.Claimed, ClaimStatus.Claimed) => "the claim is claimed already",
            (ClaimStatus.Expired, ClaimStatus.Claimed) => $"the claim's deadline passed on {current.Claim.LastDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: it can no longer be claimed",
            _ => null,
        };
        if (refusal is not null)
        {
            return (ClaimMarkOutcome.Refused, current, refusal);
        }

        var column = to == ClaimStatus.Claimed ? "claimed_at" : "settled_at";
        using (var update = StoreRows.Command(
                   connection,
                   $"UPDATE credit_claims SET status = @status, {column} = @at, note = COALESCE(@note, note) WHERE id = @id",
                   [("@status", Status(to)), ("@at", StoreText.Utc(at)), ("@note", (object?)note ?? DBNull.Value), ("@id", id)]))
        {
            update.Transaction = transaction;
            update.ExecuteNonQuery();
        }

        transaction.Commit();
        return (ClaimMarkOutcome.Marked, current with
        {
            StoredStatus = to,
            ClaimedAt = to == ClaimStatus.Claimed ? at : current.ClaimedAt,
            SettledAt = to == ClaimStatus.Settled ? at : current.SettledAt,
            Note = note ?? current.Note,
        }, null);
    }

    private static DateTimeOffset? Instant(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : StoreText.ParseInstant(reader.GetString(ordinal));

    private static string Key(params string[] parts) => string.Join('\u001f', parts);
}
