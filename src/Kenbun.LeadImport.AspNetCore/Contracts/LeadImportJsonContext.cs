using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The endpoints' own serializer settings: the host's JSON options are never touched. Use <see cref="Web"/>, which
/// writes non-ASCII text as it is (<c>"Müller"</c>, <c>"+1"</c>), not as <c>\u</c> escapes (CONTRACT §7).
/// </summary>
[JsonSourceGenerationOptions(Converters = [typeof(UtcTimestampConverter)], DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PreviewResponse))]
[JsonSerializable(typeof(StartRequestBody))]
[JsonSerializable(typeof(StartResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(JobDetailResponse))]
[JsonSerializable(typeof(ErrorPageResponse))]
[JsonSerializable(typeof(SettingsResponse))]
[JsonSerializable(typeof(ErasureRequestBody))]
[JsonSerializable(typeof(ErasureResponse))]
[JsonSerializable(typeof(OuDataDeletionResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
internal sealed partial class LeadImportJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the endpoints write with. Every answer is JSON for API clients, never HTML, so escaping HTML-sensitive
    /// characters buys nothing; clients must treat strings as text (CONTRACT §7).
    /// </summary>
    /// <remarks>Created on first use: static initializers of the generated half of this class may not have run yet.</remarks>
    public static LeadImportJsonContext Web => field ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = null,
    });
}
