namespace Kenbun.LeadImport.Storage;

/// <summary>What <see cref="LeadImportStorage.ForgetLeadAsync"/> erased.</summary>
/// <param name="LeadId">The lead that owned the identifier, now deleted; <see langword="null"/> when no lead of the OU owned it.</param>
/// <param name="Identifiers">The identifiers deleted with the lead; 0 when no lead owned the identifier.</param>
/// <param name="Errors">Row errors deleted, across the OU's jobs, because their value or one of their cells held a forgotten value.</param>
/// <param name="Warnings">Row warnings deleted, across the OU's jobs, because their value held a forgotten value.</param>
public sealed record ForgetLeadOutcome(string? LeadId, int Identifiers, long Errors, long Warnings)
{
    /// <summary>Whether a lead of the OU owned the identifier (and is now deleted).</summary>
    public bool LeadFound => LeadId is not null;

    /// <summary>Whether anything held the identifier: its lead, or a stored error or warning. False: nothing in the OU had it.</summary>
    public bool FoundAnything => LeadFound || Errors > 0 || Warnings > 0;
}
