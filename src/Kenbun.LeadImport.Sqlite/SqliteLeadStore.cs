using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// The leads of a <see cref="SqliteStorage"/>: profile fields in one JSON column, identifiers in a table whose unique index
/// <c>(ou, kind, value)</c> makes each identifier belong to one lead per OU. A batch is looked up in one statement and
/// committed in one transaction together with the job's checkpoint, each part of it one statement over the whole batch.
/// </summary>
internal sealed class SqliteLeadStore(SqliteDatabase database) : ILeadStore, IDisposable
{
    // CROSS JOIN keeps the values as the outer loop, so each value is one probe of the unique index.
    private const string OwnersOfValues =
        """
        SELECT i.value, i.lead_id FROM json_each(CAST($values AS TEXT)) k
        CROSS JOIN identifiers i ON i.ou_id = $ou AND i.kind = $kind AND i.value = k.value
        """;

    // An identifier someone else took since the look-up is left out; the commit then counts fewer than it sent. Claims go
    // in the unique index's order (then the batch's, for equal ones), so a commit walks the index's pages once, in order,
    // instead of at random in the rows' order: about 12% faster at 1,000,000 rows, where the index is many times the page
    // cache, and within the noise at 100,000 (docs/performance.md, "2026-12-02, last").
    private const string ClaimIdentifiers =
        """
        INSERT INTO identifiers (ou_id, lead_id, kind, value)
        SELECT $ou, value ->> 0, value ->> 1, value ->> 2 FROM json_each(CAST($identifiers AS TEXT)) WHERE true
        ORDER BY value ->> 1, value ->> 2, key
        ON CONFLICT DO NOTHING
        """;

    private const string InsertLeads =
        """
        INSERT INTO leads (ou_id, lead_id, fields, created_by, updated_by, feed_batch)
        SELECT $ou, value ->> 0, value -> 1, $job, $job, $feed FROM json_each(CAST($leads AS TEXT))
        """;

    // One statement a lead: the set-based forms cost more as commits grow. UPDATE … FROM json_each scans the OU's leads
    // (SQLite puts the target table outside), and reading each lead's fields out of one document (`$updates -> lead_id`)
    // searches the document once a row, quadratic in the commit's updates: with 20,000-row commits it took 0.62 s of a
    // 100,000-row import, this way 0.19 s at 25,000; at 1,000-row commits the two cost the same (≈ 0.4 s).
    private const string UpdateLead =
        """
        UPDATE leads SET fields = json_patch(fields, CAST($fields AS TEXT)), updated_by = $job, feed_batch = $feed
        WHERE ou_id = $ou AND lead_id = $lead
        """;

    // The OU's next feed batch number, taken inside the commit's transaction: commits of one OU take turns on its row.
    private const string NextFeedBatch = "UPDATE ous SET feed_batches = feed_batches + 1 WHERE id = $ou RETURNING feed_batches";

    // Leads the batch updates that were forgotten since its look-up (ForgetLeadAsync): their changes are dropped.
    private const string ForgottenLeadsOfBatch =
        "SELECT lead_id FROM forgotten_leads WHERE ou_id = $ou AND lead_id IN (SELECT value FROM json_each(CAST($updates AS TEXT)))";

    // The identifiers the batch claimed for forgotten leads: no one else owns them, and their lead is gone.
    private const string DropIdentifiersOfForgottenLeads =
        """
        DELETE FROM identifiers WHERE ou_id = $ou
          AND lead_id IN (SELECT lead_id FROM forgotten_leads WHERE ou_id = $ou AND lead_id IN (SELECT value FROM json_each(CAST($updates AS TEXT))))
        """;

    private const string InsertErrors =
        """
        INSERT OR REPLACE INTO job_errors (job_id, row, error, value, cells, detail)
        SELECT $job, value ->> 0, value ->> 1, value ->> 2, value -> 3, value ->> 4 FROM json_each(CAST($errors AS TEXT))
        """;

    private const string InsertWarnings =
        """
        INSERT INTO job_warnings (job_id, seq, row, warning, value)
        SELECT $job, $before + key + 1, value ->> 0, value ->> 1, value ->> 2 FROM json_each(CAST($warnings AS TEXT))
        """;

    private readonly SqliteSerialConnection _engineConnection = new(database, withCommitCache: true);

    // Look-ups have a long-lived connection of their own, so the next batches are looked up while a commit runs on the
    // engine's, and group commit takes them together (4–5 batches a commit on a 100,000-row import). Its page cache is
    // emptied by every commit, but re-reading what a batch probes costs less than waiting for the commit to end.
    private readonly SqliteSerialConnection _lookupConnection = new(database);
    private readonly SqliteOuIds _ouIds = new();

    public async ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(owners);
        var valuesByKind = SqliteBatchJson.ValuesByKind(identifiers);
        await _lookupConnection.RunAsync(
            async statements =>
            {
                if (await _ouIds.FindAsync(statements.Connection, ou, cancellationToken).ConfigureAwait(false) is not { } ouId)
                {
                    return true;
                }

                foreach (var (identifier, leadId) in await OwnersAsync(statements, ouId, valuesByKind, cancellationToken).ConfigureAwait(false))
                {
                    owners[identifier] = leadId;
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The storage's <see cref="LeadImportStorage.CommitBatchAsync"/>: on the engine's connection, in one transaction.</summary>
    public async ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var batch = new BatchDocuments(changes, checkpoint);
        return await _engineConnection.RunAsync(
            async statements =>
            {
                var ouId = await _ouIds.EnsureAsync(statements.Connection, ou, cancellationToken).ConfigureAwait(false);
                return await statements.Connection.WriteAsync(
                    async connection =>
                    {
                        var row = await SqliteJobRows.LoadAsync(connection, jobId, cancellationToken).ConfigureAwait(false);
                        var stored = row?.Job.Ou == ou ? row : null;
                        if (JobTransitions.RefuseCommit(stored?.Job, stored?.LeaseOwner, checkpoint) is { } refused)
                        {
                            return refused;
                        }

                        var job = stored!.Value.Job;

                        var conflicts = await ClaimIdentifiersAsync(statements, ouId, changes, batch, cancellationToken).ConfigureAwait(false);
                        if (conflicts.Count > 0)
                        {
                            return new BatchCommitResult(BatchCommitStatus.Conflict, conflicts, job.CancelRequested);
                        }

                        await WriteAsync(statements, ouId, job, batch, cancellationToken).ConfigureAwait(false);
                        var saved = job with { Counters = checkpoint.Counters, WarningCount = checkpoint.WarningCount };
                        await SqliteJobRows.SaveAsync(connection, saved, cancellationToken).ConfigureAwait(false);
                        return BatchCommitResult.Committed(job.CancelRequested);
                    },
                    cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _engineConnection.Dispose();
        _lookupConnection.Dispose();
    }

    public async ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection => await _ouIds.FindAsync(connection, ou, cancellationToken).ConfigureAwait(false) is { } ouId
                && await connection.ScalarAsync(
                    "SELECT lead_id FROM identifiers WHERE ou_id = $ou AND kind = $kind AND value = $value", cancellationToken,
                    ("$ou", ouId), ("$kind", (int)identifier.Kind), ("$value", identifier.Value)).ConfigureAwait(false) is string leadId
                ? await LoadLeadAsync(connection, ou, ouId, leadId, cancellationToken).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                if (await _ouIds.FindAsync(connection, ou, cancellationToken).ConfigureAwait(false) is not { } ouId)
                {
                    return new Page<Lead>([], 0, page, limit);
                }

                var total = (long)(await connection.ScalarAsync("SELECT COUNT(*) FROM leads WHERE ou_id = $ou", cancellationToken, ("$ou", ouId)).ConfigureAwait(false))!;
                var ids = new List<string>();
                using (var command = connection.Command(
                    "SELECT lead_id FROM leads WHERE ou_id = $ou ORDER BY seq LIMIT $limit OFFSET $offset", ("$ou", ouId), ("$limit", limit), ("$offset", Paging.Offset(page, limit))))
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
                    leads.Add((await LoadLeadAsync(connection, ou, ouId, id, cancellationToken).ConfigureAwait(false))!);
                }

                return new Page<Lead>(leads, total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<LeadFeedPage> ReadFeedAsync(string ou, LeadFeedPosition after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await database.ReadAsync(
            async connection =>
            {
                if (await _ouIds.FindAsync(connection, ou, cancellationToken).ConfigureAwait(false) is not { } ouId)
                {
                    return new LeadFeedPage([], after);
                }

                var changed = new List<(string LeadId, LeadFeedPosition Position)>();
                using (var command = connection.Command(
                    """
                    SELECT lead_id, feed_batch, seq FROM leads
                    WHERE ou_id = $ou AND (feed_batch, seq) > ($batch, $order)
                    ORDER BY feed_batch, seq LIMIT $limit
                    """,
                    ("$ou", ouId), ("$batch", after.Batch), ("$order", after.Order), ("$limit", limit)))
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        changed.Add((reader.GetString(0), new LeadFeedPosition(reader.GetInt64(1), reader.GetInt64(2))));
                    }
                }

                var leads = new List<Lead>(changed.Count);
                foreach (var (leadId, _) in changed)
                {
                    leads.Add((await LoadLeadAsync(connection, ou, ouId, leadId, cancellationToken).ConfigureAwait(false))!);
                }

                return new LeadFeedPage(leads, changed.Count > 0 ? changed[^1].Position : after);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<(IdentifierKey Identifier, string LeadId)>> OwnersAsync(
        SqliteStatements statements, long ouId, List<(IdentifierKind Kind, byte[] Values)> valuesByKind, CancellationToken cancellationToken)
    {
        var owners = new List<(IdentifierKey, string)>();
        foreach (var (kind, values) in valuesByKind)
        {
            using var reader = await statements.ReadAsync(
                OwnersOfValues, cancellationToken, ("$values", values), ("$ou", ouId), ("$kind", (int)kind)).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                owners.Add((new IdentifierKey(kind, reader.GetString(0)), reader.GetString(1)));
            }
        }

        return owners;
    }

    /// <summary>
    /// Gives the batch's new identifiers to their leads. When some were already owned, finds which belong to another
    /// lead: those are the conflicts, and then nothing of the batch stays written.
    /// </summary>
    private static async Task<List<IdentifierKey>> ClaimIdentifiersAsync(
        SqliteStatements statements, long ouId, IReadOnlyCollection<LeadChange> changes, BatchDocuments batch, CancellationToken cancellationToken)
    {
        if (batch.NewIdentifiers is null)
        {
            return [];
        }

        await statements.ExecuteAsync("SAVEPOINT claim", cancellationToken).ConfigureAwait(false);
        var claimed = await statements.ExecuteAsync(ClaimIdentifiers, cancellationToken, ("$ou", ouId), ("$identifiers", batch.NewIdentifiers)).ConfigureAwait(false);
        if (claimed == batch.NewIdentifierCount)
        {
            return [];
        }

        var wantedBy = new Dictionary<IdentifierKey, string>();
        foreach (var change in changes)
        {
            foreach (var identifier in change.NewIdentifiers)
            {
                wantedBy.TryAdd(identifier, change.LeadId);
            }
        }

        var owners = await OwnersAsync(statements, ouId, SqliteBatchJson.ValuesByKind(wantedBy.Keys), cancellationToken).ConfigureAwait(false);
        List<IdentifierKey> conflicts = [.. owners.Where(o => wantedBy[o.Identifier] != o.LeadId).Select(o => o.Identifier)];
        if (conflicts.Count > 0)
        {
            // A lead forgotten since the look-up wants nothing any more: its identifiers taken by others are no conflict.
            var forgotten = await ForgottenLeadsAsync(statements, ouId, batch, cancellationToken).ConfigureAwait(false);
            conflicts.RemoveAll(identifier => forgotten.Contains(wantedBy[identifier]));
        }

        if (conflicts.Count > 0)
        {
            await statements.ExecuteAsync("ROLLBACK TO claim", cancellationToken).ConfigureAwait(false);
        }

        return conflicts;
    }

    /// <summary>
    /// Accounts for the leads a batch could not update: leads forgotten since its look-up lose the identifiers the batch
    /// claimed for them (their fields were not written); any other missing lead means the batch changes a lead that never
    /// existed, a bug, and the whole batch is rolled back.
    /// </summary>
    private static async Task DropChangesToForgottenLeadsAsync(SqliteStatements statements, long ouId, BatchDocuments batch, int updated, CancellationToken cancellationToken)
    {
        if (updated + (await ForgottenLeadsAsync(statements, ouId, batch, cancellationToken).ConfigureAwait(false)).Count != batch.FieldUpdateCount)
        {
            throw new InvalidOperationException("The batch changes a lead that does not exist in its OU.");
        }

        await statements.ExecuteAsync(DropIdentifiersOfForgottenLeads, cancellationToken, ("$ou", ouId), ("$updates", batch.UpdatedLeads)).ConfigureAwait(false);
    }

    /// <summary>The leads the batch updates that were forgotten since its look-up; looked for only when the batch does not add up without them.</summary>
    private static async Task<HashSet<string>> ForgottenLeadsAsync(SqliteStatements statements, long ouId, BatchDocuments batch, CancellationToken cancellationToken)
    {
        var forgotten = new HashSet<string>(StringComparer.Ordinal);
        if (batch.UpdatedLeads is null)
        {
            return forgotten;
        }

        using var reader = await statements.ReadAsync(ForgottenLeadsOfBatch, cancellationToken, ("$ou", ouId), ("$updates", batch.UpdatedLeads)).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            forgotten.Add(reader.GetString(0));
        }

        return forgotten;
    }

    private static async Task WriteAsync(SqliteStatements statements, long ouId, ImportJob job, BatchDocuments batch, CancellationToken cancellationToken)
    {
        var feedBatch = batch.NewLeads is null && batch.UpdatedLeads is null
            ? 0L
            : (long)(await statements.ScalarAsync(NextFeedBatch, cancellationToken, ("$ou", ouId)).ConfigureAwait(false))!;
        if (batch.NewLeads is not null)
        {
            await statements.ExecuteAsync(InsertLeads, cancellationToken, ("$ou", ouId), ("$job", job.JobId), ("$leads", batch.NewLeads), ("$feed", feedBatch))
                .ConfigureAwait(false);
        }

        if (batch.UpdatedLeads is not null)
        {
            var updated = 0;
            foreach (var (leadId, fields) in batch.FieldsByLead)
            {
                updated += await statements.ExecuteAsync(
                    UpdateLead, cancellationToken, ("$ou", ouId), ("$lead", leadId), ("$fields", fields), ("$job", job.JobId), ("$feed", feedBatch)).ConfigureAwait(false);
            }

            if (updated != batch.FieldUpdateCount)
            {
                await DropChangesToForgottenLeadsAsync(statements, ouId, batch, updated, cancellationToken).ConfigureAwait(false);
            }
        }

        if (batch.Errors is not null)
        {
            await statements.ExecuteAsync(InsertErrors, cancellationToken, ("$job", job.JobId), ("$errors", batch.Errors)).ConfigureAwait(false);
        }

        if (batch.Warnings is not null)
        {
            await statements.ExecuteAsync(
                InsertWarnings, cancellationToken, ("$job", job.JobId), ("$before", job.WarningCount), ("$warnings", batch.Warnings)).ConfigureAwait(false);
        }
    }

    private static async Task<Lead?> LoadLeadAsync(SqliteConnection connection, string ou, long ouId, string leadId, CancellationToken cancellationToken)
    {
        using var lead = connection.Command("SELECT fields, created_by, updated_by FROM leads WHERE ou_id = $ou AND lead_id = $id", ("$ou", ouId), ("$id", leadId));
        using var reader = await lead.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var fields = JsonSerializer.Deserialize(reader.GetString(0), StoredJsonContext.Default.DictionaryStringString)!;
        var (createdBy, updatedBy) = (reader.GetString(1), reader.GetString(2));
        var identifiers = new List<IdentifierKey>();
        using var owned = connection.Command("SELECT kind, value FROM identifiers WHERE ou_id = $ou AND lead_id = $id ORDER BY seq", ("$ou", ouId), ("$id", leadId));
        using var rows = await owned.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            identifiers.Add(new IdentifierKey((IdentifierKind)rows.GetInt32(0), rows.GetString(1)));
        }

        return new Lead { LeadId = leadId, Ou = ou, Fields = fields, Identifiers = identifiers, CreatedByJobId = createdBy, UpdatedByJobId = updatedBy };
    }
}

/// <summary>
/// A batch written out as the JSON parameters of the commit's statements (null where the batch has nothing for one),
/// before the engine's connection is taken, so its turn is spent in SQLite only.
/// </summary>
internal sealed class BatchDocuments(IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint)
{
    public int NewIdentifierCount { get; } = changes.Sum(c => c.NewIdentifiers.Count);

    public byte[]? NewIdentifiers { get; } = changes.Any(c => c.NewIdentifiers.Count > 0) ? SqliteBatchJson.NewIdentifiers(changes) : null;

    public byte[]? NewLeads { get; } = changes.Any(c => c.IsNew) ? SqliteBatchJson.NewLeads(changes) : null;

    public int FieldUpdateCount { get; } = changes.Count(c => !c.IsNew);

    /// <summary>The leads the batch updates, as a JSON array of their ids.</summary>
    public byte[]? UpdatedLeads { get; } = changes.Any(c => !c.IsNew) ? SqliteBatchJson.UpdatedLeads(changes) : null;

    /// <summary>The fields the batch sets on each existing lead, as a JSON object each.</summary>
    public List<(string LeadId, byte[] Fields)> FieldsByLead { get; } = [.. changes.Where(c => !c.IsNew).Select(c => (c.LeadId, SqliteBatchJson.Fields(c.Fields)))];

    public byte[]? Errors { get; } = checkpoint.Errors.Count > 0 ? SqliteBatchJson.Errors(checkpoint.Errors) : null;

    public byte[]? Warnings { get; } = checkpoint.Warnings.Count > 0 ? SqliteBatchJson.Warnings(checkpoint.Warnings) : null;
}
