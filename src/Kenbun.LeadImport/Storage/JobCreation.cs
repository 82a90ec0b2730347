using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Storage;

/// <summary>What <see cref="LeadImportStorage.CreateJobAsync"/> did.</summary>
public enum JobCreationStatus
{
    /// <summary>The job was created.</summary>
    Created = 1,

    /// <summary>The file's real import exists; <see cref="JobCreation.Job"/> is that job.</summary>
    FileAlreadyStarted = 2,

    /// <summary>The OU has too many queued jobs.</summary>
    QuotaExceeded = 3,

    /// <summary>No unexpired preview with that id exists in the OU (it never did, expired, or is another OU's).</summary>
    FileNotFound = 4,
}

/// <summary>The outcome of <see cref="LeadImportStorage.CreateJobAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Job">The created job, or the file's real import; <see langword="null"/> otherwise.</param>
public sealed record JobCreation(JobCreationStatus Status, ImportJob? Job);
