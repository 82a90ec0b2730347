using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Npgsql;
using NpgsqlTypes;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// The leads of a <see cref="PostgreSqlStorage"/>: profile fields in a <c>jsonb</c> column, identifiers in a table whose
/// primary key <c>(ou, kind, value)</c> makes each identifier belong to one lead per OU, enforced by the database across
/// every instance. A batch is looked up in one statement and committed in one transaction with the job's checkpoint,
/// in a fixed number of round trips: lock the job, copy in the claimed identifiers, then everything else as one batch of
/// statements.
/// </summary>
internal sealed class PostgreSqlLeadStore(PostgreSqlDatabase database, PostgreSqlJobRows rows) : ILeadStore
{
    // One primary-key probe per identifier. Joined plainly, a batch of a thousand identifiers makes the planner hash the
    // OU's whole identifiers table instead (cheaper by its disk-based costs until the table holds some 200,000 rows), so
    // each batch read the whole OU and an import slowed down as the OU grew. A LATERAL subquery with a LIMIT is not
    // flattened into a join: it can only be run once per identifier, by the key.
    private readonly string _owners = database.Sql(
        """
        SELECT i.kind, i.value, i.lead_id FROM unnest(@kinds, @values) AS k(kind, value)
        CROSS JOIN LATERAL (
            SELECT i.kind, i.value, i.lead_id FROM :"schema".identifiers i WHERE i.ou = @ou AND i.kind = k.kind AND i.value = k.value LIMIT 1
        ) i
        """);

    // The claims go in as plain rows: an insert without ON CONFLICT skips the key probe that comes before each
    // speculative insert (docs/performance.md measures the difference). An identifier already owned (or claimed by a
    // batch that commits first) fails the whole copy with a unique violation, and the claim is made again with _claim.
    private readonly string _copyClaims = database.Sql("COPY :\"schema\".identifiers (ou, kind, value, lead_id) FROM STDIN (FORMAT BINARY)");

    // An identifier someone else took since the look-up is left out (or waited for, while their batch is uncommitted);
    // the commit then counts fewer than it sent and looks for conflicts.
    private readonly string _claim = database.Sql(
        """
        INSERT INTO :"schema".identifiers (ou, kind, value, lead_id)
        SELECT @ou, kind, value, lead_id FROM unnest(@kinds, @values, @leads) AS c(kind, value, lead_id)
        ON CONFLICT DO NOTHING
        """);

    // The OU's next feed batch number, taken inside the commit's transaction: commits of one OU take turns on its row,
    // so batch numbers follow the commit order.
    private readonly string _nextFeedBatch = database.Sql(
        """
        INSERT INTO :"schema".ous AS o (ou, feed_batches) VALUES (@ou, 1)
        ON CONFLICT (ou) DO UPDATE SET feed_batches = o.feed_batches + 1
        """);

    private readonly string _insertLeads = database.Sql(
        """
        INSERT INTO :"schema".leads (ou, lead_id, fields, created_by, updated_by, feed_batch)
        SELECT @ou, lead_id, fields::jsonb, @job, @job, (SELECT feed_batches FROM :"schema".ous WHERE ou = @ou)
        FROM unnest(@ids, @fields) AS n(lead_id, fields)
        """);

    // Each lead is found by its key, one probe each as in _owners, and updated at the row address the probe found:
    // joined to the batch by key, the update had the planner read the OU's whole leads table for each batch, whatever
    // the statistics (without them it scans the OU by its first key column). The addresses stay good until the update:
    // every writer of leads takes the OU's row in `ous` first, as this transaction did, and a lead deleted meanwhile
    // (forgotten) is left out, as a join would leave it out. The new fields come from one object keyed by lead id.
    private readonly string _updateLeads = database.Sql(
        """
        UPDATE :"schema".leads l
        SET fields = l.fields || (@changes::jsonb -> l.lead_id), updated_by = @job, feed_batch = (SELECT feed_batches FROM :"schema".ous WHERE ou = @ou)
        WHERE l.ou = @ou AND l.ctid = ANY(ARRAY(
            SELECT x.ctid FROM unnest(@ids) AS u(lead_id)
            CROSS JOIN LATERAL (SELECT x.ctid FROM :"schema".leads x WHERE x.ou = @ou AND x.lead_id = u.lead_id LIMIT 1) x))
        """);

    private readonly string _insertErrors = database.Sql(
        """
        INSERT INTO :"schema".job_errors (ou, job_id, row, error, value, cells, detail)
        SELECT @ou, @job, row, error, value, cells::jsonb, detail FROM unnest(@rows, @errors, @values, @cells, @details) AS e(row, error, value, cells, detail)
        ON CONFLICT (ou, job_id, row) DO UPDATE SET error = excluded.error, value = excluded.value, cells = excluded.cells, detail = excluded.detail
        """);

    private readonly string _insertWarnings = database.Sql(
        """
        INSERT INTO :"schema".job_warnings (ou, job_id, seq, row, warning, value)
        SELECT @ou, @job, @before + n, row, warning, value FROM unnest(@rows, @warnings, @values) WITH ORDINALITY AS w(row, warning, value, n)
        """);

    private readonly string _forgottenOf = database.Sql(
        "SELECT lead_id FROM :\"schema\".forgotten_leads WHERE ou = @ou AND lead_id = ANY(@ids)");

    private readonly string _dropIdentifiersOfForgotten = database.Sql(
        "DELETE FROM :\"schema\".identifiers WHERE ou = @ou AND lead_id = ANY(@ids)");

    public async ValueTask LookupAsync(string ou, IReadOnlyCollection<IdentifierKey> identifiers, IDictionary<IdentifierKey, string> owners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        ArgumentNullException.ThrowIfNull(owners);
        var kinds = identifiers.Select(identifier => (short)identifier.Kind).ToArray();
        var values = identifiers.Select(identifier => identifier.Value).ToArray();
        var found = await database.ReadAsync(connection => OwnersAsync(connection, ou, kinds, values, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var (identifier, leadId) in found)
        {
            owners[identifier] = leadId;
        }
    }

    /// <summary>The storage's <see cref="LeadImportStorage.CommitBatchAsync"/>: one transaction, a fixed number of round trips.</summary>
    public async ValueTask<BatchCommitResult> CommitBatchAsync(
        string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var batch = new PostgreSqlBatch(changes, checkpoint);
        return await database.WriteAsync(
            async connection =>
            {
                var row = await rows.LoadRowAsync(connection, ou, jobId, forUpdate: true, cancellationToken).ConfigureAwait(false);
                if (JobTransitions.RefuseCommit(row?.Job, row?.LeaseOwner, checkpoint) is { } refused)
                {
                    return refused;
                }

                var job = row!.Value.Job;
                var conflicts = await ClaimIdentifiersAsync(connection, ou, batch, cancellationToken).ConfigureAwait(false);
                if (conflicts.Count > 0)
                {
                    return new BatchCommitResult(BatchCommitStatus.Conflict, conflicts, job.CancelRequested);
                }

                var updated = await WriteAsync(connection, ou, job, batch, cancellationToken).ConfigureAwait(false);
                if (updated != batch.UpdatedLeadIds.Length)
                {
                    await DropChangesToForgottenLeadsAsync(connection, ou, batch, updated, cancellationToken).ConfigureAwait(false);
                }

                return BatchCommitResult.Committed(job.CancelRequested);
            },
            result => result.Status == BatchCommitStatus.Committed, // a conflict applies nothing of the batch
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Lead?> FindAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection => await connection.ScalarAsync(
                    database.Sql("SELECT lead_id FROM :\"schema\".identifiers WHERE ou = @ou AND kind = @kind AND value = @value"), cancellationToken,
                    ("@ou", ou), ("@kind", (short)identifier.Kind), ("@value", identifier.Value)).ConfigureAwait(false) is string leadId
                ? await LoadLeadAsync(connection, ou, leadId, cancellationToken).ConfigureAwait(false)
                : null,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<Page<Lead>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                var total = (long)(await connection.ScalarAsync(database.Sql("SELECT COUNT(*) FROM :\"schema\".leads WHERE ou = @ou"), cancellationToken, ("@ou", ou))
                    .ConfigureAwait(false))!;
                var ids = await LeadIdsAsync(
                    connection,
                    database.Sql("SELECT lead_id FROM :\"schema\".leads WHERE ou = @ou ORDER BY seq LIMIT @limit OFFSET @offset"),
                    cancellationToken,
                    ("@ou", ou), ("@limit", limit), ("@offset", Paging.Offset(page, limit))).ConfigureAwait(false);
                return new Page<Lead>(await LoadLeadsAsync(connection, ou, ids.Select(id => id.LeadId), cancellationToken).ConfigureAwait(false), total, page, limit);
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask<LeadFeedPage> ReadFeedAsync(string ou, LeadFeedPosition after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await database.ReadAsync(
            async connection =>
            {
                var changed = await LeadIdsAsync(
                    connection,
                    database.Sql(
                        """
                        SELECT lead_id, feed_batch, seq FROM :"schema".leads
                        WHERE ou = @ou AND (feed_batch, seq) > (@batch, @order)
                        ORDER BY feed_batch, seq LIMIT @limit
                        """),
                    cancellationToken,
                    ("@ou", ou), ("@batch", after.Batch), ("@order", after.Order), ("@limit", limit)).ConfigureAwait(false);
                var leads = await LoadLeadsAsync(connection, ou, changed.Select(c => c.LeadId), cancellationToken).ConfigureAwait(false);
                return new LeadFeedPage(leads, changed.Count > 0 ? changed[^1].Position : after);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<(IdentifierKey Identifier, string LeadId)>> OwnersAsync(
        NpgsqlConnection connection, string ou, short[] kinds, string[] values, CancellationToken cancellationToken)
    {
        var owners = new List<(IdentifierKey, string)>();
        using var command = connection.Command(_owners, ("@ou", ou), ("@kinds", kinds), ("@values", values));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            owners.Add((new IdentifierKey((IdentifierKind)reader.GetInt16(0), reader.GetString(1)), reader.GetString(2)));
        }

        return owners;
    }

    /// <summary>
    /// Gives the batch's new identifiers to their leads. When some were already owned, finds which belong to another
    /// lead: those are the conflicts, and the caller rolls the whole batch back.
    /// </summary>
    private async Task<List<IdentifierKey>> ClaimIdentifiersAsync(NpgsqlConnection connection, string ou, PostgreSqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.ClaimKinds.Length == 0)
        {
            return [];
        }

        if (await CopyClaimsAsync(connection, ou, batch, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var claimed = await connection.ExecuteAsync(
            _claim, cancellationToken, ("@ou", ou), ("@kinds", batch.ClaimKinds), ("@values", batch.ClaimValues), ("@leads", batch.ClaimLeads)).ConfigureAwait(false);
        if (claimed == batch.ClaimKinds.Length)
        {
            return [];
        }

        var wantedBy = new Dictionary<IdentifierKey, string>();
        foreach (var (identifier, leadId) in batch.Claims())
        {
            wantedBy.TryAdd(identifier, leadId);
        }

        var owners = await OwnersAsync(connection, ou, batch.ClaimKinds, batch.ClaimValues, cancellationToken).ConfigureAwait(false);
        List<IdentifierKey> conflicts = [.. owners.Where(o => wantedBy[o.Identifier] != o.LeadId).Select(o => o.Identifier)];
        if (conflicts.Count > 0)
        {
            // A lead forgotten since the look-up wants nothing any more: its identifiers taken by others are no conflict.
            var forgotten = await ForgottenLeadsAsync(connection, ou, batch, cancellationToken).ConfigureAwait(false);
            conflicts.RemoveAll(identifier => forgotten.Contains(wantedBy[identifier]));
        }

        return conflicts;
    }

    /// <summary>
    /// Copies the batch's claims into the identifiers table under a savepoint; false, with nothing of them written, when
    /// one of them was owned already. Rows go in the batch's sorted order, so concurrent copies wait for each other's
    /// identifiers in one order, as the statements of <c>_claim</c> do.
    /// </summary>
    private async Task<bool> CopyClaimsAsync(NpgsqlConnection connection, string ou, PostgreSqlBatch batch, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SAVEPOINT claims", cancellationToken).ConfigureAwait(false);
        try
        {
            var copy = await connection.BeginBinaryImportAsync(_copyClaims, cancellationToken).ConfigureAwait(false);
            await using (copy.ConfigureAwait(false))
            {
                for (var i = 0; i < batch.ClaimKinds.Length; i++)
                {
                    await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(ou, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(batch.ClaimKinds[i], NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(batch.ClaimValues[i], NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await copy.WriteAsync(batch.ClaimLeads[i], NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                }

                await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await connection.ExecuteAsync("ROLLBACK TO SAVEPOINT claims", cancellationToken).ConfigureAwait(false);
            return false;
        }

        await connection.ExecuteAsync("RELEASE SAVEPOINT claims", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes the batch's leads, errors, warnings and the job's new progress in one round trip; returns how many leads it updated.</summary>
    private async Task<int> WriteAsync(NpgsqlConnection connection, string ou, ImportJob job, PostgreSqlBatch batch, CancellationToken cancellationToken)
    {
        using var statements = new NpgsqlBatch(connection);
        if (batch.ChangesLeads)
        {
            statements.BatchCommands.Add(PostgreSqlCommands.Statement(_nextFeedBatch, ("@ou", ou)));
        }

        if (batch.NewLeadIds.Length > 0)
        {
            statements.BatchCommands.Add(PostgreSqlCommands.Statement(_insertLeads, ("@ou", ou), ("@job", job.JobId), ("@ids", batch.NewLeadIds), ("@fields", batch.NewLeadFields)));
        }

        var update = batch.UpdatedLeadIds.Length > 0
            ? PostgreSqlCommands.Statement(_updateLeads, ("@ou", ou), ("@job", job.JobId), ("@ids", batch.UpdatedLeadIds), ("@changes", batch.UpdatedLeadChanges))
            : null;
        if (update is not null)
        {
            statements.BatchCommands.Add(update);
        }

        if (batch.ErrorRows.Length > 0)
        {
            statements.BatchCommands.Add(PostgreSqlCommands.Statement(
                _insertErrors,
                ("@ou", ou), ("@job", job.JobId), ("@rows", batch.ErrorRows), ("@errors", batch.ErrorTexts), ("@values", batch.ErrorValues),
                ("@cells", batch.ErrorCells), ("@details", batch.ErrorDetails)));
        }

        if (batch.WarningRows.Length > 0)
        {
            statements.BatchCommands.Add(PostgreSqlCommands.Statement(
                _insertWarnings,
                ("@ou", ou), ("@job", job.JobId), ("@before", job.WarningCount), ("@rows", batch.WarningRows), ("@warnings", batch.WarningTexts),
                ("@values", batch.WarningValues)));
        }

        var saved = job with { Counters = batch.Counters, WarningCount = batch.WarningCount };
        statements.BatchCommands.Add(rows.SaveStatement(saved));
        await statements.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return update?.RecordsAffected ?? 0;
    }

    /// <summary>
    /// Accounts for the leads a batch could not update: leads forgotten since its look-up lose the identifiers the batch
    /// claimed for them (their fields were not written); any other missing lead means the batch changes a lead that never
    /// existed, a bug, and the whole batch is rolled back.
    /// </summary>
    private async Task DropChangesToForgottenLeadsAsync(NpgsqlConnection connection, string ou, PostgreSqlBatch batch, int updated, CancellationToken cancellationToken)
    {
        var forgotten = await ForgottenLeadsAsync(connection, ou, batch, cancellationToken).ConfigureAwait(false);
        if (updated + forgotten.Count != batch.UpdatedLeadIds.Length)
        {
            throw new InvalidOperationException("The batch changes a lead that does not exist in its OU.");
        }

        await connection.ExecuteAsync(_dropIdentifiersOfForgotten, cancellationToken, ("@ou", ou), ("@ids", forgotten.ToArray())).ConfigureAwait(false);
    }

    /// <summary>The leads the batch updates that were forgotten since its look-up; looked for only when the batch does not add up without them.</summary>
    private async Task<HashSet<string>> ForgottenLeadsAsync(NpgsqlConnection connection, string ou, PostgreSqlBatch batch, CancellationToken cancellationToken)
    {
        var forgotten = new HashSet<string>(StringComparer.Ordinal);
        if (batch.UpdatedLeadIds.Length == 0)
        {
            return forgotten;
        }

        using var command = connection.Command(_forgottenOf, ("@ou", ou), ("@ids", batch.UpdatedLeadIds));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            forgotten.Add(reader.GetString(0));
        }

        return forgotten;
    }

    private static async Task<List<(string LeadId, LeadFeedPosition Position)>> LeadIdsAsync(
        NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var ids = new List<(string, LeadFeedPosition)>();
        using var command = connection.Command(sql, parameters);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add((reader.GetString(0), reader.FieldCount > 1 ? new LeadFeedPosition(reader.GetInt64(1), reader.GetInt64(2)) : default));
        }

        return ids;
    }

    /// <summary>Loads leads with their identifiers in two statements, in the order of <paramref name="leadIds"/>.</summary>
    private async Task<List<Lead>> LoadLeadsAsync(NpgsqlConnection connection, string ou, IEnumerable<string> leadIds, CancellationToken cancellationToken)
    {
        var ids = leadIds.ToArray();
        var found = new Dictionary<string, (Dictionary<string, string> Fields, string CreatedBy, string UpdatedBy)>(StringComparer.Ordinal);
        using (var command = connection.Command(
            database.Sql("SELECT lead_id, fields::text, created_by, updated_by FROM :\"schema\".leads WHERE ou = @ou AND lead_id = ANY(@ids)"), ("@ou", ou), ("@ids", ids)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var fields = JsonSerializer.Deserialize(reader.GetString(1), StoredJsonContext.Default.DictionaryStringString)!;
                found[reader.GetString(0)] = (fields, reader.GetString(2), reader.GetString(3));
            }
        }

        var identifiers = ids.ToDictionary(id => id, _ => new List<IdentifierKey>(), StringComparer.Ordinal);
        using (var command = connection.Command(
            database.Sql("SELECT lead_id, kind, value FROM :\"schema\".identifiers WHERE ou = @ou AND lead_id = ANY(@ids) ORDER BY seq"), ("@ou", ou), ("@ids", ids)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                identifiers[reader.GetString(0)].Add(new IdentifierKey((IdentifierKind)reader.GetInt16(1), reader.GetString(2)));
            }
        }

        return
        [
            .. ids.Where(found.ContainsKey).Select(id => new Lead
            {
                LeadId = id, Ou = ou, Fields = found[id].Fields, Identifiers = identifiers[id], CreatedByJobId = found[id].CreatedBy, UpdatedByJobId = found[id].UpdatedBy,
            }),
        ];
    }

    private async Task<Lead?> LoadLeadAsync(NpgsqlConnection connection, string ou, string leadId, CancellationToken cancellationToken) =>
        (await LoadLeadsAsync(connection, ou, [leadId], cancellationToken).ConfigureAwait(false)).FirstOrDefault();
}
