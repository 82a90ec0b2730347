using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Testing;

/// <summary>A leased job as its worker sees it: the counters of its last committed checkpoint.</summary>
/// <param name="lease">The lease the worker holds.</param>
public sealed class RunningJob(JobLease lease)
{
    /// <summary>The lease the worker holds.</summary>
    public JobLease Lease { get; } = lease ?? throw new ArgumentNullException(nameof(lease));

    /// <summary>The job's id.</summary>
    public string JobId => Lease.Job.JobId;

    /// <summary>The counters of the last committed checkpoint.</summary>
    public JobCounters Counters { get; set; } = lease.Job.Counters;

    /// <summary>The warning count of the last committed checkpoint.</summary>
    public long WarningCount { get; set; } = lease.Job.WarningCount;
}
