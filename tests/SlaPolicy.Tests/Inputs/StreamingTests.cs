using System.Runtime.CompilerServices;

namespace SlaPolicy.Tests.Inputs;

public class StreamingTests
{
    [Fact]
    public void Read_200000GeneratedRecords_AllReadAndNoneHeldByTheReader()
    {
        const int count = 200_000;
        using var stream = new GeneratedCasesStream(count);
        using var results = CaseReader.Read(stream, "generated").GetEnumerator();

        var first = ReadFirstWeakly(results);
        var read = 1L;
        var lastLine = 1L;
        var rejected = 0;
        while (results.MoveNext())
        {
            rejected += results.Current.IsAccepted ? 0 : 1;
            read++;
            lastLine = results.Current.LineNumber;
        }

        read.ShouldBe(count);
        rejected.ShouldBe(0);
        lastLine.ShouldBe(count);

        // The stream is generated on the fly, so it never held the text; and once the caller lets go of the first
        // record, nothing else keeps it: the reader holds no records behind the caller's back.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        first.IsAlive.ShouldBeFalse();
    }

    // In a method of its own so that no temporary of the test method keeps the record alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ReadFirstWeakly(IEnumerator<InputResult<CaseRecord>> results)
    {
        results.MoveNext().ShouldBeTrue();
        return new WeakReference(results.Current.Record.ShouldNotBeNull());
    }

    /// <summary>A read-only stream that makes case lines as it is read, so the test needs no file and no big buffer.</summary>
    private sealed class GeneratedCasesStream(int count) : Stream
    {
        private byte[] _pending = [];
        private int _offset;
        private int _next;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int length)
        {
            if (_offset == _pending.Length)
            {
                if (_next == count)
                {
                    return 0;
                }

                _next++;
                _pending = Encoding.UTF8.GetBytes(InputTestData.CaseLine("S-" + _next, ",\"events\":[{\"at\":\"2026-11-10T10:00:00+01:00\",\"status\":\"in_progress\"}]") + "\n");
                _offset = 0;
            }

            var n = Math.Min(length, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int length) => throw new NotSupportedException();
    }
}
