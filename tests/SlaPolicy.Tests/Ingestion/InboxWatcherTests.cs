using SlaPolicy.Host.Ingestion;
using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Ingestion;

public class InboxWatcherTests
{
    private static (InboxWatcher Watcher, SqliteStore Store) Create(TempFolder folder)
    {
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        var ingestion = new IngestionService(store, new EngineRecordParser(), TimeProvider.System, batchSize: 2);
        var watcher = new InboxWatcher(ingestion, new HostSettings { InboxPath = folder.File("inbox") }, TimeProvider.System, NullLogger<InboxWatcher>.Instance);
        return (watcher, store);
    }

    [Fact]
    public void ProcessOnce_GoodJsonLinesFile_IngestedAndMovedToProcessed()
    {
        using var folder = new TempFolder();
        var (watcher, store) = Create(folder);
        File.WriteAllLines(Path.Combine(watcher.Inbox, "cases-2026-11-21.jsonl"),
            [Cases.Json("C-1", "2026-11-20T16:30:00+01:00"), string.Empty, Cases.Json("C-2", "2026-11-20T16:30:00+01:00"), "{\"id\":1}"]);

        var result = watcher.ProcessOnce().ShouldHaveSingleItem();

        result.Accepted.ShouldBe(2);
        result.RejectedCount.ShouldBe(1);

        // Line 4: blank lines still count, so the rejection points at the line an editor shows.
        result.Rejected.Single().LineNumber.ShouldBe(4);
        store.CountCases().ShouldBe(2);
        File.Exists(Path.Combine(watcher.Inbox, "processed", "cases-2026-11-21.jsonl")).ShouldBeTrue();
        File.Exists(Path.Combine(watcher.Inbox, "cases-2026-11-21.jsonl")).ShouldBeFalse();
    }

    [Fact]
    public void ProcessOnce_AllLinesBad_MovedToFailed()
    {
        using var folder = new TempFolder();
        var (watcher, store) = Create(folder);
        File.WriteAllLines(Path.Combine(watcher.Inbox, "outages.jsonl"), ["{\"service\":\"email\"}", "oops"]);

        watcher.ProcessOnce();

        File.Exists(Path.Combine(watcher.Inbox, "failed", "outages.jsonl")).ShouldBeTrue();
        store.GetQuarantine().Count.ShouldBe(2);
    }

    [Fact]
    public void ProcessOnce_CsvCases_ReadWithTheirHeader()
    {
        using var folder = new TempFolder();
        var (watcher, store) = Create(folder);
        File.WriteAllLines(Path.Combine(watcher.Inbox, "cases.csv"),
        [
            "id,customer,tier,region,service,severity,openedAt,firstResponseAt,resolvedAt,tags",
            "C-10,acme,gold,eu-west,email,2,2026-11-20T16:30:00+01:00,,,vip;urgent",
            "C-11,acme,gold,eu-west,email,two,2026-11-20T16:30:00+01:00,,,",
        ]);

        var result = watcher.ProcessOnce().ShouldHaveSingleItem();

        result.Accepted.ShouldBe(1);
        result.Rejected.Single().ShouldSatisfyAllConditions(r => r.LineNumber.ShouldBe(3), r => r.Field.ShouldBe("severity"));
        store.GetCase("C-10")!.Tags.ShouldBe(["vip", "urgent"]);
    }

    [Fact]
    public void ProcessOnce_UnknownKindInName_MovedToFailedUntouched()
    {
        using var folder = new TempFolder();
        var (watcher, store) = Create(folder);
        File.WriteAllText(Path.Combine(watcher.Inbox, "tickets.jsonl"), Cases.Json("C-1", "2026-11-20T16:30:00+01:00"));

        watcher.ProcessOnce().ShouldBeEmpty();

        File.Exists(Path.Combine(watcher.Inbox, "failed", "tickets.jsonl")).ShouldBeTrue();
        store.CountCases().ShouldBe(0);
    }
}
