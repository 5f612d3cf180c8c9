using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

public class NightlyRunTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-20T19:00:00Z");

    private static (SqliteStore Store, NightlyRun Run) Create(TempFolder folder, int batchSize = 2, IEvaluatorProvider? evaluators = null, int parallelism = 0)
    {
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        var settings = new HostSettings { RunBatchSize = batchSize, RunParallelism = parallelism };
        var run = new NightlyRun(store, evaluators ?? SamplePolicyEvaluator.Provider, TimeProvider.System, settings, NullLogger<NightlyRun>.Instance);
        return (store, run);
    }

    // Not tagged `vip`, so that the escalation level comes from the ladder alone.
    private static void Seed(IStore store, int count)
    {
        var cases = Enumerable.Range(1, count).Select(i => Cases.Open($"C-{i:000}", "2026-11-20T16:30:00+01:00", tags: [])).ToArray();
        store.Ingest(new RecordBatch(cases, [], [], [], [], AsOf));
    }

    [Fact]
    public void Run_OpenCase_DecidedAsOfTheGivenTimeWithEscalationAtTheCrossing()
    {
        using var folder = new TempFolder();
        var (store, run) = Create(folder);
        Seed(store, 1);

        var record = run.Run(AsOf, RunTrigger.Cli);

        // Opened 16:30+01:00 = 15:30Z, no response, not resolved; as of 19:00Z both sev1 targets have counted 210
        // minutes. Resolution: 210 of 240 = 87.5%, running, level 2 (the 75% step). First response: 210 of 15 =
        // 1400%, breached, level 3 (the 100% step), which the clock crossed at 15:30Z + 15 min = 15:45Z: that is when
        // level 3 was first reached, not the run's asOf.
        record.State.ShouldBe(RunState.Succeeded);
        record.CasesRead.ShouldBe(1);
        record.PolicyVersions.ShouldContain("acme-gold@2026.2");
        var trace = store.GetCaseTrace("C-001")!;
        var byTarget = trace.Decisions.ToDictionary(d => d.Decision.Target!, d => d.Decision);
        byTarget.Keys.Order(StringComparer.Ordinal).ShouldBe(["sev1-resolution", "sev1-response"]);
        byTarget["sev1-resolution"].Status.ShouldBe(DecisionStatus.Running);
        byTarget["sev1-resolution"].ElapsedMinutes.ShouldBe(210);
        byTarget["sev1-resolution"].PercentUsed.ShouldBe(87.5);
        byTarget["sev1-resolution"].EscalationLevel.ShouldBe(2);
        byTarget["sev1-response"].Status.ShouldBe(DecisionStatus.Breached);
        byTarget["sev1-response"].EscalationLevel.ShouldBe(3);
        var escalation = trace.Escalations.ShouldHaveSingleItem();
        escalation.Level.ShouldBe(3);
        escalation.FirstReachedAt.ShouldBe(DateTimeOffset.Parse("2026-11-20T15:45:00Z"));
    }

    [Fact]
    public void Run_SameNightTwice_NoDuplicateDecisionsAndNothingChanged()
    {
        using var folder = new TempFolder();
        var (store, run) = Create(folder);
        Seed(store, 5);

        var first = run.Run(AsOf, RunTrigger.Cli);
        var second = run.Run(AsOf, RunTrigger.Cli);

        // Two sev1 targets per case, 10 decisions; batches of 2 cases: three transactions. The same instant again
        // evaluates nothing: every case was evaluated as of it already, with its record as it is.
        first.DecisionsWritten.ShouldBe(10);
        first.DecisionsChanged.ShouldBe(10);
        second.CasesRead.ShouldBe(0);
        second.CasesKept.ShouldBe(5);
        second.DecisionsWritten.ShouldBe(0);
        second.DecisionsChanged.ShouldBe(0);
        store.QueryDecisions(new DecisionQuery()).Count.ShouldBe(10);
        store.GetRuns().Count.ShouldBe(2);
    }

    [Fact]
    public void Run_EvaluatorThrowsForOneCase_ErrorDecisionAndTheOthersAreDecided()
    {
        using var folder = new TempFolder();
        var evaluators = new FailingCasesEvaluatorProvider();
        evaluators.Failing.Add("C-002");
        var (store, run) = Create(folder, evaluators: evaluators);
        Seed(store, 3);

        var record = run.Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Succeeded);
        record.Rejected.ShouldBe(1);
        store.QueryDecisions(new DecisionQuery(Status: "error")).ShouldHaveSingleItem().Decision.CaseId.ShouldBe("C-002");
        store.GetCaseTrace("C-001")!.Decisions.Count.ShouldBe(2);
        store.GetCaseTrace("C-003")!.Decisions.Count.ShouldBe(2);
    }

    [Fact]
    public void Run_ParallelBatches_SameDecisionsAndHistoryAsSingleThreaded()
    {
        // 300 cases opened a minute apart, so that statuses, levels and crossing instants differ from case to case.
        var opened = DateTimeOffset.Parse("2026-11-20T12:00:00Z");
        var cases = Enumerable.Range(0, 300)
            .Select(i => Cases.Open($"C-{i:0000}", opened.AddMinutes(i).ToString("O"), tags: i % 7 == 0 ? ["vip"] : []))
            .ToArray();
        string Snapshot(int parallelism)
        {
            using var folder = new TempFolder();
            var (store, run) = Create(folder, batchSize: 128, parallelism: parallelism);
            store.Ingest(new RecordBatch(cases, [], [], [], [], AsOf));
            run.Run(AsOf, RunTrigger.Cli).State.ShouldBe(RunState.Succeeded);
            return string.Join('\n', cases.Select(c => store.GetCaseTrace(c.Id)!).Select(t =>
                string.Join(';', t.Decisions.Select(d => $"{d.Decision.Target}:{d.Decision.Status}:{d.Decision.PercentUsed}:{d.Decision.EscalationLevel}:{d.Decision.Explanation.Length}"))
                + "|" + string.Join(';', t.Escalations.Select(e => $"{e.Level}@{e.FirstReachedAt:O}"))));
        }

        var parallel = Snapshot(parallelism: 4);

        parallel.ShouldBe(Snapshot(parallelism: 1));
        parallel.Split('\n').Length.ShouldBe(300);
    }

    [Fact]
    public void Run_ReportsProgressAfterEachBatch()
    {
        using var folder = new TempFolder();
        var (store, run) = Create(folder, batchSize: 2);
        Seed(store, 5);
        var reports = new List<RunProgress>();

        run.Run(AsOf, RunTrigger.Cli, new InlineProgress(reports.Add));

        // 5 cases in batches of 2: after 2, after 4, and the last one.
        reports.Select(r => r.CasesRead).ShouldBe([2, 4, 5]);
        reports.ShouldAllBe(r => r.CasesTotal == 5);
    }

    [Fact]
    public void MissedNight_LastRunBeforeAScheduledFire_ReturnsThatFire()
    {
        var cron = NightlyCron.Parse("0 0 2 * * ?", "UTC");
        var last = RunAt("2026-11-20T03:00:00Z");

        // After a run at 03:00 on the 20th the next fire is 02:00 on the 21st, which is before "now".
        MissedNight.Find(cron, last, DateTimeOffset.Parse("2026-11-22T10:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-11-21T02:00:00Z"));
    }

    [Fact]
    public void MissedNight_NextFireStillAhead_ReturnsNull()
    {
        var cron = NightlyCron.Parse("0 0 2 * * ?", "UTC");

        MissedNight.Find(cron, RunAt("2026-11-20T03:00:00Z"), DateTimeOffset.Parse("2026-11-21T01:59:59Z")).ShouldBeNull();
    }

    [Fact]
    public void MissedNight_NoRunEver_ReturnsNull()
    {
        var cron = NightlyCron.Parse("0 0 2 * * ?", "UTC");

        MissedNight.Find(cron, null, DateTimeOffset.Parse("2026-11-22T10:00:00Z")).ShouldBeNull();
    }

    [Fact]
    public void MissedNight_CronInBerlin_FiresAtLocalTwoOClock()
    {
        var cron = NightlyCron.Parse("0 0 2 * * ?", "Europe/Berlin");

        // 02:00 in Berlin in November (UTC+1) is 01:00Z.
        MissedNight.Find(cron, RunAt("2026-11-20T03:00:00Z"), DateTimeOffset.Parse("2026-11-22T10:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-11-21T01:00:00Z"));
    }

    private static RunRecord RunAt(string started)
    {
        var at = DateTimeOffset.Parse(started);
        return new RunRecord(1, at, at, at.AddMinutes(1), RunState.Succeeded, RunTrigger.Schedule, 0, 0, 0, 0, 0, [], null);
    }

    private sealed class InlineProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public void Run_CasesWithStatusesNothingNames_CountsThemOnTheRun(StoreKind kind)
    {
        using var test = new TestStore(kind);
        var typo = Cases.Open("C-1", "2026-11-20T16:30:00+01:00", tags: []) with
        {
            Events = [new StatusEvent(DateTimeOffset.Parse("2026-11-20T17:00:00+01:00"), "Waiting_On_Customer"), new StatusEvent(DateTimeOffset.Parse("2026-11-20T18:00:00+01:00"), "Waiting_On_Customer")],
        };
        var known = Cases.Open("C-2", "2026-11-20T16:30:00+01:00", tags: []);
        var odd = Cases.Open("C-3", "2026-11-20T16:30:00+01:00", tags: []) with { Events = [new StatusEvent(DateTimeOffset.Parse("2026-11-20T17:00:00+01:00"), "parked-by-bob")] };
        test.Store.Migrate();
        test.Store.Ingest(new RecordBatch([typo, known, odd], [], [], [], [], AsOf));
        var run = new NightlyRun(test.Store, SamplePolicyEvaluator.Provider, TimeProvider.System, new HostSettings(), NullLogger<NightlyRun>.Instance);

        var record = run.Run(AsOf, RunTrigger.Cli);

        // Statuses compare exactly: the typo does not pause the clock, and the run says so every night it is stored.
        record.State.ShouldBe(RunState.Succeeded);
        record.UnknownStatuses.ShouldBe(3);
        record.UnknownStatusNames.ShouldNotBeNull();
        record.UnknownStatusNames.ShouldContain("`Waiting_On_Customer` (2 events, did you mean `waiting_on_customer`?)");
        record.UnknownStatusNames.ShouldContain("`parked-by-bob` (1 event)");
        test.Store.GetRuns(10).ShouldHaveSingleItem().UnknownStatuses.ShouldBe(3);
    }
}
