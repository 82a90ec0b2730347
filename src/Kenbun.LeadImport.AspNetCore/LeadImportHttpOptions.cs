using System.Security.Claims;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>Settings of the HTTP endpoints.</summary>
public sealed class LeadImportHttpOptions
{
    /// <summary>The claim the default <see cref="ILeadImportOuResolver"/> reads the OU from. Default <c>ou</c>.</summary>
    public string OuClaimType { get; set; } = "ou";

    /// <summary>The largest start request body accepted, in bytes; a larger one answers 413. Default 1 MiB.</summary>
    public long MaxStartRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The claim whose value a start records as who started the job (<c>created_by</c> in the job list and detail;
    /// <see cref="Start.StartImportRequest.CreatedBy"/>). Default <see cref="ClaimTypes.Name"/>, the caller's name. A caller
    /// without the claim starts jobs by no one (<c>created_by</c> is <see langword="null"/>), and so does every caller when
    /// this is <see langword="null"/>. What a client sends in the body never counts. The value is personal data: the
    /// library never logs it above Debug.
    /// </summary>
    public string? CreatedByClaimType { get; set; } = ClaimTypes.Name;
}
