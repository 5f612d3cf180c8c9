namespace SlaPolicy.Tests.Storage;

/// <summary>
/// The store's reads of the month's inputs (subscriptions, outages, measurements) and the service credit upsert, on
/// every store.
/// </summary>
public class ServiceCreditStoreTests
{
    private static readonly DateTimeOffset Received = DateTimeOffset.Parse("2026-11-22T02:00:00Z");
    private static readonly DateTimeOffset From = DateTimeOffset.Parse("2026-11-01T00:00:00Z");
    private static readonly DateTimeOffset To = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static RecordBatch Batch(
        IReadOnlyList<OutageRecord>? outages = null, IReadOnlyList<SubscriptionRecord>? subscriptions = null, IReadOnlyList<MeasurementRecord>? measurements = null) =>
        new([], outages ?? [], subscriptions ?? [], measurements ?? [], [], Received);

    private static OutageRecord Outage(string start, string end, string id) => new("email", "eu-west", DateTimeOffset.Parse(start), DateTimeOffset.Parse(end), "unplanned", id);

    private static ServiceCredit Availability(decimal measured, decimal amount, string period = "2026-11", string region = "eu-west") => new(
        period, "acme", ServiceCreditKind.Availability, "availability", "email", region, "acme-gold", "2026.2", "EUR",
        "availability at least 99.9%", amount > 0 ? "below 99.9: 10%" : null, measured, amount == 0, amount > 0 ? 10 : 0, amount,
        [new ExplanationStep("objective", $"availability at least 99.9%; measured {measured}%")]);

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadOutages_Window_ReturnsThoseOverlappingItInUtc(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(Batch(outages:
        [
            Outage("2026-10-31T20:00:00Z", "2026-10-31T23:00:00Z", "before"),
            Outage("2026-10-31T22:40:00Z", "2026-11-01T01:10:00Z", "across-start"),
            Outage("2026-11-08T01:00:00+01:00", "2026-11-08T04:00:00+01:00", "inside"),
            Outage("2026-11-22T01:00:00Z", "2026-11-22T03:00:00Z", "across-end"),
            Outage("2026-11-22T02:00:00Z", "2026-11-22T02:30:00Z", "at-end"),
            Outage("2026-10-31T23:00:00Z", "2026-11-01T00:00:00Z", "ends-at-start"),
        ]));

        var read = store.ReadOutages(From, To).ToList();

        // [From, To) is half open: an outage ending exactly at From, or starting exactly at To, lies outside it. The
        // +01:00 outage comes back as the same instants in UTC (00:00Z to 03:00Z), in start order.
        read.Select(o => o.Id).ShouldBe(["across-start", "inside", "across-end"]);
        read[1].Start.ShouldBe(DateTimeOffset.Parse("2026-11-08T00:00:00Z"));
        read[1].Start.Offset.ShouldBe(TimeSpan.Zero);
        read[1].End.ShouldBe(DateTimeOffset.Parse("2026-11-08T03:00:00Z"));
        read[1].Kind.ShouldBe("unplanned");
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadMeasurements_Window_StartInclusiveEndExclusive(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        MeasurementRecord Sample(string at, double value) => new("network", "apac-in", DateTimeOffset.Parse(at), "latencyMs", value);
        store.Ingest(Batch(measurements:
        [
            Sample("2026-10-31T23:59:59Z", 1),
            Sample("2026-11-01T00:00:00Z", 2),
            Sample("2026-11-01T05:30:00+05:30", 3),
            Sample("2026-11-22T01:59:59Z", 4.25),
            Sample("2026-11-22T02:00:00Z", 5),
        ]));

        var read = store.ReadMeasurements(From, To).ToList();

        // 05:30+05:30 is 00:00Z, the instant of the second sample: the same key, so the later record replaced it. The
        // sample at exactly From is inside, the one at exactly To outside; in time order.
        read.Select(m => m.Value).ShouldBe([3, 4.25]);
        read[0].At.ShouldBe(From);
        read.ShouldAllBe(m => m.Metric == "latencyMs" && m.Service == "network" && m.Region == "apac-in");
        read.Last().At.ShouldBe(DateTimeOffset.Parse("2026-11-22T01:59:59Z"));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void ReadSubscriptions_FeeAndCurrencyRoundTripIncludingAbsent(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        store.Ingest(Batch(subscriptions:
        [
            new SubscriptionRecord("initech", "bronze", "apac-in", "email", null, null),
            new SubscriptionRecord("acme", "gold", "eu-west", "email", 1200.00m, "EUR"),
            new SubscriptionRecord("acme", "gold", "us-east", "email", 1499.99m, "USD"),
        ]));

        var read = store.ReadSubscriptions();

        read.ShouldBe(
        [
            new SubscriptionRecord("acme", "gold", "eu-west", "email", 1200m, "EUR"),
            new SubscriptionRecord("acme", "gold", "us-east", "email", 1499.99m, "USD"),
            new SubscriptionRecord("initech", "bronze", "apac-in", "email", null, null),
        ]);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void WriteServiceCredits_SameCreditsTwice_NothingChangedNothingDuplicated(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var credits = new[] { Availability(99.555335968379446640316205534m, 120.00m), Availability(99.972m, 0m, region: "us-east") };

        var first = store.WriteServiceCredits(["2026-11"], credits, runId: 1, Received);
        var second = store.WriteServiceCredits(["2026-11"], credits, runId: 2, Received);

        first.ShouldBe(new CreditWriteResult(2, 2, 0));
        second.ShouldBe(new CreditWriteResult(2, 0, 0));
        var stored = store.QueryServiceCredits(new ServiceCreditQuery("2026-11"));
        stored.Count.ShouldBe(2);
        stored.ShouldAllBe(c => c.RunId == 1);
        var owed = stored[0].Credit;
        owed.Region.ShouldBe("eu-west");
        owed.Amount.ShouldBe(120.00m);
        owed.Currency.ShouldBe("EUR");
        owed.Tier.ShouldBe("below 99.9: 10%");
        owed.Met.ShouldBe(false);
        owed.Explanation.ShouldHaveSingleItem().Text.ShouldContain("99.555");

        // The measured value travels as a double: exact to about 15 significant digits, which is all a percent shows.
        ((double)owed.Measured!.Value).ShouldBe(99.55533596837945, 1e-12);
        stored[1].Credit.Tier.ShouldBeNull();
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void WriteServiceCredits_ValueChangedAndRowGone_UpdatedWithRunAndStaleRowRemoved(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var october = Availability(99.99m, 0m, period: "2026-10");
        store.WriteServiceCredits(["2026-10"], [october], runId: 1, Received.AddMonths(-1));
        store.WriteServiceCredits(["2026-11"], [Availability(99.6m, 120m), Availability(99.972m, 0m, region: "us-east")], runId: 1, Received);

        // The next night: eu-west measured again (a longer window), us-east's subscription gone.
        var result = store.WriteServiceCredits(["2026-11"], [Availability(99.61m, 120m)], runId: 2, Received.AddDays(1));

        result.ShouldBe(new CreditWriteResult(1, 1, 1));
        var november = store.QueryServiceCredits(new ServiceCreditQuery("2026-11")).ShouldHaveSingleItem();
        november.RunId.ShouldBe(2);
        november.AsOf.ShouldBe(Received.AddDays(1));
        november.Credit.Measured.ShouldBe(99.61m);

        // Another month is not touched by a write that does not name it.
        store.QueryServiceCredits(new ServiceCreditQuery("2026-10")).ShouldHaveSingleItem().RunId.ShouldBe(1);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void QueryServiceCredits_CustomerAndOwed_FilterAndNewestMonthFirst(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        var globex = Availability(99.2m, 80m) with { Customer = "globex", Currency = "USD" };
        var total = new ServiceCredit("2026-11", "acme", ServiceCreditKind.CustomerTotal, "total", string.Empty, string.Empty, "acme-gold", string.Empty, "EUR",
            "no customer cap", null, null, null, null, 1020.00m, [new ExplanationStep("total", "credits before the customer cap: EUR 1020.00")]);
        store.WriteServiceCredits(["2026-10"], [Availability(99.95m, 0m, period: "2026-10")], runId: 1, Received.AddMonths(-1));
        store.WriteServiceCredits(["2026-11"], [Availability(99.6m, 120m), globex, total], runId: 2, Received);

        store.QueryServiceCredits(new ServiceCreditQuery()).Select(c => c.Credit.Period).ShouldBe(["2026-11", "2026-11", "2026-11", "2026-10"]);
        store.QueryServiceCredits(new ServiceCreditQuery(Customer: "globex")).ShouldHaveSingleItem().Credit.Amount.ShouldBe(80m);
        var owedByAcme = store.QueryServiceCredits(new ServiceCreditQuery(Customer: "acme", OwedOnly: true));

        // acme owes the November availability credit and its total; October's met row (amount 0) is left out. A total
        // has neither service nor measured value.
        owedByAcme.Select(c => c.Credit.Kind).ShouldBe([ServiceCreditKind.CustomerTotal, ServiceCreditKind.Availability]);
        owedByAcme[0].Credit.Measured.ShouldBeNull();
        owedByAcme[0].Credit.CreditPercent.ShouldBeNull();
        owedByAcme[0].Credit.Amount.ShouldBe(1020.00m);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void WriteServiceCredits_CreditOfAMonthNotNamed_RefusedAndNothingWritten(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);

        Should.Throw<ArgumentException>(() => store.WriteServiceCredits(["2026-12"], [Availability(99.6m, 120m)], runId: 1, Received))
            .Message.ShouldContain("`2026-11`");
        store.QueryServiceCredits(new ServiceCreditQuery()).ShouldBeEmpty();
    }
}
