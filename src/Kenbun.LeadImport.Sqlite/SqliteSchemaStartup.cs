using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Creates or migrates the schema while the host starts, so a database that cannot be used (a newer schema, a
/// read-only file) stops the host with the reason instead of failing the first request. Logs where the database is,
/// so a host started from another folder shows which file it uses.
/// </summary>
internal sealed partial class SqliteSchemaStartup(SqliteDatabase database, ILogger<SqliteSchemaStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogDatabase(database.DataSource);
        return database.EnsureSchemaAsync().WaitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead import storage: SQLite database {DataSource}")]
    private partial void LogDatabase(string dataSource);
}
