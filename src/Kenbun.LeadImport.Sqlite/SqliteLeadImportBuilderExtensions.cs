using Kenbun.LeadImport.Sqlite;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses SQLite for the lead import's storage.</summary>
public static class SqliteLeadImportBuilderExtensions
{
    /// <summary>
    /// Keeps uploads, jobs and leads in the SQLite database of <paramref name="connectionString"/> (e.g.
    /// <c>Data Source=data/leads.db</c>; its folder is created). A relative path is taken from the host's content root
    /// (without a host, the current directory), and the full path is logged when the host starts. The schema is created or migrated when the host starts
    /// (or on first use, without a host).
    /// Several processes may share the database: a job runs in one of them at a time. A locked database, a full disk or
    /// an I/O error stalls a running job until the database answers again; see <c>docs/concepts.md</c> for how its
    /// failures are classified.
    /// </summary>
    /// <param name="builder">The lead import's builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming the database file.</param>
    /// <param name="configure">
    /// Changes <see cref="SqliteStoreOptions"/> after they are bound from the <c>LeadImport:Sqlite</c> configuration
    /// section. What it sets is checked here, so a bad value in code fails at once; the bound ones when the host starts.
    /// </param>
    public static LeadImportBuilder UseSqlite(this LeadImportBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var fromCode = new SqliteStoreOptions();
        configure?.Invoke(fromCode);
        if (fromCode.Problem is { } problem)
        {
            throw problem;
        }

        var options = builder.Services.AddOptions<SqliteStoreOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(SqliteStoreOptions.SectionName).Bind(options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        options.ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton(provider => new SqliteDatabase(
            connectionString, provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, provider.GetService<IHostEnvironment>()?.ContentRootPath)));
        builder.UseStorage(provider => new SqliteStorage(provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<SqliteSchemaStartup>();
        return builder;
    }
}
