using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// One batch of an <see cref="IdentifierRewrite"/> in SQLite's tables, inside the caller's write transaction: OUs by
/// their integer id, identifiers by their rowid, the older lead by the smaller <c>leads.seq</c>.
/// </summary>
internal sealed class SqliteIdentifierRewrite(SqliteConnection connection, IdentifierRewrite rewrite, CancellationToken cancellationToken)
    : IdentifierRewriteBatch<long>(rewrite)
{
    protected override async Task<long?> ReadPositionAsync()
    {
        await connection.ExecuteAsync(
            "INSERT INTO identifier_rewrites (version, position, done) VALUES ($version, 0, 0) ON CONFLICT DO NOTHING", cancellationToken, ("$version", Rewrite.Version))
            .ConfigureAwait(false);
        using var state = connection.Command("SELECT position, done FROM identifier_rewrites WHERE version = $version", ("$version", Rewrite.Version));
        using var reader = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetBoolean(1) ? null : reader.GetInt64(0);
    }

    protected override async Task<List<Row>> ReadRowsAsync(long position, int batchSize)
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

    protected override async Task<string?> OwnerAsync(long ou, IdentifierKey identifier) =>
        await connection.ScalarAsync(
            "SELECT lead_id FROM identifiers WHERE ou_id = $ou AND kind = $kind AND value = $value", cancellationToken,
            ("$ou", ou), ("$kind", (int)identifier.Kind), ("$value", identifier.Value)).ConfigureAwait(false) as string;

    protected override Task RenameAsync(Row row, string value) =>
        connection.ExecuteAsync("UPDATE identifiers SET value = $value WHERE seq = $seq", cancellationToken, ("$value", value), ("$seq", row.Seq));

    protected override Task DeleteAsync(Row row) =>
        connection.ExecuteAsync("DELETE FROM identifiers WHERE seq = $seq", cancellationToken, ("$seq", row.Seq));

    protected override async Task<bool> IsOlderAsync(long ou, string leadId, string otherLeadId) =>
        (long)(await connection.ScalarAsync(
            "SELECT (SELECT seq FROM leads WHERE ou_id = $ou AND lead_id = $lead) < (SELECT seq FROM leads WHERE ou_id = $ou AND lead_id = $other)",
            cancellationToken, ("$ou", ou), ("$lead", leadId), ("$other", otherLeadId)).ConfigureAwait(false))! == 1;

    protected override Task GiveAsync(long ou, IdentifierKey identifier, string leadId) =>
        connection.ExecuteAsync(
            "UPDATE identifiers SET lead_id = $lead WHERE ou_id = $ou AND kind = $kind AND value = $value", cancellationToken,
            ("$lead", leadId), ("$ou", ou), ("$kind", (int)identifier.Kind), ("$value", identifier.Value));

    protected override async Task MoveToNextFeedBatchAsync(long ou, IReadOnlyCollection<string> leadIds)
    {
        var batch = await connection.ScalarAsync(
            "UPDATE ous SET feed_batches = feed_batches + 1 WHERE id = $ou RETURNING feed_batches", cancellationToken, ("$ou", ou)).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE leads SET feed_batch = $batch WHERE ou_id = $ou AND lead_id IN (SELECT value FROM json_each($leads))",
            cancellationToken,
            ("$batch", batch), ("$ou", ou), ("$leads", JsonSerializer.Serialize(leadIds.ToArray(), StoredJsonContext.Default.StringArray))).ConfigureAwait(false);
    }

    protected override Task SavePositionAsync(long position, bool done) =>
        connection.ExecuteAsync(
            "UPDATE identifier_rewrites SET position = $position, done = $done WHERE version = $version",
            cancellationToken,
            ("$position", position), ("$done", done), ("$version", Rewrite.Version));
}
