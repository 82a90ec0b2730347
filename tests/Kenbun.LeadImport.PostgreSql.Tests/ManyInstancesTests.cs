using System.Globalization;
using System.Text;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// Twenty instances' workers on one database (CONTRACT §1, §6): every queued job runs exactly once, to exact counts,
/// and the OUs take turns.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ManyInstancesTests(PostgresServer server)
{
    private const int Instances = 20;
    private const int Ous = 5;
    private const int JobsPerOu = 10;
    private const int RowsPerJob = 40;

    [Fact]
    public async Task Twenty_instances_run_fifty_queued_jobs_of_five_ous_each_once_taking_the_ous_in_turn()
    {
        var schema = PostgresCluster.NewSchemaName();
        var connectionString = server.ConnectionString(PostgresCluster.SharedDatabase, pooling: true);
        await using var client = PostgresHost.Create(connectionString, schema, options => options.MaxQueuedJobsPerOu = JobsPerOu);
        var queued = new List<ImportJob>();
        for (var ou = 0; ou < Ous; ou++)
        {
            for (var job = 0; job < JobsPerOu; job++)
            {
                queued.Add(await client.StartImportAsync(OuName(ou), Csv(ou, job)));
            }
        }

        var instances = Enumerable.Range(0, Instances).Select(_ => PostgresHost.Create(connectionString, schema, options => options.MaxConcurrentJobs = 1)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(instance => instance.StartAsync()));
            var finished = new List<ImportJob>();
            foreach (var job in queued)
            {
                finished.Add(await client.WaitForAsync(job.Ou, job.JobId, j => j.Status.IsFinal()));
            }

            Assert.All(finished, job =>
            {
                Assert.Equal(JobStatus.Completed, job.Status);
                Assert.Equal(new JobCounters(RowsPerJob, 0, 0, 0), job.Counters); // run twice, a job would update its own leads
            });
            for (var ou = 0; ou < Ous; ou++)
            {
                var leads = await client.Storage.Leads.ListAsync(OuName(ou), 1, 1, CancellationToken.None);
                Assert.Equal(JobsPerOu * RowsPerJob, leads.Total);
            }

            // The OUs take turns: taken in start order, each round of five jobs has one job of every OU.
            var order = finished.OrderBy(job => job.StartedAt).Select(job => job.Ou).ToList();
            for (var round = 0; round < JobsPerOu; round++)
            {
                Assert.Equal(Ous, order.Skip(round * Ous).Take(Ous).Distinct().Count());
            }
        }
        finally
        {
            await Task.WhenAll(instances.Select(instance => instance.DisposeAsync().AsTask()));
        }
    }

    private static string OuName(int ou) => $"ou-{ou}";

    private static string Csv(int ou, int job)
    {
        var csv = new StringBuilder("Email\n");
        for (var row = 0; row < RowsPerJob; row++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"lead{job}-{row}@ou{ou}.example.com\n");
        }

        return csv.ToString();
    }
}
