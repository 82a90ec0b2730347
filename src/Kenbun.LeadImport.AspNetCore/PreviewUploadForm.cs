using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The body of <c>POST /preview</c> as OpenAPI shows it: multipart form data with the CSV file in a part named
/// <c>file</c>. The endpoint streams that part itself; nothing binds to this type.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Describes the request body in OpenAPI; never created.")]
internal sealed class PreviewUploadForm
{
    /// <summary>The CSV file (<c>.csv</c>, <c>.tsv</c> or <c>.txt</c>).</summary>
    [JsonPropertyName("file")]
    public required IFormFile File { get; init; }
}
