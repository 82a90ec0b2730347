using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>
/// 503 with <c>Retry-After</c> when the store is unavailable (a lock held too long, a lost connection), 507 when it is
/// out of space (CONTRACT §6). Said in the client's terms: what the provider or its exception says stays in the log.
/// </summary>
internal sealed class StorageProblem : ProblemResult
{
    /// <summary>How long a client is told to wait before trying an unavailable store again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private StorageProblem(int status, string title, string detail)
        : base(status, title, detail)
    {
    }

    /// <summary>503: the store cannot be used right now; nothing was changed.</summary>
    public static StorageProblem Unavailable() => new(
        StatusCodes.Status503ServiceUnavailable,
        "Storage unavailable",
        "The import's storage cannot be used right now and nothing was changed. Try again in a few seconds.");

    /// <summary>507: the store is full; nothing was changed.</summary>
    public static StorageProblem OutOfSpace() => new(
        StatusCodes.Status507InsufficientStorage,
        "Storage full",
        "The import's storage is full and nothing was changed. Try again once the operator has freed space.");

    private protected override void AddHeaders(IHeaderDictionary headers)
    {
        if (StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
    }
}
