namespace Kenbun.LeadImport.UI.Tests;

/// <summary>
/// A test that needs Chromium: skipped, saying how to install it, on a machine without it — but never under
/// <c>CI=true</c>, where it runs and fails with the same hint.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (ImportSite.ChromiumPath is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Chromium was not found: {ImportSite.InstallHint}.";
        }
    }
}
