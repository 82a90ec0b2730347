using System.Buffers;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// One piece of an upload held in memory: the upload is read into pieces that double from 64 KB up to 1 MB, each kept
/// once full, so it is copied once (a growing array copies it again at every growth, and once more to trim it).
/// </summary>
internal sealed class ContentSegment : ReadOnlySequenceSegment<byte>
{
    private const int FirstLength = 64 * 1024;
    private const int LargestLength = 1024 * 1024;

    private ContentSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Reads <paramref name="content"/> to its end into pieces, and returns them as one sequence.</summary>
    public static async ValueTask<ReadOnlySequence<byte>> ReadAllAsync(Stream content, CancellationToken cancellationToken)
    {
        ContentSegment? first = null;
        ContentSegment? last = null;
        var length = FirstLength;
        while (true)
        {
            var buffer = new byte[length];
            var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                var segment = new ContentSegment(buffer.AsMemory(0, read), last is null ? 0 : last.RunningIndex + last.Memory.Length);
                first ??= segment;
                if (last is not null)
                {
                    last.Next = segment;
                }

                last = segment;
            }

            if (read < buffer.Length)
            {
                return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
            }

            length = Math.Min(length * 2, LargestLength);
        }
    }
}
