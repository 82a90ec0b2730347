namespace Kenbun.LeadImport.AspNetCore;

/// <summary>How <c>MapLeadImportUI</c> serves the import page.</summary>
public sealed class LeadImportUIOptions
{
    /// <summary>
    /// Texts of the page that replace the built-in English ones, by key (the keys are those of the page's
    /// <c>texts.json</c>; <c>lang</c> sets the page's language tag). Keys left out keep their English text. Empty by default.
    /// </summary>
    public IDictionary<string, string> Texts { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
