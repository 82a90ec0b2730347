using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Storage;

/// <summary>What a cancel request did.</summary>
public enum CancelStatus
{
    /// <summary>No such job in the OU.</summary>
    NotFound = 0,

    /// <summary>The job was queued and is now cancelled.</summary>
    Cancelled = 1,

    /// <summary>The job is running and will stop at its next batch boundary.</summary>
    Requested = 2,

    /// <summary>The job had already finished.</summary>
    AlreadyFinished = 3,
}

/// <summary>The outcome of a cancel request.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Job">The job after the request, when it exists.</param>
public sealed record CancelOutcome(CancelStatus Status, ImportJob? Job);
