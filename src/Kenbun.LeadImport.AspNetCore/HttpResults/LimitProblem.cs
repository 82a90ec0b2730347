using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>
/// 413 or 429: a limit was reached — the size of what was sent (413), or a quota of the OU (429, with
/// <c>Retry-After</c>). One type for both keeps each handler's union within the six outcomes <c>Results&lt;…&gt;</c> holds.
/// </summary>
internal class LimitProblem : ProblemResult, IEndpointMetadataProvider
{
    private protected LimitProblem(int status, string title, string detail, TimeSpan? retryAfter)
        : base(status, title, detail)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>When the quota frees up, for a 429; <see langword="null"/> for a 413.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>413: what was sent is larger than its limit.</summary>
    public static LimitProblem TooLarge(string title, string detail) => new(StatusCodes.Status413PayloadTooLarge, title, detail, retryAfter: null);

    /// <summary>429: the OU reached a quota.</summary>
    public static LimitProblem QuotaReached(QuotaExceededException quota) =>
        new(StatusCodes.Status429TooManyRequests, "Quota reached", quota.Message, quota.RetryAfter);

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        Declare(builder, StatusCodes.Status413PayloadTooLarge);
        Declare(builder, StatusCodes.Status429TooManyRequests);
    }

    private protected override void AddHeaders(IHeaderDictionary headers)
    {
        if (RetryAfter is { } retryAfter)
        {
            headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }
}
