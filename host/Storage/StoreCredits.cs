using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// The <c>service_credits</c> table for both stores: one upsert, one stale-row rule and one query, written against
/// <see cref="DbConnection"/> because both schemas use the same columns and types (see the migrations, version 3).
/// The rows are few (subscriptions × objectives), so they are written row by row with one prepared command.
/// </summary>
internal static class StoreCredits
{
    public const string Columns =
        "period, customer, kind, objective, service, region, policy_id, policy_version, currency, target, tier, measured, met, credit_percent, amount_cents, explanation, as_of, run_id";

    /// <summary>
    /// The upsert: a row already stored under its key is rewritten only when something a reader sees changed, so the
    /// same night run twice reports no change and the row keeps the run that last changed it.
    /// </summary>
    private const string UpsertSql = $"""
        INSERT INTO service_credits ({Columns})
        VALUES (@period, @customer, @kind, @objective, @service, @region, @policyId, @policyVersion, @currency, @target, @tier, @measured, @met,
            @percent, @cents, @explanation, @asOf, @run)
        ON CONFLICT (period, customer, kind, objective, service, region, policy_id, policy_version, currency) DO UPDATE SET
            target = excluded.target, tier = excluded.tier, measured = excluded.measured, met = excluded.met,
            credit_percent = excluded.credit_percent, amount_cents = excluded.amount_cents, explanation = excluded.explanation,
            as_of = excluded.as_of, run_id = excluded.run_id
        WHERE service_credits.target <> excluded.target OR service_credits.amount_cents <> excluded.amount_cents
            OR service_credits.explanation <> excluded.explanation
            OR COALESCE(service_credits.tier, '') <> COALESCE(excluded.tier, '')
            OR service_credits.measured <> excluded.measured OR (service_credits.measured IS NULL) <> (excluded.measured IS NULL)
            OR service_credits.met <> excluded.met OR (service_credits.met IS NULL) <> (excluded.met IS NULL)
            OR service_credits.credit_percent <> excluded.credit_percent OR (service_credits.credit_percent IS NULL) <> (excluded.credit_percent IS NULL)
        """;

    private static readonly EnumText<ServiceCreditKind> Kinds = new(
        ignoreCase: false,
        (ServiceCreditKind.Availability, "availability"), (ServiceCreditKind.Performance, "performance"),
        (ServiceCreditKind.Attainment, "attainment"), (ServiceCreditKind.CustomerTotal, "customer-total"));

    public static string Kind(ServiceCreditKind kind) => Kinds.Text(kind);

    public static ServiceCreditKind ParseKind(string text) =>
        Kinds.TryParse(text, out var kind) ? kind : throw new InvalidDataException($"unknown service credit kind `{text}` in the store");

    /// <summary>Upserts <paramref name="credits"/> and removes the other rows of <paramref name="periods"/>, in one transaction.</summary>
    public static CreditWriteResult Write(
        DbConnection connection, IReadOnlyCollection<string> periods, IReadOnlyList<ServiceCredit> credits, long runId, DateTimeOffset asOf)
    {
        var outside = credits.FirstOrDefault(c => !periods.Contains(c.Period, StringComparer.Ordinal));
        if (outside is not null)
        {
            throw new ArgumentException($"credit of month `{outside.Period}` is not among the months written ({string.Join(", ", periods)})", nameof(credits));
        }

        using var transaction = connection.BeginTransaction();
        var changed = 0;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using (var upsert = Command(connection, transaction, UpsertSql))
        {
            var p = Parameters(
                upsert,
                ("@period", DbType.String), ("@customer", DbType.String), ("@kind", DbType.String), ("@objective", DbType.String),
                ("@service", DbType.String), ("@region", DbType.String), ("@policyId", DbType.String), ("@policyVersion", DbType.String),
                ("@currency", DbType.String), ("@target", DbType.String), ("@tier", DbType.String), ("@measured", DbType.Double),
                ("@met", DbType.Boolean), ("@percent", DbType.Double), ("@cents", DbType.Int64), ("@explanation", DbType.String),
                ("@asOf", DbType.String), ("@run", DbType.Int64));
            upsert.Prepare();
            foreach (var c in credits)
            {
                if (!keys.Add(Key(c.Period, c.Customer, Kind(c.Kind), c.Objective, c.Service, c.Region, c.PolicyId, c.PolicyVersion, c.Currency)))
                {
                    throw new ArgumentException($"service credit listed twice: {c.Kind} `{c.Objective}` of `{c.Customer}` in {c.Period}", nameof(credits));
                }

                p[0].Value = c.Period;
                p[1].Value = c.Customer;
                p[2].Value = Kind(c.Kind);
                p[3].Value = c.Objective;
                p[4].Value = c.Service;
                p[5].Value = c.Region;
                p[6].Value = c.PolicyId;
                p[7].Value = c.PolicyVersion;
                p[8].Value = c.Currency;
                p[9].Value = c.Target;
                p[10].Value = (object?)c.Tier ?? DBNull.Value;
                p[11].Value = c.Measured is { } measured ? (double)measured : DBNull.Value;
                p[12].Value = c.Met is { } met ? met : DBNull.Value;
                p[13].Value = c.CreditPercent is { } percent ? (double)percent : DBNull.Value;
                p[14].Value = Cents(c.Amount);
                p[15].Value = StoreText.Explanation(c.Explanation);
                p[16].Value = StoreText.Utc(asOf);
                p[17].Value = runId;
                changed += upsert.ExecuteNonQuery();
            }
        }

        // Rows of these months that this computation did not produce: they describe a subscription, objective or policy
        // version no longer in force, and would otherwise be read as still owed.
        var stale = new List<long>();
        foreach (var period in periods)
        {
            using var select = Command(connection, transaction,
                "SELECT id, period, customer, kind, objective, service, region, policy_id, policy_version, currency FROM service_credits WHERE period = @period");
            Parameters(select, ("@period", DbType.String))[0].Value = period;
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var key = Key(Enumerable.Range(1, 9).Select(reader.GetString).ToArray());
                if (!keys.Contains(key))
                {
                    stale.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in stale)
        {
            using var delete = Command(connection, transaction, "DELETE FROM service_credits WHERE id = @id");
            Parameters(delete, ("@id", DbType.Int64))[0].Value = id;
            delete.ExecuteNonQuery();
        }

        transaction.Commit();
        return new CreditWriteResult(credits.Count, changed, stale.Count);
    }

    /// <summary>The SELECT for <paramref name="query"/> with its parameters: one page, in a total order.</summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) Query(ServiceCreditQuery query) =>
        StoreRows.Page(Filter(query, $"SELECT {Columns}"), "period DESC, customer, service, region, kind, objective, policy_id, policy_version, currency", query.Limit, query.Offset);

    /// <summary>The COUNT of every row <paramref name="query"/> matches, whatever its limit and offset.</summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) Count(ServiceCreditQuery query) =>
        StoreRows.Text(Filter(query, "SELECT COUNT(*)"));

    private static (StringBuilder Sql, List<(string Name, object Value)> Parameters) Filter(ServiceCreditQuery query, string select)
    {
        var sql = new StringBuilder($"{select} FROM service_credits WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        StoreRows.Equal(sql, parameters, "period", query.Period);
        StoreRows.Equal(sql, parameters, "customer", query.Customer);

        if (query.OwedOnly)
        {
            sql.Append(" AND amount_cents > 0");
        }

        return (sql, parameters);
    }

    /// <summary>Reads a row of <see cref="Columns"/>.</summary>
    public static StoredServiceCredit Read(DbDataReader reader)
    {
        var credit = new ServiceCredit(
            Period: reader.GetString(0),
            Customer: reader.GetString(1),
            Kind: ParseKind(reader.GetString(2)),
            Objective: reader.GetString(3),
            Service: reader.GetString(4),
            Region: reader.GetString(5),
            PolicyId: reader.GetString(6),
            PolicyVersion: reader.GetString(7),
            Currency: reader.GetString(8),
            Target: reader.GetString(9),
            Tier: reader.IsDBNull(10) ? null : reader.GetString(10),
            Measured: reader.IsDBNull(11) ? null : (decimal)reader.GetDouble(11),
            Met: reader.IsDBNull(12) ? null : reader.GetBoolean(12),
            CreditPercent: reader.IsDBNull(13) ? null : (decimal)reader.GetDouble(13),
            Amount: reader.GetInt64(14) / 100m,
            Explanation: StoreText.ParseExplanation(reader.GetString(15)));
        return new StoredServiceCredit(credit, StoreText.ParseInstant(reader.GetString(16)), reader.GetInt64(17));
    }

    /// <summary>An amount already rounded to cents, as whole cents; an amount with a finer fraction is a bug upstream.</summary>
    private static long Cents(decimal amount)
    {
        var cents = amount * 100m;
        return cents == decimal.Truncate(cents)
            ? (long)cents
            : throw new ArgumentException($"credit amount {amount.ToString(CultureInfo.InvariantCulture)} is not rounded to cents", nameof(amount));
    }

    private static string Key(params string[] parts) => string.Join('\u001f', parts);

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static DbParameter[] Parameters(DbCommand command, params (string Name, DbType Type)[] names)
    {
        var parameters = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = names[i].Name;
            parameter.DbType = names[i].Type;
            command.Parameters.Add(parameter);
            parameters[i] = parameter;
        }

        return parameters;
    }
}
