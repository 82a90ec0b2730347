namespace Kenbun.LeadImport.AspNetCore;

/// <summary>Settings of the HTTP endpoints.</summary>
public sealed class LeadImportHttpOptions
{
    /// <summary>The claim the default <see cref="ILeadImportOuResolver"/> reads the OU from. Default <c>ou</c>.</summary>
    public string OuClaimType { get; set; } = "ou";

    /// <summary>The largest start request body accepted, in bytes; a larger one answers 413. Default 1 MiB.</summary>
    public long MaxStartRequestBytes { get; set; } = 1024 * 1024;
}
