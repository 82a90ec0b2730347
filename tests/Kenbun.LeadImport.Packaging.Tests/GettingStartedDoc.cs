using Kenbun.LeadImport.Docs.Tests;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>
/// The code of docs/getting-started.md that the consumer test runs, found by the HTML comment
/// <c>&lt;!-- consumer-test: name --&gt;</c> on the line before its fence, so the page cannot drift from what works.
/// </summary>
internal static class GettingStartedDoc
{
    private const string File = "docs/getting-started.md";

    /// <summary>The page's <c>Program.cs</c>: SQLite.</summary>
    public static string SqliteProgram() => Block("Program.cs");

    /// <summary>The page's <c>Program.cs</c> with its <c>UseSqlite</c> line replaced by the page's PostgreSQL line, as the page says to.</summary>
    public static string PostgreSqlProgram()
    {
        var store = Block("PostgreSQL store").Trim();
        var lines = SqliteProgram().Split('\n');
        var sqlite = Assert.Single(lines, line => line.Contains(".UseSqlite(", StringComparison.Ordinal));
        return string.Join('\n', lines.Select(line => line == sqlite ? store : line));
    }

    private static string Block(string name)
    {
        var markdown = System.IO.File.ReadAllText(Path.Combine(MarkdownSnippets.RepositoryRoot, File));
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var marker = Array.IndexOf(lines, $"<!-- consumer-test: {name} -->");
        Assert.True(marker >= 0, $"{File} has no block marked <!-- consumer-test: {name} -->.");
        var block = MarkdownSnippets.Parse(File, string.Join('\n', lines[(marker + 1)..])).First();
        Assert.Equal(1, block.Line); // the fence follows the marker at once
        return block.Code;
    }
}
