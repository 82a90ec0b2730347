using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>The identifier rewrites that ship run when a host starts on a database written under the earlier rules.</summary>
public sealed class SqliteIdentifierRewriteTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_host_start_normalises_stored_social_profiles_again_and_the_older_lead_keeps_a_value_two_then_claim()
    {
        var database = _database.Open();
        await SqliteSchema.MigrateAsync(database, targetVersion: 2, CancellationToken.None);
        await using (var old = await database.OpenRawAsync(CancellationToken.None))
        {
            await old.ExecuteAsync(
                """
                INSERT INTO leads (ou, lead_id, seq, fields, created_by, updated_by) VALUES
                    ('ou', 'lead_older', 1, '{}', 'job_1', 'job_1'),
                    ('ou', 'lead_younger', 2, '{}', 'job_2', 'job_2'),
                    ('ou', 'lead_cy', 3, '{}', 'job_2', 'job_2');
                INSERT INTO identifiers (ou, kind, value, lead_id, seq) VALUES
                    ('ou', 0, 'ann@x.com', 'lead_older', 1), ('ou', 4, 'uk.linkedin.com/in/x', 'lead_older', 2),
                    ('ou', 0, 'bob@x.com', 'lead_younger', 3), ('ou', 4, 'linkedin.com/in/x', 'lead_younger', 4),
                    ('ou', 4, 'twitter.com/cy', 'lead_cy', 5), ('ou', 4, '@cy', 'lead_cy', 6);
                """,
                CancellationToken.None);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddLeadImport().UseSqlite(_database.ConnectionString);
        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        var leads = new SqliteLeadStore(_database.Open());
        Assert.Equal("lead_older", (await leads.FindAsync("ou", Social("linkedin.com/in/x"), CancellationToken.None))?.LeadId);
        Assert.Null(await leads.FindAsync("ou", Social("uk.linkedin.com/in/x"), CancellationToken.None));
        Assert.Equal(
            [new IdentifierKey(IdentifierKind.Email, "bob@x.com")],
            (await leads.FindAsync("ou", new IdentifierKey(IdentifierKind.Email, "bob@x.com"), CancellationToken.None))?.Identifiers);
        Assert.Equal(
            [Social("x.com/cy"), Social("@cy")],
            (await leads.FindAsync("ou", Social("@cy"), CancellationToken.None))?.Identifiers);
    }

    private static IdentifierKey Social(string value) => new(IdentifierKind.Social, value);
}
