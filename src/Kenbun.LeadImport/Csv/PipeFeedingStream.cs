using System.Buffers;
using System.IO.Pipelines;
using Kenbun.LeadImport.Streams;

namespace Kenbun.LeadImport.Csv;

/// <summary>
/// A read-only view of <paramref name="source"/> that writes each piece read into <paramref name="copy"/> as well,
/// until the pipe's reader stops or <paramref name="isCopyUseless"/> says so after a piece (the pipe's writer then
/// completes with an <see cref="OperationCanceledException"/>): whoever reads this stream is held back when the pipe's
/// reader falls behind.
/// </summary>
internal sealed class PipeFeedingStream(Stream source, PipeWriter copy, Func<bool> isCopyUseless) : ForwardReadStream
{
    private bool _copyEnded;

    /// <summary>How far the source was read, as far as the source tells.</summary>
    public override long Position
    {
        get => source.Position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 || _copyEnded)
        {
            return read;
        }

        if (isCopyUseless())
        {
            _copyEnded = true;
            await copy.CompleteAsync(new OperationCanceledException("The copy is of no more use.")).ConfigureAwait(false);
        }
        else
        {
            // Copied through the writer's buffer, not WriteAsync, which holds the pipe's lock for the whole copy: a piece
            // can be a megabyte, and the reader would wait on the lock all that time.
            copy.Write(buffer.Span[..read]);
            _copyEnded = (await copy.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted;
        }

        return read;
    }
}
