using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Stores;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The jobs of an <see cref="InMemoryStorage"/>. Not durable — jobs are lost when the process ends — and leases hold
/// within this process only. The storage's operations that span jobs and files run under <see cref="Lock"/>.
/// </summary>
internal sealed class InMemoryJobStore(TimeProvider timeProvider) : IJobStore
{
    private readonly Lock _lock = new();
    private static readonly Comparer<RowError> ErrorsInRowOrder = Comparer<RowError>.Create((a, b) => a.Row.CompareTo(b.Row));
    private readonly Dictionary<string, JobState> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastServedByOu = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>The lock every change of a job is made under (re-entrant).</summary>
    internal Lock Lock => _lock;

    /// <summary>
    /// Adds a queued job unless the file's real import exists or the OU's queue is full; <paramref name="takeFile"/>, called
    /// last and under the lock, says whether the job may have its file.
    /// </summary>
    internal JobCreation Create(ImportJob job, int maxQueuedJobsPerOu, Func<bool> takeFile)
    {
        lock (_lock)
        {
            if (FindRealImport(job.Ou, job.FileId) is { } existing)
            {
                return new JobCreation(JobCreationStatus.FileAlreadyStarted, existing.Snapshot(0));
            }

            if (_jobs.Values.Count(s => s.Job.Ou == job.Ou && s.Job.Status == JobStatus.Queued) >= maxQueuedJobsPerOu)
            {
                return new JobCreation(JobCreationStatus.QuotaExceeded, null);
            }

            if (!takeFile())
            {
                return new JobCreation(JobCreationStatus.FileNotFound, null);
            }

            _jobs.Add(job.JobId, new JobState(job, ++_sequence));
            return new JobCreation(JobCreationStatus.Created, job);
        }
    }

    /// <inheritdoc />
    public ValueTask<ImportJob?> GetAsync(string ou, string jobId, int maxDetailItems, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Find(ou, jobId)?.Snapshot(maxDetailItems));
        }
    }

    /// <inheritdoc />
    public ValueTask<ImportJob?> FindByFileAsync(string ou, string fileId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(FindRealImport(ou, fileId)?.Snapshot(0));
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<ImportJob>> ListAsync(string ou, int page, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var jobs = _jobs.Values.Where(s => s.Job.Ou == ou)
                .OrderByDescending(s => s.Job.CreatedAt).ThenByDescending(s => s.Sequence)
                .ToList();
            var items = jobs.PageOf(page, limit).Select(s => s.Snapshot(0)).ToList();
            return ValueTask.FromResult(new Page<ImportJob>(items, jobs.Count, page, limit));
        }
    }

    /// <inheritdoc />
    public ValueTask<Page<RowError>?> ListErrorsAsync(string ou, string jobId, int page, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Find(ou, jobId) is not { } state)
            {
                return ValueTask.FromResult<Page<RowError>?>(null);
            }

            var items = state.Errors.PageOf(page, limit).ToList();
            return ValueTask.FromResult<Page<RowError>?>(new Page<RowError>(items, state.Errors.Count, page, limit));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RowError>?> ListErrorsAfterAsync(string ou, string jobId, long afterRow, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Find(ou, jobId) is not { } state)
            {
                return ValueTask.FromResult<IReadOnlyList<RowError>?>(null);
            }

            // Errors are kept in row order, one per row: the first one after afterRow is where a search for it ends.
            var found = state.Errors.BinarySearch(new RowError(afterRow, "", "", []), ErrorsInRowOrder);
            var start = found < 0 ? ~found : found + 1;
            return ValueTask.FromResult<IReadOnlyList<RowError>?>(state.Errors.GetRange(start, Math.Min(limit, state.Errors.Count - start)));
        }
    }

    /// <inheritdoc />
    public ValueTask<JobQueueStatus> GetQueueStatusAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var queued = _jobs.Values.Where(s => s.Job.Status == JobStatus.Queued).Select(s => s.Job.CreatedAt).ToList();
            return ValueTask.FromResult(new JobQueueStatus(queued.Count, queued.Count == 0 ? null : queued.Min()));
        }
    }

    /// <inheritdoc />
    public ValueTask<JobLease?> AcquireNextAsync(string leaseHolder, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            var next = _jobs.Values
                .Where(s => s.Job.Status == JobStatus.Queued || (s.Job.Status == JobStatus.InProgress && (s.LeaseExpiresAt ?? DateTimeOffset.MinValue) <= now))
                .OrderBy(s => _lastServedByOu.GetValueOrDefault(s.Job.Ou, 0))
                .ThenBy(s => s.Job.Status == JobStatus.InProgress ? 0 : 1)
                .ThenBy(s => s.Sequence)
                .FirstOrDefault();
            if (next is null)
            {
                return ValueTask.FromResult<JobLease?>(null);
            }

            _lastServedByOu[next.Job.Ou] = ++_sequence;
            next.Job = next.Job with { Status = JobStatus.InProgress, StartedAt = next.Job.StartedAt ?? now };
            next.LeaseOwner = leaseHolder;
            next.LeaseExpiresAt = now + leaseDuration;
            return ValueTask.FromResult<JobLease?>(new JobLease(next.Snapshot(0), leaseHolder, next.LeaseExpiresAt.Value));
        }
    }

    /// <inheritdoc />
    public ValueTask<LeaseRenewal> RenewLeaseAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (Held(lease) is not { } state)
            {
                return ValueTask.FromResult(new LeaseRenewal(false, false));
            }

            state.LeaseExpiresAt = timeProvider.GetUtcNow() + leaseDuration;
            return ValueTask.FromResult(new LeaseRenewal(true, state.Job.CancelRequested));
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (Held(lease) is { } state)
            {
                state.LeaseOwner = null;
                state.LeaseExpiresAt = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> SetStallAsync(JobLease lease, JobStall? stall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (Held(lease) is not { } state)
            {
                return ValueTask.FromResult(false);
            }

            state.Job = state.Job with { Stall = stall };
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>Moves a leased job to a final status and ends the lease; null when the lease was no longer held.</summary>
    internal ImportJob? Finish(JobLease lease, JobStatus status, string? failureReason)
    {
        lock (_lock)
        {
            if (Held(lease) is not { } state)
            {
                return null;
            }

            state.Job = state.Job with { Status = status, CompletedAt = timeProvider.GetUtcNow(), FailureReason = failureReason, Stall = null };
            state.LeaseOwner = null;
            state.LeaseExpiresAt = null;
            return state.Job;
        }
    }

    /// <summary>Cancels a queued job, asks a running one to stop, refuses a finished one.</summary>
    internal CancelOutcome RequestCancel(string ou, string jobId)
    {
        lock (_lock)
        {
            if (Find(ou, jobId) is not { } state)
            {
                return new CancelOutcome(CancelStatus.NotFound, null);
            }

            switch (state.Job.Status)
            {
                case JobStatus.Queued:
                    state.Job = state.Job with { Status = JobStatus.Cancelled, CompletedAt = timeProvider.GetUtcNow() };
                    return new CancelOutcome(CancelStatus.Cancelled, state.Snapshot(0));
                case JobStatus.InProgress:
                    state.Job = state.Job with { CancelRequested = true };
                    return new CancelOutcome(CancelStatus.Requested, state.Snapshot(0));
                default:
                    return new CancelOutcome(CancelStatus.AlreadyFinished, state.Snapshot(0));
            }
        }
    }

    /// <summary>Deletes a finished job with its errors and warnings; returns the deleted job.</summary>
    internal (DeleteOutcome Outcome, ImportJob? Job) Delete(string ou, string jobId)
    {
        lock (_lock)
        {
            return Find(ou, jobId) switch
            {
                null => (DeleteOutcome.NotFound, null),
                { Job.Status: var status } when !status.IsFinal() => (DeleteOutcome.NotFinished, null),
                var state => (_jobs.Remove(jobId) ? DeleteOutcome.Deleted : DeleteOutcome.NotFound, state.Job),
            };
        }
    }

    /// <summary>The ids of the files that queued or running jobs read.</summary>
    internal HashSet<string> FilesInUse()
    {
        lock (_lock)
        {
            return _jobs.Values.Where(s => !s.Job.Status.IsFinal()).Select(s => s.Job.FileId).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Deletes every job that reached a final status before <paramref name="finishedBefore"/>; returns them.</summary>
    internal List<ImportJob> Purge(DateTimeOffset finishedBefore)
    {
        lock (_lock)
        {
            var purged = _jobs.Values.Where(s => s.Job.CompletedAt < finishedBefore).Select(s => s.Job).ToList();
            purged.ForEach(job => _jobs.Remove(job.JobId));
            return purged;
        }
    }

    /// <summary>Deletes, in every job of the OU, the errors and warnings that hold a forgotten value; returns how many.</summary>
    internal (long Errors, long Warnings) Scrub(string ou, ForgottenValues values)
    {
        lock (_lock)
        {
            var (errors, warnings) = (0L, 0L);
            foreach (var state in _jobs.Values.Where(s => s.Job.Ou == ou))
            {
                var region = state.Job.Settings.DefaultPhoneRegion;
                errors += state.Errors.RemoveAll(e => values.Match(e, region));
                warnings += state.Warnings.RemoveAll(w => values.Match(w, region));
            }

            return (errors, warnings);
        }
    }

    /// <summary>Deletes every job of the OU, whatever its status, and its turn among the OUs; returns how many jobs.</summary>
    internal int DeleteOu(string ou)
    {
        lock (_lock)
        {
            var deleted = _jobs.Values.Where(s => s.Job.Ou == ou).Select(s => s.Job.JobId).ToList();
            deleted.ForEach(jobId => _jobs.Remove(jobId));
            _lastServedByOu.Remove(ou);
            return deleted.Count;
        }
    }

    private JobState? FindRealImport(string ou, string fileId) =>
        _jobs.Values.FirstOrDefault(s => s.Job.Ou == ou && s.Job.FileId == fileId && !s.Job.Settings.DryRun);

    /// <summary>
    /// Applies a checkpoint if the job's progress is where the batch began, after <paramref name="applyLeads"/> agreed
    /// to store the batch's lead changes; all under the job store's lock so the two land together.
    /// </summary>
    internal BatchCommitResult Commit(string ou, string jobId, JobCheckpoint checkpoint, Func<BatchCommitResult> applyLeads)
    {
        lock (_lock)
        {
            if (Find(ou, jobId) is not { } state || state.Job.Status != JobStatus.InProgress || state.LeaseOwner != checkpoint.LeaseHolder)
            {
                return new BatchCommitResult(BatchCommitStatus.Stale, [], false);
            }

            if (state.Job.Counters.Processed != checkpoint.PreviousProcessedRows)
            {
                var alreadyApplied = state.Job.Counters == checkpoint.Counters;
                return new BatchCommitResult(alreadyApplied ? BatchCommitStatus.Committed : BatchCommitStatus.Stale, [], state.Job.CancelRequested);
            }

            var leads = applyLeads();
            if (leads.Status != BatchCommitStatus.Committed)
            {
                return leads with { CancelRequested = state.Job.CancelRequested };
            }

            state.Errors.AddRange(checkpoint.Errors);
            state.Warnings.AddRange(checkpoint.Warnings);
            state.Job = state.Job with { Counters = checkpoint.Counters, WarningCount = checkpoint.WarningCount };
            return BatchCommitResult.Committed(state.Job.CancelRequested);
        }
    }

    private JobState? Find(string ou, string jobId) =>
        _jobs.TryGetValue(jobId, out var state) && state.Job.Ou == ou ? state : null;

    private JobState? Held(JobLease lease) =>
        _jobs.TryGetValue(lease.Job.JobId, out var state) && state.LeaseOwner == lease.LeaseHolder && state.Job.Status == JobStatus.InProgress
            ? state
            : null;

    private sealed class JobState(ImportJob job, long sequence)
    {
        public ImportJob Job { get; set; } = job;

        public long Sequence { get; } = sequence;

        public List<RowError> Errors { get; } = [];

        public List<RowWarning> Warnings { get; } = [];

        public string? LeaseOwner { get; set; }

        public DateTimeOffset? LeaseExpiresAt { get; set; }

        public ImportJob Snapshot(int maxDetailItems) => Job with
        {
            Errors = maxDetailItems == 0 ? [] : Errors.Take(maxDetailItems).ToList(),
            Warnings = maxDetailItems == 0 ? [] : Warnings.Take(maxDetailItems).ToList(),
        };
    }
}
