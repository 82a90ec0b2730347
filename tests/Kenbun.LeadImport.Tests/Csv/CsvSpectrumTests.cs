using System.Text.Json;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>
/// csv-spectrum (a public CSV acid test, copied under Corpora/) read through the whole preview path:
/// every file must read as the JSON beside it.
/// </summary>
public class CsvSpectrumTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Corpora", "csv-spectrum");

    public static TheoryData<string> Files() =>
        new(Directory.EnumerateFiles(Path.Combine(Root, "csvs"), "*.csv").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Fact]
    public void The_corpus_is_present() => Assert.Equal(12, Files().Count);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_file_reads_as_its_json(string name)
    {
        using var harness = new ImportHarness(o => o.SampleRowCount = 1000);
        var expected = ReadExpected(name);

        var preview = await harness.PreviewAsync(await File.ReadAllBytesAsync(Path.Combine(Root, "csvs", name + ".csv")), name + ".csv");

        Assert.Equal(expected.Count, preview.RowCount);
        Assert.Equal(expected.Count, preview.SampleRows.Count);
        for (var row = 0; row < expected.Count; row++)
        {
            Assert.Equal(expected[row].Keys, preview.Headers);
            Assert.Equal(expected[row].Values, preview.SampleRows[row]);
        }
    }

    private static List<Dictionary<string, string>> ReadExpected(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "json", name + ".json")));
        var records = json.RootElement.ValueKind == JsonValueKind.Array
            ? json.RootElement.EnumerateArray().ToList()
            : [json.RootElement]; // location_coordinates.json is a bare object: the corpus's known defect (NOTES.md)
        var expected = records
            .Select(record => record.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))
            .ToList();
        if (name == "location_coordinates")
        {
            // The corpus's other known defect: its JSON gives a phone number the CSV does not hold; the CSV is the truth.
            expected[0]["Contact Phone Number"] = "2095257564";
        }

        return expected;
    }
}
