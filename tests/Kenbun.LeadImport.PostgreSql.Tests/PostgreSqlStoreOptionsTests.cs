using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary><c>UsePostgreSql(…, options => …)</c>: bound from <c>LeadImport:PostgreSql</c>, then code; checked when the host starts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlStoreOptionsTests(PostgresServer server)
{
    [Fact]
    public async Task The_schema_comes_from_configuration_and_the_host_creates_it_at_start()
    {
        var schema = PostgresCluster.NewSchemaName();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["LeadImport:PostgreSql:Schema"] = schema, ["LeadImport:PostgreSql:ListenForJobs"] = "false" });
        builder.Services.AddLeadImport().UsePostgreSql(server.ConnectionString(PostgresCluster.SharedDatabase, pooling: true));
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.False(host.Services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.ListenForJobs);
        await using var connection = new NpgsqlConnection(server.ConnectionString(PostgresCluster.SharedDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", $"{schema}.identifiers");
        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Code_configuration_applies_after_the_section_and_a_bad_schema_stops_the_host_naming_it()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["LeadImport:PostgreSql:Schema"] = "fine" });
        builder.Services.AddLeadImport().UsePostgreSql(server.ConnectionString(PostgresCluster.SharedDatabase), options => options.Schema = "Robert'); DROP TABLE leads;--");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Schema", error.Message, StringComparison.Ordinal);
    }
}
