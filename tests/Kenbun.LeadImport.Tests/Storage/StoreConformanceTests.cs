using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Storage.Tests;

namespace Kenbun.LeadImport.Tests.Storage;

public sealed class InMemoryJobStoreTests : JobStoreTests
{
    protected override Task<IJobStore> CreateStore(TimeProvider timeProvider) =>
        Task.FromResult<IJobStore>(new InMemoryJobStore(timeProvider));
}

public sealed class InMemoryLeadStoreTests : LeadStoreTests
{
    protected override Task<(ILeadStore Leads, IJobStore Jobs)> CreateStores(TimeProvider timeProvider)
    {
        var jobs = new InMemoryJobStore(timeProvider);
        return Task.FromResult<(ILeadStore, IJobStore)>((new InMemoryLeadStore(jobs), jobs));
    }
}
