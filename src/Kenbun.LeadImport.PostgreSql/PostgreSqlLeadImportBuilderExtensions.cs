using Kenbun.LeadImport.PostgreSql;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses PostgreSQL for the lead import's storage.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "The overloads differ in the type of their first parameter (a connection string or a data source), so no call can mean both.")]
public static class PostgreSqlLeadImportBuilderExtensions
{
    /// <summary>
    /// Keeps uploads, jobs and leads in the PostgreSQL database of <paramref name="connectionString"/> (an Npgsql
    /// connection string), shared by any number of host instances: any of them previews, starts, runs, cancels or
    /// reports any job. The schema is created or migrated when the host starts; see <c>docs/storage.md</c>.
    /// </summary>
    /// <param name="builder">The lead import's builder.</param>
    /// <param name="connectionString">An Npgsql connection string; the store makes its own connection pool of it.</param>
    /// <param name="configure">Changes <see cref="PostgreSqlStoreOptions"/> after they are bound from the <c>LeadImport:PostgreSql</c> configuration section.</param>
    public static LeadImportBuilder UsePostgreSql(this LeadImportBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(_ => (NpgsqlDataSource.Create(connectionString), true), configure);
    }

    /// <summary>
    /// Keeps uploads, jobs and leads in the PostgreSQL database of <paramref name="dataSource"/>, which the host owns (and
    /// disposes): for a data source the host has configured itself (authentication, logging, its own pool size).
    /// </summary>
    /// <param name="builder">The lead import's builder.</param>
    /// <param name="dataSource">The host's Npgsql data source.</param>
    /// <param name="configure">Changes <see cref="PostgreSqlStoreOptions"/> after they are bound from the <c>LeadImport:PostgreSql</c> configuration section.</param>
    public static LeadImportBuilder UsePostgreSql(this LeadImportBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgreSql(_ => (dataSource, false), configure);
    }

    private static LeadImportBuilder UsePostgreSql(
        this LeadImportBuilder builder, Func<IServiceProvider, (NpgsqlDataSource DataSource, bool Owned)> dataSource, Action<PostgreSqlStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PostgreSqlStoreOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(PostgreSqlStoreOptions.SectionName).Bind(options))
            .Validate(options => options.HasValidSchema, $"{nameof(PostgreSqlStoreOptions)} are not valid: {nameof(PostgreSqlStoreOptions.Schema)} must be 1 to 50 lower-case letters, digits and underscores, starting with a letter.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.Replace(ServiceDescriptor.Singleton(provider =>
        {
            var (source, owned) = dataSource(provider);
            return new PostgreSqlDatabase(source, provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, owned);
        }));
        builder.UseStorage(provider => new PostgreSqlStorage(provider.GetRequiredService<PostgreSqlDatabase>(), provider.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobQueueListener, ListenerIfEnabled>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IHostedService, PostgreSqlSchemaStartup>());
        return builder;
    }

    /// <summary>The store's <see cref="PostgreSqlJobQueueListener"/>, or one that only waits, when <see cref="PostgreSqlStoreOptions.ListenForJobs"/> is off.</summary>
    private sealed class ListenerIfEnabled(PostgreSqlDatabase database, TimeProvider timeProvider, ILogger<PostgreSqlJobQueueListener> logger) : IJobQueueListener
    {
        public Task ListenAsync(Action jobQueued, CancellationToken stoppingToken) =>
            database.Options.ListenForJobs
                ? new PostgreSqlJobQueueListener(database, timeProvider, logger).ListenAsync(jobQueued, stoppingToken)
                : Task.CompletedTask;
    }
}
