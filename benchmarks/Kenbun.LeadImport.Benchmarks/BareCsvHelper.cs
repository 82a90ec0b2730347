using CsvHelper;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The baseline a user would otherwise pick for reading a file: CsvHelper alone, default options and a header, every
/// cell of every record read as a <see cref="string"/>. No validation, no normalisation, nothing kept.
/// </summary>
internal static class BareCsvHelper
{
    /// <summary>Reads every cell of <paramref name="file"/>; returns how many characters the cells held, so nothing is optimised away.</summary>
    public static long ReadEveryCell(byte[] file)
    {
        using var csv = CsvReader.Create(file, new CsvReaderOptions { HasHeader = true });
        var characters = 0L;
        while (csv.Read())
        {
            for (var i = 0; i < csv.FieldCount; i++)
            {
                characters += csv.GetString(i).Length;
            }
        }

        return characters;
    }
}
