using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// One batch of an <see cref="IdentifierRewrite"/> in PostgreSQL's tables, inside the caller's transaction: identifiers
/// by their key, the older lead by the smaller <c>leads.seq</c>. The version's row is locked first, so instances that
/// start together run its batches one after another.
/// </summary>
internal sealed class PostgreSqlIdentifierRewrite(PostgreSqlDatabase database, NpgsqlConnection connection, IdentifierRewrite rewrite, CancellationToken cancellationToken)
    : IdentifierRewriteBatch<string>(rewrite)
{
    protected override async Task<long?> ReadPositionAsync()
    {
        await connection.ExecuteAsync(
            database.Sql("INSERT INTO :\"schema\".identifier_rewrites (version, position, done) VALUES (@version, 0, false) ON CONFLICT DO NOTHING"), cancellationToken,
            ("@version", Rewrite.Version)).ConfigureAwait(false);
        using var state = connection.Command(
            database.Sql("SELECT position, done FROM :\"schema\".identifier_rewrites WHERE version = @version FOR UPDATE"), ("@version", Rewrite.Version));
        using var reader = await state.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetBoolean(1) ? null : reader.GetInt64(0);
    }

    protected override async Task<List<Row>> ReadRowsAsync(long position, int batchSize)
    {
        var rows = new List<Row>();
        using var command = connection.Command(
            database.Sql("SELECT seq, ou, kind, value, lead_id FROM :\"schema\".identifiers WHERE seq > @position ORDER BY seq LIMIT @limit"),
            ("@position", position), ("@limit", batchSize));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ou = reader.GetString(1);
            rows.Add(new Row(reader.GetInt64(0), ou, ou, new IdentifierKey((IdentifierKind)reader.GetInt16(2), reader.GetString(3)), reader.GetString(4)));
        }

        return rows;
    }

    protected override async Task<string?> OwnerAsync(string ou, IdentifierKey identifier) =>
        await connection.ScalarAsync(
            database.Sql("SELECT lead_id FROM :\"schema\".identifiers WHERE ou = @ou AND kind = @kind AND value = @value"), cancellationToken,
            ("@ou", ou), ("@kind", (short)identifier.Kind), ("@value", identifier.Value)).ConfigureAwait(false) as string;

    protected override Task RenameAsync(Row row, string value) =>
        connection.ExecuteAsync(
            database.Sql("UPDATE :\"schema\".identifiers SET value = @value WHERE ou = @ou AND kind = @kind AND value = @old"), cancellationToken,
            ("@value", value), ("@ou", row.Ou), ("@kind", (short)row.Identifier.Kind), ("@old", row.Identifier.Value));

    protected override Task DeleteAsync(Row row) =>
        connection.ExecuteAsync(
            database.Sql("DELETE FROM :\"schema\".identifiers WHERE ou = @ou AND kind = @kind AND value = @old"), cancellationToken,
            ("@ou", row.Ou), ("@kind", (short)row.Identifier.Kind), ("@old", row.Identifier.Value));

    protected override async Task<bool> IsOlderAsync(string ou, string leadId, string otherLeadId) =>
        await connection.ScalarAsync(
            database.Sql(
                "SELECT (SELECT seq FROM :\"schema\".leads WHERE ou = @ou AND lead_id = @lead) < (SELECT seq FROM :\"schema\".leads WHERE ou = @ou AND lead_id = @other)"),
            cancellationToken, ("@ou", ou), ("@lead", leadId), ("@other", otherLeadId)).ConfigureAwait(false) is true;

    protected override Task GiveAsync(string ou, IdentifierKey identifier, string leadId) =>
        connection.ExecuteAsync(
            database.Sql("UPDATE :\"schema\".identifiers SET lead_id = @lead WHERE ou = @ou AND kind = @kind AND value = @value"), cancellationToken,
            ("@lead", leadId), ("@ou", ou), ("@kind", (short)identifier.Kind), ("@value", identifier.Value));

    protected override Task MoveToNextFeedBatchAsync(string ou, IReadOnlyCollection<string> leadIds) =>
        connection.ExecuteAsync(
            database.Sql(
                """
                INSERT INTO :"schema".ous AS o (ou, feed_batches) VALUES (@ou, 1) ON CONFLICT (ou) DO UPDATE SET feed_batches = o.feed_batches + 1;
                UPDATE :"schema".leads SET feed_batch = (SELECT feed_batches FROM :"schema".ous WHERE ou = @ou) WHERE ou = @ou AND lead_id = ANY(@leads);
                """),
            cancellationToken,
            ("@ou", ou), ("@leads", leadIds.ToArray()));

    protected override Task SavePositionAsync(long position, bool done) =>
        connection.ExecuteAsync(
            database.Sql("UPDATE :\"schema\".identifier_rewrites SET position = @position, done = @done WHERE version = @version"),
            cancellationToken,
            ("@position", position), ("@done", done), ("@version", Rewrite.Version));
}
