using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Storage in one SQLite database: files, jobs and leads in its tables, so every operation that spans them is one
/// <c>BEGIN IMMEDIATE</c> transaction, and several processes on one machine may share the file.
/// </summary>
internal sealed class SqliteStorage(SqliteDatabase database, TimeProvider timeProvider) : LeadImportStorage, IDisposable
{
    private readonly SqliteImportFileStore _files = new(database, timeProvider);
    private readonly SqliteJobStore _jobs = new(database, timeProvider);
    private readonly SqliteLeadStore _leads = new(database);
    private readonly SqliteErasure _erasure = new(database);

    public override StorageScope Scope => StorageScope.OneMachine;

    public override IImportFileStore Files => _files;

    public override IJobStore Jobs => _jobs;

    public override ILeadStore Leads => _leads;

    public override IStorageFailureClassifier FailureClassifier => SqliteStorageFailureClassifier.Instance;

    public override async ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return await database.WriteAsync(
            async connection =>
            {
                if (await SqliteJobStore.FindRealImportAsync(connection, job.Ou, job.FileId, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return new JobCreation(JobCreationStatus.FileAlreadyStarted, existing);
                }

                var queued = (long)(await connection.ScalarAsync(
                    "SELECT COUNT(*) FROM jobs WHERE ou = $ou AND status = $queued", cancellationToken, ("$ou", job.Ou), ("$queued", (int)JobStatus.Queued)).ConfigureAwait(false))!;
                if (queued >= maxQueuedJobsPerOu)
                {
                    return new JobCreation(JobCreationStatus.QuotaExceeded, null);
                }

                // A real import takes the preview over; a dry run only needs it to be there.
                var file = await connection.ExecuteAsync(
                    """
                    UPDATE files SET job_id = CASE WHEN $dry THEN NULL ELSE $job END
                    WHERE ou = $ou AND file_id = $file AND info IS NOT NULL AND job_id IS NULL AND expires_at > $now
                    """,
                    cancellationToken,
                    ("$dry", job.Settings.DryRun), ("$job", job.JobId), ("$ou", job.Ou), ("$file", job.FileId), ("$now", timeProvider.GetUtcNow().ToStored()))
                    .ConfigureAwait(false);
                if (file == 0)
                {
                    return new JobCreation(JobCreationStatus.FileNotFound, null);
                }

                await SqliteJobRows.InsertAsync(connection, job, cancellationToken).ConfigureAwait(false);
                return new JobCreation(JobCreationStatus.Created, job);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken) =>
        _leads.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);

    public override async ValueTask<bool> FinishJobAsync(JobLease lease, JobStatus status, string? failureReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        JobTransitions.RequireFinal(status);
        return await database.WriteAsync(
            async connection =>
            {
                if (await SqliteJobStore.HeldAsync(connection, lease, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return false;
                }

                var finished = JobTransitions.Finish(job, status, failureReason, timeProvider.GetUtcNow());
                await SqliteJobRows.SaveAsync(connection, finished, null, null, cancellationToken).ConfigureAwait(false);
                await DeleteOwnedFileAsync(connection, finished.JobId, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            async connection =>
            {
                if (await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return new CancelOutcome(CancelStatus.NotFound, null);
                }

                var outcome = JobTransitions.Cancel(job, timeProvider.GetUtcNow());
                if (outcome.Status != CancelStatus.AlreadyFinished)
                {
                    await SqliteJobRows.SaveAsync(connection, outcome.Job!, cancellationToken).ConfigureAwait(false);
                }

                if (outcome.Status == CancelStatus.Cancelled)
                {
                    await DeleteOwnedFileAsync(connection, jobId, cancellationToken).ConfigureAwait(false);
                }

                return outcome;
            },
            cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        await database.WriteAsync(
            async connection =>
            {
                if (await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return DeleteOutcome.NotFound;
                }

                if (!job.Status.IsFinal())
                {
                    return DeleteOutcome.NotFinished;
                }

                // Errors and warnings go by cascade.
                await DeleteOwnedFileAsync(connection, jobId, cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync("DELETE FROM jobs WHERE job_id = $id", cancellationToken, ("$id", jobId)).ConfigureAwait(false);
                return DeleteOutcome.Deleted;
            },
            cancellationToken).ConfigureAwait(false);

    public override async ValueTask<SweepOutcome> SweepAsync(DateTimeOffset purgeFinishedBefore, CancellationToken cancellationToken)
    {
        // Expired previews and uploads, unless a queued or running job (a dry run) reads them, and the files of finished
        // jobs that a worker could not delete (a database written before finishing deleted them).
        var deletedFiles = await database.WriteAsync(
            connection => connection.ExecuteAsync(
                """
                DELETE FROM files
                WHERE (job_id IS NULL AND expires_at <= $now
                       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.ou = files.ou AND j.file_id = files.file_id AND j.status IN ($queued, $running)))
                   OR job_id IN (SELECT job_id FROM jobs WHERE completed_at IS NOT NULL)
                """,
                cancellationToken,
                ("$now", timeProvider.GetUtcNow().ToStored()), ("$queued", (int)JobStatus.Queued), ("$running", (int)JobStatus.InProgress)),
            cancellationToken).ConfigureAwait(false);
        var purgedJobs = await database.WriteAsync(
            async connection =>
            {
                var cutoff = ("$cutoff", (object?)purgeFinishedBefore.ToStored());
                await connection.ExecuteAsync("DELETE FROM files WHERE job_id IN (SELECT job_id FROM jobs WHERE completed_at < $cutoff)", cancellationToken, cutoff)
                    .ConfigureAwait(false);
                return await connection.ExecuteAsync("DELETE FROM jobs WHERE completed_at < $cutoff", cancellationToken, cutoff).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await _files.SweepOrphanedUploadsAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.TruncateWalAsync().ConfigureAwait(false);
        }

        return new SweepOutcome(deletedFiles, purgedJobs);
    }

    public override ValueTask<ForgetLeadOutcome> ForgetLeadAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        new(_erasure.ForgetLeadAsync(ou, identifier, cancellationToken));

    public override ValueTask<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken) =>
        new(_erasure.DeleteOuAsync(ou, cancellationToken));

    public override ValueTask<IdentifierRewriteProgress> RewriteIdentifiersAsync(IdentifierRewrite rewrite, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new ValueTask<IdentifierRewriteProgress>(database.WriteAsync(
            connection => new SqliteIdentifierRewrite(connection, rewrite, cancellationToken).RunAsync(batchSize), cancellationToken, withCommitCache: true));
    }

    public void Dispose() => _leads.Dispose();

    /// <summary>Deletes the file a job owns (a real import's); a dry run owns none.</summary>
    private static Task<int> DeleteOwnedFileAsync(SqliteConnection connection, string jobId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("DELETE FROM files WHERE job_id = $id", cancellationToken, ("$id", jobId));
}
