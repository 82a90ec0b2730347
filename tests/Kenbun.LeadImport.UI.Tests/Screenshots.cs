using Microsoft.Playwright;

namespace Kenbun.LeadImport.UI.Tests;

/// <summary>Screenshots of each step for docs/ui.md, taken by the tests into docs/ui/ so the docs show the page as it is.</summary>
internal static class Screenshots
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "docs", "ui");

    public static async Task TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(path).Length > 2_000, $"The screenshot {path} is empty.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Kenbun.LeadImport.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: no Kenbun.LeadImport.sln above " + AppContext.BaseDirectory);
    }
}
