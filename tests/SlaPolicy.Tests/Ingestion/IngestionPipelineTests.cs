using System.Text;
using Microsoft.Data.Sqlite;
using SlaPolicy.Host.Ingestion;

namespace SlaPolicy.Tests.Ingestion;

/// <summary>
/// The ingestion reads the next batch while one batch is written, and stays all or nothing per batch, in input order:
/// a real SQLite store, whose write lock another connection holds to keep a batch's write waiting.
/// </summary>
public class IngestionPipelineTests
{
    private static string[] Lines(int count) =>
        [.. Enumerable.Range(1, count).Select(i => Cases.Json($"C-{i}", "2026-11-20T16:30:00+01:00"))];

    private static SqliteStore Store(TempFolder folder)
    {
        var store = new SqliteStore(folder.File("slapolicy.db"));
        store.Migrate();
        return store;
    }

    private static IngestionService Ingestion(SqliteStore store) => new(store, new EngineRecordParser(), TimeProvider.System, batchSize: 2);

    [Fact]
    public void Ingest_ReadsTheNextBatchWhileOneIsWritten()
    {
        using var folder = new TempFolder();
        var store = Store(folder);
        using var writeLock = new WriteLock(store.Path);
        long? storedWhenTheThirdLineWasRead = null;
        using var input = new LineStream(Lines(6), line =>
        {
            if (line == 2)
            {
                // The first batch (lines 1 and 2) is handed to the writer, which waits for the lock: the reading goes on.
                storedWhenTheThirdLineWasRead = store.CountCases();
                writeLock.Release();
            }
        });

        // Were the batches written on the reading thread, the first would wait for the lock until the timer frees it.
        using var timer = new Timer(_ => writeLock.Release(), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        var result = Ingestion(store).Ingest(RecordKind.Cases, input, "cases.jsonl");

        storedWhenTheThirdLineWasRead.ShouldBe(0);
        result.Accepted.ShouldBe(6);
        store.CountCases().ShouldBe(6);
    }

    [Fact]
    public void Ingest_AWriteFails_TheBatchesBeforeStayAndNoneAfterIsWritten()
    {
        using var folder = new TempFolder();
        var store = Store(folder);
        using (var connection = new SqliteConnection($"Data Source={store.Path}"))
        {
            connection.Open();
            using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER refuse_c5 BEFORE INSERT ON cases WHEN new.id = 'C-5' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;";
            trigger.ExecuteNonQuery();
        }

        using var input = new LineStream(Lines(8));

        var failure = Should.Throw<SqliteException>(() => Ingestion(store).Ingest(RecordKind.Cases, input, "cases.jsonl"));

        failure.Message.ShouldContain("refused by the test");
        store.CountCases().ShouldBe(4);
        store.GetCase("C-4").ShouldNotBeNull();
        store.GetCase("C-6").ShouldBeNull();
        store.GetCase("C-7").ShouldBeNull();
        Thread.Sleep(200);
        store.CountCases().ShouldBe(4);
    }

    [Fact]
    public void Ingest_TheInputFailsWhileABatchIsWritten_ThatBatchIsWrittenBeforeTheFailureIsThrown()
    {
        using var folder = new TempFolder();
        var store = Store(folder);
        using var writeLock = new WriteLock(store.Path);
        using var input = new LineStream(Lines(8), line =>
        {
            if (line == 2)
            {
                // Batch 1 is written; then the lock is taken again for batch 2.
                writeLock.Release();
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (store.CountCases() < 2 && waited.Elapsed < TimeSpan.FromSeconds(20))
                {
                    Thread.Sleep(10);
                }

                writeLock.Take();
            }
            else if (line == 4)
            {
                // Batch 2 (lines 3 and 4) waits for the lock; the lock goes a moment after the input fails.
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    Thread.Sleep(300);
                    writeLock.Release();
                });
                throw new IOException("the input broke");
            }
        });

        Should.Throw<IOException>(() => Ingestion(store).Ingest(RecordKind.Cases, input, "cases.jsonl")).Message.ShouldBe("the input broke");

        // Batch 2's write finished before the failure reached the caller; nothing after it was written.
        store.CountCases().ShouldBe(4);
        Thread.Sleep(200);
        store.CountCases().ShouldBe(4);
    }

    /// <summary>SQLite's write lock on the store, held by a connection of its own from creation until released.</summary>
    private sealed class WriteLock : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Lock _gate = new();
        private SqliteTransaction? _held;

        public WriteLock(string path)
        {
            _connection = new SqliteConnection($"Data Source={path};Pooling=False");
            _connection.Open();
            Take();
        }

        public void Take()
        {
            lock (_gate)
            {
                _held ??= _connection.BeginTransaction(deferred: false);
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _held?.Commit();
                _held?.Dispose();
                _held = null;
            }
        }

        public void Dispose()
        {
            Release();
            _connection.Dispose();
        }
    }

    /// <summary>A stream that gives one line per read, calling <c>before</c> with the line's index (from 0) first.</summary>
    private sealed class LineStream(string[] lines, Action<int>? before = null) : Stream
    {
        private int _line;
        private byte[] _pending = [];
        private int _offset;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_line == lines.Length)
                {
                    return 0;
                }

                before?.Invoke(_line);
                _pending = Encoding.UTF8.GetBytes(lines[_line++] + "\n");
                _offset = 0;
            }

            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
