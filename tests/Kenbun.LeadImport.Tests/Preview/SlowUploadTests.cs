using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Preview;

/// <summary>An upload has <see cref="LeadImportOptions.MaxUploadDuration"/> to arrive: a slower one is refused and leaves nothing.</summary>
public class SlowUploadTests
{
    [Fact]
    public async Task An_upload_slower_than_its_limit_is_refused_and_nothing_of_it_is_kept()
    {
        using var harness = new ImportHarness(o => o.MaxUploadDuration = TimeSpan.FromMinutes(2));
        var trickle = new TrickleStream("Email\nann@x.com\n"u8.ToArray());

        var preview = harness.Service.PreviewAsync(ImportHarness.Ou, "slow.csv", trickle, CancellationToken.None);
        await trickle.Stalled;
        harness.Time.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<UploadTooSlowException>(() => preview);
        Assert.Equal(TimeSpan.FromMinutes(2), error.Limit);
        Assert.Contains("2 minutes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.StoredFileCount);
    }

    [Fact]
    public async Task An_upload_within_its_limit_is_read_however_long_it_takes_below_it()
    {
        using var harness = new ImportHarness(o => o.MaxUploadDuration = TimeSpan.FromMinutes(2));
        var trickle = new TrickleStream("Email\nann@x.com\n"u8.ToArray());

        var preview = harness.Service.PreviewAsync(ImportHarness.Ou, "slow.csv", trickle, CancellationToken.None);
        await trickle.Stalled;
        harness.Time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromTicks(1));
        trickle.Finish();

        Assert.Equal(1, (await preview).RowCount);
    }

    /// <summary>Gives its bytes, then waits (as a client on a slow line) until finished or cancelled.</summary>
    private sealed class TrickleStream(byte[] content) : Stream
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Task Stalled => _stalled.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public void Finish() => _finished.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < content.Length)
            {
                var count = Math.Min(buffer.Length, content.Length - _position);
                content.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }

            _stalled.TrySetResult();
            await _finished.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
