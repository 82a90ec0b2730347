using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>
/// Compiles a documentation snippet (never runs it), following the convention in docs/contributing.md: the block is
/// one C# file whose statements are top-level statements, with the Web SDK's implicit usings, and the ambient names
/// below in scope unless the block declares its own. Nullable is on and warnings count as failures.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>
    /// What every snippet is compiled with: the implicit global usings of an ASP.NET Core project
    /// (<c>Microsoft.NET.Sdk.Web</c>) and the names a snippet may use without declaring them. A local of the same name
    /// in the snippet hides an ambient one.
    /// </summary>
    public const string Ambient = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        global using static DocSnippetAmbient;

        internal static class DocSnippetAmbient
        {
            public static WebApplicationBuilder builder => throw Never();
            public static WebApplication app => throw Never();
            public static IServiceCollection services => throw Never();
            public static Kenbun.LeadImport.ILeadImportService leadImport => throw Never();
            public static string ou => throw Never();
            public static Stream uploadStream => throw Never();
            public static string connectionString => throw Never();
            public static CancellationToken cancellationToken => throw Never();

            private static NotSupportedException Never() => new("Documentation snippets are compiled, never run.");
        }
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly SyntaxTree AmbientTree = CSharpSyntaxTree.ParseText(Ambient, ParseOptions, path: "DocSnippetAmbient.cs");

    // The SDK passes these to the compiler too: assembly version unification notes, not problems of a snippet.
    private static readonly ImmutableDictionary<string, ReportDiagnostic> Suppressed = new Dictionary<string, ReportDiagnostic>
    {
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    }.ToImmutableDictionary();

    private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>
    /// Every assembly this test process runs with, from the runtime's trusted platform assemblies: the .NET and
    /// ASP.NET Core shared frameworks (the project references Microsoft.AspNetCore.App) and the assemblies beside the
    /// tests, which include the packages and the storage conformance suite.
    /// </summary>
    public static IReadOnlyList<MetadataReference> References => LazyReferences.Value;

    /// <summary>
    /// Compiles <paramref name="block"/> and returns its warnings and errors, each as
    /// <c>file:line:column: severity id: message</c> with the markdown file's own line numbers.
    /// </summary>
    public static IReadOnlyList<string> Compile(MarkdownBlock block)
    {
        var tree = CSharpSyntaxTree.ParseText(block.Code, ParseOptions, path: block.File);
        var hasStatements = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(Suppressed);
        var compilation = CSharpCompilation.Create("DocSnippet", [AmbientTree, tree], References, options);

        return [.. compilation.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning)
            .Select(diagnostic => Describe(block, diagnostic))];
    }

    private static string Describe(MarkdownBlock block, Diagnostic diagnostic)
    {
        var where = block.File;
        if (diagnostic.Location.IsInSource && diagnostic.Location.SourceTree?.FilePath == block.File)
        {
            // The code starts on the line after the opening fence.
            var position = diagnostic.Location.GetLineSpan().StartLinePosition;
            where = $"{block.File}:{block.Line + position.Line + 1}:{position.Character + 1}";
        }

        return $"{where}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage()}";
    }

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The runtime gave no TRUSTED_PLATFORM_ASSEMBLIES to compile the snippets against.");
        return [.. trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path))];
    }
}
