using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// The versioned schema: the SQL scripts the package ships (<c>Scripts/NNN_*.sql</c>), applied in order. Each script
/// is one transaction that records its version in <c>schema_versions</c> with the oldest version whose code still runs
/// on it. Migrations run under a session advisory lock named after the schema, so of ten instances starting together
/// one migrates and the others wait for it, then find nothing to do.
/// </summary>
internal static class PostgreSqlSchema
{
    private const string ScriptPrefix = "Kenbun.LeadImport.PostgreSql.Scripts.";

    private static readonly string[] Scripts =
        [.. typeof(PostgreSqlSchema).Assembly.GetManifestResourceNames().Where(name => name.StartsWith(ScriptPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>The version the shipped scripts bring a schema to: this code's version.</summary>
    public static int LatestVersion => Scripts.Length;

    /// <summary>The text of the script that brings a schema to <paramref name="version"/> (1-based), as shipped.</summary>
    public static string Script(int version)
    {
        using var stream = typeof(PostgreSqlSchema).Assembly.GetManifestResourceStream(Scripts[version - 1])!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Brings the schema up to <paramref name="targetVersion"/> (tests stop short of the latest), or, when the host
    /// migrates it itself, checks that it is one this code runs on.
    /// </summary>
    internal static async Task MigrateAsync(PostgreSqlDatabase database, int targetVersion, CancellationToken cancellationToken)
    {
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var lockKey = ("@key", (object?)("kenbun.lead_import." + database.Options.Schema));
            if (database.Options.MigrateSchemaAtStart)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_lock(hashtextextended(@key, 0))", cancellationToken, lockKey).ConfigureAwait(false);
            }

            try
            {
                var (current, compatibleWith) = await ReadVersionAsync(connection, database, cancellationToken).ConfigureAwait(false);
                if (compatibleWith > LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The lead import schema '{database.Options.Schema}' is at version {current}, which code before version {compatibleWith} cannot use; " +
                        $"this Kenbun.LeadImport.PostgreSql knows version {LatestVersion}. A newer release migrated it: upgrade this host too.");
                }

                if (!database.Options.MigrateSchemaAtStart)
                {
                    if (current < targetVersion)
                    {
                        throw new InvalidOperationException(
                            $"The lead import schema '{database.Options.Schema}' is at version {current}; this Kenbun.LeadImport.PostgreSql needs version {targetVersion}, " +
                            "and MigrateSchemaAtStart is off. Apply the package's scripts (sql/postgresql) after " +
                            $"{current:000}, in order, with psql -v schema={database.Options.Schema}, or turn MigrateSchemaAtStart on.");
                    }

                    return;
                }

                for (var next = current + 1; next <= targetVersion; next++)
                {
                    await connection.ExecuteAsync(database.Sql(Script(next)), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (database.Options.MigrateSchemaAtStart)
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", CancellationToken.None, lockKey).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The schema's version and the oldest version whose code runs on it; both 0 for a database without the schema.</summary>
    private static async Task<(int Version, int CompatibleWith)> ReadVersionAsync(NpgsqlConnection connection, PostgreSqlDatabase database, CancellationToken cancellationToken)
    {
        var exists = await connection.ScalarAsync("SELECT to_regclass(@table) IS NOT NULL", cancellationToken, ("@table", database.Sql(":\"schema\".schema_versions")))
            .ConfigureAwait(false);
        if (exists is not true)
        {
            return (0, 0);
        }

        using var command = connection.Command(database.Sql(
            "SELECT version, compatible_with FROM :\"schema\".schema_versions ORDER BY version DESC LIMIT 1"));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetInt32(0), reader.GetInt32(1))
            : (0, 0);
    }
}
