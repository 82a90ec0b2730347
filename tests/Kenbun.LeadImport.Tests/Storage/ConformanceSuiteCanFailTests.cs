using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using Kenbun.LeadImport.Tests.Support;
using Xunit.Sdk;

namespace Kenbun.LeadImport.Tests.Storage;

/// <summary>
/// The conformance suite can fail: storage that never takes a real import's file over, so the file outlives its job
/// and still counts as a preview, fails the cascade tests a third-party store runs; so does a file store that discards
/// a preview a real import has taken over.
/// </summary>
public class ConformanceSuiteCanFailTests
{
    [Fact]
    public async Task Storage_that_leaves_a_finished_imports_file_behind_fails_the_suite()
    {
        await Assert.ThrowsAnyAsync<XunitException>(async () => await (await StartAsync<LeakyStorageOperationTests>()).Finishing_a_real_import_deletes_its_file(JobStatus.Completed));
        await Assert.ThrowsAnyAsync<XunitException>(async () => await (await StartAsync<LeakyStorageOperationTests>()).A_real_import_created_takes_its_file_over_and_a_refused_one_leaves_nothing());
    }

    [Fact]
    public async Task The_same_tests_pass_on_the_in_memory_storage()
    {
        await (await StartAsync<InMemoryStorageOperationTests>()).Finishing_a_real_import_deletes_its_file(JobStatus.Completed);
        await (await StartAsync<InMemoryStorageOperationTests>()).A_real_import_created_takes_its_file_over_and_a_refused_one_leaves_nothing();
    }

    [Fact]
    public async Task A_file_store_that_discards_previews_a_job_took_fails_the_suite_and_the_in_memory_one_passes()
    {
        await Assert.ThrowsAnyAsync<XunitException>(async () => await (await StartAsync<CarelessDiscardTests>()).Only_an_unexpired_preview_of_the_ou_that_no_job_took_can_be_discarded());

        await (await StartAsync<InMemoryImportFileStoreTests>()).Only_an_unexpired_preview_of_the_ou_that_no_job_took_can_be_discarded();
    }

    /// <summary>A new suite with new storage, as xunit makes one for each test.</summary>
    private static async Task<T> StartAsync<T>()
        where T : StorageTests, new()
    {
        var suite = new T();
        await suite.InitializeAsync();
        return suite;
    }

    /// <summary>Not public, so xunit does not run the suite against it: the tests above call its tests one by one.</summary>
    private sealed class LeakyStorageOperationTests : StorageOperationTests
    {
        protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) =>
            Task.FromResult<LeadImportStorage>(new NeverTakesTheFile(new InMemoryStorage(timeProvider)));
    }

    /// <summary>Not public, so xunit does not run the suite against it.</summary>
    private sealed class CarelessDiscardTests : ImportFileStoreTests
    {
        protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider)
        {
            var inner = new InMemoryStorage(timeProvider);
            return Task.FromResult<LeadImportStorage>(new StorageWithFiles(inner, new DiscardsWhateverItFinds(inner.Files)));
        }
    }

    /// <summary>Discards any file it finds, a real import's included: the job is left without its file.</summary>
    private sealed class DiscardsWhateverItFinds(IImportFileStore inner) : DelegatingImportFileStore(inner)
    {
        public override async ValueTask<bool> DeletePreviewAsync(string ou, string fileId, CancellationToken cancellationToken)
        {
            if (await FindAsync(ou, fileId, cancellationToken) is null)
            {
                return false;
            }

            await DeleteAsync(ou, fileId, cancellationToken);
            return true;
        }
    }

    /// <summary>Creates every job as if it were a dry run: the job exists, but its file stays a preview and is never deleted with it.</summary>
    private sealed class NeverTakesTheFile(LeadImportStorage inner) : DelegatingStorage(inner)
    {
        public override ValueTask<JobCreation> CreateJobAsync(ImportJob job, int maxQueuedJobsPerOu, CancellationToken cancellationToken) =>
            base.CreateJobAsync(job with { Settings = job.Settings with { DryRun = true } }, maxQueuedJobsPerOu, cancellationToken);
    }
}
