using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// Storage in one PostgreSQL database shared by any number of host instances: files, jobs and leads in its tables, so
/// every operation that spans them is one transaction, and every rule holds across instances.
/// </summary>
internal sealed class PostgreSqlStorage : LeadImportStorage, IDisposable, IAsyncDisposable
{
    private readonly PostgreSqlDatabase _database;
    private readonly TimeProvider _timeProvider;
    private readonly PostgreSqlImportFileStore _files;
    private readonly PostgreSqlJobStore _jobs;
    private readonly PostgreSqlLeadStore _leads;
    private readonly PostgreSqlJobRows _rows;
    private readonly PostgreSqlErasure _erasure;

    public PostgreSqlStorage(PostgreSqlDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider;
        _rows = new PostgreSqlJobRows(database);
        _files = new PostgreSqlImportFileStore(database, timeProvider);
        _jobs = new PostgreSqlJobStore(database, _rows, timeProvider);
        _leads = new PostgreSqlLeadStore(database, _rows);
        _erasure = new PostgreSqlErasure(database, _rows);
    }

    public override StorageScope Scope => StorageScope.ManyMachines;

    public override IImportFileStore Files => _files;

    public override IJobStore Jobs => _jobs;

    public override ILeadStore Leads => _leads;

    public override IStorageFailureClassifier FailureClassifier => PostgreSqlStorageFailureClassifier.Instance;

    public override async ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return await _database.WriteAsync(
            async connection =>
            {
                // The OU's jobs are created one at a time, so the queued-job quota and the one real import per file hold across instances.
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", cancellationToken, ("@key", "kenbun.lead_import.jobs." + job.Ou))
                    .ConfigureAwait(false);
                if (await _jobs.FindRealImportAsync(connection, job.Ou, job.FileId, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return new JobCreation(JobCreationStatus.FileAlreadyStarted, existing);
                }

                var queued = (long)(await connection.ScalarAsync(
                    _database.Sql("SELECT COUNT(*) FROM :\"schema\".jobs WHERE ou = @ou AND status = 0"), cancellationToken, ("@ou", job.Ou)).ConfigureAwait(false))!;
                if (queued >= maxQueuedJobsPerOu)
                {
                    return new JobCreation(JobCreationStatus.QuotaExceeded, null);
                }

                // A real import takes the preview over; a dry run only needs it to be there.
                var file = await connection.ExecuteAsync(
                    _database.Sql(
                        """
                        UPDATE :"schema".files SET job_id = CASE WHEN @dry THEN NULL ELSE @job END
                        WHERE ou = @ou AND file_id = @file AND info IS NOT NULL AND job_id IS NULL AND expires_at > @now
                        """),
                    cancellationToken,
                    ("@dry", job.Settings.DryRun), ("@job", job.JobId), ("@ou", job.Ou), ("@file", job.FileId), ("@now", _timeProvider.GetUtcNow()))
                    .ConfigureAwait(false);
                if (file == 0)
                {
                    return new JobCreation(JobCreationStatus.FileNotFound, null);
                }

                await _rows.InsertAsync(connection, job, cancellationToken).ConfigureAwait(false);
                await NotifyJobQueuedAsync(connection, cancellationToken).ConfigureAwait(false);
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
        return await _database.WriteAsync(
            async connection =>
            {
                if (await _rows.HeldAsync(connection, lease, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return false;
                }

                var finished = JobTransitions.Finish(job, status, failureReason, _timeProvider.GetUtcNow());
                await _rows.SaveAsync(connection, finished, null, null, cancellationToken).ConfigureAwait(false);
                await DeleteOwnedFileAsync(connection, finished, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<CancelOutcome> CancelJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        await _database.WriteAsync(
            async connection =>
            {
                if (await _rows.LockAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return new CancelOutcome(CancelStatus.NotFound, null);
                }

                var outcome = JobTransitions.Cancel(job, _timeProvider.GetUtcNow());
                if (outcome.Status != CancelStatus.AlreadyFinished)
                {
                    await _rows.SaveAsync(connection, outcome.Job!, cancellationToken).ConfigureAwait(false);
                }

                if (outcome.Status == CancelStatus.Cancelled)
                {
                    await DeleteOwnedFileAsync(connection, job, cancellationToken).ConfigureAwait(false);
                }

                return outcome;
            },
            cancellationToken).ConfigureAwait(false);

    public override async ValueTask<DeleteOutcome> DeleteJobAsync(string ou, string jobId, CancellationToken cancellationToken) =>
        await _database.WriteAsync(
            async connection =>
            {
                if (await _rows.LockAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return DeleteOutcome.NotFound;
                }

                if (!job.Status.IsFinal())
                {
                    return DeleteOutcome.NotFinished;
                }

                // Errors and warnings go by cascade.
                await DeleteOwnedFileAsync(connection, job, cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(_database.Sql("DELETE FROM :\"schema\".jobs WHERE ou = @ou AND job_id = @id"), cancellationToken, ("@ou", ou), ("@id", jobId))
                    .ConfigureAwait(false);
                return DeleteOutcome.Deleted;
            },
            cancellationToken).ConfigureAwait(false);

    public override async ValueTask<SweepOutcome> SweepAsync(DateTimeOffset purgeFinishedBefore, CancellationToken cancellationToken)
    {
        // Expired previews and uploads, unless a queued or running job (a dry run) reads them, and the files of finished
        // jobs that a worker could not delete.
        var deletedFiles = await _database.WriteAsync(
            connection => connection.ExecuteAsync(
                _database.Sql(
                    """
                    DELETE FROM :"schema".files f
                    WHERE (f.job_id IS NULL AND f.expires_at <= @now
                           AND NOT EXISTS (SELECT 1 FROM :"schema".jobs j WHERE j.ou = f.ou AND j.file_id = f.file_id AND j.status IN (0, 1)))
                       OR EXISTS (SELECT 1 FROM :"schema".jobs j WHERE j.ou = f.ou AND j.job_id = f.job_id AND j.completed_at IS NOT NULL)
                    """),
                cancellationToken,
                ("@now", _timeProvider.GetUtcNow())),
            cancellationToken).ConfigureAwait(false);
        var purgedJobs = await _database.WriteAsync(
            async connection =>
            {
                var cutoff = ("@cutoff", (object?)purgeFinishedBefore);
                await connection.ExecuteAsync(
                    _database.Sql(
                        """
                        DELETE FROM :"schema".files f
                        USING :"schema".jobs j WHERE j.ou = f.ou AND j.job_id = f.job_id AND j.completed_at < @cutoff
                        """),
                    cancellationToken,
                    cutoff).ConfigureAwait(false);
                return await connection.ExecuteAsync(_database.Sql("DELETE FROM :\"schema\".jobs WHERE completed_at < @cutoff"), cancellationToken, cutoff).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
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
        return new ValueTask<IdentifierRewriteProgress>(_database.WriteAsync(
            connection => new PostgreSqlIdentifierRewrite(_database, connection, rewrite, cancellationToken).RunAsync(batchSize), cancellationToken));
    }

    public void Dispose() => _database.Dispose();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Wakes the idle workers of every instance when this transaction commits (<see cref="PostgreSqlJobQueueListener"/>).</summary>
    private Task<int> NotifyJobQueuedAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("SELECT pg_notify(@channel, '')", cancellationToken, ("@channel", _database.Options.Channel));

    /// <summary>Deletes the file a job owns (a real import's); a dry run owns none.</summary>
    private Task<int> DeleteOwnedFileAsync(NpgsqlConnection connection, ImportJob job, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(_database.Sql("DELETE FROM :\"schema\".files WHERE ou = @ou AND job_id = @id"), cancellationToken, ("@ou", job.Ou), ("@id", job.JobId));
}
