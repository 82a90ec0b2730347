using System.Buffers;
using System.IO.Pipelines;
using Kenbun.LeadImport.Csv;

namespace Kenbun.LeadImport.Preview;

/// <summary>
/// Analyses an upload on another thread while the file store writes it, so a preview reads its file once instead of
/// storing it and then reading it back. The bytes reach it through a pipe as the store reads them (<see cref="Feed"/>).
/// It assumes the encoding the file's first bytes announce; when the whole upload decides otherwise (text that is not
/// UTF-8 is Windows-1252), its result is not used and the stored file is read again. What it finds, including an
/// <see cref="InvalidCsvFileException"/>, counts only once the upload has passed its own checks.
/// </summary>
internal sealed class StreamingAnalysis : IAsyncDisposable
{
    /// <summary>The longest byte order mark.</summary>
    private const int ByteOrderMarkBytes = 3;

    // Beyond this much the upload waits for the analysis (the head the delimiter is chosen from may be larger: the pipe
    // lets a read of at least that many bytes through). Each new segment takes the pipe's lock once, as the reader's
    // reads do: 64 KB segments take it 16 times a megabyte where the default 4 KB took it 256 times.
    private static readonly PipeOptions PipeOptions = new(pauseWriterThreshold: 512 * 1024, resumeWriterThreshold: 256 * 1024, minimumSegmentSize: 64 * 1024, useSynchronizationContext: false);

    private readonly Pipe _pipe = new(PipeOptions);
    private readonly Task<CsvFileAnalysis> _analysis;

    /// <summary>The encoding the analysis assumed; set by it before it reads the file, null if it never got so far.</summary>
    private (CsvTextEncoding Encoding, bool HasByteOrderMark)? _assumed;

    /// <remarks>
    /// The task always runs, even when <paramref name="cancellationToken"/> is cancelled before it starts: it is what
    /// completes the pipe's reader, without which a store still reading the upload would wait on the pipe for ever.
    /// </remarks>
    public StreamingAnalysis(LeadImportOptions options, CancellationToken cancellationToken) =>
        _analysis = Task.Run(() => AnalyzeAsync(options, cancellationToken), CancellationToken.None);

    /// <summary>
    /// The upload as the file store should read it: each piece read is fed to the analysis too, until the upload turns
    /// out to be Windows-1252, which the analysis never assumes (it then ends, and the stored file is read).
    /// </summary>
    public Stream Feed(InspectingUploadStream upload) => new PipeFeedingStream(upload, _pipe.Writer, () => upload.IsWindows1252);

    /// <summary>
    /// Ends the upload's bytes and waits for the analysis: its result when it assumed the encoding the upload decided
    /// (its <see cref="InvalidCsvFileException"/> if it found the file broken), else <see langword="null"/>.
    /// </summary>
    public async Task<CsvFileAnalysis?> ResultAsync(CsvTextEncoding encoding, bool hasByteOrderMark)
    {
        await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
        await ((Task)_analysis).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return _assumed == (encoding, hasByteOrderMark) ? await _analysis.ConfigureAwait(false) : null;
    }

    /// <summary>Stops the analysis if the upload ended early (the reader then fails) and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _pipe.Writer.CompleteAsync(new OperationCanceledException("The upload ended before the analysis.")).ConfigureAwait(false);
        await ((Task)_analysis).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task<CsvFileAnalysis> AnalyzeAsync(LeadImportOptions options, CancellationToken cancellationToken)
    {
        var reader = _pipe.Reader;
        (CsvTextEncoding Encoding, bool HasByteOrderMark) assumed;
        try
        {
            var start = await reader.ReadAtLeastAsync(ByteOrderMarkBytes, cancellationToken).ConfigureAwait(false);
            assumed = InspectingUploadStream.EncodingOfHead(start.Buffer.Slice(0, Math.Min(start.Buffer.Length, ByteOrderMarkBytes)).ToArray());
            reader.AdvanceTo(start.Buffer.Start);
        }
        catch
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            throw;
        }

        _assumed = assumed;
        return await CsvFileAnalyzer.AnalyzeAsync(reader, assumed.Encoding, assumed.HasByteOrderMark, options, cancellationToken).ConfigureAwait(false);
    }
}
