
namespace SlaPolicy.Tests.Storage;

/// <summary>
/// The input records' tables, made from the records' descriptions, in both stores: every field stored and read back,
/// a later record under the same key replacing the earlier one, and the outage's <c>resource</c> column.
/// </summary>
public class RecordTableTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-20T10:00:00+01:00");

    private static RecordBatch Outages(params OutageRecord[] outages) => new([], outages, [], [], [], AsOf);

    private static List<OutageRecord> StoredOutages(IStore store) => [.. store.ReadOutages(Start.AddDays(-1), Start.AddDays(1))];

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_OutageWithResource_StoredAndReadBack(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind);

        test.Store.Ingest(Outages(
            new OutageRecord("email", "eu-west", Start, Start.AddHours(1), "unplanned", "O-1", "mx-03"),
            new OutageRecord("email", "eu-west", Start, Start.AddHours(1), "maintenance"))).ShouldBe(2);

        var stored = StoredOutages(test.Store);
        stored.Select(o => (o.Kind, o.Id, o.Resource)).ShouldBe([("maintenance", null, null), ("unplanned", "O-1", "mx-03")]);
        stored[1].Start.ShouldBe(Start);
        stored[1].Start.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_OutageSentAgain_ItsResourceReplacedLikeItsEnd(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind);
        test.Store.Ingest(Outages(new OutageRecord("email", "eu-west", Start, Start.AddHours(1), "unplanned", "O-1", "mx-03")));

        // In one batch as across batches: the later record under the key wins, its absent resource included.
        test.Store.Ingest(Outages(
            new OutageRecord("email", "eu-west", Start, Start.AddHours(2), "unplanned", "O-1", "mx-04"),
            new OutageRecord("email", "eu-west", Start, Start.AddHours(3), "unplanned", "O-1"))).ShouldBe(2);

        var stored = StoredOutages(test.Store).ShouldHaveSingleItem();
        stored.End.ShouldBe(Start.AddHours(3));
        stored.Resource.ShouldBeNull();
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Ingest_EveryKind_ReadsBackEveryDescribedField(StoreKind kind)
    {
        using var test = TestStore.Migrated(kind);
        var ticket = new CaseRecord("C-1", "acme", "gold", "eu-west", "email", 3, Start, Start.AddMinutes(9), null, ["vip", "regulated"], [new StatusEvent(Start.AddMinutes(1), "in_progress")]);
        var subscription = new SubscriptionRecord("acme", "gold", "eu-west", "email", 1200.50m, "EUR");
        var measurement = new MeasurementRecord("email", "eu-west", Start, "latencyMs", 41.5);

        test.Store.Ingest(new RecordBatch([ticket], [], [subscription], [measurement], [], AsOf)).ShouldBe(3);

        Inputs.RecordDescriptionTests.SameCase(test.Store.GetCase("C-1"), ticket);
        test.Store.ReadSubscriptions().ShouldHaveSingleItem().ShouldBe(subscription);
        test.Store.ReadMeasurements(Start.AddDays(-1), Start.AddDays(1)).ToList().ShouldHaveSingleItem().ShouldBe(measurement with { At = Start.ToUniversalTime() });
    }

    [Theory, InlineData(StoreKind.Sqlite), PostgresData]
    public void Migrate_OutagesStoredBeforeTheResourceColumn_ComeOverWithNone(StoreKind kind)
    {
        using var test = new TestStore(kind);
        test.MigrateTo(9, """
            INSERT INTO outages (outage_id, service, region, start_at, end_at, kind, received_at)
            VALUES ('O-1', 'email', 'eu-west', '2026-11-20T09:00:00.0000000Z', '2026-11-20T10:00:00.0000000Z', 'unplanned', '2026-11-21T00:00:00.0000000Z')
            """);

        test.Store.Migrate();

        var outage = StoredOutages(test.Store).ShouldHaveSingleItem();
        outage.Id.ShouldBe("O-1");
        outage.Resource.ShouldBeNull();
    }
}
