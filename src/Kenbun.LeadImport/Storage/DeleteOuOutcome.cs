namespace Kenbun.LeadImport.Storage;

/// <summary>What <see cref="LeadImportStorage.DeleteOuAsync"/> deleted; all zero when the OU had nothing (deleted before, say).</summary>
/// <param name="Leads">The OU's leads.</param>
/// <param name="Identifiers">Their identifiers.</param>
/// <param name="Jobs">The OU's jobs, whatever their status, each with its errors and warnings.</param>
/// <param name="Files">The OU's uploads and previews, including those jobs owned.</param>
public readonly record struct DeleteOuOutcome(long Leads, long Identifiers, long Jobs, long Files);
