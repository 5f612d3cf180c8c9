namespace SlaPolicy.Tests.Storage;

/// <summary>
/// The store contract, run against every store: each test is a theory with one row per <see cref="StoreKind"/>, so
/// SQLite and PostgreSQL are held to the same expectations.
/// </summary>
public class StoreTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static RecordBatch CasesBatch(params CaseRecord[] cases) => new(cases, [], [], [], [], AsOf);

    private static Decision DecisionOf(string caseId, double percent, int level, DateTimeOffset asOf) =>
        new(caseId, "sev1-resolution", "acme-gold", "2026.2", DecisionStatus.Running, asOf.AddHours(1), percent * 2.4, 0, percent, level, asOf,
            "policies/acme.json", 12, "acme-gold.sev1-resolution", "acme", "email", [new ExplanationStep("clock", "counted")]);

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public void Migrate_FeesStoredAsFloatingPointBefore_ComeOverAsTheirDecimalValue(StoreKind kind)
    {
        using var test = new TestStore(kind);

        // The schema as version 6 left it, with fees stored as floating point.
        test.MigrateTo(6, """
            INSERT INTO subscriptions (customer, tier, region, service, monthly_fee, currency, received_at) VALUES
            ('acme', 'gold', 'eu-west', 'email', 1200.5, 'EUR', '2026-01-01T00:00:00.0000000Z'),
            ('acme', 'gold', 'eu-west', 'crm', 1e20, 'EUR', '2026-01-01T00:00:00.0000000Z'),
            ('acme', 'gold', 'eu-west', 'network', NULL, NULL, '2026-01-01T00:00:00.0000000Z')
            """);

        test.Store.Migrate();

        test.Store.SchemaVersion().ShouldBe(kind == StoreKind.Sqlite ? SqliteMigrations.All[^1].Version : PostgresMigrations.All[^1].Version);
        var fees = test.Store.ReadSubscriptions().ToDictionary(s => s.Service, s => s.MonthlyFee);
        fees["email"].ShouldBe(1200.5m);
        fees["crm"].ShouldBe(100_000_000_000_000_000_000m);
        fees["network"].ShouldBeNull();
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_MonthlyFees_ComeBackExactlyAsWritten(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        decimal[] fees = [987654321098.7654m, 1000000000000m, 1234567890123456.78m, 0.01m, 1200.00m, 0m, 79228162514264337593543950335m];
        var subscriptions = fees.Select((fee, i) => new SubscriptionRecord("acme", "gold", "eu-west", $"s{i}", fee, "EUR")).ToList();
        subscriptions.Add(new SubscriptionRecord("acme", "gold", "eu-west", "none", null, null));

        store.Ingest(new RecordBatch([], [], subscriptions, [], [], AsOf));

        var read = store.ReadSubscriptions().ToDictionary(s => s.Service, s => s.MonthlyFee);
        foreach (var (fee, i) in fees.Select((fee, i) => (fee, i)))
        {
            read[$"s{i}"].ShouldBe(fee);
            read[$"s{i}"]!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(fee.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        read["none"].ShouldBeNull();
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Write_CaseDecidedAgainOnTheSameDateWithOtherTargets_RemovesTheTargetsItNoLongerHas(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00"), Cases.Open("C-2", "2026-11-20T16:30:00+01:00")));
        var resolution = DecisionOf("C-1", 50, 0, AsOf);
        var response = resolution with { Target = "sev1-response" };
        var other = DecisionOf("C-2", 50, 0, AsOf) with { Target = "sev1-response" };
        var dayBefore = response with { AsOf = AsOf.AddDays(-1) };
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([dayBefore]);
            sink.Write([resolution, response, other]).Changed.ShouldBe(3);
        }

        // C-1 sent again as severity 3, say: on the same date it now has only the resolution target, under another
        // policy version. Its old rows of that date go (2 removed + 1 inserted = 3 changed); C-2 and the day before stay.
        var again = resolution with { PolicyVersion = "2026.3" };
        using (var sink = store.OpenDecisionSink(2))
        {
            var result = sink.Write([again]);
            result.Written.ShouldBe(1);
            result.Changed.ShouldBe(3);
        }

        var latest = store.GetCaseTrace("C-1")!.Decisions.ShouldHaveSingleItem().Decision;
        (latest.Target, latest.PolicyVersion).ShouldBe(("sev1-resolution", "2026.3"));
        store.GetCaseTrace("C-2")!.Decisions.ShouldHaveSingleItem().Decision.Target.ShouldBe("sev1-response");
        store.QueryDecisions(new DecisionQuery(To: AsOf.AddHours(-12))).Select(d => (d.Decision.CaseId, d.Decision.Target))
            .ShouldBe([("C-1", "sev1-response")]);

        // The same write again changes nothing.
        using (var sink = store.OpenDecisionSink(3))
        {
            sink.Write([again]).Changed.ShouldBe(0);
        }
    }

    /// <summary>The rows of case <paramref name="caseId"/> as (target, evaluation date, current), every row or only the current ones.</summary>
    private static string[] RowsOf(IStore store, string caseId, bool latestOnly) =>
        [.. store.QueryDecisions(new DecisionQuery(LatestOnly: latestOnly, Limit: 100))
            .Where(d => d.Decision.CaseId == caseId)
            .Select(d => $"{d.Decision.Target} {d.EvaluationDate:yyyy-MM-dd} {d.Decision.PercentUsed}")
            .Order(StringComparer.Ordinal)];

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Write_EveryDecisionMovesForwardButTheCaseHadOneMoreTarget_ThatTargetIsRetired(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00")));
        var dayBefore = AsOf.AddDays(-1);
        var resolution = DecisionOf("C-1", 40, 0, dayBefore);
        var response = resolution with { Target = "sev1-response" };
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([resolution, response], [new CaseOutcome("C-1", 2, 7, 9, null, Settled: false)]);
        }

        // The next night the same record (inputs 7) under the same policies (9) has the resolution target only, in the
        // same state. Its row moves forward; the response row, which nothing moved, must stop being current: the case's
        // number of decisions (2, then 1) is part of the state, so the resolution row does not count as moved either and
        // the case's earlier rows are retired as for any other case.
        using (var sink = store.OpenDecisionSink(2))
        {
            sink.Write([DecisionOf("C-1", 50, 0, AsOf)], [new CaseOutcome("C-1", 1, 7, 9, null, Settled: false) { Continues = true }]);
        }

        RowsOf(store, "C-1", latestOnly: true).ShouldBe(["sev1-resolution 2026-11-22 50"]);

        // With the count unchanged the row does move forward (no successor row), and the case's only current row is it.
        using (var sink = store.OpenDecisionSink(3))
        {
            sink.Write([DecisionOf("C-1", 60, 0, AsOf.AddDays(1))], [new CaseOutcome("C-1", 1, 7, 9, null, Settled: false) { Continues = true }]);
        }

        RowsOf(store, "C-1", latestOnly: true).ShouldBe(["sev1-resolution 2026-11-23 60"]);
        RowsOf(store, "C-1", latestOnly: false).ShouldBe(["sev1-resolution 2026-11-21 40", "sev1-resolution 2026-11-23 60", "sev1-response 2026-11-21 40"]);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Write_EveryDecisionMovesForwardOntoADateAnEarlierRunDecided_TheRowsOfThatDateItNoLongerHasGo(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00")));
        var resolution = DecisionOf("C-1", 40, 0, AsOf);
        var response = resolution with { Target = "sev1-response" };
        var update = DecisionOf("C-1", 30, 0, AsOf.AddDays(-1)) with { Target = "sev1-update" };
        void Night(DateTimeOffset asOf, Decision[] decisions, bool continues)
        {
            var run = store.StartRun(asOf, asOf, RunTrigger.Cli);
            using var sink = store.OpenDecisionSink(run);
            sink.Write(decisions, [new CaseOutcome("C-1", decisions.Length, 7, 9, null, Settled: false) { Continues = continues }]);
        }

        // The 22nd decides two targets; a night back on the 21st one other (the 22nd's rows stop being current); then the
        // 22nd again, an hour later, with that one target in the same state: its row moves forward onto the 22nd, where
        // the two rows of the first night lie. As before the move existed, the 22nd's rows the case no longer has go: a
        // run of that date was stored before, so the stale-decision removal is not skipped for a case all of whose rows moved.
        Night(AsOf, [resolution, response], continues: false);
        Night(AsOf.AddDays(-1), [update], continues: false);
        RowsOf(store, "C-1", latestOnly: true).ShouldBe(["sev1-update 2026-11-21 30"]);
        Night(AsOf.AddHours(1), [update with { AsOf = AsOf.AddHours(1), PercentUsed = 35 }], continues: true);

        RowsOf(store, "C-1", latestOnly: false).ShouldBe(["sev1-update 2026-11-22 35"]);
    }

    /// <summary>
    /// A batch of cases new to the store with one decided before among them (between them, in id order): that one's
    /// rows of another date stop being current and its row of the same date it no longer has goes, as in a batch of
    /// cases all decided before. The SQLite sink skips those statements only for a batch none of whose cases has a row.
    /// </summary>
    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Write_NewCasesAroundOneDecidedBefore_ThatOnesOtherRowsRetireOrGo(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00"), Cases.Open("C-2", "2026-11-20T16:30:00+01:00"), Cases.Open("C-3", "2026-11-20T16:30:00+01:00")));
        var resolution = DecisionOf("C-2", 40, 0, AsOf);
        void Night(long run, params Decision[] decisions)
        {
            using var sink = store.OpenDecisionSink(run);
            sink.Write(decisions, [.. decisions.GroupBy(d => d.CaseId).Select(g => new CaseOutcome(g.Key, g.Count(), 7, 9, null, Settled: false))]);
        }

        Night(1, DecisionOf("C-2", 30, 0, AsOf.AddDays(-1)) with { Target = "sev1-update" });
        Night(2, resolution, resolution with { Target = "sev1-response" });

        // An hour later, the same date: C-1 and C-3 are new; C-2 has the resolution target only.
        var later = AsOf.AddHours(1);
        Night(3, DecisionOf("C-1", 10, 0, later), DecisionOf("C-2", 45, 0, later), DecisionOf("C-3", 20, 0, later));

        RowsOf(store, "C-2", latestOnly: true).ShouldBe(["sev1-resolution 2026-11-22 45"]);
        RowsOf(store, "C-2", latestOnly: false).ShouldBe(["sev1-resolution 2026-11-22 45", "sev1-update 2026-11-21 30"]);
        RowsOf(store, "C-1", latestOnly: true).ShouldBe(["sev1-resolution 2026-11-22 10"]);
        RowsOf(store, "C-3", latestOnly: true).ShouldBe(["sev1-resolution 2026-11-22 20"]);
    }

    /// <summary>The SQLite sink's test for a batch of cases without rows is one seek on the key's case_id.</summary>
    [Fact]
    public void SqliteSink_NoDecisionsYet_SeeksTheKeysCaseIds()
    {
        using var test = TestStore.Migrated(StoreKind.Sqlite, out var store);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteStore)store).Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteDecisionSink.NoDecisionsYetSql;
        command.Parameters.AddWithValue("@cases", "[\"C-1\"]");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        plan.ShouldContain(step => step.Contains("USING COVERING INDEX sqlite_autoindex_decisions_1 (case_id>? AND case_id<?)", StringComparison.Ordinal));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Migrate_Twice_KeepsSchemaVersionAndData(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00")));

        store.Migrate();

        // Every migration of the store's list applied once: the version is the last one's.
        store.SchemaVersion().ShouldBe(kind == StoreKind.Sqlite ? SqliteMigrations.All[^1].Version : PostgresMigrations.All[^1].Version);
        store.CountCases().ShouldBe(1);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_SameCaseIdTwice_LaterRecordReplacesEarlier(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);

        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00")));
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00", resolvedAt: "2026-11-20T18:00:00+01:00")));

        store.CountCases().ShouldBe(1);
        var stored = store.GetCase("C-1")!;
        stored.ResolvedAt.ShouldBe(DateTimeOffset.Parse("2026-11-20T18:00:00+01:00"));

        // The original offset survives the round trip, not only the instant.
        stored.OpenedAt.Offset.ShouldBe(TimeSpan.FromHours(1));
        stored.Events.Single().Status.ShouldBe("in_progress");
        stored.Tags.ShouldBe(["vip"]);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_RejectedRecords_AreQuarantinedWithLineFieldAndReason(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);

        store.Ingest(new RecordBatch([], [], [], [], [new RejectedRecord("cases.jsonl", 7, "openedAt", "no offset", "{\"id\":\"C-9\"}")], AsOf));

        var entry = store.GetQuarantine().ShouldHaveSingleItem();
        entry.Record.ShouldBe(new RejectedRecord("cases.jsonl", 7, "openedAt", "no offset", "{\"id\":\"C-9\"}"));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_SameRejectedLinesTwice_QuarantinedOnce(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        // A quarantined line longer than an index entry may hold must still be kept, once.
        var longRaw = "{\"id\":\"" + new string('x', 4000) + "\"}";
        RejectedRecord[] rejected =
        [
            new("cases.jsonl", 7, "openedAt", "no offset", "{\"id\":\"C-9\"}"),
            new("cases.jsonl", 8, "id", "too long", longRaw),
        ];

        store.Ingest(new RecordBatch([], [], [], [], rejected, AsOf));
        store.Ingest(new RecordBatch([], [], [], [], rejected, AsOf));

        store.GetQuarantine().Select(q => q.Record.LineNumber).Order().ShouldBe([7L, 8L]);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_SameDecisionsTwice_NoDuplicateAndNoChange(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        Decision[] decisions = [DecisionOf("C-1", 50, 0, AsOf), DecisionOf("C-2", 80, 2, AsOf)];

        DecisionWriteResult first, second;
        using (var sink = store.OpenDecisionSink(1))
        {
            first = sink.Write(decisions);
        }

        using (var sink = store.OpenDecisionSink(2))
        {
            second = sink.Write(decisions);
        }

        first.ShouldBe(new DecisionWriteResult(2, 2, 1));
        second.ShouldBe(new DecisionWriteResult(2, 0, 0));
        var stored = store.QueryDecisions(new DecisionQuery());
        stored.Count.ShouldBe(2);

        // Unchanged rows keep the run that first wrote them.
        stored.ShouldAllBe(d => d.RunId == 1);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_LaterRunSameDay_UpdatesTheRowInsteadOfAddingOne(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        using var sink = store.OpenDecisionSink(1);
        sink.Write([DecisionOf("C-1", 50, 0, AsOf)]);

        // Same UTC date, later in the day: same key (case, target, evaluation date, version).
        var result = sink.Write([DecisionOf("C-1", 60, 0, AsOf.AddHours(8))]);

        result.Changed.ShouldBe(1);
        store.QueryDecisions(new DecisionQuery()).ShouldHaveSingleItem().Decision.PercentUsed.ShouldBe(60);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_OnlyTheExplanationDiffers_CountsAsChangedAndStoresTheNewOne(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var before = DecisionOf("C-1", 50, 0, AsOf);

        // Same values, one more explanation step: what `why` shows has changed, so the row must be rewritten.
        var after = before with { Explanation = [.. before.Explanation, new ExplanationStep("pause", "paused while `waiting` +1h", new("policies/acme.json", 7, 3), AsOf)] };
        DecisionWriteResult second;
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([before]);
        }

        using (var sink = store.OpenDecisionSink(2))
        {
            second = sink.Write([after]);
        }

        second.Changed.ShouldBe(1);
        var stored = store.QueryDecisions(new DecisionQuery()).ShouldHaveSingleItem();
        stored.RunId.ShouldBe(2);
        stored.Decision.Explanation.ShouldBe(after.Explanation);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_LargeBatchWithARepeatedKey_LaterWinsAndEveryRowCounts(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);

        // 100 decisions: more than one multi-row statement's worth, with C-005 again at position 70 (a later
        // evaluation the same day), so the repeat lands in a different statement than the first.
        var decisions = Enumerable.Range(0, 99).Select(i => DecisionOf($"C-{i:000}", 10, 0, AsOf)).ToList();
        decisions.Insert(70, DecisionOf("C-005", 90, 3, AsOf.AddHours(1)));
        DecisionWriteResult result;
        using (var sink = store.OpenDecisionSink(1))
        {
            result = sink.Write(decisions);
        }

        // 99 inserted + 1 updated = 100 changed; C-005's level 3 is its highest and is recorded once.
        result.ShouldBe(new DecisionWriteResult(100, 100, 1));
        var stored = store.QueryDecisions(new DecisionQuery(Limit: 1000));
        stored.Count.ShouldBe(99);
        stored.Single(d => d.Decision.CaseId == "C-005").Decision.PercentUsed.ShouldBe(90);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_Escalations_RecordedOnlyWhenALevelIsFirstReached(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00")));

        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([DecisionOf("C-1", 80, 2, AsOf)]).EscalationsReached.ShouldBe(1);
            sink.Write([DecisionOf("C-1", 90, 2, AsOf.AddDays(1))]).EscalationsReached.ShouldBe(0);
            sink.Write([DecisionOf("C-1", 110, 3, AsOf.AddDays(2))]).EscalationsReached.ShouldBe(1);
        }

        var trace = store.GetCaseTrace("C-1")!;
        trace.Escalations.Select(e => (e.Level, e.FirstReachedAt)).ShouldBe([(2, AsOf), (3, AsOf.AddDays(2))]);

        // The trace shows the latest evaluation date only.
        trace.Decisions.ShouldHaveSingleItem().EvaluationDate.ShouldBe(new DateOnly(2026, 11, 24));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void QueryDecisions_AtRisk_IsRunningWithAtLeast75PercentUsed(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([DecisionOf("C-1", 74.9, 0, AsOf), DecisionOf("C-2", 75, 2, AsOf), DecisionOf("C-3", 99, 2, AsOf) with { Status = DecisionStatus.Paused }]);
        }

        store.QueryDecisions(new DecisionQuery(Status: "at-risk")).Select(d => d.Decision.CaseId).ShouldBe(["C-2"]);
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public void Store_Reopened_KeepsRunsAndDecisions(StoreKind kind)
    {
        using var test = new TestStore(kind);
        var first = test.Store;
        first.Migrate();
        var runId = first.StartRun(AsOf, AsOf, RunTrigger.Cli);
        first.FinishRun(runId, new RunCompletion(RunState.Succeeded, AsOf.AddSeconds(3), 1, 1, 1, 0, 3000, ["acme-gold@2026.2"], null));
        using (var sink = first.OpenDecisionSink(runId))
        {
            sink.Write([DecisionOf("C-1", 50, 0, AsOf)]);
        }

        var second = test.Open();
        second.Migrate();

        var run = second.GetLastSucceededRun().ShouldNotBeNull();
        run.PolicyVersions.ShouldBe(["acme-gold@2026.2"]);
        run.DurationMs.ShouldBe(3000);
        second.QueryDecisions(new DecisionQuery()).ShouldHaveSingleItem().Decision.Explanation.Single().Text.ShouldBe("counted");
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_SameCaseIdTwiceInOneBatch_LaterRecordWinsAndBothCount(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);

        var written = store.Ingest(CasesBatch(
            Cases.Open("C-1", "2026-11-20T16:30:00+01:00"),
            Cases.Open("C-2", "2026-11-20T17:00:00+01:00"),
            Cases.Open("C-1", "2026-11-20T16:30:00+01:00", resolvedAt: "2026-11-20T18:00:00+01:00")));

        // Three records accepted (each one written in turn), two cases stored, the later C-1 in force.
        written.ShouldBe(3);
        store.CountCases().ShouldBe(2);
        store.GetCase("C-1")!.ResolvedAt.ShouldBe(DateTimeOffset.Parse("2026-11-20T18:00:00+01:00"));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadCases_MixedCaseIds_InByteOrder(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(CasesBatch(Cases.Open("C-a", "2026-11-20T16:30:00Z"), Cases.Open("C-B", "2026-11-20T16:30:00Z"), Cases.Open("C-10", "2026-11-20T16:30:00Z")));

        // Byte order, whatever the database locale: '1' (0x31) < 'B' (0x42) < 'a' (0x61).
        // A locale collation would put C-a before C-B.
        store.ReadCases().Select(c => c.Id).ShouldBe(["C-10", "C-B", "C-a"]);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_SameKeyTwiceInOneBatch_LaterWinsAndBothCountAsChanged(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        using var sink = store.OpenDecisionSink(1);

        // Same key (case, target, UTC date, version): the first is inserted, the second updates it.
        var result = sink.Write([DecisionOf("C-1", 50, 0, AsOf), DecisionOf("C-2", 10, 0, AsOf), DecisionOf("C-1", 60, 0, AsOf.AddHours(1))]);

        result.ShouldBe(new DecisionWriteResult(3, 3, 0));
        store.QueryDecisions(new DecisionQuery(Customer: "acme")).Select(d => (d.Decision.CaseId, d.Decision.PercentUsed)).ShouldBe([("C-1", 60.0), ("C-2", 10.0)]);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void DecisionSink_NoPolicyDecision_StoredWithoutTargetOrVersionAndNotDuplicated(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var noPolicy = new Decision("C-7", null, null, null, DecisionStatus.NoPolicy, null, 0, 0, 0, 0, AsOf, null, 0, null, "acme", "email", []);
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([noPolicy]);
            sink.Write([noPolicy]).Changed.ShouldBe(0);
        }

        var stored = store.QueryDecisions(new DecisionQuery(Status: "no-policy")).ShouldHaveSingleItem();
        stored.Decision.Explanation.ShouldBeEmpty();
        (stored.Decision with { Explanation = noPolicy.Explanation }).ShouldBe(noPolicy, "absent target, version and due read back as null");
        stored.EvaluationDate.ShouldBe(new DateOnly(2026, 11, 22));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Runs_StartedAndFinished_ListedNewestFirstWithCounts(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var first = store.StartRun(AsOf, AsOf, RunTrigger.Schedule);
        store.FinishRun(first, new RunCompletion(RunState.Failed, AsOf.AddMinutes(1), 5, 0, 0, 1, 60_000, [], "database went away"));
        var second = store.StartRun(AsOf, AsOf.AddMinutes(5), RunTrigger.Api);

        store.GetRuns().Select(r => r.Id).ShouldBe([second, first]);
        store.GetRun(second)!.State.ShouldBe(RunState.Running);
        store.GetRun(second)!.Trigger.ShouldBe(RunTrigger.Api);
        var failed = store.GetRun(first)!;
        (failed.State, failed.CasesRead, failed.Rejected, failed.Error).ShouldBe((RunState.Failed, 5L, 1L, "database went away"));
        store.GetLastSucceededRun().ShouldBeNull();
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_OtherRecordKinds_UpsertedByTheirKeys(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var start = DateTimeOffset.Parse("2026-11-20T10:00:00Z");
        var batch = new RecordBatch(
            [],
            [new OutageRecord("email", "eu-west", start, start.AddHours(1), "full", "O-1"), new OutageRecord("email", "eu-west", start, start.AddHours(2), "full", "O-1b")],
            [new SubscriptionRecord("acme", "gold", "eu-west", "email", 1000m, "EUR"), new SubscriptionRecord("acme", "gold", "eu-west", "email", null, null)],
            [new MeasurementRecord("email", "eu-west", start, "availability", 99.9)],
            [new RejectedRecord("outages.jsonl", 3, "end", "end before start", "{}"), new RejectedRecord("outages.jsonl", 4, null, "malformed JSON", "{")],
            AsOf);

        // Every good record counts as written, duplicates by key included (the later one replaces the earlier).
        store.Ingest(batch).ShouldBe(5);

        // Newest first: within one batch, the later line is the newer entry.
        store.GetQuarantine().Select(q => q.Record.LineNumber).ShouldBe([4L, 3L]);
    }
}

public class StoreFactoryTests
{
    [Fact]
    public void Create_NoProvider_IsSqliteAtThePath()
    {
        using var folder = new TempFolder();

        var store = StoreFactory.Create(null, folder.File("slapolicy.db"), null);

        store.ShouldBeOfType<SqliteStore>().Path.ShouldBe(folder.File("slapolicy.db"));
    }

    [Fact]
    public void Create_PostgresWithoutConnectionString_NamesTheKey()
    {
        var error = Should.Throw<InvalidOperationException>(() => StoreFactory.Create("postgres", "unused.db", " "));

        error.Message.ShouldContain("Store:ConnectionString");
    }

    [Fact]
    public void Create_UnknownProvider_NamesTheKeyAndTheChoices()
    {
        var error = Should.Throw<InvalidOperationException>(() => StoreFactory.Create("oracle", "unused.db", null));

        error.Message.ShouldBe("Store:Provider `oracle` is not known; use sqlite or postgres");
    }

    [Fact]
    public void Create_Postgres_TargetOmitsThePassword()
    {
        using var store = StoreFactory.Create("Postgres", "unused.db", "Host=db.example;Port=5433;Username=sla;Password=secret;Database=sla").ShouldBeOfType<PostgresStore>();

        store.Target.ShouldBe("postgres://db.example:5433/sla");
    }
}
