using System.Text.RegularExpressions;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// How the PostgreSQL store uses its database: bound from the <c>LeadImport:PostgreSql</c> configuration section, then
/// changed by <c>UsePostgreSql(…, options => …)</c>, and checked when the host starts.
/// </summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "LeadImport:PostgreSql";

    /// <summary>
    /// The schema that holds the store's tables, created if missing. Several hosts (or tests) may share one database,
    /// each in a schema of its own. Lower-case letters, digits and underscores, starting with a letter. Default <c>lead_import</c>.
    /// </summary>
    public string Schema { get; set; } = "lead_import";

    /// <summary>
    /// Whether the host creates and migrates the schema when it starts (default). A host whose database account may not
    /// change schemas turns it off and applies the SQL scripts the package ships (<c>sql/postgresql/*.sql</c>, in order,
    /// with <c>psql -v schema=…</c>); it then refuses to start until the schema is one its code runs on.
    /// </summary>
    public bool MigrateSchemaAtStart { get; set; } = true;

    /// <summary>
    /// Whether idle workers listen for new jobs (<c>LISTEN/NOTIFY</c>), so a job queued through any instance starts at
    /// once on whichever instance is free; polling (<see cref="LeadImportOptions.WorkerPollInterval"/>) stays the
    /// fallback. Turn it off behind a connection pooler in transaction mode (PgBouncer), which cannot hold a LISTEN. Default on.
    /// </summary>
    public bool ListenForJobs { get; set; } = true;

    /// <summary>The notification channel: one per schema, so hosts in other schemas of the database are not woken.</summary>
    internal string Channel => Schema + "_jobs";

    /// <summary>Whether <see cref="Schema"/> is a name the store takes (it is written into every statement, so nothing else is).</summary>
    internal bool HasValidSchema => Schema is not null && SchemaName().IsMatch(Schema);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    private static partial Regex SchemaName();
}
