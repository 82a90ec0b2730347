namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>Every C# snippet of README.md, docs/*.md and src/*/README.md compiles against today's packages.</summary>
public sealed class DocSnippetTests
{
    /// <summary>One case per C# block, named by its file and the line of its opening fence.</summary>
    public static TheoryData<string, int> CSharpSnippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in MarkdownSnippets.AllBlocks().Where(block => block.IsCSharp))
        {
            data.Add(block.File, block.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpSnippets))]
    public void Csharp_snippet_compiles(string file, int line)
    {
        var block = MarkdownSnippets.AllBlocks().Single(block => block.File == file && block.Line == line);

        var problems = SnippetCompiler.Compile(block);

        Assert.True(problems.Count == 0, $"The C# snippet at {block} does not compile:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void The_docs_have_csharp_snippets_in_the_readme_the_docs_and_the_package_readmes()
    {
        var files = MarkdownSnippets.AllBlocks().Where(block => block.IsCSharp).Select(block => block.File.Split('/')[0]).ToHashSet();

        Assert.Contains("README.md", files);
        Assert.Contains("docs", files);
        Assert.Contains("src", files);
    }

    [Fact]
    public void Every_fenced_block_names_its_language_so_no_csharp_block_goes_unchecked()
    {
        var unnamed = MarkdownSnippets.AllBlocks().Where(block => block.Language.Length == 0).Select(block => block.ToString()).ToList();

        Assert.True(unnamed.Count == 0, $"Name the language of these code blocks (```csharp, ```bash, ```json, ```text): {string.Join(", ", unnamed)}");
    }

    [Fact]
    public void A_snippet_that_does_not_compile_fails_with_its_file_line_and_the_compiler_message()
    {
        // What src/Kenbun.LeadImport.AspNetCore/README.md once said: AddLeadImportHttp never existed.
        const string markdown = """
            # A package

            ```csharp
            builder.Services.AddLeadImport().UseInMemoryStores();
            builder.Services.AddLeadImportHttp(o => o.OuClaimType = "ou");
            ```
            """;
        var block = Assert.Single(MarkdownSnippets.Parse("docs/wrong.md", markdown));

        var problems = SnippetCompiler.Compile(block);

        var problem = Assert.Single(problems);
        Assert.StartsWith("docs/wrong.md:5:", problem, StringComparison.Ordinal);
        Assert.Contains("error CS1061", problem, StringComparison.Ordinal);
        Assert.Contains("AddLeadImportHttp", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nullable_warning_fails_a_snippet_too()
    {
        var block = new MarkdownBlock("docs/wrong.md", 1, "csharp", "string? name = null;\nConsole.WriteLine(name.Length);");

        var problem = Assert.Single(SnippetCompiler.Compile(block));

        Assert.StartsWith("docs/wrong.md:3:", problem, StringComparison.Ordinal);
        Assert.Contains("warning CS8602", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Ambient_names_are_there_unless_the_snippet_declares_its_own()
    {
        var block = new MarkdownBlock("docs/ok.md", 1, "csharp", """
            services.AddLeadImport().UseInMemoryStores();
            var app = WebApplication.Create();
            app.MapLeadImport();
            """);

        Assert.Empty(SnippetCompiler.Compile(block));
    }

    [Fact]
    public void Blocks_are_found_in_lists_and_in_tilde_fences_with_the_line_of_their_opening_fence()
    {
        const string markdown = """
            Text.

            - A step:

              ```csharp
              var x = 1;
              ```

            ~~~bash
            echo hi
            ~~~
            """;

        var blocks = MarkdownSnippets.Parse("x.md", markdown).ToList();

        Assert.Equal([new MarkdownBlock("x.md", 5, "csharp", "var x = 1;"), new MarkdownBlock("x.md", 9, "bash", "echo hi")], blocks);
    }

    [Fact]
    public void A_fence_left_open_is_an_error_not_a_skipped_block()
    {
        var error = Assert.Throws<FormatException>(() => MarkdownSnippets.Parse("x.md", "# Title\n```csharp\nvar x = 1;\n").ToList());

        Assert.StartsWith("x.md:2:", error.Message, StringComparison.Ordinal);
    }
}
