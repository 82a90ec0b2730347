using System.Text.Json;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// How a job is kept: the columns queries need (status, times, progress, lease) beside a JSON copy of the rest.
/// Errors and warnings live in their own tables. Both stores read and write jobs through here.
/// </summary>
internal static class SqliteJobRows
{
    public static async Task<(ImportJob Job, string? LeaseOwner)?> LoadAsync(SqliteConnection connection, string jobId, CancellationToken cancellationToken)
    {
        using var command = connection.Command("SELECT job, lease_owner, created_by FROM jobs WHERE job_id = $id", ("$id", jobId));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (Deserialize(reader.GetString(0), reader.IsDBNull(2) ? null : reader.GetString(2)), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    public static async Task<ImportJob?> LoadAsync(SqliteConnection connection, string ou, string jobId, CancellationToken cancellationToken) =>
        await LoadAsync(connection, jobId, cancellationToken).ConfigureAwait(false) is { Job.Ou: var jobOu } row && jobOu == ou ? row.Job : null;

    public static Task InsertAsync(SqliteConnection connection, ImportJob job, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            INSERT INTO jobs (job_id, ou, file_id, dry_run, seq, status, created_at, completed_at, processed, cancel_requested, job, created_by)
            VALUES ($id, $ou, $file, $dry, (SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs), $status, $created, $completed, $processed, $cancel, $job, $created_by)
            """,
            cancellationToken,
            ("$id", job.JobId), ("$ou", job.Ou), ("$file", job.FileId), ("$dry", job.Settings.DryRun), ("$status", (int)job.Status), ("$created", job.CreatedAt.ToStored()),
            ("$completed", job.CompletedAt?.ToStored()), ("$processed", job.Counters.Processed), ("$cancel", job.CancelRequested), ("$job", Serialize(job)),
            ("$created_by", job.CreatedBy));

    /// <summary>Writes a changed job, leaving its lease as it is.</summary>
    public static Task SaveAsync(SqliteConnection connection, ImportJob job, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            UPDATE jobs SET status = $status, completed_at = $completed, processed = $processed, cancel_requested = $cancel, job = $job
            WHERE job_id = $id
            """,
            cancellationToken,
            ("$status", (int)job.Status), ("$completed", job.CompletedAt?.ToStored()), ("$processed", job.Counters.Processed),
            ("$cancel", job.CancelRequested), ("$job", Serialize(job)), ("$id", job.JobId));

    /// <summary>Writes a changed job and gives it to <paramref name="leaseOwner"/> until <paramref name="leaseExpiresAt"/> (both null: no lease).</summary>
    public static async Task SaveAsync(SqliteConnection connection, ImportJob job, string? leaseOwner, DateTimeOffset? leaseExpiresAt, CancellationToken cancellationToken)
    {
        await SaveAsync(connection, job, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE jobs SET lease_owner = $owner, lease_expires_at = $expires WHERE job_id = $id",
            cancellationToken,
            ("$owner", leaseOwner), ("$expires", leaseExpiresAt?.ToStored()), ("$id", job.JobId)).ConfigureAwait(false);
    }

    public static async Task<ImportJob> WithDetailAsync(SqliteConnection connection, ImportJob job, int maxDetailItems, CancellationToken cancellationToken)
    {
        if (maxDetailItems == 0)
        {
            return job;
        }

        var errors = await ErrorsAsync(connection, job.JobId, maxDetailItems, 0, cancellationToken).ConfigureAwait(false);
        var warnings = new List<RowWarning>();
        using var command = connection.Command(
            "SELECT row, warning, value FROM job_warnings WHERE job_id = $id ORDER BY seq LIMIT $limit", ("$id", job.JobId), ("$limit", maxDetailItems));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            warnings.Add(new RowWarning(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return job with { Errors = errors, Warnings = warnings };
    }

    public static Task<List<RowError>> ErrorsAsync(SqliteConnection connection, string jobId, int limit, long offset, CancellationToken cancellationToken) =>
        ReadErrorsAsync(
            connection.Command(
                "SELECT row, error, value, cells, detail FROM job_errors WHERE job_id = $id ORDER BY row LIMIT $limit OFFSET $offset", ("$id", jobId), ("$limit", limit), ("$offset", offset)),
            cancellationToken);

    /// <summary>Errors after a row, found by the <c>(job_id, row)</c> key rather than counted past.</summary>
    public static Task<List<RowError>> ErrorsAfterAsync(SqliteConnection connection, string jobId, long afterRow, int limit, CancellationToken cancellationToken) =>
        ReadErrorsAsync(
            connection.Command(
                "SELECT row, error, value, cells, detail FROM job_errors WHERE job_id = $id AND row > $after ORDER BY row LIMIT $limit", ("$id", jobId), ("$after", afterRow), ("$limit", limit)),
            cancellationToken);

    private static async Task<List<RowError>> ReadErrorsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var errors = new List<RowError>();
        using var owned = command;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var cells = JsonSerializer.Deserialize(reader.GetString(3), StoredJsonContext.Default.StringArray)!;
            errors.Add(new RowError(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), cells) { Detail = reader.IsDBNull(4) ? null : reader.GetString(4) });
        }

        return errors;
    }

    private static string Serialize(ImportJob job) => JsonSerializer.Serialize(StoredJob.From(job), StoredJsonContext.Default.StoredJob);

    /// <summary>
    /// A job from its JSON and its <c>created_by</c> column. Who started a job is a column of its own, written once when the
    /// job is created (schema version 10), not a member of <see cref="StoredJob"/>, which every save writes whole again.
    /// </summary>
    private static ImportJob Deserialize(string json, string? createdBy) =>
        JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredJob)!.ToJob() with { CreatedBy = createdBy };
}
