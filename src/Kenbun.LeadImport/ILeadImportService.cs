using Kenbun.LeadImport.Erasure;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;

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

    /// <summary>
    /// What a client needs to build an import form for the OU: the profile fields, identifier kinds and modes a start
    /// request may name, the phone regions, and the limits its uploads, lists and quotas meet. Reads the options only;
    /// the OU is taken, as by every operation, so that settings may depend on it.
    /// </summary>
    Task<ImportFormSettings> GetSettingsAsync(string ou, CancellationToken cancellationToken);

    /// <summary>
    /// Discards a preview the OU no longer wants, with its file, freeing its place in the preview quota at once
    /// (<see cref="IImportFileStore.DeletePreviewAsync"/>). Only a preview that can still start its real import can be
    /// discarded: returns <see langword="false"/>, changing nothing, for a file id that is unknown, malformed, expired,
    /// another OU's, or whose real import has started (the job owns the file then). A discard and a start racing for one
    /// preview never leave a job without its file: one of them wins. Dry runs of the preview still queued end
    /// <see cref="JobStatus.Failed"/> when they find the file gone.
    /// </summary>
    Task<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken);

    /// <summary>
    /// Validates a start request against its file and, when it is right, queues a job that owns the file from then on.
    /// Client mistakes are results, not exceptions: every problem of the request is listed at once.
    /// </summary>
    /// <exception cref="QuotaExceededException">The OU has <see cref="LeadImportOptions.MaxQueuedJobsPerOu"/> queued jobs.</exception>
    Task<StartImportResult> StartAsync(string ou, StartImportRequest request, CancellationToken cancellationToken);

    /// <summary>Gets a job of the OU with its first errors and warnings, or <see langword="null"/>.</summary>
    Task<ImportJob?> GetJobAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>Lists the OU's jobs, newest first. <paramref name="page"/> ≥ 1; <paramref name="limit"/> 1–100.</summary>
    Task<Page<ImportJob>> ListJobsAsync(string ou, int page, int limit, CancellationToken cancellationToken);

    /// <summary>Pages through all errors of a job in row order, or returns <see langword="null"/> when there is no such job.</summary>
    Task<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Reads every error of a job in row order, a store call per <see cref="LeadImportOptions.MaxPageSize"/> errors, at
    /// an even cost however many there are (the failed-rows export); yields nothing when there is no such job.
    /// </summary>
    IAsyncEnumerable<RowError> ReadAllErrorsAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>Cancels a queued job at once, or asks a running job to stop at its next batch boundary.</summary>
    Task<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>Deletes a finished job with its errors, warnings and failed rows.</summary>
    Task<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a person of the OU by one of their identifiers (<see cref="LeadImportStorage.ForgetLeadAsync"/>): the lead
    /// that owns it with all its identifiers and provenance, and every stored row error and warning, in any job of the OU,
    /// that holds one of those values. The value is normalised as an import would (phones read in
    /// <see cref="LeadImportOptions.DefaultPhoneRegion"/>). A value that is not valid for its kind is a result, not an
    /// exception. Logs ids and counts only.
    /// </summary>
    /// <param name="ou">The OU the person is forgotten in; other OUs keep what they have.</param>
    /// <param name="kind">The kind of identifier.</param>
    /// <param name="value">The identifier as the person or a client wrote it (<c>Jane@Example.com</c>).</param>
    /// <param name="cancellationToken">Cancels before the erasure commits.</param>
    Task<ForgetLeadResult> ForgetLeadAsync(string ou, IdentifierKind kind, string value, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes everything the OU has (<see cref="LeadImportStorage.DeleteOuAsync"/>): leads, identifiers, jobs of every
    /// status with their errors and warnings, uploads and previews. A running job of the OU stops at its next batch
    /// without writing. Deleting an OU that has nothing deletes nothing. Logs counts only.
    /// </summary>
    Task<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken);
}
