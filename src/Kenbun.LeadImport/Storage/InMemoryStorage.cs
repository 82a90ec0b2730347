using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// Storage in process memory, for tests and prototypes: not durable — everything is lost when the process ends — and
/// for one process only. Every operation that spans jobs and files runs under the job store's lock, so each is atomic.
/// </summary>
public sealed class InMemoryStorage : LeadImportStorage
{
    private readonly InMemoryImportFileStore _files;
    private readonly InMemoryJobStore _jobs;
    private readonly InMemoryLeadStore _leads = new();

    /// <summary>Creates empty storage that judges expiry and stamps times by <paramref name="timeProvider"/>.</summary>
    public InMemoryStorage(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _files = new InMemoryImportFileStore(timeProvider);
        _jobs = new InMemoryJobStore(timeProvider);
    }

    /// <inheritdoc />
    public override StorageScope Scope => StorageScope.OneProcess;

    /// <inheritdoc />
    public override IImportFileStore Files => _files;

    /// <inheritdoc />
    public override IJobStore Jobs => _jobs;

    /// <inheritdoc />
    public override ILeadStore Leads => _leads;

    /// <inheritdoc />
    public override ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ValueTask.FromResult(_jobs.Create(
            job,
            maxQueuedJobsPerOu,
            () => job.Settings.DryRun ? _files.IsPreview(job.Ou, job.FileId) : _files.Claim(job.Ou, job.FileId, job.JobId)));
    }

    /// <inheritdoc />
    public override ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(checkpoint);
        return ValueTask.FromResult(_jobs.Commit(ou, jobId, checkpoint, () => _leads.Apply(ou, jobId, changes)));
    }

    /// <inheritdoc />
    public override ValueTask<bool> FinishJobAsync(JobLease lease, JobStatus status, string? failureReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!status.IsFinal())
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A job can only finish in a final status.");
        }

        lock (_jobs.Lock)
        {
            if (_jobs.Finish(lease, status, failureReason) is not { } finished)
            {
                return ValueTask.FromResult(false);
            }

            DeleteOwnedFile(finished);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public override ValueTask<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken)
    {
        lock (_jobs.Lock)
        {
            var outcome = _jobs.RequestCancel(ou, jobId);
            if (outcome is { Status: CancelStatus.Cancelled, Job: { } job })
            {
                DeleteOwnedFile(job);
            }

            return ValueTask.FromResult(outcome);
        }
    }

    /// <inheritdoc />
    public override ValueTask<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken)
    {
        lock (_jobs.Lock)
        {
            var (outcome, job) = _jobs.Delete(ou, jobId);
            if (job is not null)
            {
                DeleteOwnedFile(job);
            }

            return ValueTask.FromResult(outcome);
        }
    }

    /// <inheritdoc />
    public override ValueTask<SweepOutcome> SweepAsync(DateTimeOffset purgeFinishedBefore, CancellationToken cancellationToken)
    {
        lock (_jobs.Lock)
        {
            var deletedFiles = _files.DeleteExpired(_jobs.FilesInUse());
            var purged = _jobs.Purge(purgeFinishedBefore);
            purged.ForEach(DeleteOwnedFile);
            return ValueTask.FromResult(new SweepOutcome(deletedFiles, purged.Count));
        }
    }

    /// <inheritdoc />
    public override ValueTask<ForgetLeadOutcome> ForgetLeadAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken)
    {
        // Under the job store's lock, as commits are: no batch lands between deleting the lead and scrubbing the rows.
        lock (_jobs.Lock)
        {
            var forgotten = _leads.Forget(ou, identifier);
            var (errors, warnings) = _jobs.Scrub(ou, new ForgottenValues(forgotten?.Identifiers ?? [identifier]));
            return ValueTask.FromResult(new ForgetLeadOutcome(forgotten?.LeadId, forgotten?.Identifiers.Count ?? 0, errors, warnings));
        }
    }

    /// <inheritdoc />
    public override ValueTask<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken)
    {
        lock (_jobs.Lock)
        {
            var jobs = _jobs.DeleteOu(ou);
            var (leads, identifiers) = _leads.DeleteOu(ou);
            var files = _files.DeleteOu(ou);
            return ValueTask.FromResult(new DeleteOuOutcome(leads, identifiers, jobs, files));
        }
    }

    /// <inheritdoc />
    public override ValueTask<IdentifierRewriteProgress> RewriteIdentifiersAsync(IdentifierRewrite rewrite, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return ValueTask.FromResult(_leads.Rewrite(rewrite));
    }

    /// <summary>Puts a lead in directly, as if an earlier job had imported it: for tests that need existing leads.</summary>
    internal void Seed(string ou, string leadId, IReadOnlyDictionary<string, string> fields, IEnumerable<IdentifierKey> identifiers, string jobId) =>
        _leads.Seed(ou, leadId, fields, identifiers, jobId);

    /// <summary>The number of uploads held, published or not: lets tests prove nothing was left behind.</summary>
    internal int FileCount => _files.Count;

    /// <summary>Deletes a real import's file; a dry run's file is the preview's and stays.</summary>
    private void DeleteOwnedFile(ImportJob job)
    {
        if (!job.Settings.DryRun)
        {
            _files.Delete(job.Ou, job.FileId);
        }
    }
}
