using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Leads in the database: profile fields in one JSON column, identifiers in a table whose primary key
/// <c>(ou, kind, value)</c> makes each identifier belong to one lead per OU. A batch is looked up in one statement and
/// committed in one transaction together with the job's checkpoint.
/// </summary>
internal sealed class SqliteLeadStore(SqliteDatabase database) : ILeadStore
{
    // CROSS JOIN keeps the keys as the outer loop, so each key is one primary-key probe of identifiers.
    private const string OwnersOfJsonKeys =
        """
        SELECT i.kind, i.value, i.lead_id FROM json_each($keys) k
        CROSS JOIN identifiers i ON i.ou = $ou AND i.kind = json_extract(k.value, '$[0]') AND i.value = json_extract(k.value, '$[1]')
        """;

    public async ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(owners);
        await database.ReadAsync(
            async connection =>
            {
                foreach (var (identifier, leadId) in await OwnersAsync(connection, ou, identifiers, cancellationToken).ConfigureAwait(false))
                {
                    owners[identifier] = leadId;
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(checkpoint);
        return await database.WriteAsync(
                async connection =>
                {
                    if (await SqliteJobRows.LoadAsync(connection, jobId, cancellationToken).ConfigureAwait(false) is not { } row
                        || row.Job.Ou != ou || row.Job.Status != JobStatus.InProgress)
                    {
                        return new BatchCommitResult(BatchCommitStatus.Stale, [], false);
                    }

                    var job = row.Job;
                    if (job.Counters.Processed != checkpoint.PreviousProcessedRows)
                    {
                        var alreadyApplied = job.Counters == checkpoint.Counters;
                        return new BatchCommitResult(alreadyApplied ? BatchCommitStatus.Committed : BatchCommitStatus.Stale, [], job.CancelRequested);
                    }

                    var conflicts = await ConflictsAsync(connection, ou, changes, cancellationToken).ConfigureAwait(false);
                    if (conflicts.Count > 0)
                    {
                        return new BatchCommitResult(BatchCommitStatus.Conflict, conflicts, job.CancelRequested);
                    }

                    await ApplyAsync(connection, ou, jobId, changes, cancellationToken).ConfigureAwait(false);
                    await SaveCheckpointAsync(connection, job, checkpoint, cancellationToken).ConfigureAwait(false);
                    return BatchCommitResult.Committed(job.CancelRequested);
                },
                cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection => await connection.ScalarAsync(
                    "SELECT lead_id FROM identifiers WHERE ou = $ou AND kind = $kind AND value = $value", cancellationToken,
                    ("$ou", ou), ("$kind", (int)identifier.Kind), ("$value", identifier.Value)).ConfigureAwait(false) is string leadId
                ? await LoadLeadAsync(connection, ou, leadId, cancellationToken).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                var total = (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM leads WHERE ou = $ou", cancellationToken, ("$ou", ou)).ConfigureAwait(false))!;
                var ids = new List<string>();
                using (var command = connection.Command(
                    "SELECT lead_id FROM leads WHERE ou = $ou ORDER BY seq LIMIT $limit OFFSET $offset", ("$ou", ou), ("$limit", limit), ("$offset", (long)(page - 1) * limit)))
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                var leads = new List<Lead>(ids.Count);
                foreach (var id in ids)
                {
                    leads.Add((await LoadLeadAsync(connection, ou, id, cancellationToken).ConfigureAwait(false))!);
                }

                return new Page<Lead>(leads, total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    private static async Task<List<(IdentifierKey Identifier, string LeadId)>> OwnersAsync(
        SqliteConnection connection, string ou, IEnumerable<IdentifierKey> identifiers, CancellationToken cancellationToken)
    {
        var keys = JsonSerializer.Serialize(identifiers.Select(i => new object[] { (int)i.Kind, i.Value }).ToArray(), SqliteLeadJsonContext.Default.ObjectArrayArray);
        var owners = new List<(IdentifierKey, string)>();
        using var command = connection.Command(OwnersOfJsonKeys, ("$keys", keys), ("$ou", ou));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            owners.Add((new IdentifierKey((IdentifierKind)reader.GetInt32(0), reader.GetString(1)), reader.GetString(2)));
        }

        return owners;
    }

    private static async Task<List<IdentifierKey>> ConflictsAsync(SqliteConnection connection, string ou, IReadOnlyCollection<LeadChange> changes, CancellationToken cancellationToken)
    {
        var wantedBy = new Dictionary<IdentifierKey, string>();
        foreach (var change in changes)
        {
            foreach (var identifier in change.NewIdentifiers)
            {
                wantedBy.TryAdd(identifier, change.LeadId);
            }
        }

        var owners = await OwnersAsync(connection, ou, wantedBy.Keys, cancellationToken).ConfigureAwait(false);
        return [.. owners.Where(o => wantedBy[o.Identifier] != o.LeadId).Select(o => o.Identifier)];
    }

    private static async Task ApplyAsync(SqliteConnection connection, string ou, string jobId, IReadOnlyCollection<LeadChange> changes, CancellationToken cancellationToken)
    {
        var leadSeq = (long)(await connection.ScalarAsync("SELECT COALESCE(MAX(seq), 0) FROM leads WHERE ou = $ou", cancellationToken, ("$ou", ou)).ConfigureAwait(false))!;
        var identifierSeq = (long)(await connection.ScalarAsync("SELECT COALESCE(MAX(seq), 0) FROM identifiers WHERE ou = $ou", cancellationToken, ("$ou", ou)).ConfigureAwait(false))!;
        using var insertLead = connection.Command(
            "INSERT INTO leads (ou, lead_id, seq, fields, created_by, updated_by) VALUES ($ou, $id, $seq, $fields, $job, $job)",
            ("$ou", ou), ("$id", string.Empty), ("$seq", 0L), ("$fields", string.Empty), ("$job", jobId));
        using var readFields = connection.Command("SELECT fields FROM leads WHERE ou = $ou AND lead_id = $id", ("$ou", ou), ("$id", string.Empty));
        using var updateLead = connection.Command(
            "UPDATE leads SET fields = $fields, updated_by = $job WHERE ou = $ou AND lead_id = $id", ("$fields", string.Empty), ("$job", jobId), ("$ou", ou), ("$id", string.Empty));
        using var insertIdentifier = connection.Command(
            "INSERT OR IGNORE INTO identifiers (ou, kind, value, lead_id, seq) VALUES ($ou, $kind, $value, $id, $seq)",
            ("$ou", ou), ("$kind", 0), ("$value", string.Empty), ("$id", string.Empty), ("$seq", 0L));

        foreach (var change in changes)
        {
            if (change.IsNew)
            {
                insertLead.Parameters["$id"].Value = change.LeadId;
                insertLead.Parameters["$seq"].Value = ++leadSeq;
                insertLead.Parameters["$fields"].Value = JsonSerializer.Serialize(change.Fields, SqliteJobJsonContext.Default.DictionaryStringString);
                await insertLead.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                readFields.Parameters["$id"].Value = change.LeadId;
                var stored = await readFields.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? "{}";
                var fields = JsonSerializer.Deserialize(stored, SqliteJobJsonContext.Default.DictionaryStringString)!;
                foreach (var (field, value) in change.Fields)
                {
                    fields[field] = value;
                }

                updateLead.Parameters["$id"].Value = change.LeadId;
                updateLead.Parameters["$fields"].Value = JsonSerializer.Serialize(fields, SqliteJobJsonContext.Default.DictionaryStringString);
                await updateLead.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var identifier in change.NewIdentifiers)
            {
                insertIdentifier.Parameters["$kind"].Value = (int)identifier.Kind;
                insertIdentifier.Parameters["$value"].Value = identifier.Value;
                insertIdentifier.Parameters["$id"].Value = change.LeadId;
                insertIdentifier.Parameters["$seq"].Value = ++identifierSeq;
                await insertIdentifier.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task SaveCheckpointAsync(SqliteConnection connection, ImportJob job, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        using (var insertError = connection.Command(
            "INSERT OR REPLACE INTO job_errors (job_id, row, error, value, cells) VALUES ($job, $row, $error, $value, $cells)",
            ("$job", job.JobId), ("$row", 0L), ("$error", string.Empty), ("$value", string.Empty), ("$cells", string.Empty)))
        {
            foreach (var error in checkpoint.Errors)
            {
                insertError.Parameters["$row"].Value = error.Row;
                insertError.Parameters["$error"].Value = error.Error;
                insertError.Parameters["$value"].Value = error.Value;
                insertError.Parameters["$cells"].Value = SqliteJobRows.SerializeCells(error.Cells);
                await insertError.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var warningSeq = job.WarningCount;
        using (var insertWarning = connection.Command(
            "INSERT INTO job_warnings (job_id, seq, row, warning, value) VALUES ($job, $seq, $row, $warning, $value)",
            ("$job", job.JobId), ("$seq", 0L), ("$row", 0L), ("$warning", string.Empty), ("$value", string.Empty)))
        {
            foreach (var warning in checkpoint.Warnings)
            {
                insertWarning.Parameters["$seq"].Value = ++warningSeq;
                insertWarning.Parameters["$row"].Value = warning.Row;
                insertWarning.Parameters["$warning"].Value = warning.Warning;
                insertWarning.Parameters["$value"].Value = warning.Value;
                await insertWarning.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await SqliteJobRows.SaveAsync(connection, job with { Counters = checkpoint.Counters, WarningCount = warningSeq }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Lead?> LoadLeadAsync(SqliteConnection connection, string ou, string leadId, CancellationToken cancellationToken)
    {
        using var lead = connection.Command("SELECT fields, created_by, updated_by FROM leads WHERE ou = $ou AND lead_id = $id", ("$ou", ou), ("$id", leadId));
        using var reader = await lead.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var fields = JsonSerializer.Deserialize(reader.GetString(0), SqliteJobJsonContext.Default.DictionaryStringString)!;
        var (createdBy, updatedBy) = (reader.GetString(1), reader.GetString(2));
        var identifiers = new List<IdentifierKey>();
        using var owned = connection.Command("SELECT kind, value FROM identifiers WHERE ou = $ou AND lead_id = $id ORDER BY seq", ("$ou", ou), ("$id", leadId));
        using var rows = await owned.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            identifiers.Add(new IdentifierKey((IdentifierKind)rows.GetInt32(0), rows.GetString(1)));
        }

        return new Lead { LeadId = leadId, Ou = ou, Fields = fields, Identifiers = identifiers, CreatedByJobId = createdBy, UpdatedByJobId = updatedBy };
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(object[][]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class SqliteLeadJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
