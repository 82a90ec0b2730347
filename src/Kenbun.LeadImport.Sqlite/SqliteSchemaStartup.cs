using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Creates or migrates the schema while the host starts, so a database that cannot be used (a newer schema, a
/// read-only file) stops the host with the reason instead of failing the first request.
/// </summary>
internal sealed class SqliteSchemaStartup(SqliteDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
