using System.Text.Json;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// How a job is kept: the columns queries need (status, times, progress, lease) beside a JSON copy of the rest
/// (<see cref="StoredJob"/>). Errors and warnings live in their own tables. Every store reads and writes jobs through here.
/// </summary>
internal sealed class PostgreSqlJobRows(PostgreSqlDatabase database)
{
    private readonly string _load = database.Sql("SELECT job, lease_owner, created_by FROM :\"schema\".jobs WHERE ou = @ou AND job_id = @id");

    private readonly string _loadForUpdate = database.Sql("SELECT job, lease_owner, created_by FROM :\"schema\".jobs WHERE ou = @ou AND job_id = @id FOR UPDATE");

    private readonly string _insert = database.Sql(
        """
        INSERT INTO :"schema".jobs (ou, job_id, file_id, dry_run, status, created_at, completed_at, processed, cancel_requested, job, created_by)
        VALUES (@ou, @id, @file, @dry, @status, @created, @completed, @processed, @cancel, @job::jsonb, @created_by)
        """);

    private readonly string _save = database.Sql(
        """
        UPDATE :"schema".jobs SET status = @status, completed_at = @completed, processed = @processed, cancel_requested = @cancel, job = @job::jsonb
        WHERE ou = @ou AND job_id = @id
        """);

    private readonly string _saveWithLease = database.Sql(
        """
        UPDATE :"schema".jobs SET status = @status, completed_at = @completed, processed = @processed, cancel_requested = @cancel, job = @job::jsonb,
            lease_owner = @owner, lease_expires_at = @expires
        WHERE ou = @ou AND job_id = @id
        """);

    private readonly string _warnings = database.Sql(
        "SELECT row, warning, value FROM :\"schema\".job_warnings WHERE ou = @ou AND job_id = @id ORDER BY seq LIMIT @limit");

    private readonly string _errors = database.Sql(
        "SELECT row, error, value, cells::text, detail FROM :\"schema\".job_errors WHERE ou = @ou AND job_id = @id ORDER BY row LIMIT @limit OFFSET @offset");

    private readonly string _errorsAfter = database.Sql(
        "SELECT row, error, value, cells::text, detail FROM :\"schema\".job_errors WHERE ou = @ou AND job_id = @id AND row > @after ORDER BY row LIMIT @limit");

    /// <summary>The job and who holds its lease; with <paramref name="forUpdate"/>, its row stays locked until the transaction ends.</summary>
    public async Task<(ImportJob Job, string? LeaseOwner)?> LoadRowAsync(NpgsqlConnection connection, string ou, string jobId, bool forUpdate, CancellationToken cancellationToken)
    {
        using var command = connection.Command(forUpdate ? _loadForUpdate : _load, ("@ou", ou), ("@id", jobId));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (Deserialize(reader.GetString(0), reader.IsDBNull(2) ? null : reader.GetString(2)), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    public async Task<ImportJob?> LoadAsync(NpgsqlConnection connection, string ou, string jobId, CancellationToken cancellationToken) =>
        (await LoadRowAsync(connection, ou, jobId, forUpdate: false, cancellationToken).ConfigureAwait(false))?.Job;

    /// <summary>The job locked for this transaction, or <see langword="null"/> when it does not exist.</summary>
    public async Task<ImportJob?> LockAsync(NpgsqlConnection connection, string ou, string jobId, CancellationToken cancellationToken) =>
        (await LoadRowAsync(connection, ou, jobId, forUpdate: true, cancellationToken).ConfigureAwait(false))?.Job;

    /// <summary>The leased job locked for this transaction, or <see langword="null"/> when the lease is no longer held.</summary>
    public async Task<ImportJob?> HeldAsync(NpgsqlConnection connection, JobLease lease, CancellationToken cancellationToken) =>
        await LoadRowAsync(connection, lease.Job.Ou, lease.Job.JobId, forUpdate: true, cancellationToken).ConfigureAwait(false) is { } row
        && row.LeaseOwner == lease.LeaseHolder && row.Job.Status == JobStatus.InProgress
            ? row.Job
            : null;

    public Task<int> InsertAsync(NpgsqlConnection connection, ImportJob job, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            _insert,
            cancellationToken,
            ("@ou", job.Ou), ("@id", job.JobId), ("@file", job.FileId), ("@dry", job.Settings.DryRun), ("@status", (short)job.Status), ("@created", job.CreatedAt),
            ("@completed", job.CompletedAt), ("@processed", job.Counters.Processed), ("@cancel", job.CancelRequested), ("@job", Serialize(job)),
            ("@created_by", job.CreatedBy));

    /// <summary>Writes a changed job, leaving its lease as it is.</summary>
    public Task<int> SaveAsync(NpgsqlConnection connection, ImportJob job, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(_save, cancellationToken, JobParameters(job));

    /// <summary>Writes a changed job, leaving its lease as it is: as a statement of a batch of them.</summary>
    public NpgsqlBatchCommand SaveStatement(ImportJob job) => PostgreSqlCommands.Statement(_save, JobParameters(job));

    /// <summary>Writes a changed job and gives it to <paramref name="leaseOwner"/> until <paramref name="leaseExpiresAt"/> (both null: no lease).</summary>
    public Task<int> SaveAsync(NpgsqlConnection connection, ImportJob job, string? leaseOwner, DateTimeOffset? leaseExpiresAt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(_saveWithLease, cancellationToken, [.. JobParameters(job), ("@owner", leaseOwner), ("@expires", leaseExpiresAt)]);

    public async Task<ImportJob> WithDetailAsync(NpgsqlConnection connection, ImportJob job, int maxDetailItems, CancellationToken cancellationToken)
    {
        if (maxDetailItems == 0)
        {
            return job;
        }

        var errors = await ErrorsAsync(connection, job.Ou, job.JobId, maxDetailItems, 0, cancellationToken).ConfigureAwait(false);
        var warnings = new List<RowWarning>();
        using var command = connection.Command(_warnings, ("@ou", job.Ou), ("@id", job.JobId), ("@limit", maxDetailItems));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            warnings.Add(new RowWarning(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return job with { Errors = errors, Warnings = warnings };
    }

    public Task<List<RowError>> ErrorsAsync(NpgsqlConnection connection, string ou, string jobId, int limit, long offset, CancellationToken cancellationToken) =>
        ReadErrorsAsync(connection.Command(_errors, ("@ou", ou), ("@id", jobId), ("@limit", limit), ("@offset", offset)), cancellationToken);

    /// <summary>Errors after a row, found by the <c>(ou, job_id, row)</c> key rather than counted past.</summary>
    public Task<List<RowError>> ErrorsAfterAsync(NpgsqlConnection connection, string ou, string jobId, long afterRow, int limit, CancellationToken cancellationToken) =>
        ReadErrorsAsync(connection.Command(_errorsAfter, ("@ou", ou), ("@id", jobId), ("@after", afterRow), ("@limit", limit)), cancellationToken);

    private static async Task<List<RowError>> ReadErrorsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
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

    private static (string, object?)[] JobParameters(ImportJob job) =>
    [
        ("@status", (short)job.Status), ("@completed", job.CompletedAt), ("@processed", job.Counters.Processed), ("@cancel", job.CancelRequested),
        ("@job", Serialize(job)), ("@ou", job.Ou), ("@id", job.JobId),
    ];

    private static string Serialize(ImportJob job) => JsonSerializer.Serialize(StoredJob.From(job), StoredJsonContext.Default.StoredJob);

    /// <summary>
    /// A job from its JSON and its <c>created_by</c> column. Who started a job is a column of its own, written once when the
    /// job is created (schema version 2), not a member of <see cref="StoredJob"/>: the JSON is written whole again by
    /// whichever release saves the job, and one that predates the member would drop it; it leaves a column alone.
    /// </summary>
    public static ImportJob Deserialize(string json, string? createdBy) =>
        JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredJob)!.ToJob() with { CreatedBy = createdBy };
}
