namespace SlaPolicy.Tests.Storage;

/// <summary>
/// The store's read of the decisions attainment counts (<see cref="IStore.ReadAttainmentDecisions"/>) and of the
/// decisions that judged nothing (<see cref="IStore.CountUnjudgedDecisions"/>), on every store.
/// </summary>
public class AttainmentDecisionStoreTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");
    private static readonly DateTimeOffset From = DateTimeOffset.Parse("2026-11-01T00:00:00Z");
    private static readonly DateTimeOffset To = DateTimeOffset.Parse("2026-12-01T00:00:00Z");

    private static Decision Stopped(string caseId, DecisionStatus status, string? stoppedAt, DateTimeOffset asOf, int? severity = 2) =>
        new(caseId, "sev2-resolution", "acme-gold", "2026.2", status, DateTimeOffset.Parse("2026-11-05T12:00:00Z"), 90, 15, 62.5, 0, asOf,
            "policies/acme.json", 12, null, "acme", "email", [new ExplanationStep("clock", "stopped")])
        {
            StoppedAt = stoppedAt is null ? null : DateTimeOffset.Parse(stoppedAt),
            Severity = severity,
        };

    private static void Store(IStore store, long runId, params Decision[] decisions)
    {
        using var sink = store.OpenDecisionSink(runId);
        sink.Write(decisions);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadAttainmentDecisions_Window_StartInclusiveEndExclusiveMetOrBreachedCurrentOnly(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        Store(store, 0,
            Stopped("C-kept", DecisionStatus.Met, "2026-11-15T00:00:00Z", AsOf.AddDays(-1)),
            Stopped("C-reopened", DecisionStatus.Met, "2026-11-15T00:00:00Z", AsOf.AddDays(-1)),
            Stopped("C-earlier-run", DecisionStatus.Met, "2026-11-15T00:00:00Z", AsOf.AddHours(-1)));
        Store(store, 1,
            Stopped("C-start", DecisionStatus.Met, "2026-11-01T00:00:00Z", AsOf),
            Stopped("C-offset", DecisionStatus.Breached, "2026-11-10T09:30:00+05:30", AsOf, severity: null),
            Stopped("C-before", DecisionStatus.Met, "2026-10-31T23:59:59.9999999Z", AsOf),
            Stopped("C-end", DecisionStatus.Met, "2026-12-01T00:00:00Z", AsOf),
            Stopped("C-running", DecisionStatus.Running, null, AsOf),
            Stopped("C-paused", DecisionStatus.Paused, null, AsOf),
            Stopped("C-error", DecisionStatus.Error, null, AsOf),
            Stopped("C-reopened", DecisionStatus.Running, null, AsOf),
            Stopped("C-earlier-run", DecisionStatus.Breached, "2026-11-15T00:00:00Z", AsOf));

        var read = store.ReadAttainmentDecisions(From, To, exactFrom: From).ToList();

        // The current decisions: the stop at exactly 1 November 00:00Z is in (start inclusive), the one a tick before it
        // and the one at exactly 1 December 00:00Z are out (end exclusive); running, paused and error decisions have no
        // stop. C-kept was decided the day before and not evaluated since (a settled case): its decision is current.
        // C-reopened's met decision of the day before is replaced by tonight's running one, C-earlier-run's met one of
        // an earlier run the same day by tonight's breached one. 09:30+05:30 is 04:00Z, after the start stop: by stop instant.
        read.Select(d => d.CaseId).ShouldBe(["C-start", "C-offset", "C-earlier-run", "C-kept"]);
        read[2].Status.ShouldBe(DecisionStatus.Breached);
        var start = read[0];
        start.Status.ShouldBe(DecisionStatus.Met);
        start.StoppedAt.ShouldBe(From);
        start.Severity.ShouldBe(2);
        start.Customer.ShouldBe("acme");
        start.Policy.ShouldBe("acme-gold");
        start.PolicyVersion.ShouldBe("2026.2");
        start.Target.ShouldBe("sev2-resolution");
        start.AsOf.ShouldBe(AsOf);
        start.DueAt.ShouldBe(DateTimeOffset.Parse("2026-11-05T12:00:00Z"));
        start.Explanation.ShouldBeEmpty();
        read[1].Status.ShouldBe(DecisionStatus.Breached);
        read[1].StoppedAt.ShouldBe(DateTimeOffset.Parse("2026-11-10T04:00:00Z"));
        read[1].StoppedAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
        read[1].Severity.ShouldBeNull();
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadAttainmentDecisions_CountedBeforeExactFrom_SameFiguresAsOneByOne(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var decisions = Enumerable.Range(0, 60).Select(i =>
        {
            var stopped = From.AddHours(7 * i + 3);
            return Stopped($"C-{i:00}", i % 3 == 0 ? DecisionStatus.Breached : DecisionStatus.Met, stopped.ToString("O"), AsOf, severity: i % 7 == 0 ? null : 1 + (i % 4))
                with
            { Customer = i % 2 == 0 ? "acme" : "globex", DueAt = stopped.AddHours(-i % 30) };
        }).ToArray();
        Store(store, 1, decisions);

        // What the month's figures tell decisions apart by: customer, policy, version, severity, status, a breach's due day,
        // and the stop's month and order against asOf.
        static string Key(Decision d) =>
            $"{d.Customer}|{d.Policy}|{d.PolicyVersion}|{d.Severity}|{d.Status}|{(d.Status == DecisionStatus.Breached ? d.DueAt?.UtcDateTime.Date : null)}|{d.StoppedAt <= AsOf}";
        var exact = store.ReadAttainmentDecisions(From, To, exactFrom: From).ToList();
        var day = new DateTimeOffset(AsOf.UtcDateTime.Date, TimeSpan.Zero);
        var counted = store.ReadAttainmentDecisions(From, To, exactFrom: day).ToList();

        exact.Count.ShouldBe(60);
        counted.Count.ShouldBe(60);
        counted.Select(Key).Order(StringComparer.Ordinal).ShouldBe(exact.Select(Key).Order(StringComparer.Ordinal));

        // Grouped: fewer distinct instances than decisions; those without a severity and those of asOf's day or later
        // come one by one, as stored.
        counted.Distinct().Count().ShouldBeLessThan(60);
        counted.Where(d => d.Severity is null || d.StoppedAt >= day).Select(d => d.CaseId).Order(StringComparer.Ordinal)
            .ShouldBe(exact.Where(d => d.Severity is null || d.StoppedAt >= day).Select(d => d.CaseId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SqliteGroups_AreWhatSqlGroupByGives_InItsOrder_WhateverTheTexts()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);

        // Customers and policies that sort differently by UTF-16 and by UTF-8 (U+FF21 against U+1F600), that differ
        // only by case, that are empty or absent, that hold a NUL (where SQLite's own text functions stop) or the
        // characters a naive key would join or quote fields with;
        // several versions, severities, statuses and due days.
        string?[] customers = ["acme", "Acme", "\uFF21cme", "\U0001F600cme", "", null, "a", "a\u0000b", "a\u0000c", "a|b", "a','b", "'"];
        string?[] policies = ["gold", "gold\u0001", null];
        var random = new Random(5);
        var decisions = Enumerable.Range(0, 2_000).Select(i =>
        {
            var stopped = From.AddMinutes(random.Next(0, 20 * 24 * 60));
            return Stopped($"C-{i:0000}", random.Next(3) == 0 ? DecisionStatus.Breached : DecisionStatus.Met, stopped.ToString("O"), AsOf, severity: 1 + random.Next(4))
                with
            {
                Customer = customers[random.Next(customers.Length)],
                Policy = policies[random.Next(policies.Length)],
                PolicyVersion = random.Next(4) == 0 ? null : $"2026.{random.Next(3)}",
                DueAt = random.Next(5) == 0 ? null : stopped.AddHours(-random.Next(0, 100)),
            };
        }).ToArray();
        Store(store, 1, decisions);

        // The credits step's bounds (UTC midnights) are read from the counts the triggers keep; others from the rows.
        var day = new DateTimeOffset(AsOf.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var until in new[] { day, AsOf })
        {
            var parameters = StoreRows.AttainmentParameters(From, To, until);
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteStore)store).Path};Pooling=False");
            connection.Open();
            var text = StoreRows.PooledText();
            var bySql = StoreRows.Stream(connection, StoreRows.AttainmentGroupsSql, parameters, r => StoreRows.AttainmentGroupRow(r, text), CancellationToken.None).ToList();

            var grouped = ((SqliteStore)store).ReadAttainmentGroups(From, To, until, CancellationToken.None);

            bySql.Count.ShouldBeGreaterThan(100);
            bySql.Sum(g => g.Count).ShouldBe(decisions.Count(d => d.StoppedAt < until));
            grouped.ShouldBe(bySql, $"until {until:O}");
        }

        AttainmentCountsCheck.ShouldMatchTheRows(store);
    }

    /// <summary>
    /// Counting again from the rows (a whole-store night, a start after one died) reads the covering index of the stop
    /// instants, not the index by status, from which it would read every current row of the table one by one.
    /// </summary>
    [Fact]
    public void SqliteRecount_ReadsTheCoveringIndexOfTheStops()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        SqlitePlan(store, AttainmentCounts.RecountSql).ShouldContain(step => step.Contains("ix_decisions_current_stopped", StringComparison.Ordinal));
    }

    /// <summary>
    /// The decisions read one by one are found by range: those of asOf's day on the index of the stops, those of unknown
    /// severity on their own index, not by walking every stop of the month.
    /// </summary>
    [Fact]
    public void SqliteDecisionsReadOneByOne_SeekTheirTwoRanges()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        var plan = SqlitePlan(store, StoreRows.AttainmentDecisionsSql);
        plan.ShouldContain(step => step.Contains("ix_decisions_current_stopped (stopped_at>? AND stopped_at<?)", StringComparison.Ordinal));
        plan.ShouldContain(step => step.Contains("ix_decisions_current_unknown_severity (stopped_at>? AND stopped_at<?)", StringComparison.Ordinal));
    }

    private static List<string> SqlitePlan(IStore store, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteStore)store).Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in StoreRows.AttainmentParameters(From, To, AsOf))
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    /// <summary>A store of the release before the counts gets them filled from its rows by the migration that adds them.</summary>
    [Fact]
    public void SqliteAttainmentCounts_StoreOfTheReleaseBefore_CountsItsRows()
    {
        using var test = new TestStore(StoreKind.Sqlite);
        test.MigrateTo(17);
        Store(test.Store, 1,
            Stopped("C-1", DecisionStatus.Met, "2026-11-10T10:00:00Z", AsOf),
            Stopped("C-2", DecisionStatus.Breached, "2026-11-10T11:00:00Z", AsOf) with { Customer = null },
            Stopped("C-3", DecisionStatus.Running, null, AsOf),
            Stopped("C-4", DecisionStatus.Met, "2026-11-12T10:00:00Z", AsOf, severity: null));
        test.Store.Migrate();

        AttainmentCountsCheck.ShouldMatchTheRows(test.Store);
        var groups = ((SqliteStore)test.Store).ReadAttainmentGroups(From, To, new DateTimeOffset(AsOf.UtcDateTime.Date, TimeSpan.Zero), CancellationToken.None);
        groups.Select(g => $"{g.Customer ?? "(none)"} {g.Status} {g.BreachDay} {g.Count}").ShouldBe(["(none) breached 2026-11-05 1", "acme met  1"]);
    }

    /// <summary>
    /// The counts the triggers keep (<see cref="AttainmentCounts"/>) follow every way a decision row enters, leaves or
    /// changes the counted set: written, rewritten the same night with another status, stop, severity, customer, policy or
    /// due time, moved forward, retired by a later night, deleted as stale (the case now has other targets), retired as the
    /// case lost its targets, made current again; after each write they are what the rows give.
    /// </summary>
    [Fact]
    public void SqliteAttainmentCounts_FollowEveryWriteOfTheRows()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        var random = new Random(18);
        var statuses = new[] { DecisionStatus.Met, DecisionStatus.Breached, DecisionStatus.Running, DecisionStatus.Paused, DecisionStatus.Error };
        Decision Random(string caseId, string target, DateTimeOffset asOf) =>
            Stopped(caseId, statuses[random.Next(statuses.Length)], random.Next(5) == 0 ? null : From.AddMinutes(random.Next(0, 40 * 24 * 60)).ToString("O"), asOf,
                severity: random.Next(6) == 0 ? null : random.Next(1, 5)) with
            {
                Target = target,
                Customer = random.Next(8) == 0 ? null : new[] { "acme", "globex", "" }[random.Next(3)],
                Policy = random.Next(8) == 0 ? null : new[] { "gold", "silver" }[random.Next(2)],
                PolicyVersion = random.Next(3) == 0 ? null : "2026.1",
                DueAt = random.Next(4) == 0 ? null : From.AddHours(random.Next(0, 900)),
            };

        var last = new Dictionary<(string, string), Decision>();
        for (var night = 0; night < 6; night++)
        {
            var asOf = AsOf.AddDays(night - 5);
            using var sink = store.OpenDecisionSink(night + 1);
            for (var batch = 0; batch < 3; batch++)
            {
                // Some cases several times the same night, some with one target, some with two, some with none.
                var ids = Enumerable.Range(0, 40).Select(_ => $"C-{random.Next(60):00}").Distinct().ToList();
                var decisions = new List<Decision>();
                var outcomes = new List<CaseOutcome>();
                foreach (var id in ids)
                {
                    var targets = random.Next(6) == 0 ? [] : random.Next(2) == 0 ? new[] { "response" } : ["response", "resolution"];
                    foreach (var target in targets)
                    {
                        // Now and then the same state as before, only the clock's figures and due time moved on (moved forward).
                        var decision = random.Next(3) == 0 && last.TryGetValue((id, target), out var before)
                            ? before with { AsOf = asOf, ElapsedMinutes = before.ElapsedMinutes + 60, PercentUsed = before.PercentUsed + 1, DueAt = before.DueAt?.AddHours(random.Next(0, 48)) }
                            : Random(id, target, asOf);
                        last[(id, target)] = decision;
                        decisions.Add(decision);
                    }

                    outcomes.Add(new CaseOutcome(id, targets.Length, 1, 1, null, Settled: false) { Continues = night > 0 && random.Next(2) == 0 });
                }

                sink.Write(decisions, outcomes);
                AttainmentCountsCheck.ShouldMatchTheRows(store, $"night {night}, batch {batch}");
            }

            // Closing, the sink folds what its writes logged into the counts.
            AttainmentCountsCheck.ChangesLogged(store).ShouldBeGreaterThan(0);
            sink.Dispose();
            AttainmentCountsCheck.ChangesLogged(store).ShouldBe(0);
            AttainmentCountsCheck.ShouldMatchTheRows(store, $"night {night}, folded");
        }
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadAttainmentDecisions_StopOrSeverityChangedSameNight_CountsAsChangeAndIsRead(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var first = Stopped("C-1", DecisionStatus.Met, "2026-11-10T10:00:00Z", AsOf);
        Store(store, 1, first);

        // Only the stop instant differs, then only the severity: each is a change of a stored value, so the row is
        // rewritten and the read sees the new value.
        using (var sink = store.OpenDecisionSink(2))
        {
            sink.Write([first with { StoppedAt = DateTimeOffset.Parse("2026-11-10T11:00:00Z") }]).Changed.ShouldBe(1);
            sink.Write([first with { StoppedAt = DateTimeOffset.Parse("2026-11-10T11:00:00Z"), Severity = 1 }]).Changed.ShouldBe(1);
            sink.Write([first with { StoppedAt = DateTimeOffset.Parse("2026-11-10T11:00:00Z"), Severity = 1 }]).Changed.ShouldBe(0);
        }

        var read = store.ReadAttainmentDecisions(From, To, exactFrom: From).Single();
        read.StoppedAt.ShouldBe(DateTimeOffset.Parse("2026-11-10T11:00:00Z"));
        read.Severity.ShouldBe(1);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void CountUnjudgedDecisions_ErrorAndNoPolicyCurrentOnly(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var noPolicy = new Decision("C-3", null, null, null, DecisionStatus.NoPolicy, null, 0, 0, 0, 0, AsOf, null, 0, null, "zeta", "email", []);
        Store(store, 0, Stopped("C-1", DecisionStatus.Error, null, AsOf.AddDays(-1)), Stopped("C-4", DecisionStatus.Error, null, AsOf.AddHours(-1)));
        Store(store, 1,
            Stopped("C-1", DecisionStatus.Error, null, AsOf),
            Stopped("C-2", DecisionStatus.Met, "2026-11-10T10:00:00Z", AsOf),
            noPolicy,
            Stopped("C-4", DecisionStatus.Met, "2026-11-10T10:00:00Z", AsOf));

        // The error of C-1 and the no-policy decision of C-3 are current; C-2's met decision judged its target, and
        // C-4's error of an earlier run is replaced by its met decision.
        store.CountUnjudgedDecisions().ShouldBe(2);
    }
}
