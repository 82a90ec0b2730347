using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Tells which OU (organisational unit, the tenant) a request acts for. Replace it to take the OU from a route value,
/// a header your gateway sets, or a lookup; the default reads a claim.
/// </summary>
public interface ILeadImportOuResolver
{
    /// <summary>The OU of the request, or <see langword="null"/> when it has none (the endpoints then answer 401 or 403).</summary>
    ValueTask<string?> ResolveAsync(HttpContext context);
}

/// <summary>Reads the OU from the claim named by <see cref="LeadImportHttpOptions.OuClaimType"/>.</summary>
internal sealed class ClaimOuResolver(IOptions<LeadImportHttpOptions> options) : ILeadImportOuResolver
{
    public ValueTask<string?> ResolveAsync(HttpContext context)
    {
        var ou = context.User.FindFirstValue(options.Value.OuClaimType);
        return ValueTask.FromResult(string.IsNullOrWhiteSpace(ou) ? null : ou);
    }
}
