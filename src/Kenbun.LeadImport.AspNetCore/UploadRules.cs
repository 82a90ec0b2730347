using System.Buffers;
using Microsoft.Net.Http.Headers;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// How an uploaded part is read before its content: its file name as the browser wrote it, and whether it may be a CSV
/// file, judged from its content type and name: refused only when both say it is something else (CONTRACT §2).
/// Browsers send <c>.csv</c> files as <c>text/csv</c>, <c>application/vnd.ms-excel</c>, <c>text/plain</c> or
/// <c>application/octet-stream</c>; the content itself is sniffed later.
/// </summary>
internal static class UploadRules
{
    /// <summary>The most characters of a content type a message echoes.</summary>
    private const int MaxEchoedContentType = 100;

    private static readonly SearchValues<char> ContentTypeCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&-^_.+/");

    private static readonly string[] TextExtensions = [".csv", ".tsv", ".txt"];
    private static readonly string[] TextTypes = ["text/csv", "text/plain", "text/tab-separated-values", "application/csv", "text/x-csv", "text/comma-separated-values"];
    private static readonly string[] VagueTypes = ["application/octet-stream", "application/vnd.ms-excel", "application/x-csv", ""];

    /// <summary>
    /// The part's file name as sent: <c>filename*</c> (RFC 5987, already decoded) when present, else <c>filename</c>
    /// without its quotes, and with the quotes and backslashes a browser escaped inside them (<c>"report\"2024\".csv"</c>)
    /// read back. Other backslashes stay, so an old browser's <c>C:\fakepath\leads.csv</c> keeps its path to be dropped.
    /// </summary>
    public static string? FileNameOf(ContentDispositionHeaderValue disposition)
    {
        if (disposition.FileNameStar.HasValue)
        {
            return disposition.FileNameStar.Value;
        }

        // The parser drops the quotes around the name but keeps what was escaped inside them.
        return disposition.FileName.Value?.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
    }

    /// <summary>A content type as a message may echo it: its media type alone, only token characters, at most 100 of them.</summary>
    public static string EchoContentType(string? contentType)
    {
        var mediaType = (contentType ?? string.Empty).Split(';')[0].Trim();
        var end = mediaType.AsSpan().IndexOfAnyExcept(ContentTypeCharacters);
        mediaType = end < 0 ? mediaType : mediaType[..end];
        return mediaType.Length == 0 ? "no content type" : mediaType.Length <= MaxEchoedContentType ? mediaType : mediaType[..MaxEchoedContentType] + "…";
    }

    public static bool MayBeCsv(string? contentType, string? fileName)
    {
        var type = (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        var extension = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
        if (TextTypes.Contains(type) || TextExtensions.Contains(extension))
        {
            return true;
        }

        return VagueTypes.Contains(type) && extension.Length == 0;
    }
}
