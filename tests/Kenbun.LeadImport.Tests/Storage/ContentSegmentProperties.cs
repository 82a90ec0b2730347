using System.IO.Pipelines;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Tests.Storage;

/// <summary>
/// The in-memory file store keeps an upload in pieces (<see cref="ContentSegment"/>): whatever its length, and however
/// the upload's reads cut it, the pieces read back as the same bytes, piece boundaries included.
/// </summary>
public class ContentSegmentProperties
{
    /// <summary>Lengths around every piece boundary: the pieces are 64 KB, 128 KB, 256 KB, 512 KB, then 1 MB.</summary>
    private static readonly int[] Boundaries = [0, 64 * 1024, 192 * 1024, 448 * 1024, 960 * 1024, 1984 * 1024, 3008 * 1024];

    [Property(MaxTest = 60)]
    public Property Pieces_read_back_as_the_upload_was() =>
        Prop.ForAll(
            (from boundary in Gen.Elements(Boundaries)
             from offset in Gen.Choose(-3, 3)
             from readLength in Gen.Choose(1, 100_000)
             from seed in Gen.Choose(0, int.MaxValue)
             select (Length: Math.Max(0, boundary + offset), ReadLength: readLength, Seed: seed)).ToArbitrary(),
            @case =>
            {
                var upload = new byte[@case.Length];
                new Random(@case.Seed).NextBytes(upload);

                var stored = ContentSegment.ReadAllAsync(new ShortReadStream(upload, @case.ReadLength), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                using var readBack = new MemoryStream();
                PipeReader.Create(stored).AsStream().CopyTo(readBack);

                return stored.Length == upload.Length && readBack.ToArray().AsSpan().SequenceEqual(upload);
            });

    /// <summary>A stream that returns at most <paramref name="readLength"/> bytes a read, as a network body does.</summary>
    private sealed class ShortReadStream(byte[] content, int readLength) : MemoryStream(content, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readLength)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readLength)], cancellationToken);
    }
}
