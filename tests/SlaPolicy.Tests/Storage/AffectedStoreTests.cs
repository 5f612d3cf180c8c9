namespace SlaPolicy.Tests.Storage;

/// <summary>
/// Store migration 17: outages carry the share of users affected, kept exactly as written; outages stored before have none
/// (they count in full). Run against both stores.
/// </summary>
public class AffectedStoreTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-05T08:00:00Z", CultureInfo.InvariantCulture);

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Migrate_OutagesStoredBefore_HaveNoShare(StoreKind kind)
    {
        using var test = new TestStore(kind);
        test.MigrateTo(16, """
            INSERT INTO outages (outage_id, service, region, start_at, end_at, kind, received_at) VALUES
            ('W-0', 'workspace', 'us-east', '2026-11-05T08:00:00.0000000Z', '2026-11-05T14:00:00.0000000Z', 'unplanned', '2026-11-06T00:00:00.0000000Z')
            """);

        test.Store.Migrate();

        var outage = test.Store.ReadOutages(At.AddDays(-1), At.AddDays(1)).Single();
        (outage.Id, outage.Affected).ShouldBe(("W-0", null));
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_Affected_ReadBackExactly_AndReplacedWithTheRecord(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind, out var store);
        OutageRecord Outage(decimal? affected) => new("workspace", "us-east", At, At.AddHours(6), "unplanned", "W-1") { Affected = affected };

        store.Ingest(new RecordBatch([], [Outage(12.50m)], [], [], [], AsOf));
        store.ReadOutages(At.AddDays(-1), At.AddDays(1)).Single().Affected.ShouldBe(12.50m);

        // The same key again without a share: replaced, now counted in full.
        store.Ingest(new RecordBatch([], [Outage(null)], [], [], [], AsOf));
        store.ReadOutages(At.AddDays(-1), At.AddDays(1)).Single().Affected.ShouldBeNull();
    }
}
