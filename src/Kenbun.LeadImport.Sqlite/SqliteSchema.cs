namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// The versioned schema. Each migration runs once, in order, inside a write transaction taken before the version is
/// read (<c>BEGIN IMMEDIATE</c>), so two processes starting on one new database cannot both apply it.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE files (
            ou TEXT NOT NULL,
            file_id TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            job_id TEXT,
            info TEXT,
            PRIMARY KEY (ou, file_id)
        ) WITHOUT ROWID;
        CREATE INDEX files_unclaimed_by_expiry ON files (expires_at) WHERE job_id IS NULL;
        CREATE TABLE file_chunks (
            ou TEXT NOT NULL,
            file_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (ou, file_id, seq),
            FOREIGN KEY (ou, file_id) REFERENCES files (ou, file_id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        """,
    ];

    public static async Task MigrateAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenRawAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var version = connection.CreateCommand();
                version.CommandText = "PRAGMA user_version";
                var current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                for (var next = current; next < Migrations.Length; next++)
                {
                    using var migrate = connection.CreateCommand();
                    migrate.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                    await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using var commit = connection.CreateCommand();
                commit.CommandText = "COMMIT";
                await commit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                using var rollback = connection.CreateCommand();
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
    }
}
