namespace Kenbun.LeadImport.AspNetCore;

/// <summary>Settings of the HTTP endpoints.</summary>
public sealed class LeadImportHttpOptions
{
    /// <summary>The claim the default <see cref="ILeadImportOuResolver"/> reads the OU from. Default <c>ou</c>.</summary>
    public string OuClaimType { get; set; } = "ou";
}
