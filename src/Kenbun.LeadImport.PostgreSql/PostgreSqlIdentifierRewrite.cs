using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// One batch of an <see cref="IdentifierRewrite"/>, inside the caller's transaction: the identifiers after the
/// version's recorded position, in the order they were stored, each given its new value; two leads that then claim
/// one value leave it to the older lead (the smaller <c>leads.seq</c>). Leads that changed get their OU's next feed batch.
/// The version's row is locked first, so instances that start together run its batches one after another.
/// </summary>
internal sealed class PostgreSqlIdentifierRewrite(PostgreSqlDatabase database, NpgsqlConnection connection, IdentifierRewrite rewrite, CancellationToken cancellationToken)
{
    private readonly List<IdentifierRewriteConflict> _conflicts = [];
    private readonly Dictionary<string, HashSet<string>> _changedLeads = new(StringComparer.Ordinal);
    private int _rewritten;

    public async Task<IdentifierRewriteProgress> RunBatchAsync(int batchSize)
    {
        await connection.ExecuteAsync(
            database.Sql("INSERT INTO :\"schema\".identifier_rewrites (version, position, done) VALUES (@version, 0, false) ON CONFLICT DO NOTHING"), cancellationToken,
            ("@version", rewrite.Version)).ConfigureAwait(false);
        long position;
        using (var state = connection.Command(
            database.Sql("SELECT position, done FROM :\"schema\".identifier_rewrites WHERE version = @version FOR UPDATE"), ("@version", rewrite.Version)))
        using (var reader = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.GetBoolean(1))
            {
                return new IdentifierRewriteProgress(true, 0, []);
            }

            position = reader.GetInt64(0);
        }

        var rows = await ReadRowsAsync(position, batchSize).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await RewriteAsync(row).ConfigureAwait(false);
        }

        await MoveFeedAsync().ConfigureAwait(false);
        var done = rows.Count < batchSize;
        await connection.ExecuteAsync(
            database.Sql("UPDATE :\"schema\".identifier_rewrites SET position = @position, done = @done WHERE version = @version"),
            cancellationToken,
            ("@position", rows.Count > 0 ? rows[^1].Seq : position), ("@done", done), ("@version", rewrite.Version)).ConfigureAwait(false);
        return new IdentifierRewriteProgress(done, _rewritten, _conflicts);
    }

    private async Task<List<Row>> ReadRowsAsync(long position, int batchSize)
    {
        var rows = new List<Row>();
        using var command = connection.Command(
            database.Sql("SELECT seq, ou, kind, value, lead_id FROM :\"schema\".identifiers WHERE seq > @position ORDER BY seq LIMIT @limit"),
            ("@position", position), ("@limit", batchSize));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), new IdentifierKey((IdentifierKind)reader.GetInt16(2), reader.GetString(3)), reader.GetString(4)));
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
        Changed(row.Ou, row.LeadId);
        var owner = await connection.ScalarAsync(
            database.Sql("SELECT lead_id FROM :\"schema\".identifiers WHERE ou = @ou AND kind = @kind AND value = @value"), cancellationToken,
            ("@ou", row.Ou), ("@kind", (short)renamed.Kind), ("@value", value)).ConfigureAwait(false) as string;
        if (owner is null)
        {
            await connection.ExecuteAsync(
                database.Sql("UPDATE :\"schema\".identifiers SET value = @value WHERE ou = @ou AND kind = @kind AND value = @old"), cancellationToken,
                ("@value", value), ("@ou", row.Ou), ("@kind", (short)row.Identifier.Kind), ("@old", row.Identifier.Value)).ConfigureAwait(false);
            return;
        }

        await connection.ExecuteAsync(
            database.Sql("DELETE FROM :\"schema\".identifiers WHERE ou = @ou AND kind = @kind AND value = @old"), cancellationToken,
            ("@ou", row.Ou), ("@kind", (short)row.Identifier.Kind), ("@old", row.Identifier.Value)).ConfigureAwait(false);
        if (owner == row.LeadId)
        {
            return; // the lead had the new value already
        }

        Changed(row.Ou, owner);
        var ownerIsOlder = await connection.ScalarAsync(
            database.Sql(
                "SELECT (SELECT seq FROM :\"schema\".leads WHERE ou = @ou AND lead_id = @owner) < (SELECT seq FROM :\"schema\".leads WHERE ou = @ou AND lead_id = @lead)"),
            cancellationToken, ("@ou", row.Ou), ("@owner", owner), ("@lead", row.LeadId)).ConfigureAwait(false) is true;
        if (!ownerIsOlder)
        {
            await connection.ExecuteAsync(
                database.Sql("UPDATE :\"schema\".identifiers SET lead_id = @lead WHERE ou = @ou AND kind = @kind AND value = @value"), cancellationToken,
                ("@lead", row.LeadId), ("@ou", row.Ou), ("@kind", (short)renamed.Kind), ("@value", value)).ConfigureAwait(false);
        }

        var (kept, lost) = ownerIsOlder ? (owner, row.LeadId) : (row.LeadId, owner);
        _conflicts.Add(new IdentifierRewriteConflict(row.Ou, renamed, kept, lost));
    }

    private void Changed(string ou, string leadId)
    {
        if (!_changedLeads.TryGetValue(ou, out var leads))
        {
            _changedLeads.Add(ou, leads = new HashSet<string>(StringComparer.Ordinal));
        }

        leads.Add(leadId);
    }

    /// <summary>Puts every lead whose identifiers changed at its OU's next feed batch, so the feed shows the change.</summary>
    private async Task MoveFeedAsync()
    {
        foreach (var (ou, leads) in _changedLeads)
        {
            await connection.ExecuteAsync(
                database.Sql(
                    """
                    INSERT INTO :"schema".ous AS o (ou, feed_batches) VALUES (@ou, 1) ON CONFLICT (ou) DO UPDATE SET feed_batches = o.feed_batches + 1;
                    UPDATE :"schema".leads SET feed_batch = (SELECT feed_batches FROM :"schema".ous WHERE ou = @ou) WHERE ou = @ou AND lead_id = ANY(@leads);
                    """),
                cancellationToken,
                ("@ou", ou), ("@leads", leads.ToArray())).ConfigureAwait(false);
        }
    }

    private sealed record Row(long Seq, string Ou, IdentifierKey Identifier, string LeadId);
}
