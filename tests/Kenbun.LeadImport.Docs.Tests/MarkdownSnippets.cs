namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>A fenced code block of a markdown file.</summary>
/// <param name="File">The file, relative to the repository root, with <c>/</c> separators.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The first word of the fence's info string, lower case; empty when there is none.</param>
/// <param name="Code">The lines between the fences, without the fence's indentation.</param>
public sealed record MarkdownBlock(string File, int Line, string Language, string Code)
{
    /// <summary>Whether the block is fenced as C#, and so must compile.</summary>
    public bool IsCSharp => Language is "csharp" or "cs" or "c#";

    /// <summary>Where the block is, as <c>file:line</c>.</summary>
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Finds the documentation's markdown files and the fenced code blocks in them.</summary>
public static class MarkdownSnippets
{
    /// <summary>The repository root: the nearest folder above the test assembly that holds the solution file.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The documentation whose C# snippets must compile: README.md, docs/*.md and src/*/README.md.</summary>
    public static IReadOnlyList<string> DocumentationFiles()
    {
        var files = new List<string> { Path.Combine(RepositoryRoot, "README.md") };
        files.AddRange(Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "docs"), "*.md"));
        files.AddRange(Directory.EnumerateDirectories(Path.Combine(RepositoryRoot, "src"))
            .Select(project => Path.Combine(project, "README.md"))
            .Where(File.Exists));
        return [.. files.Select(file => Path.GetRelativePath(RepositoryRoot, file).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    /// <summary>Every fenced block of every documentation file, in file and line order.</summary>
    public static IReadOnlyList<MarkdownBlock> AllBlocks() =>
        [.. DocumentationFiles().SelectMany(file => Parse(file, File.ReadAllText(Path.Combine(RepositoryRoot, file))))];

    /// <summary>The fenced blocks of <paramref name="markdown"/> (backtick or tilde fences, indented or not).</summary>
    /// <exception cref="FormatException">A fence is never closed.</exception>
    public static IEnumerable<MarkdownBlock> Parse(string file, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!TryReadFence(lines[i], out var indent, out var fence, out var info))
            {
                continue;
            }

            var opening = i;
            var code = new List<string>();
            for (i++; i < lines.Length && !IsClosingFence(lines[i], fence); i++)
            {
                code.Add(Unindent(lines[i], indent));
            }

            if (i == lines.Length)
            {
                throw new FormatException($"{file}:{opening + 1}: the code fence {fence} is never closed.");
            }

            var language = info.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            yield return new MarkdownBlock(file, opening + 1, language.ToLowerInvariant(), string.Join('\n', code));
        }
    }

    private static bool TryReadFence(string line, out int indent, out string fence, out string info)
    {
        var trimmed = line.TrimStart();
        indent = line.Length - trimmed.Length;
        var marker = trimmed.Length > 0 ? trimmed[0] : '\0';
        var length = marker is '`' or '~' ? trimmed.TakeWhile(c => c == marker).Count() : 0;
        fence = trimmed[..length];
        info = trimmed[length..].Trim();
        return length >= 3 && !(marker == '`' && info.Contains('`', StringComparison.Ordinal));
    }

    private static bool IsClosingFence(string line, string fence)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    private static string Unindent(string line, int indent)
    {
        var whitespace = line.Length - line.TrimStart().Length;
        return line[Math.Min(indent, whitespace)..];
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kenbun.LeadImport.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Kenbun.LeadImport.sln.");
    }
}
