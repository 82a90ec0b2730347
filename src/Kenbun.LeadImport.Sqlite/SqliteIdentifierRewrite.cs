using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// One batch of an <see cref="IdentifierRewrite"/>, inside the caller's write transaction: the identifiers after the
/// version's recorded position, in the order they were stored, each given its new value; two leads that then claim
/// one value leave it to the older lead (the smaller <c>leads.seq</c>). Leads that changed get their OU's next feed batch.
/// </summary>
internal sealed class SqliteIdentifierRewrite(SqliteConnection connection, IdentifierRewrite rewrite, CancellationToken cancellationToken)
{
    private readonly List<IdentifierRewriteConflict> _conflicts = [];
    private readonly Dictionary<long, HashSet<string>> _changedLeads = [];
    private int _rewritten;

    public async Task<IdentifierRewriteProgress> RunBatchAsync(int batchSize)
    {
        await connection.ExecuteAsync(
            "INSERT INTO identifier_rewrites (version, position, done) VALUES ($version, 0, 0) ON CONFLICT DO NOTHING", cancellationToken, ("$version", rewrite.Version))
            .ConfigureAwait(false);
        using (var state = connection.Command("SELECT position, done FROM identifier_rewrites WHERE version = $version", ("$version", rewrite.Version)))
        using (var reader = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.GetBoolean(1))
            {
                return new IdentifierRewriteProgress(true, 0, []);
            }

            var position = reader.GetInt64(0);
            reader.Close();
            var rows = await ReadRowsAsync(position, batchSize).ConfigureAwait(false);
            foreach (var row in rows)
            {
                await RewriteAsync(row).ConfigureAwait(false);
            }

            await MoveFeedAsync().ConfigureAwait(false);
            var done = rows.Count < batchSize;
            await connection.ExecuteAsync(
                "UPDATE identifier_rewrites SET position = $position, done = $done WHERE version = $version",
                cancellationToken,
                ("$position", rows.Count > 0 ? rows[^1].Seq : position), ("$done", done), ("$version", rewrite.Version)).ConfigureAwait(false);
            return new IdentifierRewriteProgress(done, _rewritten, _conflicts);
        }
    }

    private async Task<List<Row>> ReadRowsAsync(long position, int batchSize)
    {
        var rows = new List<Row>();
        using var command = connection.Command(
            """
            SELECT i.seq, i.ou_id, o.ou, i.kind, i.value, i.lead_id FROM identifiers i JOIN ous o ON o.id = i.ou_id
            WHERE i.seq > $position ORDER BY i.seq LIMIT $limit
            """,
            ("$position", position), ("$limit", batchSize));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), new IdentifierKey((IdentifierKind)reader.GetInt32(3), reader.GetString(4)), reader.GetString(5)));
        }

        return rows;
    }

    private async Task RewriteAsync(Row row)
    {
        if (rewrite.Rewrite(row.Identifier) is not { } value || value == row.Identifier.Value)
        {
            return;
        }

        _rewritten++;
        var renamed = row.Identifier with { Value = value };
        Changed(row.OuId, row.LeadId);
        var owner = await connection.ScalarAsync(
            "SELECT lead_id FROM identifiers WHERE ou_id = $ou AND kind = $kind AND value = $value", cancellationToken,
            ("$ou", row.OuId), ("$kind", (int)renamed.Kind), ("$value", value)).ConfigureAwait(false) as string;
        if (owner is null)
        {
            await connection.ExecuteAsync("UPDATE identifiers SET value = $value WHERE seq = $seq", cancellationToken, ("$value", value), ("$seq", row.Seq))
                .ConfigureAwait(false);
            return;
        }

        await connection.ExecuteAsync("DELETE FROM identifiers WHERE seq = $seq", cancellationToken, ("$seq", row.Seq)).ConfigureAwait(false);
        if (owner == row.LeadId)
        {
            return; // the lead had the new value already
        }

        Changed(row.OuId, owner);
        var ownerIsOlder = (long)(await connection.ScalarAsync(
            "SELECT (SELECT seq FROM leads WHERE ou_id = $ou AND lead_id = $owner) < (SELECT seq FROM leads WHERE ou_id = $ou AND lead_id = $lead)",
            cancellationToken, ("$ou", row.OuId), ("$owner", owner), ("$lead", row.LeadId)).ConfigureAwait(false))! == 1;
        if (!ownerIsOlder)
        {
            await connection.ExecuteAsync(
                "UPDATE identifiers SET lead_id = $lead WHERE ou_id = $ou AND kind = $kind AND value = $value", cancellationToken,
                ("$lead", row.LeadId), ("$ou", row.OuId), ("$kind", (int)renamed.Kind), ("$value", value)).ConfigureAwait(false);
        }

        var (kept, lost) = ownerIsOlder ? (owner, row.LeadId) : (row.LeadId, owner);
        _conflicts.Add(new IdentifierRewriteConflict(row.Ou, renamed, kept, lost));
    }

    private void Changed(long ouId, string leadId)
    {
        if (!_changedLeads.TryGetValue(ouId, out var leads))
        {
            _changedLeads.Add(ouId, leads = new HashSet<string>(StringComparer.Ordinal));
        }

        leads.Add(leadId);
    }

    /// <summary>Puts every lead whose identifiers changed at its OU's next feed batch, so the feed shows the change.</summary>
    private async Task MoveFeedAsync()
    {
        foreach (var (ouId, leads) in _changedLeads)
        {
            var batch = await connection.ScalarAsync(
                "UPDATE ous SET feed_batches = feed_batches + 1 WHERE id = $ou RETURNING feed_batches", cancellationToken, ("$ou", ouId)).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "UPDATE leads SET feed_batch = $batch WHERE ou_id = $ou AND lead_id IN (SELECT value FROM json_each($leads))",
                cancellationToken,
                ("$batch", batch), ("$ou", ouId), ("$leads", System.Text.Json.JsonSerializer.Serialize(leads.ToArray(), StoredJsonContext.Default.StringArray)))
                .ConfigureAwait(false);
        }
    }

    private sealed record Row(long Seq, long OuId, string Ou, IdentifierKey Identifier, string LeadId);
}
