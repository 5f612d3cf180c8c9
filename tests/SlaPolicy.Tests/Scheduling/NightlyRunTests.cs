using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;
using SlaPolicy.Tests.Support;

namespace SlaPolicy.Tests.Scheduling;

public class NightlyRunTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-20T19:00:00Z");

    private static (SqliteStore Store, NightlyRun Run, FixedTargetEvaluator Evaluator) Create(TempFolder folder, int batchSize = 2)
    {
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        var provider = new FixedEvaluatorProvider();
        var run = new NightlyRun(store, provider, TimeProvider.System, new HostSettings { RunBatchSize = batchSize }, NullLogger<NightlyRun>.Instance);
        return (store, run, provider.Evaluator);
    }

    private static void Seed(IStore store, int count)
    {
        var cases = Enumerable.Range(1, count).Select(i => Cases.Open($"C-{i:000}", "2026-11-20T16:30:00+01:00")).ToArray();
        store.Ingest(new RecordBatch(cases, [], [], [], [], AsOf));
    }

    [Fact]
    public void Run_OpenCase_DecidedAsOfTheGivenTimeWithEscalation()
    {
        using var folder = new TempFolder();
        var (store, run, _) = Create(folder);
        Seed(store, 1);

        var record = run.Run(AsOf, RunTrigger.Cli);

        // Opened 16:30+01:00 = 15:30Z; as of 19:00Z that is 210 minutes of a 240-minute target: 87.5%, running,
        // and at least 75% is level 2 for the fixed evaluator.
        record.State.ShouldBe(RunState.Succeeded);
        record.CasesRead.ShouldBe(1);
        record.PolicyVersions.ShouldBe(["fixed@1"]);
        var trace = store.GetCaseTrace("C-001")!;
        var decision = trace.Decisions.ShouldHaveSingleItem().Decision;
        decision.Status.ShouldBe(DecisionStatus.Running);
        decision.ElapsedMinutes.ShouldBe(210);
        decision.PercentUsed.ShouldBe(87.5);
        trace.Escalations.ShouldHaveSingleItem().Level.ShouldBe(2);
    }

    [Fact]
    public void Run_SameNightTwice_NoDuplicateDecisionsAndNothingChanged()
    {
        using var folder = new TempFolder();
        var (store, run, _) = Create(folder);
        Seed(store, 5);

        var first = run.Run(AsOf, RunTrigger.Cli);
        var second = run.Run(AsOf, RunTrigger.Cli);

        // Batches of 2 cases: 5 cases take three transactions, and every one of them is keyed the same way twice.
        first.DecisionsWritten.ShouldBe(5);
        first.DecisionsChanged.ShouldBe(5);
        second.DecisionsWritten.ShouldBe(5);
        second.DecisionsChanged.ShouldBe(0);
        store.QueryDecisions(new DecisionQuery()).Count.ShouldBe(5);
        store.GetRuns().Count.ShouldBe(2);
    }

    [Fact]
    public void Run_EvaluatorThrowsForOneCase_ErrorDecisionAndTheOthersAreDecided()
    {
        using var folder = new TempFolder();
        var (store, run, evaluator) = Create(folder);
        Seed(store, 3);
        evaluator.Failing.Add("C-002");

        var record = run.Run(AsOf, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Succeeded);
        record.Rejected.ShouldBe(1);
        var decisions = store.QueryDecisions(new DecisionQuery()).Select(d => (d.Decision.CaseId, d.Decision.Status)).OrderBy(d => d.CaseId, StringComparer.Ordinal);
        decisions.ShouldBe([("C-001", DecisionStatus.Running), ("C-002", DecisionStatus.Error), ("C-003", DecisionStatus.Running)]);
    }

    [Fact]
    public void Run_ReportsProgressAfterEachBatch()
    {
        using var folder = new TempFolder();
        var (store, run, _) = Create(folder, batchSize: 2);
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
        var cron = new CronExpression("0 0 2 * * ?", TimeZoneInfo.Utc);
        var last = RunAt("2026-11-20T03:00:00Z");

        // After a run at 03:00 on the 20th the next fire is 02:00 on the 21st, which is before "now".
        MissedNight.Find(cron, last, DateTimeOffset.Parse("2026-11-22T10:00:00Z")).ShouldBe(DateTimeOffset.Parse("2026-11-21T02:00:00Z"));
    }

    [Fact]
    public void MissedNight_NextFireStillAhead_ReturnsNull()
    {
        var cron = new CronExpression("0 0 2 * * ?", TimeZoneInfo.Utc);

        MissedNight.Find(cron, RunAt("2026-11-20T03:00:00Z"), DateTimeOffset.Parse("2026-11-21T01:59:59Z")).ShouldBeNull();
    }

    [Fact]
    public void MissedNight_NoRunEver_ReturnsNull()
    {
        var cron = new CronExpression("0 0 2 * * ?", TimeZoneInfo.Utc);

        MissedNight.Find(cron, null, DateTimeOffset.Parse("2026-11-22T10:00:00Z")).ShouldBeNull();
    }

    [Fact]
    public void MissedNight_CronInBerlin_FiresAtLocalTwoOClock()
    {
        var cron = new CronExpression("0 0 2 * * ?", TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

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
}
