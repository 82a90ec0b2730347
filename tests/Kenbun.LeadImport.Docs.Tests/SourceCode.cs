using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>A call in src/ whose first argument names something (an instrument, a span, a tag).</summary>
/// <param name="Method">The method called, e.g. <c>CreateCounter</c>.</param>
/// <param name="Name">The constant string of its name argument, or <see langword="null"/> when it is not a constant.</param>
/// <param name="Unit">The constant string of its <c>unit</c> argument, if it has one.</param>
/// <param name="Where">Where the call is, as <c>src/…:line</c>.</param>
public sealed record NamedCall(string Method, string? Name, string? Unit, string Where);

/// <summary>
/// The packages under src/, as the reference tests read them: their assemblies (for reflection) and their C# files
/// (parsed with Roslyn, never compiled, for names that only the source holds).
/// </summary>
public static class SourceCode
{
    private static readonly Lazy<IReadOnlyList<Assembly>> LazyAssemblies = new(LoadAssemblies);
    private static readonly Lazy<IReadOnlyList<SyntaxTree>> LazyFiles = new(ParseFiles);

    /// <summary>
    /// The assembly of every project under src/ (<c>src/&lt;name&gt;/&lt;name&gt;.csproj</c>), loaded by its name. A new
    /// package is included as soon as it exists; one this test project does not reference fails to load, and the
    /// message says so.
    /// </summary>
    public static IReadOnlyList<Assembly> Assemblies => LazyAssemblies.Value;

    /// <summary>Every C# file under src/, parsed.</summary>
    public static IReadOnlyList<SyntaxTree> Files => LazyFiles.Value;

    /// <summary>Every public options class of the packages: a public class whose name ends with <c>Options</c>.</summary>
    public static IReadOnlyList<Type> OptionsTypes() =>
    [
        .. Assemblies
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.Name.EndsWith("Options", StringComparison.Ordinal))
            .OrderBy(type => type.FullName, StringComparer.Ordinal),
    ];

    /// <summary>
    /// Every call in src/ to a method named one of <paramref name="methods"/> (<c>x.M(…)</c>, <c>x?.M(…)</c> or
    /// <c>M(…)</c>), with its name argument (the one called <c>name</c>, else the first) read as a constant: a string
    /// literal, or a <c>const string</c> field declared in src/.
    /// </summary>
    public static IReadOnlyList<NamedCall> CallsNaming(params string[] methods)
    {
        var constants = ConstantStrings();
        var calls = new List<NamedCall>();
        foreach (var tree in Files)
        {
            foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var method = call.Expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    _ => null,
                };
                if (method is null || !methods.Contains(method, StringComparer.Ordinal) || call.ArgumentList.Arguments.Count == 0)
                {
                    continue;
                }

                var arguments = call.ArgumentList.Arguments;
                var name = Argument(arguments, "name", 0);
                var unit = Argument(arguments, "unit", method.StartsWith("CreateObservable", StringComparison.Ordinal) ? 2 : 1);
                var line = tree.GetLineSpan(call.Span).StartLinePosition.Line + 1;
                var where = $"{Path.GetRelativePath(MarkdownSnippets.RepositoryRoot, tree.FilePath).Replace('\\', '/')}:{line}";
                calls.Add(new NamedCall(method, Constant(name, constants), Constant(unit, constants), where));
            }
        }

        return calls;
    }

    private static ExpressionSyntax? Argument(SeparatedSyntaxList<ArgumentSyntax> arguments, string name, int position)
    {
        var named = arguments.FirstOrDefault(argument => argument.NameColon?.Name.Identifier.ValueText == name);
        if (named is not null)
        {
            return named.Expression;
        }

        return position < arguments.Count && arguments[position].NameColon is null ? arguments[position].Expression : null;
    }

    private static string? Constant(ExpressionSyntax? expression, IReadOnlyDictionary<string, string?> constants) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
        IdentifierNameSyntax identifier => constants.GetValueOrDefault(identifier.Identifier.ValueText),
        MemberAccessExpressionSyntax member => constants.GetValueOrDefault(member.Name.Identifier.ValueText),
        _ => null,
    };

    /// <summary>The <c>const string</c> fields of src/ by name; a name declared twice with two values maps to <see langword="null"/>.</summary>
    private static Dictionary<string, string?> ConstantStrings()
    {
        var constants = new Dictionary<string, string?>(StringComparer.Ordinal);
        var fields = Files
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>())
            .Where(field => field.Modifiers.Any(SyntaxKind.ConstKeyword));
        foreach (var variable in fields.SelectMany(field => field.Declaration.Variables))
        {
            var value = variable.Initializer?.Value is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                ? literal.Token.ValueText
                : null;
            var name = variable.Identifier.ValueText;
            constants[name] = constants.TryGetValue(name, out var earlier) && earlier != value ? null : value;
        }

        return constants;
    }

    private static IReadOnlyList<Assembly> LoadAssemblies()
    {
        var projects = Directory.EnumerateFiles(Path.Combine(MarkdownSnippets.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);
        var assemblies = new List<Assembly>();
        foreach (var project in projects)
        {
            try
            {
                assemblies.Add(Assembly.Load(new AssemblyName(project!)));
            }
            catch (FileNotFoundException e)
            {
                throw new InvalidOperationException(
                    $"src/{project} is not referenced by tests/Kenbun.LeadImport.Docs.Tests: add a ProjectReference, so its options, endpoints and log events are checked against the docs.",
                    e);
            }
        }

        return assemblies;
    }

    private static IReadOnlyList<SyntaxTree> ParseFiles()
    {
        var src = Path.Combine(MarkdownSnippets.RepositoryRoot, "src");
        return
        [
            .. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(file => !Path.GetRelativePath(src, file).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .Order(StringComparer.Ordinal)
                .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest), path: file)),
        ];
    }
}
