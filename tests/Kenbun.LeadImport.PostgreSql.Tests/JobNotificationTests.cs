using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A job queued through any instance wakes the idle workers of every instance through <c>LISTEN/NOTIFY</c>: with a
/// polling interval of hours, only the notification can start it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobNotificationTests(PostgresServer server)
{
    private const string Ou = "ou-a";

    [Fact]
    public async Task A_job_queued_through_another_instance_starts_on_an_idle_instance_that_polls_only_every_few_hours()
    {
        var schema = PostgresCluster.NewSchemaName();
        var connectionString = server.ConnectionString(PostgresCluster.SharedDatabase, pooling: true);
        var polls = new AcquisitionCount();
        await using var idle = PostgresHost.Create(
            connectionString, schema, options => options.WorkerPollInterval = TimeSpan.FromHours(3), services => polls.Watch(services));
        await idle.StartAsync();
        // Its first look at the queue, and the one its listener asks for once it listens: then it waits for hours.
        await polls.WaitForAsync(2);

        await using var other = PostgresHost.Create(connectionString, schema);
        var job = await other.StartImportAsync(Ou, "Email\nann@example.com\nbob@example.com\n");

        var completed = await other.WaitForAsync(Ou, job.JobId, j => j.Status == JobStatus.Completed);
        Assert.Equal(2, completed.Counters.Created);
        Assert.True(polls.Count >= 3, "The idle instance took the job when the notification woke it.");
    }

    /// <summary>Counts the worker's looks at the queue, by wrapping the storage its host registered.</summary>
    private sealed class AcquisitionCount
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Watch(IServiceCollection services)
        {
            var registered = services.Last(descriptor => descriptor.ServiceType == typeof(LeadImportStorage));
            services.Replace(ServiceDescriptor.Singleton<LeadImportStorage>(provider =>
                new CountingStorage((LeadImportStorage)registered.ImplementationFactory!(provider), this)));
        }

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"The worker looked at the queue {Count} times.");
                await Task.Delay(20);
            }
        }

        private sealed class CountingStorage(LeadImportStorage inner, AcquisitionCount count) : DelegatingStorage(inner)
        {
            public override IJobStore Jobs { get; } = new CountingJobs(inner.Jobs, count);
        }

        private sealed class CountingJobs(IJobStore inner, AcquisitionCount count) : IJobStore
        {
            public async ValueTask<JobLease?> AcquireNextAsync(string leaseHolder, TimeSpan leaseDuration, CancellationToken cancellationToken)
            {
                var lease = await inner.AcquireNextAsync(leaseHolder, leaseDuration, cancellationToken);
                Interlocked.Increment(ref count._count);
                return lease;
            }

            public ValueTask<ImportJob?> GetAsync(string ou, string jobId, int maxDetailItems, CancellationToken cancellationToken) => inner.GetAsync(ou, jobId, maxDetailItems, cancellationToken);

            public ValueTask<ImportJob?> FindByFileAsync(string ou, string fileId, CancellationToken cancellationToken) => inner.FindByFileAsync(ou, fileId, cancellationToken);

            public ValueTask<Page<ImportJob>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken) => inner.ListAsync(ou, page, limit, cancellationToken);

            public ValueTask<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken) =>
                inner.ListErrorsAsync(ou, jobId, page, limit, cancellationToken);

            public ValueTask<IReadOnlyList<RowError>?> ListErrorsAfterAsync(string ou, string jobId, long afterRow, int limit, CancellationToken cancellationToken) =>
                inner.ListErrorsAfterAsync(ou, jobId, afterRow, limit, cancellationToken);

            public ValueTask<LeaseRenewal> RenewLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
                inner.RenewLeaseAsync(lease, leaseDuration, cancellationToken);

            public ValueTask ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(lease, cancellationToken);

            public ValueTask<bool> SetStallAsync(JobLease lease, JobStall? stall, CancellationToken cancellationToken) => inner.SetStallAsync(lease, stall, cancellationToken);

            public ValueTask<JobQueueStatus> GetQueueStatusAsync(CancellationToken cancellationToken) => inner.GetQueueStatusAsync(cancellationToken);
        }
    }
}
