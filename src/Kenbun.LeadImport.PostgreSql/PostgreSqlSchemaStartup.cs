using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// Creates or migrates the schema (or checks it, when the host migrates it itself) while the host starts, so a
/// database that cannot be used (a newer schema, an unreachable server, missing rights) stops the host with the reason
/// instead of failing the first request. Logs which database and schema it uses, without the password.
/// </summary>
internal sealed partial class PostgreSqlSchemaStartup(PostgreSqlDatabase database, ILogger<PostgreSqlSchemaStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogDatabase(database.Describe());
        return database.EnsureSchemaAsync().WaitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead import storage: PostgreSQL {Database}")]
    private partial void LogDatabase(string database);
}
