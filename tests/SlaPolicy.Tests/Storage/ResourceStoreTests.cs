namespace SlaPolicy.Tests.Storage;

/// <summary>
/// Store migration 15: measurements carry request counts and a resource, subscriptions a resource, and the resource joins
/// both keys; rows stored before keep their meaning. Run against both stores.
/// </summary>
public class ResourceStoreTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-20T10:00:00Z", CultureInfo.InvariantCulture);

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Migrate_RowsStoredBefore_NameNoResource(StoreKind kind)
    {
        using var test = new TestStore(kind);
        test.MigrateTo(14, """
            INSERT INTO subscriptions (customer, tier, region, service, monthly_fee, currency, received_at, billed) VALUES
            ('acme', 'gold', 'eu-west', 'email', '1200.00', 'EUR', '2026-01-01T00:00:00.0000000Z', '900.00');
            INSERT INTO measurements (service, region, at, metric, value, received_at) VALUES
            ('email', 'eu-west', '2026-11-20T10:00:00.0000000Z', 'latencyMs', 41.5, '2026-01-01T00:00:00.0000000Z')
            """);

        test.Store.Migrate();

        var subscription = test.Store.ReadSubscriptions().Single();
        (subscription.Customer, subscription.MonthlyFee, subscription.Billed, subscription.Resource).ShouldBe(("acme", 1200.00m, 900.00m, null));
        var measurement = test.Store.ReadMeasurements(At.AddDays(-1), At.AddDays(1)).Single();
        (measurement.Metric, measurement.Value, measurement.Requests, measurement.Failed, measurement.Resource).ShouldBe(("latencyMs", 41.5, null, null, null));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_TwoResourcesAtOneInstant_AreTwoRecords(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        MeasurementRecord Rate(string? resource, double value, decimal requests, decimal failed) =>
            new("object-storage", "us-east", At, "errorRate", value) { Requests = requests, Failed = failed, Resource = resource };

        store.Ingest(new RecordBatch(
            [],
            [],
            [
                new SubscriptionRecord("hooli", "compute", "us-east", "compute", 300m, "USD") { Resource = "vm-1" },
                new SubscriptionRecord("hooli", "compute", "us-east", "compute", 300m, "USD") { Resource = "vm-2" },
                new SubscriptionRecord("hooli", "compute", "us-east", "compute", 500m, "USD"),
            ],
            [Rate("bucket-a", 12.5, 400, 50), Rate("bucket-b", 0, 100, 0), Rate(null, 6, 500, 30)],
            [],
            AsOf));

        // The same keys again, with other values: replaced, not added (the absent resource is a key like any other).
        store.Ingest(new RecordBatch(
            [], [], [new SubscriptionRecord("hooli", "compute", "us-east", "compute", 600m, "USD")], [Rate(null, 7, 600, 42)], [], AsOf));

        store.ReadSubscriptions().Select(s => (s.Resource, s.MonthlyFee)).OrderBy(s => s.Resource ?? string.Empty)
            .ShouldBe([(null, 600m), ("vm-1", 300m), ("vm-2", 300m)]);
        store.ReadMeasurements(At.AddDays(-1), At.AddDays(1)).Select(m => (m.Resource, m.Value, m.Requests, m.Failed)).OrderBy(m => m.Resource ?? string.Empty)
            .ShouldBe([(null, 7d, 600m, 42m), ("bucket-a", 12.5d, 400m, 50m), ("bucket-b", 0d, 100m, 0m)]);
    }
}
