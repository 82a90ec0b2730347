using System.IO.Pipelines;
using Kenbun.LeadImport.Csv;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>The stream a preview's file store reads: each piece goes to the analysis's pipe too, until the copy is of no use.</summary>
public class PipeFeedingStreamTests
{
    private static readonly byte[] Upload = [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)];

    [Fact]
    public async Task Every_piece_read_reaches_the_pipe_in_order()
    {
        var pipe = new Pipe();
        var feeding = new PipeFeedingStream(new MemoryStream(Upload), pipe.Writer, () => false);
        var copying = ReadAllAsync(pipe.Reader);

        var read = await ReadAllAsync(feeding);
        await pipe.Writer.CompleteAsync();

        Assert.Equal(Upload, read);
        Assert.Equal(Upload, await copying);
    }

    [Fact]
    public async Task Once_the_copy_is_of_no_use_the_pipe_ends_with_a_cancellation_and_the_reader_still_gets_everything()
    {
        var pipe = new Pipe();
        var pieces = 0;
        var feeding = new PipeFeedingStream(new MemoryStream(Upload), pipe.Writer, () => pieces >= 2);
        var copying = ReadAllAsync(pipe.Reader);

        var read = new MemoryStream();
        var buffer = new byte[10_000];
        int length;
        while ((length = await feeding.ReadAsync(buffer)) > 0)
        {
            read.Write(buffer, 0, length);
            pieces++;
        }

        Assert.Equal(Upload, read.ToArray());
        var ended = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copying);
        Assert.Equal("The copy is of no more use.", ended.Message);
    }

    [Fact]
    public async Task Once_the_pipe_s_reader_has_stopped_the_reader_still_gets_everything_and_the_copy_stops_after_one_more_piece()
    {
        var pipe = new Pipe();
        var copy = new CountingPipeWriter(pipe.Writer);
        var feeding = new PipeFeedingStream(new MemoryStream(Upload), copy, () => false);
        var buffer = new byte[10_000];
        var read = new MemoryStream();
        read.Write(buffer, 0, await feeding.ReadAsync(buffer));

        await pipe.Reader.CompleteAsync();
        var advancedBefore = copy.Advanced;
        int length;
        while ((length = await feeding.ReadAsync(buffer)) > 0)
        {
            read.Write(buffer, 0, length);
        }

        Assert.Equal(Upload, read.ToArray());
        Assert.InRange(copy.Advanced - advancedBefore, 1, buffer.Length);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 7_000);
        return copy.ToArray();
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        await using var stream = reader.AsStream();
        return await ReadAllAsync(stream);
    }

    /// <summary>A pipe's writer that counts the bytes written through it.</summary>
    private sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
    {
        public long Advanced { get; private set; }

        public override void Advance(int bytes)
        {
            Advanced += bytes;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
