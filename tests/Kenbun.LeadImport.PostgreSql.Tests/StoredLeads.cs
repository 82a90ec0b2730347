using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>A lead as the database holds it.</summary>
internal sealed record StoredLead(string LeadId, Dictionary<string, string> Fields, List<Identifier> Identifiers, string CreatedBy, string UpdatedBy)
{
    /// <summary>The lead's one email (<see cref="StoredLeads.ReadAsync"/> checks that it has exactly one).</summary>
    public string Email => Identifiers.Single(i => i.Kind == IdentifierKind.Email).Value;
}

/// <summary>
/// Reads what the sample hosts' imports left in the database (schema <c>lead_import</c>, OU <c>ou-acme</c>) straight
/// from its tables, and holds it to a <see cref="LeadModel"/>.
/// </summary>
internal static class StoredLeads
{
    public const string Ou = "ou-acme";

    /// <summary>
    /// Every lead of the OU with its identifiers, after checking what holds whatever order the rows went in: no
    /// identifier owned twice, every identifier's lead there, every lead with exactly one email (its primary identifier).
    /// </summary>
    public static async Task<List<StoredLead>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Empty(await ListAsync(connection, "SELECT ou || ' ' || kind || ' ' || value FROM lead_import.identifiers GROUP BY ou, kind, value HAVING count(*) > 1"));
        Assert.Empty(await ListAsync(
            connection,
            "SELECT i.value FROM lead_import.identifiers i LEFT JOIN lead_import.leads l ON l.ou = i.ou AND l.lead_id = i.lead_id WHERE l.lead_id IS NULL"));
        Assert.Empty(await ListAsync(
            connection,
            """
            SELECT l.lead_id FROM lead_import.leads l
            WHERE (SELECT count(*) FROM lead_import.identifiers i WHERE i.ou = l.ou AND i.lead_id = l.lead_id AND i.kind = 0) <> 1
            """));

        var leads = new Dictionary<string, StoredLead>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT lead_id, fields::text, created_by, updated_by FROM lead_import.leads WHERE ou = @ou", connection))
        {
            command.Parameters.AddWithValue("ou", Ou);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(1))!;
                leads.Add(reader.GetString(0), new StoredLead(reader.GetString(0), fields, [], reader.GetString(2), reader.GetString(3)));
            }
        }

        await using (var command = new NpgsqlCommand("SELECT lead_id, kind, value FROM lead_import.identifiers WHERE ou = @ou", connection))
        {
            command.Parameters.AddWithValue("ou", Ou);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                leads[reader.GetString(0)].Identifiers.Add(new Identifier((IdentifierKind)reader.GetInt16(1), reader.GetString(2)));
            }
        }

        return [.. leads.Values];
    }

    /// <summary>The job's errors as stored: row and error text, in row order.</summary>
    public static async Task<List<(long Row, string Error)>> ErrorsAsync(string connectionString, string jobId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row, error FROM lead_import.job_errors WHERE ou = @ou AND job_id = @job ORDER BY row", connection);
        command.Parameters.AddWithValue("ou", Ou);
        command.Parameters.AddWithValue("job", jobId);
        await using var reader = await command.ExecuteReaderAsync();
        var errors = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            errors.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return errors;
    }

    /// <summary>Who holds the job's lease (<c>machine/pid/worker/n</c>), or null.</summary>
    public static async Task<string?> LeaseOwnerAsync(string connectionString, string jobId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lease_owner FROM lead_import.jobs WHERE ou = @ou AND job_id = @job", connection);
        command.Parameters.AddWithValue("ou", Ou);
        command.Parameters.AddWithValue("job", jobId);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The process id in a lease owner (<c>machine/pid/worker/n</c>).</summary>
    public static int ProcessIdOf(string leaseOwner) => int.Parse(leaseOwner.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Asserts that the stored leads are exactly the model's: the same emails, each with the same fields and identifiers.</summary>
    public static void AssertEqual(LeadModel model, IReadOnlyList<StoredLead> stored)
    {
        Assert.Equal(model.Leads.Keys.Order(StringComparer.Ordinal), stored.Select(lead => lead.Email).Order(StringComparer.Ordinal));
        foreach (var lead in stored)
        {
            var expected = model.Leads[lead.Email];
            Assert.Equal(expected.Fields, lead.Fields);
            Assert.Equal(Sorted(expected.Identifiers), Sorted(lead.Identifiers));
        }
    }

    /// <summary>Identifiers in one order, for comparing sets.</summary>
    public static List<Identifier> Sorted(IEnumerable<Identifier> identifiers) =>
        [.. identifiers.OrderBy(i => i.Kind).ThenBy(i => i.Value, StringComparer.Ordinal)];

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
