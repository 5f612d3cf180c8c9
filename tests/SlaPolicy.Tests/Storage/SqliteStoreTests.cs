using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Storage;
using SlaPolicy.Tests.Support;

namespace SlaPolicy.Tests.Storage;

public class SqliteStoreTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static RecordBatch CasesBatch(params CaseRecord[] cases) => new(cases, [], [], [], [], AsOf);

    private static Decision DecisionOf(string caseId, double percent, int level, DateTimeOffset asOf) =>
        new(caseId, "sev1-resolution", "acme-gold", "2026.2", DecisionStatus.Running, asOf.AddHours(1), percent * 2.4, 0, percent, level, asOf,
            "policies/acme.json", 12, "acme-gold.sev1-resolution", "acme", "email", [new ExplanationStep("clock", "counted")]);

    [Fact]
    public void Migrate_Twice_KeepsSchemaVersionAndData()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("db/slapolicy.db"));
        store.Migrate();
        store.Ingest(CasesBatch(Cases.Open("C-1", "2026-11-20T16:30:00+01:00")));

        store.Migrate();

        store.SchemaVersion().ShouldBe(2);
        store.CountCases().ShouldBe(1);
    }

    [Fact]
    public void Ingest_SameCaseIdTwice_LaterRecordReplacesEarlier()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();

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

    [Fact]
    public void Ingest_RejectedRecords_AreQuarantinedWithLineFieldAndReason()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();

        store.Ingest(new RecordBatch([], [], [], [], [new RejectedRecord("cases.jsonl", 7, "openedAt", "no offset", "{\"id\":\"C-9\"}")], AsOf));

        var entry = store.GetQuarantine().ShouldHaveSingleItem();
        entry.Record.ShouldBe(new RejectedRecord("cases.jsonl", 7, "openedAt", "no offset", "{\"id\":\"C-9\"}"));
    }

    [Fact]
    public void DecisionSink_SameDecisionsTwice_NoDuplicateAndNoChange()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
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

    [Fact]
    public void DecisionSink_LaterRunSameDay_UpdatesTheRowInsteadOfAddingOne()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        using var sink = store.OpenDecisionSink(1);
        sink.Write([DecisionOf("C-1", 50, 0, AsOf)]);

        // Same UTC date, later in the day: same key (case, target, evaluation date, version).
        var result = sink.Write([DecisionOf("C-1", 60, 0, AsOf.AddHours(8))]);

        result.Changed.ShouldBe(1);
        store.QueryDecisions(new DecisionQuery()).ShouldHaveSingleItem().Decision.PercentUsed.ShouldBe(60);
    }

    [Fact]
    public void DecisionSink_Escalations_RecordedOnlyWhenALevelIsFirstReached()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
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

    [Fact]
    public void QueryDecisions_AtRisk_IsRunningWithAtLeast75PercentUsed()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        using (var sink = store.OpenDecisionSink(1))
        {
            sink.Write([DecisionOf("C-1", 74.9, 0, AsOf), DecisionOf("C-2", 75, 2, AsOf), DecisionOf("C-3", 99, 2, AsOf) with { Status = DecisionStatus.Paused }]);
        }

        store.QueryDecisions(new DecisionQuery(Status: "at-risk")).Select(d => d.Decision.CaseId).ShouldBe(["C-2"]);
    }

    [Fact]
    public void Store_ReopenedOnSameFile_KeepsRunsAndDecisions()
    {
        using var folder = new TempFolder();
        var path = folder.File("slapolicy.db");
        var first = new SqliteStore(path);
        first.Migrate();
        var runId = first.StartRun(AsOf, AsOf, RunTrigger.Cli);
        first.FinishRun(runId, new RunCompletion(RunState.Succeeded, AsOf.AddSeconds(3), 1, 1, 1, 0, 3000, ["acme-gold@2026.2"], null));
        using (var sink = first.OpenDecisionSink(runId))
        {
            sink.Write([DecisionOf("C-1", 50, 0, AsOf)]);
        }

        var second = new SqliteStore(path);
        second.Migrate();

        var run = second.GetLastSucceededRun().ShouldNotBeNull();
        run.PolicyVersions.ShouldBe(["acme-gold@2026.2"]);
        run.DurationMs.ShouldBe(3000);
        second.QueryDecisions(new DecisionQuery()).ShouldHaveSingleItem().Decision.Explanation.Single().Text.ShouldBe("counted");
    }
}
