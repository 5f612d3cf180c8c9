using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>
/// The nightly credits step on samples/hooli: error-rate downtime, request counts, per-resource subscriptions, several
/// objectives and redundancy, read from the store and stored one row per objective and resource (the figures are worked
/// out by hand in <see cref="Reports.HooliSampleTests"/>).
/// </summary>
public class HooliNightlyCreditsTests
{
    [Fact]
    public void Run_OnThe2ndOfDecember_StoresNovembersCreditsPerObjectiveAndResource()
    {
        using var folder = new TempFolder();
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        var hooli = Path.Join(PolicyTestFiles.RepoRoot, "samples", "hooli");
        static List<T> Good<T>(IEnumerable<InputResult<T>> results) where T : class => [.. results.Where(r => r.Record is not null).Select(r => r.Record!)];
        var night = DateTimeOffset.Parse("2026-12-02T02:00:00Z", CultureInfo.InvariantCulture);
        store.Ingest(new RecordBatch(
            [],
            Good(OutageReader.ReadFile(Path.Join(hooli, "outages.jsonl"))),
            Good(SubscriptionReader.ReadFile(Path.Join(hooli, "subscriptions.jsonl"))),
            Good(MeasurementReader.ReadFile(Path.Join(hooli, "measurements.jsonl"))),
            [],
            night));
        var provider = new PolicyFolderEvaluatorProvider(Path.Join(hooli, "policies"), TimeProvider.System, NullLogger<PolicyFolderEvaluatorProvider>.Instance);
        var run = new NightlyRun(store, provider, TimeProvider.System, new HostSettings(), NullLogger<NightlyRun>.Instance);

        // In the first 3 days of December the night measures November again, to its end.
        run.Run(night, RunTrigger.Cli).State.ShouldBe(RunState.Succeeded);

        var rows = store.QueryServiceCredits(new ServiceCreditQuery("2026-11", "hooli")).Where(c => c.Credit.Kind == ServiceCreditKind.Availability)
            .ToDictionary(c => $"{c.Credit.Service} {c.Credit.Objective}", c => c.Credit);
        rows.Keys.Order(StringComparer.Ordinal).ShouldBe(
            ["compute availability/vm-1", "compute availability/vm-2", "compute availability/vm-3", "ip-transit availability", "object-storage standard",
             "object-storage-ia infrequent-access", "workspace availability"]);
        rows["object-storage standard"].Amount.ShouldBe(200.00m);
        rows["object-storage standard"].Explanation.Select(s => s.Kind).ShouldBe(["objective", "downtime", "minimum downtime", "tier", "fee"]);
        rows["object-storage-ia infrequent-access"].Amount.ShouldBe(50.00m);
        rows["compute availability/vm-1"].Amount.ShouldBe(30.00m);
        rows["compute availability/vm-2"].Met.ShouldBe(true);
        rows["ip-transit availability"].Amount.ShouldBe(500.00m);
        rows["ip-transit availability"].Explanation.ShouldContain(s => s.Kind == "redundancy");
        // The store keeps the deployment date and the share of users affected (store migration 17).
        rows["compute availability/vm-3"].Amount.ShouldBe(20.00m);
        rows["workspace availability"].Amount.ShouldBe(150.00m);
        rows["workspace availability"].Explanation.ShouldContain(s => s.Kind == "weight");

        // A second run of the same night changes no row.
        var again = run.Run(night, RunTrigger.Cli);
        again.CreditsChanged.ShouldBe(0);
    }
}
