using System.Buffers;
using Kenbun.LeadImport.Streams;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// A job's file read through storage outages. A store may read a file from its database a piece at a time while the job
/// runs (PostgreSQL reads its chunks so), and such a read fails when the database restarts. Here a read that fails is
/// retried as the engine retries any storage call (<see cref="StorageRetries"/>: an outage stalls the job for as long as
/// it lasts), on the file opened again and read on to where it was, so the CSV reader above never sees the outage.
/// </summary>
internal sealed class ResumingFileStream(Stream content, Func<CancellationToken, ValueTask<Stream?>> open, StorageRetries retries, JobStallTracker stall) : ForwardReadStream
{
    /// <summary>What a read attempt answers when the file is no longer stored.</summary>
    private const int Gone = -1;

    private Stream? _content = content;
    private long _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await retries.ExecuteAsync("read the job's file", batchCall: false, stall, (Stream: this, Buffer: buffer), static (s, ct) => s.Stream.ReadOnceAsync(s.Buffer, ct), cancellationToken)
            .ConfigureAwait(false);
        if (read == Gone)
        {
            throw new JobFailedException("The job's file is no longer stored.");
        }

        _position += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content?.Dispose();
            _content = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>One attempt: reads on from the open content, or from content opened anew after a failed attempt.</summary>
    private async ValueTask<int> ReadOnceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            _content ??= await ReopenAsync(cancellationToken).ConfigureAwait(false);
            return _content is null ? Gone : await _content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The content may be in any state now (a chunked stream moves on before its read lands): the next attempt opens it anew.
            _content?.Dispose();
            _content = null;
            throw;
        }
    }

    /// <summary>Opens the file again and reads it up to <see cref="_position"/>; <see langword="null"/> when it is no longer stored.</summary>
    private async ValueTask<Stream?> ReopenAsync(CancellationToken cancellationToken)
    {
        if (await open(cancellationToken).ConfigureAwait(false) is not { } reopened)
        {
            return null;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (var left = _position; left > 0;)
            {
                var read = await reopened.ReadAsync(scratch.AsMemory(0, (int)Math.Min(left, scratch.Length)), cancellationToken).ConfigureAwait(false);
                left -= read > 0 ? read : throw new InvalidOperationException("The job's file is shorter than when it was first read.");
            }

            return reopened;
        }
        catch
        {
            await reopened.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
