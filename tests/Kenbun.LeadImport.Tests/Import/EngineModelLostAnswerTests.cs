using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// A commit whose answer is lost after the store applied it, on several attempts in a row. As an outage (how a store
/// should classify a lost connection), the engine waits it out and the retried commit finds its checkpoint applied: the
/// import is exact. Misclassified as a refused batch, the lost answers exhaust the batch retries: the engine then fails
/// the batch's rows with <c>Server error</c> and commits that — but the store already holds the batch. Whatever the
/// engine decides, the job must stay consistent: its counters, its errors and the leads describe the same rows.
/// </summary>
public class EngineModelLostAnswerTests
{
    [Fact]
    public async Task A_batch_applied_but_unanswered_through_an_outage_is_counted_exactly_once()
    {
        await using var host = await StartAsync(StorageFailureKind.Unavailable);

        var job = await host.ImportAsync("Email\nann@x.com\nbob@x.com\n", ImportHost.ByEmail());

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(2, 0, 0, 0), job.Counters);
        Assert.Empty(job.Errors);
        Assert.Equal(2, (await host.AllLeadsAsync()).Count);
    }

    [Fact]
    public async Task A_batch_applied_but_unanswered_beyond_the_batch_retries_keeps_counters_errors_and_leads_consistent()
    {
        await using var host = await StartAsync(StorageFailureKind.Batch);

        var job = await host.ImportAsync("Email\nann@x.com\nbob@x.com\n", ImportHost.ByEmail());

        var errors = (await host.Service.ListErrorsAsync(ImportHost.Ou, job.JobId, 1, 100, CancellationToken.None))!;
        var leads = await host.AllLeadsAsync();
        // Two new emails: each row either created its lead or failed with an error, and a failed row wrote nothing.
        var outcome = $"{job.Status.ToApiName()}, {job.Counters}, {errors.Total} errors " +
                      $"[{string.Join("; ", errors.Items.Select(e => $"row {e.Row}: {e.Error}"))}], {leads.Count} leads";
        Assert.True(
            job.Status == JobStatus.Completed && job.Counters.Processed == 2 && job.Counters.Failed == errors.Total && job.Counters.Created == leads.Count,
            $"Counters, errors and leads disagree: {outcome}");
    }

    private static Task<ImportHost> StartAsync(StorageFailureKind lostAs) => ImportHost.StartAsync(
        o =>
        {
            o.BatchSize = 1;
            o.BatchRetryCount = 3;
            o.StorageRetryDelay = TimeSpan.FromMilliseconds(1);
        },
        services =>
        {
            services.AddLogging(logging => logging.ClearProviders());
            services.Replace(ServiceDescriptor.Singleton<LeadImportStorage>(
                provider => new AnswerLosingStorage(new InMemoryStorage(provider.GetRequiredService<TimeProvider>()), lostAnswers: 4, lostAs)));
        });

    /// <summary>Applies the first <paramref name="lostAnswers"/> commits and then fails them as if the answer were lost.</summary>
    private sealed class AnswerLosingStorage(LeadImportStorage inner, int lostAnswers, StorageFailureKind lostAs) : DelegatingStorage(inner)
    {
        private int _lost;

        public override IStorageFailureClassifier FailureClassifier => SimulatedFailureClassifier.Instance;

        public override async ValueTask<BatchCommitResult> CommitBatchAsync(
            string ou, string jobId, IReadOnlyCollection<LeadChange> changes, JobCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            var result = await base.CommitBatchAsync(ou, jobId, changes, checkpoint, cancellationToken);
            if (Interlocked.Increment(ref _lost) <= lostAnswers)
            {
                throw new SimulatedStorageException(lostAs, "commit's answer");
            }

            return result;
        }
    }
}
