using System.Globalization;
using System.Reflection;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>docs/configuration.md has a row for every public option of every package, with its default.</summary>
public sealed class ConfigurationDocTests
{
    private const string Page = "docs/configuration.md";

    /// <summary>Every public options class under src/, by its full name.</summary>
    public static TheoryData<string> OptionsTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in SourceCode.OptionsTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void The_options_classes_of_every_package_are_found()
    {
        var names = SourceCode.OptionsTypes().Select(type => type.Name).ToList();

        Assert.Contains("LeadImportOptions", names);
        Assert.Contains("LeadImportHttpOptions", names);
        Assert.Contains("SqliteStoreOptions", names);
        Assert.Contains("PostgreSqlStoreOptions", names);
    }

    [Theory]
    [MemberData(nameof(OptionsTypes))]
    public void Every_option_has_a_row_with_its_default_in_the_section_that_names_its_class(string typeName)
    {
        var type = SourceCode.OptionsTypes().Single(type => type.FullName == typeName);
        var sections = DocPage.Read(Page).Sections.Where(section => section.Any(line => line.Contains($"`{type.Name}`", StringComparison.Ordinal))).ToList();
        Assert.True(sections.Count > 0, $"No section of {Page} names `{type.Name}`: say which class its table sets, as the other sections do.");
        var rows = sections.SelectMany(DocPage.RowsOf).ToList();
        var defaults = Activator.CreateInstance(type)!;

        var problems = new List<string>();
        foreach (var option in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.GetSetMethod() is not null))
        {
            var row = rows.FirstOrDefault(cells => cells[0].StartsWith($"`{option.Name}`", StringComparison.Ordinal));
            var defaultText = DefaultText(option.GetValue(defaults));
            if (row is null)
            {
                problems.Add($"| `{option.Name}` | {(defaultText is null ? "…" : $"`{defaultText}`")} | … |  (no row)");
            }
            else if (defaultText is not null && (row.Length < 2 || !row[1].Contains($"`{defaultText}`", StringComparison.Ordinal)))
            {
                problems.Add($"| `{option.Name}` | `{defaultText}` | … |  (the Default cell says {(row.Length < 2 ? "nothing" : row[1])})");
            }
        }

        Assert.True(
            problems.Count == 0,
            $"{Page}: the section that names `{type.Name}` lacks these options or their defaults (Setting | Default | Meaning):\n{string.Join('\n', problems)}");
    }

    [Theory]
    [InlineData(10L * 1024 * 1024, "10485760")]
    [InlineData(true, "true")]
    [InlineData("lead_import", "lead_import")]
    [InlineData(null, null)]
    public void Defaults_are_written_as_configuration_takes_them(object? value, string? text) => Assert.Equal(text, DefaultText(value));

    [Fact]
    public void Durations_are_written_as_configuration_takes_them()
    {
        Assert.Equal("00:05:00", DefaultText(TimeSpan.FromMinutes(5)));
        Assert.Equal("30.00:00:00", DefaultText(TimeSpan.FromDays(30)));
        Assert.Equal("00:00:00.2", DefaultText(TimeSpan.FromMilliseconds(200)));
    }

    /// <summary>
    /// A default as configuration takes it (<c>10485760</c>, <c>00:05:00</c>, <c>true</c>), or <see langword="null"/> for
    /// none and for lists and maps, whose rows say in words what they hold.
    /// </summary>
    private static string? DefaultText(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        TimeSpan duration => WithoutTrailingZeros(duration.ToString("c", CultureInfo.InvariantCulture)),
        Enum member => member.ToString(),
        IFormattable number when value.GetType().IsPrimitive => number.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary><c>00:00:00.2000000</c> → <c>00:00:00.2</c>: the fraction of a second as a person writes it.</summary>
    private static string WithoutTrailingZeros(string duration) =>
        duration.LastIndexOf(':') < duration.LastIndexOf('.') ? duration.TrimEnd('0').TrimEnd('.') : duration;
}
