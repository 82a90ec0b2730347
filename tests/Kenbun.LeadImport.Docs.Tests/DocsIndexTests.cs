using System.Text.RegularExpressions;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>docs/README.md is the index of the docs: it lists every page, each of its links leads somewhere, and the README links it.</summary>
public sealed partial class DocsIndexTests
{
    private const string Index = "docs/README.md";

    [Fact]
    public void Every_page_of_the_docs_is_in_the_index()
    {
        var linked = Links(Index).Select(link => link.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        var missing = Directory.EnumerateFiles(Path.Combine(MarkdownSnippets.RepositoryRoot, "docs"), "*.md")
            .Select(Path.GetFileName)
            .Where(page => page != "README.md" && !linked.Contains(page!))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, $"{Index} does not list these pages; add a row each, with what the page answers: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_link_of_the_index_leads_to_a_file_that_exists()
    {
        var docs = Path.Combine(MarkdownSnippets.RepositoryRoot, "docs");

        var broken = Links(Index)
            .Where(link => !link.Contains("://", StringComparison.Ordinal))
            .Select(link => link.Split('#')[0])
            .Where(path => path.Length > 0 && !File.Exists(Path.Combine(docs, path)) && !Directory.Exists(Path.Combine(docs, path)))
            .ToList();

        Assert.True(broken.Count == 0, $"{Index} links to what does not exist: {string.Join(", ", broken)}");
    }

    [Fact]
    public void The_readme_links_the_index()
    {
        Assert.Contains("docs/README.md", Links("README.md"));
    }

    /// <summary>The targets of the markdown links (<c>[text](target)</c>) of <paramref name="file"/>, outside code fences.</summary>
    private static List<string> Links(string file) =>
        [.. DocPage.Read(file).ProseLines.SelectMany(line => Link().Matches(line)).Select(match => match.Groups["target"].Value)];

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
