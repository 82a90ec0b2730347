namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// Whether an uploaded part may be a CSV file, judged from its content type and name: refused only when both say it
/// is something else (CONTRACT §2). Browsers send <c>.csv</c> files as <c>text/csv</c>, <c>application/vnd.ms-excel</c>,
/// <c>text/plain</c> or <c>application/octet-stream</c>; the content itself is sniffed later.
/// </summary>
internal static class UploadRules
{
    private static readonly string[] TextExtensions = [".csv", ".tsv", ".txt"];
    private static readonly string[] TextTypes = ["text/csv", "text/plain", "text/tab-separated-values", "application/csv", "text/x-csv", "text/comma-separated-values"];
    private static readonly string[] VagueTypes = ["application/octet-stream", "application/vnd.ms-excel", "application/x-csv", ""];

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
