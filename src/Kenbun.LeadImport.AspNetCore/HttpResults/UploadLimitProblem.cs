using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Kenbun.LeadImport.AspNetCore.HttpResults;

/// <summary>The limits of an upload: those of <see cref="LimitProblem"/>, and 408 for an upload slower than its time limit.</summary>
internal sealed class UploadLimitProblem : LimitProblem, IEndpointMetadataProvider
{
    private UploadLimitProblem(int status, string title, string detail, TimeSpan? retryAfter)
        : base(status, title, detail, retryAfter)
    {
    }

    /// <summary>413: the file is larger than its limit.</summary>
    public static new UploadLimitProblem TooLarge(string title, string detail) => new(StatusCodes.Status413PayloadTooLarge, title, detail, retryAfter: null);

    /// <summary>429: the OU reached its preview quota.</summary>
    public static new UploadLimitProblem QuotaReached(QuotaExceededException quota) =>
        new(StatusCodes.Status429TooManyRequests, "Quota reached", quota.Message, quota.RetryAfter);

    /// <summary>408: the upload took longer than it may.</summary>
    public static UploadLimitProblem TooSlow(UploadTooSlowException slow) => new(StatusCodes.Status408RequestTimeout, "Upload too slow", slow.Message, retryAfter: null);

    private protected override void AddHeaders(IHeaderDictionary headers)
    {
        base.AddHeaders(headers);
        if (StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // The rest of a too slow body is not wanted: the connection closes after the answer (RFC 9110 §15.5.9).
            headers.Connection = "close";
        }
    }

    /// <inheritdoc/>
    public static new void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        LimitProblem.PopulateMetadata(method, builder);
        Declare(builder, StatusCodes.Status408RequestTimeout);
    }
}
