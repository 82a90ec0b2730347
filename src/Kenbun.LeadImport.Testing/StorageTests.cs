using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.Time.Testing;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.Testing;

/// <summary>
/// The base of every conformance suite: a new, empty <see cref="LeadImportStorage"/> per test on a clock the test
/// moves. Derive a suite, implement <see cref="CreateStorage"/>, and xunit runs the inherited tests.
/// </summary>
public abstract class StorageTests : IAsyncLifetime
{
    /// <summary>The OU most tests work in.</summary>
    protected const string Ou = "ou-a";

    /// <summary>Another OU, whose data must stay apart.</summary>
    protected const string OtherOu = "ou-b";

    /// <summary>The queued-job quota tests create jobs under.</summary>
    protected const int Quota = 20;

    /// <summary>
    /// A page far past the end of any list: at <see cref="FarPageLimit"/> items a page, its offset is 2^32, which a
    /// store computing <c>(page - 1) * limit</c> in 32 bits takes for 0, listing the first page instead of nothing.
    /// </summary>
    protected const int FarPage = 1_073_741_825;

    /// <summary>The page size that goes with <see cref="FarPage"/>.</summary>
    protected const int FarPageLimit = 4;

    /// <summary>No cancellation.</summary>
    protected static readonly CancellationToken None = CancellationToken.None;

    private LeadImportStorage? _storage;

    /// <summary>The clock the storage judges expiry and leases by.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    /// <summary>The storage under test.</summary>
    protected LeadImportStorage Storage => _storage ?? throw new InvalidOperationException("The storage is created in InitializeAsync.");

    /// <summary>Its files.</summary>
    protected IImportFileStore Files => Storage.Files;

    /// <summary>Its jobs.</summary>
    protected IJobStore Jobs => Storage.Jobs;

    /// <summary>Its leads.</summary>
    protected ILeadStore Leads => Storage.Leads;

    /// <summary>Creates empty storage that judges expiry and stamps times by <paramref name="timeProvider"/>.</summary>
    protected abstract Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider);

    /// <inheritdoc />
    public async Task InitializeAsync() => _storage = await CreateStorage(Time);

    /// <inheritdoc />
    public virtual Task DisposeAsync()
    {
        (_storage as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Writes an upload without publishing it, expiring after <paramref name="expiresIn"/> (default an hour).</summary>
    protected async Task<string> WriteAsync(string ou = Ou, TimeSpan? expiresIn = null, string? fileId = null)
    {
        var id = fileId ?? ImportIds.NewFileId();
        await Files.WriteContentAsync(ou, id, Time.GetUtcNow() + (expiresIn ?? TimeSpan.FromHours(1)), new MemoryStream("Email\na@x.com\n"u8.ToArray()), None);
        return id;
    }

    /// <summary>Publishes written content as a preview, as the preview does once it has read the file.</summary>
    protected async Task<ImportFile> PublishAsync(string fileId, string ou = Ou)
    {
        var file = Preview(fileId, ou);
        Assert.True(await Files.PublishAsync(file, 50, None));
        return file;
    }

    /// <summary>What the preview learnt about a file.</summary>
    protected ImportFile Preview(string fileId, string ou = Ou) => StoreTestData.NewPreview(ou, fileId, Time.GetUtcNow());

    /// <summary>Makes sure the job's file is a preview (or already the job's), then creates the job as a start does.</summary>
    protected async Task<JobCreation> CreateJobAsync(ImportJob job, int quota = Quota)
    {
        if (await Files.FindAsync(job.Ou, job.FileId, None) is null)
        {
            await PublishAsync(await WriteAsync(job.Ou, fileId: job.FileId), job.Ou);
        }

        return await Storage.CreateJobAsync(job, quota, None);
    }

    /// <summary>Reads a file's whole content, or returns <see langword="null"/> when there is none.</summary>
    protected async Task<byte[]?> ReadContentAsync(string ou, string fileId)
    {
        await using var content = await Files.OpenContentAsync(ou, fileId, None);
        if (content is null)
        {
            return null;
        }

        var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Creates a job in <paramref name="ou"/> and leases it; no other job may be waiting.</summary>
    protected async Task<RunningJob> StartAsync(string ou)
    {
        var job = NewJob(ou, Time.GetUtcNow());
        Assert.Equal(JobCreationStatus.Created, (await CreateJobAsync(job)).Status);
        var lease = await Jobs.AcquireNextAsync("w-" + job.JobId, LeaseDuration, None);
        Assert.NotNull(lease);
        Assert.Equal(job.JobId, lease.Job.JobId);
        return new RunningJob(lease);
    }

    /// <summary>Commits a batch on from the job's last committed counters, and moves them on when it lands.</summary>
    protected async Task<BatchCommitResult> CommitAsync(
        RunningJob job, IReadOnlyCollection<LeadChange> changes, long created = 0, long updated = 0, IReadOnlyList<RowError>? errors = null, IReadOnlyList<RowWarning>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var checkpoint = Checkpoint(job.Lease.LeaseHolder, job.Counters, created, updated, errors, warnings, job.WarningCount);
        var result = await Storage.CommitBatchAsync(job.Lease.Job.Ou, job.JobId, changes, checkpoint, None);
        if (result.Status == BatchCommitStatus.Committed)
        {
            job.Counters = checkpoint.Counters;
            job.WarningCount = checkpoint.WarningCount;
        }

        return result;
    }

    /// <summary>A dry run of <paramref name="job"/>'s file.</summary>
    protected static ImportJob DryRun(ImportJob job) => job with { Settings = job.Settings with { DryRun = true } };
}
