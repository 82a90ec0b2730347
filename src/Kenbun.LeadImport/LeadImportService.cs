using System.Runtime.CompilerServices;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Erasure;
using Kenbun.LeadImport.Health;
using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport;

/// <summary>The default <see cref="ILeadImportService"/>.</summary>
internal sealed partial class LeadImportService(
    LeadImportStorage storage,
    JobQueueSignal jobQueue,
    StorageHealth storageHealth,
    LeadImportMetrics metrics,
    IOptions<LeadImportOptions> options,
    TimeProvider timeProvider,
    ILogger<LeadImportService> logger) : ILeadImportService
{
    private readonly LeadImportOptions _options = options.Value;
    private readonly IImportFileStore _files = storage.Files;
    private readonly IJobStore _jobs = storage.Jobs;

    public async Task<StartImportResult> StartAsync(string ou, StartImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        ArgumentNullException.ThrowIfNull(request);

        var validator = new StartRequestValidator(_options.ProfileFields, _options.MaxColumns, _options.DefaultPhoneRegion);
        if (!StartRequestValidator.HasFileId(request))
        {
            return new StartImportResult.Invalid(validator.CheckWithoutFile(request));
        }

        if (await _jobs.FindByFileAsync(ou, request.FileId!, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new StartImportResult.AlreadyStarted(existing);
        }

        var file = ImportIds.IsWellFormed(request.FileId, ImportIds.FilePrefix)
            ? await _files.FindAsync(ou, request.FileId!, cancellationToken).ConfigureAwait(false)
            : null;
        if (file is null)
        {
            return new StartImportResult.FileNotFound();
        }

        var (settings, errors, ignored) = validator.Resolve(request, file.Headers);
        if (settings is null)
        {
            return new StartImportResult.Invalid(errors);
        }

        var job = new ImportJob
        {
            JobId = ImportIds.NewJobId(),
            Ou = ou,
            FileId = file.FileId,
            FileName = file.FileName,
            Status = JobStatus.Queued,
            Settings = settings,
            Headers = file.Headers,
            Format = file.Format,
            CreatedAt = timeProvider.GetUtcNow(),
            CreatedBy = string.IsNullOrWhiteSpace(request.CreatedBy) ? null : request.CreatedBy.Trim(),
            TotalRows = file.RowCount,
        };
        var creation = await storage.CreateJobAsync(job, _options.MaxQueuedJobsPerOu, cancellationToken).ConfigureAwait(false);
        switch (creation.Status)
        {
            case JobCreationStatus.FileAlreadyStarted:
                return new StartImportResult.AlreadyStarted(creation.Job!);
            case JobCreationStatus.FileNotFound:
                return new StartImportResult.FileNotFound(); // it expired since it was found
            case JobCreationStatus.QuotaExceeded:
                throw new QuotaExceededException(
                    $"This OU already has {_options.MaxQueuedJobsPerOu} queued imports, the most allowed. Wait for one to start.",
                    TimeSpan.FromSeconds(30));
        }

        LogJobQueued(job.JobId, file.FileId, job.TotalRows);
        jobQueue.Notify();
        return new StartImportResult.Started(job, ignored);
    }

    public Task<ImportFormSettings> GetSettingsAsync(string ou, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        return Task.FromResult(new ImportFormSettings
        {
            ProfileFields = [.. _options.ProfileFields],
            IdentifierKinds = IdentifierKinds.All,
            Modes = Enum.GetValues<ImportMode>(),
            MaxFileBytes = _options.MaxFileBytes,
            DefaultPhoneRegion = PhoneRegions.TryParse(_options.DefaultPhoneRegion, out var region) ? region : null,
            PhoneRegions = PhoneRegions.All,
            MaxPageSize = LeadImportOptions.MaxPageSize,
            PreviewLifetime = _options.PreviewLifetime,
            MaxPreviewsPerOu = _options.MaxPreviewsPerOu,
            MaxQueuedJobsPerOu = _options.MaxQueuedJobsPerOu,
        });
    }

    public async Task<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        if (!ImportIds.IsWellFormed(fileId, ImportIds.FilePrefix) || !await _files.DeletePreviewAsync(ou, fileId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        LogPreviewDeleted(fileId);
        return true;
    }

    public async Task<ImportJob?> GetJobAsync(string ou, string jobId, CancellationToken cancellationToken)
    {
        var job = IsJobId(jobId) ? await _jobs.GetAsync(ou, jobId, _options.MaxDetailItems, cancellationToken).ConfigureAwait(false) : null;

        // A job running in this process knows its stall better than the store, which the outage may keep from recording it.
        return job is { Status: JobStatus.InProgress } && storageHealth.TryGetRunningStall(job.JobId, out var stall) ? job with { Stall = stall } : job;
    }

    public async Task<Page<ImportJob>> ListJobsAsync(string ou, int page, int limit, CancellationToken cancellationToken)
    {
        CheckPaging(page, limit);
        return await _jobs.ListAsync(ou, page, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken)
    {
        CheckPaging(page, limit);
        return IsJobId(jobId) ? await _jobs.ListErrorsAsync(ou, jobId, page, limit, cancellationToken).ConfigureAwait(false) : null;
    }

    public async IAsyncEnumerable<RowError> ReadAllErrorsAsync(string ou, string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!IsJobId(jobId))
        {
            yield break;
        }

        for (var afterRow = 0L; ;)
        {
            var errors = await _jobs.ListErrorsAfterAsync(ou, jobId, afterRow, LeadImportOptions.MaxPageSize, cancellationToken).ConfigureAwait(false);
            if (errors is null || errors.Count == 0)
            {
                yield break;
            }

            foreach (var error in errors)
            {
                yield return error;
            }

            afterRow = errors[^1].Row;
        }
    }

    public async Task<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken)
    {
        if (!IsJobId(jobId))
        {
            return new CancelOutcome(CancelStatus.NotFound, null);
        }

        return await storage.CancelJobAsync(ou, jobId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        IsJobId(jobId) ? await storage.DeleteJobAsync(ou, jobId, cancellationToken).ConfigureAwait(false) : DeleteOutcome.NotFound;

    public async Task<ForgetLeadResult> ForgetLeadAsync(string ou, IdentifierKind kind, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        if (!IdentifierNormalizer.TryNormalize(kind, value, _options.DefaultPhoneRegion, out var normalized))
        {
            return new ForgetLeadResult.InvalidValue(RowErrors.InvalidFormat(kind));
        }

        var outcome = await storage.ForgetLeadAsync(ou, new IdentifierKey(kind, normalized), cancellationToken).ConfigureAwait(false);
        if (outcome.LeadId is { } leadId)
        {
            LogLeadForgotten(ou, leadId, outcome.Identifiers, outcome.Errors, outcome.Warnings);
        }
        else
        {
            LogIdentifierForgotten(ou, kind.ToApiName(), outcome.Errors, outcome.Warnings);
        }

        return outcome.FoundAnything ? new ForgetLeadResult.Forgotten(outcome) : new ForgetLeadResult.NotFound();
    }

    public async Task<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        var outcome = await storage.DeleteOuAsync(ou, cancellationToken).ConfigureAwait(false);
        LogOuDeleted(ou, outcome.Leads, outcome.Identifiers, outcome.Jobs, outcome.Files);
        return outcome;
    }

    private static bool IsJobId(string jobId) => ImportIds.IsWellFormed(jobId, ImportIds.JobPrefix);

    private static void CheckPaging(int page, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LeadImportOptions.MaxPageSize);
    }

    public async Task<ImportPreview> PreviewAsync(string ou, string? fileName, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ou);
        ArgumentNullException.ThrowIfNull(content);

        await EnsurePreviewQuotaAsync(ou, cancellationToken).ConfigureAwait(false);
        var fileId = ImportIds.NewFileId();
        var uploadedAt = timeProvider.GetUtcNow();
        var expiresAt = uploadedAt + _options.PreviewLifetime;
        var upload = new InspectingUploadStream(content, _options.MaxFileBytes);
        var streaming = new StreamingAnalysis(_options, cancellationToken);
        await using var streamingDisposal = streaming.ConfigureAwait(false);
        try
        {
            await WriteUploadAsync(ou, fileId, uploadedAt, upload, streaming, cancellationToken).ConfigureAwait(false);
            if (upload.BytesRead == 0)
            {
                throw new InvalidCsvFileException("The file is empty. Upload a CSV file with a header row.");
            }

            var (encoding, hasByteOrderMark) = upload.DecideEncoding();
            var analysis = await streaming.ResultAsync(encoding, hasByteOrderMark).ConfigureAwait(false)
                ?? await CsvFileAnalyzer.AnalyzeAsync(
                    await OpenContentAsync(ou, fileId, cancellationToken).ConfigureAwait(false), encoding, hasByteOrderMark, _options, cancellationToken).ConfigureAwait(false);
            var file = new ImportFile
            {
                Ou = ou,
                FileId = fileId,
                FileName = UploadFileNames.ToDisplayText(fileName),
                SizeBytes = upload.BytesRead,
                UploadedAt = uploadedAt,
                ExpiresAt = expiresAt,
                Format = analysis.Format,
                Headers = analysis.Headers,
                RowCount = analysis.RowCount,
            };
            if (!await _files.PublishAsync(file, _options.MaxPreviewsPerOu, cancellationToken).ConfigureAwait(false))
            {
                // Concurrent uploads of this OU took the last places while this one was read.
                throw QuotaExceeded(await _files.GetPreviewUsageAsync(ou, cancellationToken).ConfigureAwait(false));
            }

            LogPreviewStored(fileId, upload.BytesRead, analysis.RowCount, file.Format.EncodingName);
            return CreatePreview(file, analysis);
        }
        catch
        {
            await DeleteUnpublishedAsync(ou, fileId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stores the upload as it arrives, within <see cref="LeadImportOptions.MaxUploadDuration"/>. Until published it
    /// expires at twice that after its start, so the sweep removes an upload whose process died within minutes, never
    /// one another instance is still receiving.
    /// </summary>
    private async Task WriteUploadAsync(
        string ou, string fileId, DateTimeOffset uploadedAt, InspectingUploadStream upload, StreamingAnalysis streaming, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.MaxUploadDuration, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        metrics.UploadStarted();
        try
        {
            await _files.WriteContentAsync(ou, fileId, uploadedAt + (2 * _options.MaxUploadDuration), streaming.Feed(upload), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UploadTooSlowException(_options.MaxUploadDuration);
        }
        finally
        {
            metrics.UploadEnded(upload.BytesRead);
        }
    }

    /// <summary>
    /// Deletes what a failed upload wrote, as far as the store lets it: a store that failed the upload (a full disk) may
    /// fail this too, and then the retention sweep removes the unpublished bytes later; the upload's own failure is the
    /// one the client hears of.
    /// </summary>
    private async Task DeleteUnpublishedAsync(string ou, string fileId)
    {
        try
        {
            await _files.DeleteAsync(ou, fileId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (storage.ClassifyFailure(e).Kind == StorageFailureKind.Unavailable)
        {
            LogUnpublishedUploadKept(fileId);
        }
    }

    private async Task EnsurePreviewQuotaAsync(string ou, CancellationToken cancellationToken)
    {
        var usage = await _files.GetPreviewUsageAsync(ou, cancellationToken).ConfigureAwait(false);
        if (usage.Count >= _options.MaxPreviewsPerOu)
        {
            throw QuotaExceeded(usage);
        }
    }

    private QuotaExceededException QuotaExceeded(PreviewUsage usage)
    {
        var retryAfter = (usage.EarliestExpiry ?? timeProvider.GetUtcNow()) - timeProvider.GetUtcNow();
        return new QuotaExceededException(
            $"This OU already holds {usage.Count} unexpired previews, the most allowed. Start an import from one of them or wait until one expires.",
            retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
    }

    private async Task<Stream> OpenContentAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await _files.OpenContentAsync(ou, fileId, cancellationToken).ConfigureAwait(false)
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
                _options.ProfileFields,
                _options.FieldSynonyms),
        };
    }

    private static SuggestedIdentifier? SuggestPrimaryIdentifier(DetectedIdentifierColumns detected) =>
        detected.EmailColumns.Count > 0 ? new(detected.EmailColumns[0], IdentifierKind.Email)
        : detected.PhoneColumns.Count > 0 ? new(detected.PhoneColumns[0], IdentifierKind.Phone)
        : detected.ExternalIdColumns.Count > 0 ? new(detected.ExternalIdColumns[0], IdentifierKind.ExternalId)
        : detected.SocialColumns.Count > 0 ? new(detected.SocialColumns[0], IdentifierKind.Social)
        : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued job {JobId} for file {FileId}: {TotalRows} rows")]
    private partial void LogJobQueued(string jobId, string fileId, long totalRows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot lead {LeadId} of OU {Ou}: {Identifiers} identifiers, {Errors} row errors and {Warnings} warnings deleted")]
    private partial void LogLeadForgotten(string ou, string leadId, int identifiers, long errors, long warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "No lead of OU {Ou} owned the {Kind} to forget; {Errors} row errors and {Warnings} warnings holding it deleted")]
    private partial void LogIdentifierForgotten(string ou, string kind, long errors, long warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted everything of OU {Ou}: {Leads} leads, {Identifiers} identifiers, {Jobs} jobs, {Files} files")]
    private partial void LogOuDeleted(string ou, long leads, long identifiers, long jobs, long files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored preview {FileId}: {Bytes} bytes, {RowCount} rows, {Encoding}")]
    private partial void LogPreviewStored(string fileId, long bytes, long rowCount, string encoding);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted preview {FileId} at its OU's request")]
    private partial void LogPreviewDeleted(string fileId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The failed upload {FileId} could not be deleted now; the retention sweep will remove it")]
    private partial void LogUnpublishedUploadKept(string fileId);
}
