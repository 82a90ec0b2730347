using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport;

/// <summary>The default <see cref="ILeadImportService"/>.</summary>
internal sealed partial class LeadImportService(
    IImportFileStore files,
    IOptions<LeadImportOptions> options,
    TimeProvider timeProvider,
    ILogger<LeadImportService> logger) : ILeadImportService
{
    private readonly LeadImportOptions _options = options.Value;

    public async Task<ImportPreview> PreviewAsync(string ou, string? fileName, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        ArgumentNullException.ThrowIfNull(content);

        await EnsurePreviewQuotaAsync(ou, cancellationToken).ConfigureAwait(false);
        var fileId = ImportIds.NewFileId();
        var uploadedAt = timeProvider.GetUtcNow();
        var expiresAt = uploadedAt + _options.PreviewLifetime;
        var upload = new InspectingUploadStream(content, _options.MaxFileBytes);
        await files.WriteContentAsync(ou, fileId, expiresAt, upload, cancellationToken).ConfigureAwait(false);
        try
        {
            if (upload.BytesRead == 0)
            {
                throw new InvalidCsvFileException("The file is empty. Upload a CSV file with a header row.");
            }

            var (encoding, hasByteOrderMark) = upload.DecideEncoding();
            var analysis = await CsvFileAnalyzer.AnalyzeAsync(
                ct => OpenContentAsync(ou, fileId, ct), encoding, hasByteOrderMark, _options, cancellationToken).ConfigureAwait(false);
            var file = new ImportFile
            {
                Ou = ou,
                FileId = fileId,
                FileName = FileNames.Sanitize(fileName),
                SizeBytes = upload.BytesRead,
                UploadedAt = uploadedAt,
                ExpiresAt = expiresAt,
                Format = analysis.Format,
                Headers = analysis.Headers,
                RowCount = analysis.RowCount,
            };
            await files.PublishAsync(file, cancellationToken).ConfigureAwait(false);
            LogPreviewStored(fileId, upload.BytesRead, analysis.RowCount, file.Format.EncodingName);
            return CreatePreview(file, analysis);
        }
        catch
        {
            await files.DeleteAsync(ou, fileId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task EnsurePreviewQuotaAsync(string ou, CancellationToken cancellationToken)
    {
        var usage = await files.GetPreviewUsageAsync(ou, cancellationToken).ConfigureAwait(false);
        if (usage.Count >= _options.MaxPreviewsPerOu)
        {
            var retryAfter = (usage.EarliestExpiry ?? timeProvider.GetUtcNow()) - timeProvider.GetUtcNow();
            throw new QuotaExceededException(
                $"This OU already holds {usage.Count} unexpired previews, the most allowed. Start an import from one of them or wait until one expires.",
                retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
        }
    }

    private async ValueTask<Stream> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await files.OpenContentAsync(ou, fileId, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"The file store lost the content of {fileId} while it was being previewed.");

    private ImportPreview CreatePreview(ImportFile file, CsvFileAnalysis analysis)
    {
        var detected = analysis.DetectedIdentifiers;
        return new ImportPreview
        {
            FileId = file.FileId,
            FileName = file.FileName,
            Headers = file.Headers,
            SampleRows = analysis.SampleRows,
            RowCount = file.RowCount,
            AutoDetectedIdentifiers = detected,
            ExpiresAt = file.ExpiresAt,
            Encoding = file.Format.EncodingName,
            Delimiter = file.Format.Delimiter,
            SuggestedPrimaryIdentifier = SuggestPrimaryIdentifier(detected),
            SuggestedFieldMappings = FieldMappingSuggester.Suggest(
                file.Headers,
                [.. detected.EmailColumns, .. detected.PhoneColumns, .. detected.ExternalIdColumns, .. detected.SocialColumns],
                _options.ProfileFields),
        };
    }

    private static SuggestedIdentifier? SuggestPrimaryIdentifier(DetectedIdentifierColumns detected) =>
        detected.EmailColumns.Count > 0 ? new(detected.EmailColumns[0], IdentifierKind.Email)
        : detected.PhoneColumns.Count > 0 ? new(detected.PhoneColumns[0], IdentifierKind.Phone)
        : detected.ExternalIdColumns.Count > 0 ? new(detected.ExternalIdColumns[0], IdentifierKind.ExternalId)
        : detected.SocialColumns.Count > 0 ? new(detected.SocialColumns[0], IdentifierKind.Social)
        : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored preview {FileId}: {Bytes} bytes, {RowCount} rows, {Encoding}")]
    private partial void LogPreviewStored(string fileId, long bytes, long rowCount, string encoding);
}
