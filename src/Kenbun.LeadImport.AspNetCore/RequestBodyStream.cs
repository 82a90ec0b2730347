using System.Buffers;
using System.IO.Pipelines;
using Kenbun.LeadImport.Streams;
using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The request body as an upload is read, from the request's <see cref="HttpRequest.BodyReader"/>, cancelled the way
/// Kestrel expects: a cancelled token cancels the pending read (<see cref="PipeReader.CancelPendingRead"/>) rather than
/// being handed to it. A read that Kestrel's own token ends leaves its body reader in the middle of a read, and its
/// draining of the rest of the body after the answer (a 408 for an upload too slow) then fails with an error in the log.
/// </summary>
internal sealed class RequestBodyStream(PipeReader body) : ForwardReadStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var cancelling = cancellationToken.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), body);
        while (true)
        {
            var result = await body.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                // By this read's token, or by an earlier read's that fired after that read had ended: only this one's ends it.
                body.AdvanceTo(result.Buffer.Start);
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            var read = (int)Math.Min(result.Buffer.Length, buffer.Length);
            var consumed = result.Buffer.GetPosition(read);
            result.Buffer.Slice(0, read).CopyTo(buffer.Span);
            body.AdvanceTo(consumed);
            if (read > 0 || result.IsCompleted || buffer.Length == 0)
            {
                return read;
            }
        }
    }

    /// <summary>Refused, as Kestrel refuses a synchronous read of a body: it would hold a thread while the network is slow.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("The request body is read asynchronously only.");
}
