namespace Kenbun.LeadImport.Storage;

/// <summary>What a delete request did.</summary>
public enum DeleteOutcome
{
    /// <summary>No such job in the OU.</summary>
    NotFound = 0,

    /// <summary>The job is queued or running and was kept.</summary>
    NotFinished = 1,

    /// <summary>The job and its data are gone.</summary>
    Deleted = 2,
}
