using System.Text.RegularExpressions;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>
/// A markdown page of the repository, read as the reference tests need it: its headings, its sections and the rows of
/// its tables. Lines inside code fences are none of these.
/// </summary>
public sealed partial class DocPage
{
    private DocPage(string file, IReadOnlyList<string> proseLines)
    {
        File = file;
        ProseLines = proseLines;
    }

    /// <summary>The file, relative to the repository root, with <c>/</c> separators.</summary>
    public string File { get; }

    /// <summary>The page's lines outside code fences.</summary>
    public IReadOnlyList<string> ProseLines { get; }

    /// <summary>The headings (<c>#</c> to <c>######</c>), as written.</summary>
    public IEnumerable<string> Headings => ProseLines.Where(line => line.StartsWith('#'));

    /// <summary>Every row of every table, cells trimmed, without the delimiter rows (<c>|---|</c>).</summary>
    public IReadOnlyList<string[]> TableRows => RowsOf(ProseLines);

    /// <summary>
    /// The page cut at its level-2 headings (<c>## </c>), each part from its heading to the next; the text before the
    /// first is a part too. Level-3 headings stay within their part.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Sections
    {
        get
        {
            var sections = new List<IReadOnlyList<string>>();
            var current = new List<string>();
            foreach (var line in ProseLines)
            {
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    sections.Add(current);
                    current = [];
                }

                current.Add(line);
            }

            sections.Add(current);
            return sections;
        }
    }

    /// <summary>Reads <paramref name="file"/>, a path relative to the repository root.</summary>
    public static DocPage Read(string file)
    {
        var lines = System.IO.File.ReadAllText(Path.Combine(MarkdownSnippets.RepositoryRoot, file)).ReplaceLineEndings("\n").Split('\n');
        var prose = new List<string>();
        string? fence = null;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
            }
            else if (fence is not null && trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
            }
            else if (fence is null)
            {
                prose.Add(line);
            }
        }

        return new DocPage(file, prose);
    }

    /// <summary>The table rows among <paramref name="lines"/>, cells trimmed, without the delimiter rows.</summary>
    public static IReadOnlyList<string[]> RowsOf(IEnumerable<string> lines)
    {
        var rows = new List<string[]>();
        foreach (var line in lines.Select(line => line.Trim()).Where(line => line.StartsWith('|')))
        {
            var cells = CellSeparator().Split(line.Trim('|')).Select(cell => cell.Trim()).ToArray();
            if (!cells.All(cell => DelimiterCell().IsMatch(cell)))
            {
                rows.Add(cells);
            }
        }

        return rows;
    }

    /// <summary>Where the page is, for messages.</summary>
    public override string ToString() => File;

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();

    [GeneratedRegex("^:?-+:?$")]
    private static partial Regex DelimiterCell();
}
