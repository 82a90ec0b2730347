using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// <see cref="IByHandStore"/> on PostgreSQL as one writes it by hand: a batch costs two round trips (a look-up of its
/// emails with <c>= ANY</c>, then its writes as one <see cref="NpgsqlBatch"/> of set-based statements over
/// <c>unnest</c>ed arrays) and the commit; fields merged with <c>jsonb ||</c>, identifiers claimed with
/// <c>ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class PostgreSqlByHandStore(NpgsqlConnection connection) : IByHandStore
{
    /// <summary>The tables of <see cref="IByHandStore"/> in PostgreSQL's types.</summary>
    public static readonly string Tables = IByHandStore.Tables("bigint", "jsonb");

    private const string LookUp = "SELECT value, lead FROM identifiers WHERE ou = $1 AND kind = 0 AND value = ANY($2)";
    private const string InsertLeads = "INSERT INTO leads (id, ou, fields) SELECT id, $1, fields FROM unnest($2::bigint[], $3::jsonb[]) AS l (id, fields)";
    private const string UpdateLeads = "UPDATE leads SET fields = leads.fields || l.fields FROM unnest($1::bigint[], $2::jsonb[]) AS l (id, fields) WHERE leads.id = l.id";
    private const string Claim = "INSERT INTO identifiers (ou, kind, value, lead) SELECT $1, kind, value, lead FROM unnest($2::integer[], $3::text[], $4::bigint[]) AS i (kind, value, lead) ON CONFLICT DO NOTHING";
    private const string Progress = "UPDATE jobs SET processed = $1 WHERE id = 1";

    public async Task<Dictionary<string, long>> LookUpEmailsAsync(IReadOnlyCollection<string> emails)
    {
        await using var command = new NpgsqlCommand(LookUp, connection) { Parameters = { new() { Value = ByHandImport.Ou }, new() { Value = emails.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync();
        var owners = new Dictionary<string, long>(emails.Count);
        while (await reader.ReadAsync())
        {
            owners[reader.GetString(0)] = reader.GetInt64(1);
        }

        return owners;
    }

    public async Task CommitAsync(ByHandChanges changes, long processed)
    {
        var created = changes.Leads.Where(l => l.IsNew).ToArray();
        var updated = changes.Leads.Where(l => !l.IsNew).ToArray();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command(InsertLeads, ByHandImport.Ou, Ids(created), Json(created)),
                Command(UpdateLeads, Ids(updated), Json(updated)),
                Command(Claim, ByHandImport.Ou, changes.Identifiers.Select(i => (int)i.Kind).ToArray(), changes.Identifiers.Select(i => i.Value).ToArray(), changes.Identifiers.Select(i => i.Lead).ToArray()),
                Command(Progress, processed),
            },
        };
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static long[] Ids(ByHandLead[] leads) => Array.ConvertAll(leads, l => l.Id);

    private static string[] Json(ByHandLead[] leads) => Array.ConvertAll(leads, l => l.FieldsJson());

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
