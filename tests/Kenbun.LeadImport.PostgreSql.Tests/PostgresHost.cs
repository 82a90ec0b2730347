using System.Text;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// An instance of a host in this process, with the lead import on PostgreSQL in a given schema: several of them on one
/// schema are several instances of one application, each with its own connection pool, worker and listener.
/// </summary>
internal sealed class PostgresHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    private PostgresHost(IHost host) => _host = host;

    public ILeadImportService Service => _host.Services.GetRequiredService<ILeadImportService>();

    public LeadImportStorage Storage => _host.Services.GetRequiredService<LeadImportStorage>();

    /// <summary>Builds an instance; <see cref="StartAsync"/> starts its worker and listener (a built instance serves calls without them).</summary>
    public static PostgresHost Create(string connectionString, string schema, Action<LeadImportOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddLeadImport(options =>
        {
            options.JobLeaseDuration = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        }).UsePostgreSql(connectionString, options => options.Schema = schema);
        services?.Invoke(builder.Services);
        return new PostgresHost(builder.Build());
    }

    public async Task StartAsync()
    {
        await _host.StartAsync();
        _started = true;
    }

    /// <summary>Previews <paramref name="csv"/> and starts its import by the Email column.</summary>
    public async Task<ImportJob> StartImportAsync(string ou, string csv)
    {
        var preview = await Service.PreviewAsync(ou, "leads.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
        var request = new StartImportRequest { FileId = preview.FileId, PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email") };
        return Assert.IsType<StartImportResult.Started>(await Service.StartAsync(ou, request, CancellationToken.None)).Job;
    }

    /// <summary>Waits until the job satisfies <paramref name="condition"/>, polling its state; fails after a minute.</summary>
    public async Task<ImportJob> WaitForAsync(string ou, string jobId, Func<ImportJob, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var job = await Service.GetJobAsync(ou, jobId, CancellationToken.None);
            Assert.NotNull(job);
            if (condition(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} is {job.Status} at row {job.Counters.Processed}.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _host.StopAsync();
        }

        _host.Dispose();
    }
}
