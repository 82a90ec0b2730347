using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>Whole imports on SQLite through hosts as a host runs them: dedup, two hosts on one database, resume.</summary>
public sealed class SqliteImportTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_import_on_sqlite_dedups_and_counts_exactly()
    {
        using var host = await StartHostAsync(o => o.BatchSize = 50);
        var rows = Enumerable.Range(0, 1000).Select(i => $"{(i % 3 == 0 ? " USER" : "user")}{i % 700}@X.com,Name{i},+1 555 {i % 400:000} 0000");

        var job = await ImportAsync(host, "Email,Name,Phone\n" + string.Join("\n", rows) + "\nnot-an-email,x,\n");

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(700, 300, 1, 0), job.Counters);
        var leads = host.Services.GetRequiredService<ILeadStore>();
        var lead = await leads.FindAsync("ou", new IdentifierKey(IdentifierKind.Email, "user699@x.com"), CancellationToken.None);
        Assert.Equal("Name699", lead!.Fields["first_name"]);
        Assert.Equal(700, (await leads.ListAsync("ou", 1, 10, CancellationToken.None)).Total);
        var owned = new HashSet<IdentifierKey>();
        for (var page = 1; page <= 7; page++)
        {
            foreach (var l in (await leads.ListAsync("ou", page, 100, CancellationToken.None)).Items)
            {
                Assert.All(l.Identifiers, identifier => Assert.True(owned.Add(identifier)));
            }
        }

        Assert.Equal(1100, owned.Count);
    }

    [Fact]
    public async Task Two_hosts_on_one_database_import_the_same_identifiers_without_duplicates()
    {
        using var first = await StartHostAsync(o => o.BatchSize = 7);
        using var second = await StartHostAsync(o => o.BatchSize = 7);
        var csv = "Email\n" + string.Join("\n", Enumerable.Range(0, 400).Select(i => $"u{i % 250}@x.com"));

        var jobs = await Task.WhenAll(ImportAsync(first, csv), ImportAsync(second, csv));

        Assert.All(jobs, j => Assert.Equal(JobStatus.Completed, j.Status));
        Assert.Equal(250, jobs.Sum(j => j.Counters.Created));
        Assert.Equal(800, jobs.Sum(j => j.Counters.Processed));
        Assert.Equal(250, (await first.Services.GetRequiredService<ILeadStore>().ListAsync("ou", 1, 1, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_job_interrupted_by_a_stopping_host_resumes_on_the_next_host_from_its_checkpoint()
    {
        var csv = "Email\n" + string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"u{i % 2000}@x.com"));
        string jobId;
        using (var stopping = await StartHostAsync(o => o.BatchSize = 10))
        {
            jobId = await StartAsync(stopping, csv);
            var jobs = stopping.Services.GetRequiredService<IJobStore>();
            for (var i = 0; i < 1000 && (await jobs.GetAsync("ou", jobId, 0, CancellationToken.None))!.Counters.Processed == 0; i++)
            {
                await Task.Delay(5);
            }

            await stopping.StopAsync();
            var interrupted = (await jobs.GetAsync("ou", jobId, 0, CancellationToken.None))!;
            Assert.True(interrupted.Status == JobStatus.InProgress || interrupted.Status == JobStatus.Completed, interrupted.Status.ToString());
        }

        using var resuming = await StartHostAsync(o => o.BatchSize = 10);
        var job = await WaitForEndAsync(resuming, jobId);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(2000, 1000, 0, 0), job.Counters);
        Assert.Equal(2000, (await resuming.Services.GetRequiredService<ILeadStore>().ListAsync("ou", 1, 1, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Unusual_text_round_trips_and_a_finished_jobs_failed_rows_outlive_its_file()
    {
        // CONTRACT §6: the job keeps each failed row's cells, so failed-rows.csv works after the file is gone.
        using var host = await StartHostAsync(o => o.BatchSize = 2);
        const string quoted = "Zoë \"The Quill\" Ångström";
        const string symbols = "李雷, 🚀 $.x ['a'] \\ {\"k\":1}";
        const string failedName = "Ünïcode \"quoted\", comma";
        var csv = $"Email,Name,Phone\nann@x.com,\"{quoted.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\n"
            + $"bob@x.com,\"{symbols.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\n"
            + $"not-an-email,\"{failedName.Replace("\"", "\"\"", StringComparison.Ordinal)}\",+1 555 0100\n";

        var job = await ImportAsync(host, csv);

        Assert.Equal(new JobCounters(2, 0, 1, 0), job.Counters);
        var leads = host.Services.GetRequiredService<ILeadStore>();
        Assert.Equal(quoted, (await leads.FindAsync("ou", new IdentifierKey(IdentifierKind.Email, "ann@x.com"), CancellationToken.None))!.Fields["first_name"]);
        Assert.Equal(symbols, (await leads.FindAsync("ou", new IdentifierKey(IdentifierKind.Email, "bob@x.com"), CancellationToken.None))!.Fields["first_name"]);
        Assert.Null(await host.Services.GetRequiredService<IImportFileStore>().OpenContentAsync("ou", job.FileId, CancellationToken.None));
        var errors = await host.Services.GetRequiredService<ILeadImportService>().ListErrorsAsync("ou", job.JobId, 1, 10, CancellationToken.None);
        var error = Assert.Single(errors!.Items);
        Assert.Equal("not-an-email", error.Value);
        Assert.Equal(["not-an-email", failedName, "+1 555 0100"], error.Cells);
    }

    private async Task<IHost> StartHostAsync(Action<LeadImportOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLeadImport(o =>
        {
            o.WorkerPollInterval = TimeSpan.FromMilliseconds(20);
            configure(o);
        }).UseSqlite(_database.ConnectionString);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task A_forgotten_persons_values_are_left_nowhere_in_the_database_files()
    {
        using var host = await StartHostAsync(o => o.BatchSize = 2);
        var job = await ImportAsync(
            host,
            "Email,Name,Phone\nerase.me@example.test,Erin,+1 415 555 0100\nkeep.me@example.test,Kim,+1 415 555 0100\nnot-an-email,Erin,erase.me@example.test\n");
        var import = host.Services.GetRequiredService<ILeadImportService>();

        var result = await import.ForgetLeadAsync("ou", IdentifierKind.Email, "Erase.Me@example.test", CancellationToken.None);

        Assert.Equal((JobStatus.Completed, 2, 1L), (job.Status, job.Counters.Created, job.Counters.Failed));
        Assert.IsType<Erasure.ForgetLeadResult.Forgotten>(result);
        // The upload (deleted when its job finished), the lead, its identifiers and its failed row were all in the file or its log.
        var stored = (await File.ReadAllBytesAsync(_database.FilePath)).Concat(await ReadIfThereAsync(_database.FilePath + "-wal")).ToArray();
        Assert.Equal(-1, stored.AsSpan().IndexOf("erase.me@example.test"u8));
        Assert.NotEqual(-1, stored.AsSpan().IndexOf("keep.me@example.test"u8));
    }

    private static async Task<byte[]> ReadIfThereAsync(string path) => File.Exists(path) ? await File.ReadAllBytesAsync(path) : [];

    private static async Task<string> StartAsync(IHost host, string csv)
    {
        var import = host.Services.GetRequiredService<ILeadImportService>();
        var preview = await import.PreviewAsync("ou", "leads.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
        var request = new StartImportRequest
        {
            FileId = preview.FileId,
            PrimaryIdentifier = new PrimaryIdentifierRequest("Email", "email"),
            FieldMappings = new Dictionary<string, string?> { ["Name"] = "first_name" },
            AliasMappings = new Dictionary<string, string?> { ["Phone"] = "_alias_phone" },
        };
        return Assert.IsType<StartImportResult.Started>(await import.StartAsync("ou", request, CancellationToken.None)).Job.JobId;
    }

    private static async Task<ImportJob> ImportAsync(IHost host, string csv) => await WaitForEndAsync(host, await StartAsync(host, csv));

    private static async Task<ImportJob> WaitForEndAsync(IHost host, string jobId)
    {
        var import = host.Services.GetRequiredService<ILeadImportService>();
        for (var i = 0; i < 6000; i++)
        {
            var job = (await import.GetJobAsync("ou", jobId, CancellationToken.None))!;
            if (job.Status.IsFinal())
            {
                return job;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Job {jobId} did not finish.");
    }
}
