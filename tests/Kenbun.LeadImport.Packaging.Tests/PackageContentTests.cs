using System.IO.Compression;
using System.Xml.Linq;
using static Kenbun.LeadImport.Packaging.Tests.PackedLibrary;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>What each package carries and depends on, read from the packages <c>dotnet pack</c> made.</summary>
[Collection(PackedLibraryCollection.Name)]
public sealed class PackageContentTests(PackedLibrary packed)
{
    /// <summary>What each package uses, and nothing else: the core pulls in no ASP.NET Core, SQLite or PostgreSQL.</summary>
    public static TheoryData<string, string[]> Dependencies => new()
    {
        {
            "Kenbun.LeadImport",
            [
                "CsvHelper", "libphonenumber-csharp", "Microsoft.Extensions.DependencyInjection.Abstractions",
                "Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Hosting.Abstractions",
                "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options",
                "Microsoft.Extensions.Options.ConfigurationExtensions", "Polly.Core",
            ]
        },
        { "Kenbun.LeadImport.AspNetCore", ["Kenbun.LeadImport", "Microsoft.AspNetCore.OpenApi"] },
        { "Kenbun.LeadImport.Sqlite", ["Kenbun.LeadImport", "Microsoft.Data.Sqlite", "Microsoft.Extensions.Options.ConfigurationExtensions"] },
        { "Kenbun.LeadImport.PostgreSql", ["Kenbun.LeadImport", "Microsoft.Extensions.Options.ConfigurationExtensions", "Npgsql"] },
        { "Kenbun.LeadImport.Testing", ["Kenbun.LeadImport", "Microsoft.Extensions.TimeProvider.Testing", "xunit.assert", "xunit.extensibility.core"] },
    };

    [Theory]
    [MemberData(nameof(Dependencies))]
    public void Each_package_depends_on_what_it_uses_and_nothing_else(string id, string[] expected)
    {
        var dependencies = Metadata(id).Element(Ns("dependencies"))!.Elements(Ns("group")).Single(g => g.Attribute("targetFramework")?.Value == "net10.0")
            .Elements(Ns("dependency")).ToList();

        Assert.Equal(expected.Order(StringComparer.OrdinalIgnoreCase), dependencies.Select(d => d.Attribute("id")!.Value).Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(dependencies.Where(d => d.Attribute("id")!.Value == "Kenbun.LeadImport"), d => Assert.Equal(packed.Version, d.Attribute("version")!.Value));
    }

    [Fact]
    public void Only_the_http_package_needs_the_aspnetcore_framework()
    {
        var frameworks = PackageIds.ToDictionary(id => id, id => Metadata(id).Element(Ns("frameworkReferences"))?.Descendants(Ns("frameworkReference")).Select(f => f.Attribute("name")!.Value).ToArray() ?? []);

        Assert.Equal(["Microsoft.AspNetCore.App"], frameworks["Kenbun.LeadImport.AspNetCore"]);
        Assert.All(frameworks.Where(f => f.Key != "Kenbun.LeadImport.AspNetCore"), f => Assert.Empty(f.Value));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_has_its_metadata_readme_icon_licence_and_repository_commit(string id)
    {
        var metadata = Metadata(id);
        string Value(string name) => metadata.Element(Ns(name))?.Value ?? "";

        Assert.Equal(id, Value("id"));
        Assert.Equal(packed.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", metadata.Element(Ns("license"))!.Attribute("type")!.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("icon.png", Value("icon"));
        Assert.True(Value("description").Length > 60, $"{id} has no real description: \"{Value("description")}\"");
        Assert.Contains("csv", Value("tags").Split(' '));
        Assert.Matches("^[0-9a-f]{40}$", metadata.Element(Ns("repository"))!.Attribute("commit")!.Value);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_ships_its_assembly_docs_readme_icon_and_public_api_baselines(string id)
    {
        using var zip = ZipFile.OpenRead(packed.Package(id));
        var files = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);
        Assert.Contains("README.md", files);
        Assert.Contains("icon.png", files);
        Assert.Contains("PublicAPI.Shipped.txt", files);
        Assert.Contains("PublicAPI.Unshipped.txt", files);
        var baseline = new StreamReader(zip.GetEntry("PublicAPI.Unshipped.txt")!.Open()).ReadToEnd()
            + new StreamReader(zip.GetEntry("PublicAPI.Shipped.txt")!.Open()).ReadToEnd();
        Assert.Contains(id + ".", baseline, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Each_package_has_a_symbol_package_with_its_pdb(string id)
    {
        using var zip = ZipFile.OpenRead(packed.Package(id, "snupkg"));

        Assert.Contains($"lib/net10.0/{id}.pdb", zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void The_postgresql_package_ships_its_migration_scripts_for_hosts_that_apply_them_with_psql()
    {
        using var zip = ZipFile.OpenRead(packed.Package("Kenbun.LeadImport.PostgreSql"));

        Assert.Contains(zip.Entries, e => e.FullName.StartsWith("sql/postgresql/", StringComparison.Ordinal) && e.FullName.EndsWith(".sql", StringComparison.Ordinal) && !e.FullName.Contains("//", StringComparison.Ordinal));
    }

    [Fact]
    public void The_http_package_lets_a_host_that_calls_AddOpenApi_build_without_referencing_the_openapi_package_itself()
    {
        using var zip = ZipFile.OpenRead(packed.Package("Kenbun.LeadImport.AspNetCore"));
        using var targets = new StreamReader(zip.GetEntry("buildTransitive/Kenbun.LeadImport.AspNetCore.targets")!.Open());

        Assert.Contains("Microsoft.AspNetCore.OpenApi.Generated", targets.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Packing_warns_of_nothing()
    {
        var warnings = packed.PackOutput.Split('\n').Where(line => line.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.True(warnings.Count == 0, "dotnet pack warned:\n" + string.Join('\n', warnings));
        Assert.All(PackageIds, id => Assert.True(File.Exists(packed.Package(id)), $"{id} was not packed"));
    }

    public static TheoryData<string> Ids => [.. PackageIds];

    private XElement Metadata(string id) => packed.Nuspec(id).Element(Ns("metadata"))!;
}
