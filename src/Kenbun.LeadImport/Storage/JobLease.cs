using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Storage;

/// <summary>A worker's claim on a job, held until it lapses at <see cref="ExpiresAt"/> unless renewed.</summary>
/// <param name="Job">The job as it was when leased, with its progress so far.</param>
/// <param name="LeaseHolder">Who holds the lease: a name the worker made for this one acquisition.</param>
/// <param name="ExpiresAt">When the lease lapses.</param>
public sealed record JobLease(ImportJob Job, string LeaseHolder, DateTimeOffset ExpiresAt);

/// <summary>The outcome of <see cref="IJobStore.RenewLeaseAsync"/>.</summary>
/// <param name="Held">Whether the caller still holds the lease.</param>
/// <param name="CancelRequested">Whether a user has asked the job to stop.</param>
public readonly record struct LeaseRenewal(bool Held, bool CancelRequested);
