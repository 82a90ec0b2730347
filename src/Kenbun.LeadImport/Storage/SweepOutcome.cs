namespace Kenbun.LeadImport.Storage;

/// <summary>What one retention sweep (<see cref="LeadImportStorage.SweepAsync"/>) removed.</summary>
/// <param name="DeletedFiles">Expired previews, unpublished uploads and files finished jobs still owned.</param>
/// <param name="PurgedJobs">Finished jobs past retention, each with its errors, warnings and file.</param>
public readonly record struct SweepOutcome(int DeletedFiles, int PurgedJobs);
