using System.Globalization;

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
        """
        CREATE TABLE jobs (
            job_id TEXT PRIMARY KEY,
            ou TEXT NOT NULL,
            file_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            status INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            completed_at INTEGER,
            processed INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            job TEXT NOT NULL,
            UNIQUE (ou, file_id)
        );
        CREATE INDEX jobs_by_ou_newest_first ON jobs (ou, created_at, seq);
        CREATE INDEX jobs_runnable ON jobs (status, lease_expires_at);
        CREATE TABLE job_errors (
            job_id TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
            row INTEGER NOT NULL,
            error TEXT NOT NULL,
            value TEXT NOT NULL,
            cells TEXT NOT NULL,
            PRIMARY KEY (job_id, row)
        ) WITHOUT ROWID;
        CREATE TABLE job_warnings (
            job_id TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            row INTEGER NOT NULL,
            warning TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (job_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE ou_turns (ou TEXT PRIMARY KEY, served INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE leads (
            ou TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            fields TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (ou, lead_id)
        ) WITHOUT ROWID;
        CREATE INDEX leads_in_order ON leads (ou, seq);
        CREATE TABLE identifiers (
            ou TEXT NOT NULL,
            kind INTEGER NOT NULL,
            value TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (ou, kind, value)
        ) WITHOUT ROWID;
        CREATE INDEX identifiers_of_lead ON identifiers (ou, lead_id, seq);
        CREATE INDEX identifiers_in_order ON identifiers (ou, seq);
        """,
        // Leads and identifiers become rowid tables: rows are appended in creation order, which orders a lead's
        // identifiers and an OU's leads without a per-OU MAX(seq), and keeps inserts off random pages (version 2's
        // tables were clustered on random lead ids and identifier values; every batch rewrote pages all over the file).
        """
        CREATE TABLE leads_v3 (
            seq INTEGER PRIMARY KEY,
            ou TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
        INSERT INTO leads_v3 (ou, lead_id, fields, created_by, updated_by)
            SELECT ou, lead_id, fields, created_by, updated_by FROM leads ORDER BY ou, seq;
        DROP TABLE leads;
        ALTER TABLE leads_v3 RENAME TO leads;
        CREATE UNIQUE INDEX leads_by_id ON leads (ou, lead_id);
        CREATE INDEX leads_of_ou ON leads (ou);
        CREATE TABLE identifiers_v3 (
            seq INTEGER PRIMARY KEY,
            ou TEXT NOT NULL,
            kind INTEGER NOT NULL,
            value TEXT NOT NULL,
            lead_id TEXT NOT NULL
        );
        INSERT INTO identifiers_v3 (ou, kind, value, lead_id)
            SELECT ou, kind, value, lead_id FROM identifiers ORDER BY ou, seq;
        DROP TABLE identifiers;
        ALTER TABLE identifiers_v3 RENAME TO identifiers;
        CREATE UNIQUE INDEX identifiers_by_value ON identifiers (ou, kind, value);
        CREATE INDEX identifiers_of_lead ON identifiers (ou, lead_id);
        """,
        // Indexes for the queries outside the engine's path: the queued-job quota, purging finished jobs, sweeping the
        // files of finished or deleted jobs, and numbering a new job.
        """
        CREATE INDEX jobs_of_ou_by_status ON jobs (ou, status);
        CREATE INDEX jobs_finished ON jobs (completed_at) WHERE completed_at IS NOT NULL;
        CREATE INDEX jobs_by_seq ON jobs (seq);
        CREATE INDEX files_of_jobs ON files (job_id) WHERE job_id IS NOT NULL;
        """,
        // Leads and identifiers name their OU by a small integer rather than its text, which every row and index entry
        // repeated: with OU names like GUIDs, the identifier index was twice the size, and each batch's commit wrote
        // twice the pages (measured in docs/performance.md). An OU's id is never reused: `ous` rows are never deleted.
        """
        CREATE TABLE ous (id INTEGER PRIMARY KEY, ou TEXT NOT NULL UNIQUE);
        INSERT INTO ous (ou) SELECT ou FROM leads UNION SELECT ou FROM identifiers;
        CREATE TABLE leads_v5 (
            seq INTEGER PRIMARY KEY,
            ou_id INTEGER NOT NULL,
            lead_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
        INSERT INTO leads_v5 (seq, ou_id, lead_id, fields, created_by, updated_by)
            SELECT l.seq, o.id, l.lead_id, l.fields, l.created_by, l.updated_by FROM leads l JOIN ous o ON o.ou = l.ou ORDER BY l.seq;
        DROP TABLE leads;
        ALTER TABLE leads_v5 RENAME TO leads;
        CREATE UNIQUE INDEX leads_by_id ON leads (ou_id, lead_id);
        CREATE INDEX leads_of_ou ON leads (ou_id);
        CREATE TABLE identifiers_v5 (
            seq INTEGER PRIMARY KEY,
            ou_id INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            value TEXT NOT NULL,
            lead_id TEXT NOT NULL
        );
        INSERT INTO identifiers_v5 (seq, ou_id, kind, value, lead_id)
            SELECT i.seq, o.id, i.kind, i.value, i.lead_id FROM identifiers i JOIN ous o ON o.ou = i.ou ORDER BY i.seq;
        DROP TABLE identifiers;
        ALTER TABLE identifiers_v5 RENAME TO identifiers;
        CREATE UNIQUE INDEX identifiers_by_value ON identifiers (ou_id, kind, value);
        CREATE INDEX identifiers_of_lead ON identifiers (ou_id, lead_id);
        """,
        // A file may have any number of dry runs beside its one real import, so the jobs table's UNIQUE (ou, file_id)
        // becomes a unique index over real imports; errors gain a detail ("8 cells; the header has 7"). SQLite cannot
        // drop a constraint, so the job tables are copied. The error and warning tables are copied first and the old
        // ones dropped before `jobs`, so dropping `jobs` cascades into nothing; renaming `jobs_v6` rewrites their
        // foreign keys to `jobs`.
        """
        CREATE TABLE jobs_v6 (
            job_id TEXT PRIMARY KEY,
            ou TEXT NOT NULL,
            file_id TEXT NOT NULL,
            dry_run INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            status INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            completed_at INTEGER,
            processed INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            job TEXT NOT NULL
        );
        INSERT INTO jobs_v6 (job_id, ou, file_id, dry_run, seq, status, created_at, completed_at, processed, cancel_requested, lease_owner, lease_expires_at, job)
            SELECT job_id, ou, file_id, COALESCE(job ->> '$.Settings.DryRun', 0), seq, status, created_at, completed_at, processed, cancel_requested,
                   lease_owner, lease_expires_at, job
            FROM jobs;
        CREATE TABLE job_errors_v6 (
            job_id TEXT NOT NULL REFERENCES jobs_v6 (job_id) ON DELETE CASCADE,
            row INTEGER NOT NULL,
            error TEXT NOT NULL,
            value TEXT NOT NULL,
            cells TEXT NOT NULL,
            detail TEXT,
            PRIMARY KEY (job_id, row)
        ) WITHOUT ROWID;
        INSERT INTO job_errors_v6 (job_id, row, error, value, cells) SELECT job_id, row, error, value, cells FROM job_errors;
        CREATE TABLE job_warnings_v6 (
            job_id TEXT NOT NULL REFERENCES jobs_v6 (job_id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            row INTEGER NOT NULL,
            warning TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (job_id, seq)
        ) WITHOUT ROWID;
        INSERT INTO job_warnings_v6 (job_id, seq, row, warning, value) SELECT job_id, seq, row, warning, value FROM job_warnings;
        DROP TABLE job_errors;
        DROP TABLE job_warnings;
        DROP TABLE jobs;
        ALTER TABLE jobs_v6 RENAME TO jobs;
        ALTER TABLE job_errors_v6 RENAME TO job_errors;
        ALTER TABLE job_warnings_v6 RENAME TO job_warnings;
        CREATE UNIQUE INDEX jobs_real_import_of_file ON jobs (ou, file_id) WHERE dry_run = 0;
        CREATE INDEX jobs_by_ou_newest_first ON jobs (ou, created_at, seq);
        CREATE INDEX jobs_runnable ON jobs (status, lease_expires_at);
        CREATE INDEX jobs_of_ou_by_status ON jobs (ou, status);
        CREATE INDEX jobs_finished ON jobs (completed_at) WHERE completed_at IS NOT NULL;
        CREATE INDEX jobs_by_seq ON jobs (seq);
        """,
        // The lead feed: each OU counts its batches that change leads, and each lead keeps the number of the batch that
        // last changed it, so a host reads the leads changed after a position in commit order. Leads of earlier
        // versions are at batch 0, before every later change. The index ends in the rowid (seq) by itself.
        """
        ALTER TABLE ous ADD COLUMN feed_batches INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leads ADD COLUMN feed_batch INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX leads_in_feed_order ON leads (ou_id, feed_batch);
        """,
        // Data migrations of stored identifiers (IdentifierRewrite): how far each version got, so a rewrite resumes
        // after a restart and a finished one never runs again.
        """
        CREATE TABLE identifier_rewrites (
            version INTEGER PRIMARY KEY,
            position INTEGER NOT NULL,
            done INTEGER NOT NULL
        );
        """,
        // The ids of forgotten leads (ForgetLeadAsync), nothing else about them: a job running when a lead was forgotten
        // may still commit changes to it, decided on an earlier look-up, and the commit drops those where a change to a
        // lead that never existed fails. Deleting the OU deletes them.
        """
        CREATE TABLE forgotten_leads (
            ou_id INTEGER NOT NULL,
            lead_id TEXT NOT NULL,
            PRIMARY KEY (ou_id, lead_id)
        ) WITHOUT ROWID;
        """,
        // Who started each job (ImportJob.CreatedBy), written once when the job is created. A column rather than a member
        // of the job's JSON, which every save writes whole again. Jobs created before read back with none.
        """
        ALTER TABLE jobs ADD COLUMN created_by TEXT;
        """,
    ];

    /// <summary>The page size of a database the schema creates, in bytes.</summary>
    public const int PageSize = 16384;

    /// <summary>The version a migrated database has: <c>PRAGMA user_version</c>.</summary>
    public static int LatestVersion => Migrations.Length;

    public static Task MigrateAsync(SqliteDatabase database, CancellationToken cancellationToken) =>
        MigrateAsync(database, LatestVersion, cancellationToken);

    /// <summary>Brings the schema up to <paramref name="targetVersion"/>; tests stop short of the latest to check an upgrade.</summary>
    internal static async Task MigrateAsync(SqliteDatabase database, int targetVersion, CancellationToken cancellationToken)
    {
        var connection = await database.OpenRawAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // page_size only takes effect on a new, empty database. Larger pages hold more of the identifier index
            // per page, so a batch's random inserts dirty fewer pages (measured in docs/performance.md).
            await connection.ExecuteAsync($"PRAGMA page_size = {PageSize}; PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await connection.WriteAsync(
                async c =>
                {
                    var current = Convert.ToInt32(await c.ScalarAsync("PRAGMA user_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                    if (current > LatestVersion)
                    {
                        throw new InvalidOperationException(
                            $"The lead import database is at schema version {current}, newer than version {LatestVersion} that this Kenbun.LeadImport.Sqlite knows. " +
                            "A newer version of the package wrote it: upgrade this host too, or give it another database.");
                    }

                    for (var next = current; next < targetVersion; next++)
                    {
                        await c.ExecuteAsync(Migrations[next] + $"\nPRAGMA user_version = {next + 1};", cancellationToken).ConfigureAwait(false);
                    }

                    return current;
                },
                cancellationToken).ConfigureAwait(false);
        }
    }
}
