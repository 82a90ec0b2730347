using System.IO.Compression;
using Kenbun.LeadImport.Docs.Tests;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>
/// Every src/ project packed once for the test run (<c>dotnet pack</c>, Release, warnings as errors) into a temp folder,
/// with a version no earlier run used, so no cached package from another run is restored in its place. The build goes to
/// a temp artifacts folder of its own, leaving the developer's build alone. On dispose, the folder and the run's
/// packages in the NuGet cache are deleted.
/// </summary>
public sealed partial class PackedLibrary : IAsyncLifetime
{
    /// <summary>The package ids, one per project under src/.</summary>
    public static readonly string[] PackageIds =
        ["Kenbun.LeadImport", "Kenbun.LeadImport.AspNetCore", "Kenbun.LeadImport.Sqlite", "Kenbun.LeadImport.PostgreSql", "Kenbun.LeadImport.Testing"];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kenbun-packages-");

    /// <summary>The version of every package of this run: the repository's, with a prerelease label of the run.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The folder the packages are in: a package source for <c>dotnet add package</c>.</summary>
    public string Feed => Path.Combine(_folder.FullName, "feed");

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var suffix = $"run.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..8]}";
        var filter = Path.Combine(_folder.FullName, "packages.slnf");
        await File.WriteAllTextAsync(filter, JsonSerializer.Serialize(new
        {
            solution = new
            {
                path = Path.Combine(MarkdownSnippets.RepositoryRoot, "Kenbun.LeadImport.sln"),
                projects = PackageIds.Select(id => $"src/{id}/{id}.csproj"),
            },
        }));
        PackOutput = await DotnetCli.RunAsync(
            _folder.FullName, "pack", filter, "-c", "Release", "-o", Feed, "--version-suffix", suffix, "-warnaserror",
            $"-p:ArtifactsPath={Path.Combine(_folder.FullName, "artifacts")}");
        Version = Directory.GetFiles(Feed, "*.nupkg").Select(p => CoreVersion().Match(Path.GetFileName(p))).Single(m => m.Success).Groups[1].Value;
    }

    /// <summary>The path of a package of this run.</summary>
    public string Package(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    /// <summary>The nuspec of a package of this run, read from the package.</summary>
    public XElement Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        using var stream = zip.Entries.Single(e => e.FullName == $"{id}.nuspec").Open();
        return XDocument.Load(stream).Root!;
    }

    /// <summary>An element name in the nuspec's namespace.</summary>
    public static XName Ns(string name) => XName.Get(name, "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd");

    [GeneratedRegex(@"^Kenbun\.LeadImport\.(\d.*)\.nupkg$")]
    private static partial Regex CoreVersion();

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var restored = Path.Combine(cache, id.ToLowerInvariant(), Version.ToLowerInvariant());
            if (Version.Length > 0 && Directory.Exists(restored))
            {
                Directory.Delete(restored, recursive: true);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>The tests that use the packed library, one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackedLibraryCollection : ICollectionFixture<PackedLibrary>
{
    public const string Name = "Packed library";
}
