namespace Kenbun.LeadImport.Storage;

/// <summary>The job queue across every OU, for operators (the health check): no tenant's data, only a count and an age.</summary>
/// <param name="QueuedJobs">Jobs waiting for a worker.</param>
/// <param name="OldestQueuedAt">When the longest-waiting of them was created, or <see langword="null"/> when none waits.</param>
public readonly record struct JobQueueStatus(long QueuedJobs, DateTimeOffset? OldestQueuedAt);
