using System.Diagnostics;
using System.Globalization;
using Kenbun.LeadImport.PostgreSql;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// What one job acquisition costs on PostgreSQL as the queue and the number of OUs grow: every acquisition, from every
/// instance, runs under one advisory lock per schema, so its time bounds how many jobs a second the whole deployment can
/// start. For each size, a fresh schema gets that many queued jobs spread over that many OUs (copies of one real job's
/// row, with 100,000 finished ones beside them, which the runnable-jobs index leaves out) and every OU in
/// <c>ou_turns</c>; then the store's <c>AcquireNextAsync</c> is timed over a number of acquisitions (each takes one job).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- acquire [queued,…] [OUs,…] [acquisitions]</c>
/// (defaults <c>100,1000,10000,100000</c>, <c>1000,100000</c>, 30): every combination.
/// </remarks>
internal static class AcquireBacklog
{
    public static async Task RunAsync(string[] args)
    {
        int[] queued = args.Length > 0 ? [.. args[0].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))] : [100, 1_000, 10_000, 100_000];
        int[] ous = args.Length > 1 ? [.. args[1].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))] : [1_000, 100_000];
        var acquisitions = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        await using var cluster = new PostgresCluster();
        await cluster.StartAsync();
        var connectionString = PickupDelay.Pooled(cluster.ConnectionString(PostgresCluster.SharedDatabase), "acquire");
        Console.WriteLine("| Queued jobs | OUs | Acquisition median | p95 |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var ouCount in ous)
        {
            foreach (var jobCount in queued)
            {
                var schema = PostgresCluster.NewSchemaName();
                await using var services = PickupDelay.CreateCreator(connectionString, schema: schema);
                await FillAsync(services, jobCount, ouCount);
                var jobs = services.GetRequiredService<IJobStore>();
                var times = new List<double>();
                for (var i = 0; i < acquisitions; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    _ = await jobs.AcquireNextAsync($"bench/{i}", TimeSpan.FromMinutes(10), CancellationToken.None)
                        ?? throw new InvalidOperationException("No job to acquire.");
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                var sorted = times.Skip(3).Order().ToArray(); // the first few open the pool and plan the statements
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {jobCount:N0} | {ouCount:N0} | {Percentiles.Of(sorted, 0.5):0.0} ms | {Percentiles.Of(sorted, 0.95):0.0} ms |"));
            }
        }
    }

    /// <summary>
    /// Starts one real job (its stored JSON is the template), then writes the queued and finished jobs, each the template
    /// with its own ids, and every OU's turn straight into the tables.
    /// </summary>
    private static async Task FillAsync(ServiceProvider services, int queued, int ous)
    {
        var import = services.GetRequiredService<ILeadImportService>();
        var preview = await import.PreviewAsync("template", "leads.csv", new MemoryStream(LeadFiles.Generate(5)), CancellationToken.None);
        await import.StartAsync("template", ImportJobs.Request(preview.FileId), CancellationToken.None);
        var database = services.GetRequiredService<PostgreSqlDatabase>();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            database.Sql(
                """
                INSERT INTO :"schema".jobs (ou, job_id, file_id, dry_run, status, created_at, completed_at, job)
                SELECT n.ou, n.id, n.id, false, CASE WHEN i <= @queued THEN 0 ELSE 2 END, now(), CASE WHEN i <= @queued THEN NULL ELSE now() END,
                       jsonb_set(jsonb_set(jsonb_set(t.job, '{JobId}', to_jsonb(n.id)), '{Ou}', to_jsonb(n.ou)), '{FileId}', to_jsonb(n.id))
                FROM generate_series(1, @queued + 100000) i
                CROSS JOIN LATERAL (SELECT 'job-' || i AS id, 'ou-' || (i % @ous) AS ou) n
                CROSS JOIN (SELECT job FROM :"schema".jobs WHERE ou = 'template') t;
                INSERT INTO :"schema".ou_turns (ou, served) SELECT 'ou-' || i, i + 1 FROM generate_series(0, @ous - 1) i;
                ANALYZE :"schema".jobs;
                ANALYZE :"schema".ou_turns;
                """),
            connection);
        command.Parameters.AddWithValue("queued", queued);
        command.Parameters.AddWithValue("ous", ous);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
}
