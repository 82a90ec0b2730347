using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Erasure;

/// <summary>The outcome of forgetting a person (<see cref="ILeadImportService.ForgetLeadAsync"/>).</summary>
public abstract record ForgetLeadResult
{
    private ForgetLeadResult()
    {
    }

    /// <summary>Something held the identifier and is gone: the lead that owned it, the stored rows that held it, or both.</summary>
    /// <param name="Outcome">What was erased.</param>
    public sealed record Forgotten(ForgetLeadOutcome Outcome) : ForgetLeadResult;

    /// <summary>No lead of the OU owns the identifier and no stored error or warning holds it; nothing changed.</summary>
    public sealed record NotFound : ForgetLeadResult;

    /// <summary>The value is not a valid identifier of its kind, so nothing can hold it; nothing was looked up.</summary>
    /// <param name="Message">What is wrong, as an import's row error says it: <c>Invalid email format</c>.</param>
    public sealed record InvalidValue(string Message) : ForgetLeadResult;
}
