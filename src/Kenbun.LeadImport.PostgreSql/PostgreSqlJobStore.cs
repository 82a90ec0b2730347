using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// The jobs of a <see cref="PostgreSqlStorage"/>. Leases live in the jobs table, so a job runs in one instance at a time
/// however many share the database, and a lapsed lease is taken over by whichever instance asks next.
/// </summary>
internal sealed class PostgreSqlJobStore(PostgreSqlDatabase database, PostgreSqlJobRows rows, TimeProvider timeProvider) : IJobStore
{
    // Acquisitions take turns on a transaction-level advisory lock, so each sees the OU turns the previous one took
    // (SKIP LOCKED alone would let two workers both pick the same OU's jobs). The candidates are ordered without a lock,
    // so the sort keeps only the first few (with FOR UPDATE beside it, it sorted every runnable job); then the first of
    // them whose row no committing batch holds is locked, SKIP LOCKED, and checked again as it is now.
    private readonly string _nextJob = database.Sql(
        """
        WITH candidates AS (
            SELECT j.ou, j.job_id, COALESCE(t.served, 0) AS turn, j.status, j.seq
            FROM :"schema".jobs j LEFT JOIN :"schema".ou_turns t ON t.ou = j.ou
            WHERE j.status = 0 OR (j.status = 1 AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= @now))
            ORDER BY turn, CASE j.status WHEN 1 THEN 0 ELSE 1 END, j.seq
            LIMIT 8)
        SELECT j.job, j.created_by FROM candidates c JOIN :"schema".jobs j ON j.ou = c.ou AND j.job_id = c.job_id
        WHERE j.status = 0 OR (j.status = 1 AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= @now))
        ORDER BY c.turn, CASE c.status WHEN 1 THEN 0 ELSE 1 END, c.seq
        LIMIT 1
        FOR UPDATE OF j SKIP LOCKED
        """);

    private readonly string _takeTurn = database.Sql(
        """
        INSERT INTO :"schema".ou_turns AS t (ou, served) VALUES (@ou, (SELECT COALESCE(MAX(served), 0) + 1 FROM :"schema".ou_turns))
        ON CONFLICT (ou) DO UPDATE SET served = excluded.served
        """);

    private readonly string _renew = database.Sql(
        """
        UPDATE :"schema".jobs SET lease_expires_at = @expires
        WHERE ou = @ou AND job_id = @id AND lease_owner = @owner AND status = 1
        RETURNING cancel_requested
        """);

    private readonly string _release = database.Sql(
        """
        UPDATE :"schema".jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE ou = @ou AND job_id = @id AND lease_owner = @owner AND status = 1;
        SELECT pg_notify(@channel, '');
        """);

    public async ValueTask<ImportJob?> GetAsync(string ou, string jobId, int maxDetailItems, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection => await rows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is { } job
                ? await rows.WithDetailAsync(connection, job, maxDetailItems, cancellationToken).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<ImportJob?> FindByFileAsync(string ou, string fileId, CancellationToken cancellationToken) =>
        await database.ReadAsync(connection => FindRealImportAsync(connection, ou, fileId, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<ImportJob>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                var total = (long)(await connection.ScalarAsync(database.Sql("SELECT COUNT(*) FROM :\"schema\".jobs WHERE ou = @ou"), cancellationToken, ("@ou", ou))
                    .ConfigureAwait(false))!;
                var ids = new List<string>();
                using (var command = connection.Command(
                    database.Sql("SELECT job_id FROM :\"schema\".jobs WHERE ou = @ou ORDER BY created_at DESC, seq DESC LIMIT @limit OFFSET @offset"),
                    ("@ou", ou), ("@limit", limit), ("@offset", Paging.Offset(page, limit))))
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
                    if (await rows.LoadAsync(connection, ou, id, cancellationToken).ConfigureAwait(false) is { } job)
                    {
                        jobs.Add(job); // a job deleted between the two reads is left out
                    }
                }

                return new Page<ImportJob>(jobs, total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync<Page<RowError>?>(
            async connection =>
            {
                if (await rows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is null)
                {
                    return null;
                }

                var total = (long)(await connection.ScalarAsync(
                    database.Sql("SELECT COUNT(*) FROM :\"schema\".job_errors WHERE ou = @ou AND job_id = @id"), cancellationToken, ("@ou", ou), ("@id", jobId))
                    .ConfigureAwait(false))!;
                var errors = await rows.ErrorsAsync(connection, ou, jobId, limit, Paging.Offset(page, limit), cancellationToken).ConfigureAwait(false);
                return new Page<RowError>(errors, total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<RowError>?> ListErrorsAfterAsync(string ou, string jobId, long afterRow, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync<IReadOnlyList<RowError>?>(
            async connection => await rows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false) is null
                ? null
                : await rows.ErrorsAfterAsync(connection, ou, jobId, afterRow, limit, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<JobQueueStatus> GetQueueStatusAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                using var command = connection.Command(database.Sql("SELECT COUNT(*), MIN(created_at) FROM :\"schema\".jobs WHERE status = 0"));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new JobQueueStatus(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<JobLease?> AcquireNextAsync(string leaseHolder, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        await database.WriteAsync<JobLease?>(
            async connection =>
            {
                await connection.ExecuteAsync(
                    "SELECT pg_advisory_xact_lock(hashtextextended(@lock, 0))", cancellationToken, ("@lock", "kenbun.lead_import.acquire." + database.Options.Schema))
                    .ConfigureAwait(false);
                var now = timeProvider.GetUtcNow(); // read in turn: start times follow the order jobs were taken in
                ImportJob? stored = null;
                using (var command = connection.Command(_nextJob, ("@now", now)))
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        stored = PostgreSqlJobRows.Deserialize(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                    }
                }

                if (stored is null)
                {
                    return null;
                }

                await connection.ExecuteAsync(_takeTurn, cancellationToken, ("@ou", stored.Ou)).ConfigureAwait(false);
                var job = stored with { Status = JobStatus.InProgress, StartedAt = stored.StartedAt ?? now };
                var expires = now + leaseDuration;
                await rows.SaveAsync(connection, job, leaseHolder, expires, cancellationToken).ConfigureAwait(false);
                return new JobLease(job, leaseHolder, expires);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<LeaseRenewal> RenewLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await database.ReadAsync(
            async connection =>
            {
                var renewed = await connection.ScalarAsync(
                    _renew, cancellationToken,
                    ("@expires", timeProvider.GetUtcNow() + leaseDuration), ("@ou", lease.Job.Ou), ("@id", lease.Job.JobId), ("@owner", lease.LeaseHolder)).ConfigureAwait(false);
                if (renewed is bool cancelRequested)
                {
                    return new LeaseRenewal(true, cancelRequested);
                }

                var cancel = await connection.ScalarAsync(
                    database.Sql("SELECT cancel_requested FROM :\"schema\".jobs WHERE ou = @ou AND job_id = @id"), cancellationToken,
                    ("@ou", lease.Job.Ou), ("@id", lease.Job.JobId)).ConfigureAwait(false);
                return new LeaseRenewal(false, cancel is true);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await database.WriteAsync(
            connection => connection.ExecuteAsync(
                _release, cancellationToken,
                ("@ou", lease.Job.Ou), ("@id", lease.Job.JobId), ("@owner", lease.LeaseHolder), ("@channel", database.Options.Channel)),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> SetStallAsync(JobLease lease, JobStall? stall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await database.WriteAsync(
            async connection =>
            {
                if (await rows.HeldAsync(connection, lease, cancellationToken).ConfigureAwait(false) is not { } job)
                {
                    return false;
                }

                await rows.SaveAsync(connection, job with { Stall = stall }, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    internal async Task<ImportJob?> FindRealImportAsync(Npgsql.NpgsqlConnection connection, string ou, string fileId, CancellationToken cancellationToken) =>
        await connection.ScalarAsync(
            database.Sql("SELECT job_id FROM :\"schema\".jobs WHERE ou = @ou AND file_id = @file AND NOT dry_run"), cancellationToken, ("@ou", ou), ("@file", fileId))
            .ConfigureAwait(false) is string jobId
            ? await rows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false)
            : null;
}
