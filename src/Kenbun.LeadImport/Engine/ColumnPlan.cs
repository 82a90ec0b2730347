using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Engine;

/// <summary>A job's settings as column positions: which cells a row is read from.</summary>
internal sealed class ColumnPlan
{
    public ColumnPlan(IReadOnlyList<string> headers, ImportSettings settings)
    {
        var index = headers.Select((header, i) => (header, i)).ToDictionary(p => p.header, p => p.i, StringComparer.Ordinal);
        HeaderCount = headers.Count;
        PrimaryIndex = index[settings.PrimaryColumn];
        PrimaryKind = settings.PrimaryKind;
        PhoneRegions.TryParse(settings.DefaultPhoneRegion, out var phoneRegion);
        PhoneRegion = phoneRegion;
        Fields = [.. settings.FieldMappings.Select(m => (Index: index[m.Key], Field: m.Value)).OrderBy(f => f.Index)];
        Aliases = [.. settings.AliasMappings.Select(m => (Index: index[m.Key], Kind: m.Value)).OrderBy(a => a.Index)];
        CheckedIndices = [.. Fields.Select(f => f.Index).Concat(Aliases.Select(a => a.Index)).Append(PrimaryIndex).Distinct().Order()];
    }

    public int HeaderCount { get; }

    public int PrimaryIndex { get; }

    public IdentifierKind PrimaryKind { get; }

    /// <summary>The region phone numbers without a country code are read as, parsed once for the job, or <see langword="null"/>.</summary>
    public string? PhoneRegion { get; }

    /// <summary>Mapped fields in header order.</summary>
    public (int Index, string Field)[] Fields { get; }

    /// <summary>The primary and every mapped column in header order: the cells whose length is checked.</summary>
    public int[] CheckedIndices { get; }

    /// <summary>Alias columns in header order.</summary>
    public (int Index, IdentifierKind Kind)[] Aliases { get; }
}
