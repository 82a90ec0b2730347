namespace Kenbun.LeadImport.Csv;

/// <summary>The structural limits a file must respect to be read at all.</summary>
/// <param name="MaxColumns">The most cells a record (the header included) may have.</param>
/// <param name="MaxRecordBytes">The largest a single record may be, in bytes of UTF-8.</param>
internal readonly record struct CsvReadLimits(int MaxColumns, int MaxRecordBytes)
{
    public static CsvReadLimits From(LeadImportOptions options) => new(options.MaxColumns, options.MaxRecordBytes);
}
