using System.IO.Pipelines;
using System.Text;

namespace Kenbun.LeadImport.AspNetCore.Tests;

/// <summary>The upload's view of a request body's <see cref="PipeReader"/>: reads as a stream does, cancelled by cancelling the pending read.</summary>
public class RequestBodyStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Pipe _body = new();

    [Fact]
    public async Task Reads_hand_over_what_fits_keep_the_rest_for_the_next_and_end_at_the_body_s_end()
    {
        var stream = new RequestBodyStream(_body.Reader);
        await _body.Writer.WriteAsync("abcdef"u8.ToArray());
        await _body.Writer.CompleteAsync();
        var buffer = new byte[4];

        Assert.Equal("abcd", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer)));
        Assert.Equal("ef", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer)));
        Assert.Equal(0, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task A_read_of_nothing_consumes_nothing_and_the_next_read_gets_the_bytes_already_there()
    {
        var stream = new RequestBodyStream(_body.Reader);
        await _body.Writer.WriteAsync("abc"u8.ToArray());

        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        Assert.Equal(3, await stream.ReadAsync(new byte[10]).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_cancelled_token_ends_the_pending_read_and_the_body_can_be_read_after_it()
    {
        var stream = new RequestBodyStream(_body.Reader);
        using var cancel = new CancellationTokenSource();
        var pending = stream.ReadAsync(new byte[10], cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Patience));
        await _body.Writer.WriteAsync("x"u8.ToArray());
        Assert.Equal(1, await stream.ReadAsync(new byte[10]).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task A_cancel_left_over_from_an_earlier_read_does_not_end_a_read_whose_token_is_not_cancelled()
    {
        var stream = new RequestBodyStream(_body.Reader);
        _body.Reader.CancelPendingRead(); // as a token firing just after its read had ended leaves it
        var pending = stream.ReadAsync(new byte[10]).AsTask();

        await _body.Writer.WriteAsync("x"u8.ToArray());

        Assert.Equal(1, await pending.WaitAsync(Patience));
    }

    [Fact]
    public void Reading_synchronously_is_refused_as_kestrel_refuses_it() =>
        Assert.Throws<InvalidOperationException>(() => new RequestBodyStream(_body.Reader).ReadExactly(new byte[1]));
}
