using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Preview;

/// <summary>What the preview of an uploaded file tells the client: every field of the preview response.</summary>
public sealed record ImportPreview
{
    /// <summary>The id to start an import with (<c>preview_…</c>).</summary>
    public required string FileId { get; init; }

    /// <summary>The sanitised file name.</summary>
    public required string FileName { get; init; }

    /// <summary>The header cells, trimmed.</summary>
    public required IReadOnlyList<string> Headers { get; init; }

    /// <summary>The first data records as parsed cells, less blank cells that end a record beyond the header.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> SampleRows { get; init; }

    /// <summary>The number of data records, excluding the header and blank records.</summary>
    public required long RowCount { get; init; }

    /// <summary>Columns that look like identifiers.</summary>
    public required DetectedIdentifierColumns AutoDetectedIdentifiers { get; init; }

    /// <summary>When the preview expires unless an import has started from it.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The encoding the file is read in (<c>utf-8</c>, <c>utf-16le</c>, <c>utf-16be</c>, <c>windows-1252</c>).</summary>
    public required string Encoding { get; init; }

    /// <summary>The delimiter the file is read with.</summary>
    public required char Delimiter { get; init; }

    /// <summary>The identifier column to import by, when one was detected.</summary>
    public required SuggestedIdentifier? SuggestedPrimaryIdentifier { get; init; }

    /// <summary>Header → profile field, for the headers whose names match a known field.</summary>
    public required IReadOnlyDictionary<string, string> SuggestedFieldMappings { get; init; }
}

/// <summary>The columns detected as holding each kind of identifier, in file order.</summary>
public sealed record DetectedIdentifierColumns
{
    /// <summary>Columns holding email addresses.</summary>
    public required IReadOnlyList<string> EmailColumns { get; init; }

    /// <summary>Columns holding phone numbers.</summary>
    public required IReadOnlyList<string> PhoneColumns { get; init; }

    /// <summary>Columns holding ids from another system (detected by name only: any text is a valid external id).</summary>
    public required IReadOnlyList<string> ExternalIdColumns { get; init; }

    /// <summary>Columns holding social profile URLs or handles.</summary>
    public required IReadOnlyList<string> SocialColumns { get; init; }
}

/// <summary>A column and the kind of identifier it holds.</summary>
/// <param name="Column">The header of the column.</param>
/// <param name="Kind">The kind of identifier.</param>
public sealed record SuggestedIdentifier(string Column, IdentifierKind Kind);
