using Kenbun.LeadImport.AspNetCore.HttpResults;
using Kenbun.LeadImport.Erasure;
using Kenbun.LeadImport.Identifiers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The request handlers behind <see cref="Microsoft.AspNetCore.Builder.LeadImportErasureEndpointRouteBuilderExtensions.MapLeadImportErasure"/>.
/// No answer echoes the identifier: it is personal data.
/// </summary>
internal static class LeadImportErasureEndpoints
{
    public static async Task<Results<JsonOk<ErasureResponse>, NoOuProblem, InvalidRequestProblem, NotFoundProblem, BodyTooLargeProblem>> ForgetLeadAsync(
        HttpContext context, ILeadImportService import)
    {
        if (await LeadImportEndpoints.ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        if (!context.Request.HasJsonContentType())
        {
            return InvalidRequestProblem.NotJson("The erasure request");
        }

        // A body this large cannot be a kind and one value: it is refused unread beyond the limit, as an over-long start is.
        if (await JsonBody.ReadAsync(context.Request, ErasureBodyReader.MaxBytes, context.RequestAborted) is not { } content)
        {
            return new BodyTooLargeProblem("Erasure request too large", "An erasure request holds a kind and one value: at most 16 KB.");
        }

        if (ErasureBodyReader.Parse(content, out var errors) is not var (kind, value))
        {
            return new InvalidRequestProblem(errors, "The erasure request is not valid", "Give the kind and the value of the identifier to forget; see errors.");
        }

        return await import.ForgetLeadAsync(ou, kind, value, context.RequestAborted) switch
        {
            ForgetLeadResult.Forgotten forgotten => new JsonOk<ErasureResponse>(ErasureResponse.From(forgotten.Outcome), LeadImportJsonContext.Web.ErasureResponse),
            ForgetLeadResult.InvalidValue invalid => new InvalidRequestProblem(
                new Dictionary<string, string[]> { ["value"] = [$"{invalid.Message}: the value is not a valid {kind.ToApiName()}, so nothing can hold it."] },
                "The value is not valid",
                "The value is not an identifier of its kind; see errors."),
            _ => new NotFoundProblem("Nothing to forget", "No lead in your OU has this identifier, and no stored error or warning holds it."),
        };
    }

    public static async Task<Results<JsonOk<OuDataDeletionResponse>, NoOuProblem>> DeleteOuDataAsync(HttpContext context, ILeadImportService import)
    {
        if (await LeadImportEndpoints.ResolveOuAsync(context) is not { } ou)
        {
            return NoOuProblem.For(context);
        }

        var deleted = await import.DeleteOuAsync(ou, context.RequestAborted);
        return new JsonOk<OuDataDeletionResponse>(OuDataDeletionResponse.From(deleted), LeadImportJsonContext.Web.OuDataDeletionResponse);
    }
}
