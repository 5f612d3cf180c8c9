using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>The credits step of the nightly run, on the repository's samples and sample policies.</summary>
public class MonthlyCreditsTests
{
    private static readonly DateTimeOffset NightOf22nd = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static (SqliteStore Store, NightlyRun Run) SampleStore(TempFolder folder)
    {
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        var samples = Path.Join(PolicyTestFiles.RepoRoot, "samples");
        static List<T> Good<T>(IEnumerable<InputResult<T>> results) where T : class => [.. results.Where(r => r.Record is not null).Select(r => r.Record!)];
        store.Ingest(new RecordBatch(
            Good(CaseReader.ReadFile(Path.Join(samples, "cases.jsonl"))),
            Good(OutageReader.ReadFile(Path.Join(samples, "outages.jsonl"))),
            Good(SubscriptionReader.ReadFile(Path.Join(samples, "subscriptions.jsonl"))),
            Good(MeasurementReader.ReadFile(Path.Join(samples, "measurements.jsonl"))),
            [],
            NightOf22nd));
        var run = new NightlyRun(store, SamplePolicyEvaluator.Provider, TimeProvider.System, new HostSettings(), NullLogger<NightlyRun>.Instance);
        return (store, run);
    }

    private static StoredServiceCredit AcmeEmailEuWest(IStore store, string period) =>
        store.QueryServiceCredits(new ServiceCreditQuery(period, "acme"))
            .Single(c => c.Credit is { Kind: ServiceCreditKind.Availability, Service: "email", Region: "eu-west" });

    [Fact]
    public void Run_SamplesOnThe22nd_StoresAcmeEmailEuWestCreditOf120Euros()
    {
        using var folder = new TempFolder();
        var (store, run) = SampleStore(folder);

        var record = run.Run(NightOf22nd, RunTrigger.Cli);

        // Month to date: 1 November 00:00Z to 22 November 02:00Z is 21 days 2 hours = 30,360 minutes. Down: 70 minutes
        // of the outage that began on 31 October (00:00 to 01:10Z) and the overlapping 02:00-02:45 and 02:30-03:05 on
        // 3 November counted once as 65 minutes; the 8 November maintenance is excluded: 135 minutes. (30,360 - 135) /
        // 30,360 = 99.5553...%, under acme-gold's 99.9% objective: the 10% tier of the EUR 1200 fee = EUR 120.00.
        record.State.ShouldBe(RunState.Succeeded);
        var credit = AcmeEmailEuWest(store, "2026-11");
        credit.RunId.ShouldBe(record.Id);
        credit.Credit.Amount.ShouldBe(120.00m);
        credit.Credit.Currency.ShouldBe("EUR");
        credit.Credit.Met.ShouldBe(false);
        credit.Credit.Tier.ShouldBe("below 99.9: 10%");
        credit.Credit.Target.ShouldBe("availability at least 99.9%");
        ((double)credit.Credit.Measured!.Value).ShouldBe(30225.0 / 30360 * 100, 1e-9);
        credit.Credit.Explanation.Select(s => s.Kind).ShouldBe(["objective", "tier", "fee"]);
        credit.Credit.Explanation[0].Text.ShouldContain("30360 minutes with 135 minutes down");
        record.CreditsWritten.ShouldBe(store.QueryServiceCredits(new ServiceCreditQuery("2026-11")).Count);
        record.CreditsChanged.ShouldBe(record.CreditsWritten);
    }

    [Theory]
    [InlineData("100000000000000000000")]
    [InlineData("79228162514264337593543950335")]
    public void Run_OneSubscriptionWithAnAbsurdFee_TheOthersCreditsStoredAndTheErrorRecorded(string fee)
    {
        // The store takes what it is given (the readers reject such a fee; an older store or another producer may not).
        using var folder = new TempFolder();
        var (store, run) = SampleStore(folder);
        store.Ingest(new RecordBatch(
            [], [], [new SubscriptionRecord("acme", "gold", "eu-west", "email", decimal.Parse(fee, System.Globalization.CultureInfo.InvariantCulture), "EUR")], [], [], NightOf22nd));

        var record = run.Run(NightOf22nd, RunTrigger.Cli);

        record.State.ShouldBe(RunState.Succeeded);
        var credits = store.QueryServiceCredits(new ServiceCreditQuery("2026-11"));
        credits.ShouldContain(c => c.Credit.Customer == "umbrella" && c.Credit.Kind == ServiceCreditKind.Performance && c.Credit.Amount > 0);
        credits.ShouldContain(c => c.Credit.Customer == "acme" && c.Credit.Region == "us-east" && c.Credit.Kind == ServiceCreditKind.Availability);
        credits.ShouldNotContain(c => c.Credit.Customer == "acme" && c.Credit.Service == "email" && c.Credit.Region == "eu-west" && c.Credit.Kind == ServiceCreditKind.Availability);
        var error = store.GetRun(record.Id)!.Error.ShouldNotBeNull();
        error.ShouldContain("`acme`");
        error.ShouldContain("`email` in `eu-west`");
    }

    [Fact]
    public void Run_SameNightTwice_CreditsNeitherChangedNorDuplicated()
    {
        using var folder = new TempFolder();
        var (store, run) = SampleStore(folder);
        var first = run.Run(NightOf22nd, RunTrigger.Cli);
        var before = store.QueryServiceCredits(new ServiceCreditQuery());

        var second = run.Run(NightOf22nd, RunTrigger.Cli);

        first.CreditsWritten.ShouldBeGreaterThan(0);
        second.CreditsWritten.ShouldBe(first.CreditsWritten);
        second.CreditsChanged.ShouldBe(0);
        var after = store.QueryServiceCredits(new ServiceCreditQuery());
        after.Count.ShouldBe(before.Count);
        after.ShouldAllBe(c => c.RunId == first.Id);
        store.GetRun(second.Id)!.CreditsChanged.ShouldBe(0);
    }

    [Fact]
    public void Run_SecondOfDecember_NovemberMeasuredToItsEnd()
    {
        using var folder = new TempFolder();
        var (store, run) = SampleStore(folder);
        var november22 = run.Run(NightOf22nd, RunTrigger.Cli);

        var december2 = run.Run(DateTimeOffset.Parse("2026-12-02T02:00:00Z"), RunTrigger.Cli);

        // During December's first days November is computed again, over its whole 43,200 minutes: the same 135 minutes
        // down give (43,200 - 135) / 43,200 = 99.6875%, the figure of `slapolicy report --period 2026-11`; the credit
        // is still the 10% tier, EUR 120.00, now written by the December run. December has begun too: its rows exist.
        var credit = AcmeEmailEuWest(store, "2026-11");
        credit.Credit.Measured.ShouldBe(99.6875m);
        credit.Credit.Amount.ShouldBe(120.00m);
        credit.RunId.ShouldBe(december2.Id);
        credit.RunId.ShouldNotBe(november22.Id);
        AcmeEmailEuWest(store, "2026-12").Credit.Met.ShouldBe(true);
    }

    [Fact]
    public void Run_SecondOfDecemberOnly_NovemberAttainmentFromThatNightsDecisions()
    {
        using var folder = new TempFolder();
        var (store, run) = SampleStore(folder);

        var december2 = run.Run(DateTimeOffset.Parse("2026-12-02T02:00:00Z"), RunTrigger.Cli);

        // No run of November stored any decision: November's attainment comes from the decisions of 2 December, which
        // carry every target whose clock stopped in November (every night evaluates every stored case). The samples'
        // last stop is on 21 November and no case has an event after it, so November's attainment is what the night of
        // the 22nd found (see Rows_SampleReport_OneRowPerAssessmentAndTotalWithUniqueKeys): acme's `sev 1` term
        // EUR 600 and `sev 4` term EUR 300.
        var attainment = store.QueryServiceCredits(new ServiceCreditQuery("2026-11", "acme"))
            .Where(c => c.Credit is { Kind: ServiceCreditKind.Attainment, Currency: "EUR" } && c.Credit.Amount > 0)
            .OrderBy(c => c.Credit.Objective, StringComparer.Ordinal)
            .ToList();
        attainment.Select(c => (c.Credit.Objective, c.Credit.Amount)).ShouldBe([("sev 1", 600.00m), ("sev 4", 300.00m)]);
        attainment.ShouldAllBe(c => c.RunId == december2.Id);
    }

    [Theory]
    [InlineData("2026-11-22T02:00:00Z", new[] { "2026-11" })]
    [InlineData("2026-12-01T02:00:00Z", new[] { "2026-11", "2026-12" })]
    [InlineData("2026-12-03T23:59:59Z", new[] { "2026-11", "2026-12" })]
    [InlineData("2026-12-04T00:00:00Z", new[] { "2026-12" })]
    [InlineData("2027-01-02T02:00:00+05:00", new[] { "2026-12", "2027-01" })]
    [InlineData("2027-01-01T02:00:00+05:00", new[] { "2026-12" })]
    public void MonthsOf_AsOf_MonthToDateAndThePreviousMonthDuringTheFirstThreeDays(string asOf, string[] expected)
    {
        // The month is UTC's: 02:00+05:00 on 1 January is 21:00Z on 31 December.
        MonthlyCredits.MonthsOf(DateTimeOffset.Parse(asOf)).Select(m => m.ToString()).ShouldBe(expected);
    }

    [Fact]
    public void Rows_SampleReport_OneRowPerAssessmentAndTotalWithUniqueKeys()
    {
        using var folder = new TempFolder();
        var (store, run) = SampleStore(folder);
        run.Run(NightOf22nd, RunTrigger.Cli);

        var stored = store.QueryServiceCredits(new ServiceCreditQuery("2026-11"));

        // acme-gold is the only availability term in the samples (acme's email in eu-west and us-east); attainment and
        // performance rows carry no region and service only where a subscription is judged.
        stored.Count(c => c.Credit.Kind == ServiceCreditKind.Availability).ShouldBe(2);
        stored.Where(c => c.Credit.Kind == ServiceCreditKind.Attainment).ShouldAllBe(c => c.Credit.Service == string.Empty);
        stored.Where(c => c.Credit.Kind == ServiceCreditKind.CustomerTotal).ShouldAllBe(c => c.Credit.Objective == "total" && c.Credit.Measured == null);
        var acmeEur = stored.Single(c => c.Credit is { Kind: ServiceCreditKind.CustomerTotal, Customer: "acme", Currency: "EUR" });

        // acme's EUR credits: availability EUR 120.00 + attainment severity 1 EUR 600 + severity 4 EUR 300 = EUR 1020.00.
        acmeEur.Credit.Amount.ShouldBe(stored.Where(c => c.Credit is { Customer: "acme", Currency: "EUR" } && c.Credit.Kind != ServiceCreditKind.CustomerTotal).Sum(c => c.Credit.Amount));
        acmeEur.Credit.Amount.ShouldBe(1020.00m);
    }
}
