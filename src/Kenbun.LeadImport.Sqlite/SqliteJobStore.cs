using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// The jobs of a <see cref="SqliteStorage"/>. Leases live in the jobs table, so a job runs in one process at a time even when several
/// share the database, and a lapsed lease is taken over.
/// </summary>
internal sealed class SqliteJobStore(SqliteDatabase database, TimeProvider timeProvider) : IJobStore
{
    public async ValueTask<ImportJob?> GetAsync(string ou, string jobId, int maxDetailItems, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection => await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is { } job
                ? await SqliteJobRows.WithDetailAsync(connection, job, maxDetailItems, cancellationToken).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<ImportJob?> FindByFileAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync(connection => FindRealImportAsync(connection, ou, fileId, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<ImportJob>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                var total = (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM jobs WHERE ou = $ou", cancellationToken, ("$ou", ou)).ConfigureAwait(false))!;
                var ids = new List<string>();
                using (var command = connection.Command(
                    "SELECT job_id FROM jobs WHERE ou = $ou ORDER BY created_at DESC, seq DESC LIMIT $limit OFFSET $offset",
                    ("$ou", ou), ("$limit", limit), ("$offset", Paging.Offset(page, limit))))
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                var jobs = new List<ImportJob>(ids.Count);
                foreach (var id in ids)
                {
                    jobs.Add((await SqliteJobRows.LoadAsync(connection, ou, id, cancellationToken).ConfigureAwait(false))!);
                }

                return new Page<ImportJob>(jobs, total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync<Page<RowError>?>(
            async connection =>
            {
                if (await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is null)
                {
                    return null;
                }

                var total = (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM job_errors WHERE job_id = $id", cancellationToken, ("$id", jobId)).ConfigureAwait(false))!;
                var errors = await SqliteJobRows.ErrorsAsync(connection, jobId, limit, Paging.Offset(page, limit), cancellationToken).ConfigureAwait(false);
                return new Page<RowError>(errors, total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<RowError>?> ListErrorsAfterAsync(string ou, string jobId, long afterRow, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync<IReadOnlyList<RowError>?>(
            async connection => await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is null
                ? null
                : await SqliteJobRows.ErrorsAfterAsync(connection, jobId, afterRow, limit, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<JobQueueStatus> GetQueueStatusAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                using var command = connection.Command("SELECT COUNT(*), MIN(created_at) FROM jobs WHERE status = $queued", ("$queued", (int)JobStatus.Queued));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new JobQueueStatus(reader.GetInt64(0), reader.IsDBNull(1) ? null : SqliteCommands.FromStored(reader.GetInt64(1)));
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<JobLease?> AcquireNextAsync(string leaseHolder, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        await database.WriteAsync<JobLease?>(
            async connection =>
            {
                var now = timeProvider.GetUtcNow();
                var next = await connection.ScalarAsync(
                    """
                    SELECT j.job_id FROM jobs j LEFT JOIN ou_turns t ON t.ou = j.ou
                    WHERE j.status = $queued OR (j.status = $running AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= $now))
                    ORDER BY COALESCE(t.served, 0), CASE j.status WHEN $running THEN 0 ELSE 1 END, j.seq
                    LIMIT 1
                    """,
                    cancellationToken,
                    ("$queued", (int)JobStatus.Queued), ("$running", (int)JobStatus.InProgress), ("$now", now.ToStored())).ConfigureAwait(false);
                if (next is not string jobId || await SqliteJobRows.LoadAsync(connection, jobId, cancellationToken).ConfigureAwait(false) is not { } row)
                {
                    return null;
                }

                await connection.ExecuteAsync(
                    "INSERT INTO ou_turns (ou, served) VALUES ($ou, (SELECT COALESCE(MAX(served), 0) + 1 FROM ou_turns)) ON CONFLICT (ou) DO UPDATE SET served = excluded.served",
                    cancellationToken,
                    ("$ou", row.Job.Ou)).ConfigureAwait(false);
                var job = row.Job with { Status = JobStatus.InProgress, StartedAt = row.Job.StartedAt ?? now };
                var expires = now + leaseDuration;
                await SqliteJobRows.SaveAsync(connection, job, leaseHolder, expires, cancellationToken).ConfigureAwait(false);
                return new JobLease(job, leaseHolder, expires);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<LeaseRenewal> RenewLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await database.WriteAsync(
            async connection =>
            {
                var renewed = await connection.ExecuteAsync(
                    "UPDATE jobs SET lease_expires_at = $expires WHERE job_id = $id AND lease_owner = $owner AND status = $running",
                    cancellationToken,
                    ("$expires", (timeProvider.GetUtcNow() + leaseDuration).ToStored()), ("$id", lease.Job.JobId), ("$owner", lease.LeaseHolder),
                    ("$running", (int)JobStatus.InProgress)).ConfigureAwait(false);
                var cancel = await connection.ScalarAsync("SELECT cancel_requested FROM jobs WHERE job_id = $id", cancellationToken, ("$id", lease.Job.JobId))
                    .ConfigureAwait(false);
                return new LeaseRenewal(renewed == 1, cancel is long flag && flag != 0);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await database.WriteAsync(
            connection => connection.ExecuteAsync(
                "UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE job_id = $id AND lease_owner = $owner AND status = $running",
                cancellationToken,
                ("$id", lease.Job.JobId), ("$owner", lease.LeaseHolder), ("$running", (int)JobStatus.InProgress)),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> SetStallAsync(JobLease lease, JobStall? stall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await database.WriteAsync(
            async connection =>
            {
                if (await HeldAsync(connection, lease, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return false;
                }

                // The stall lives in the job's JSON column: no schema change, and every reader of the job sees it.
                await SqliteJobRows.SaveAsync(connection, job with { Stall = stall }, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The leased job as stored, or <see langword="null"/> when the lease is no longer held.</summary>
    internal static async Task<ImportJob?> HeldAsync(Microsoft.Data.Sqlite.SqliteConnection connection, JobLease lease, CancellationToken cancellationToken) =>
        await SqliteJobRows.LoadAsync(connection, lease.Job.JobId, cancellationToken).ConfigureAwait(false) is { } row
        && row.LeaseOwner == lease.LeaseHolder && row.Job.Status == JobStatus.InProgress
            ? row.Job
            : null;

    internal static async Task<ImportJob?> FindRealImportAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string ou, string fileId, CancellationToken cancellationToken) =>
        await connection.ScalarAsync("SELECT job_id FROM jobs WHERE ou = $ou AND file_id = $file AND dry_run = 0", cancellationToken, ("$ou", ou), ("$file", fileId))
            .ConfigureAwait(false) is string jobId
            ? await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false)
            : null;
}
