using Kenbun.LeadImport.Preview;

namespace Kenbun.LeadImport;

/// <summary>The lead import as a host calls it: every operation takes the OU it acts for.</summary>
public interface ILeadImportService
{
    /// <summary>
    /// Stores an uploaded CSV file as it streams in and describes it: headers, sample rows, row count,
    /// identifier columns and suggested mappings. The file can then start an import until the preview expires.
    /// </summary>
    /// <param name="ou">The OU the file belongs to.</param>
    /// <param name="fileName">The name the client gave the file; kept as display text only.</param>
    /// <param name="content">The file's bytes, read once to the end.</param>
    /// <param name="cancellationToken">Cancels the upload; nothing of it is kept.</param>
    /// <exception cref="InvalidCsvFileException">The file is empty or not readable CSV.</exception>
    /// <exception cref="FileTooLargeException">The file is larger than <see cref="LeadImportOptions.MaxFileBytes"/>.</exception>
    /// <exception cref="UnsupportedFileTypeException">The file is an archive, spreadsheet, PDF or image.</exception>
    /// <exception cref="QuotaExceededException">The OU holds <see cref="LeadImportOptions.MaxPreviewsPerOu"/> unexpired previews.</exception>
    Task<ImportPreview> PreviewAsync(string ou, string? fileName, Stream content, CancellationToken cancellationToken);
}
