using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Preview;

/// <summary>
/// Decides which columns hold identifiers, from their header names and from the values of the first
/// <see cref="SampledRecords"/> records: a column is detected by content when at least 80% of at least two
/// non-empty values are valid for a kind, phones read in the default phone region. A phone value counts only with a
/// separator or a leading <c>+</c>, since bare runs of digits are usually ids. External ids are detected by name only:
/// any text is a valid one.
/// </summary>
internal sealed class IdentifierColumnDetector
{
    /// <summary>How many data records are examined.</summary>
    public const int SampledRecords = 100;

    private static readonly IdentifierKind[] ContentKinds = [IdentifierKind.Email, IdentifierKind.Phone, IdentifierKind.Social];

    private readonly IReadOnlyList<string> _headers;
    private readonly string? _phoneRegion;
    private readonly int[] _nonEmpty;
    private readonly int[,] _valid;

    /// <param name="headers">The file's headers.</param>
    /// <param name="phoneRegion">The region phones are read in, as written in the options (any case), or <see langword="null"/>.</param>
    public IdentifierColumnDetector(IReadOnlyList<string> headers, string? phoneRegion)
    {
        _headers = headers;
        PhoneRegions.TryParse(phoneRegion, out _phoneRegion);
        _nonEmpty = new int[headers.Count];
        _valid = new int[headers.Count, ContentKinds.Length];
    }

    /// <summary>Counts the values of the reader's current record.</summary>
    public void Observe(CsvFileReader record)
    {
        for (var column = 0; column < _headers.Count; column++)
        {
            if (record.IsBlank(column))
            {
                continue;
            }

            _nonEmpty[column]++;
            var value = record.GetCell(column);
            for (var k = 0; k < ContentKinds.Length; k++)
            {
                if (IsValidSample(ContentKinds[k], value))
                {
                    _valid[column, k]++;
                }
            }
        }
    }

    public DetectedIdentifierColumns GetResult()
    {
        var found = IdentifierKinds.All.ToDictionary(kind => kind, _ => new List<string>());
        for (var column = 0; column < _headers.Count; column++)
        {
            if ((KindByName(_headers[column]) ?? KindByContent(column)) is { } kind)
            {
                found[kind].Add(_headers[column]);
            }
        }

        return new DetectedIdentifierColumns
        {
            EmailColumns = found[IdentifierKind.Email],
            PhoneColumns = found[IdentifierKind.Phone],
            ExternalIdColumns = found[IdentifierKind.ExternalId],
            SocialColumns = found[IdentifierKind.Social],
        };
    }

    /// <summary>The kind a header names in any of the languages of <see cref="HeaderSynonyms"/>.</summary>
    internal static IdentifierKind? KindByName(string header) => HeaderSynonyms.KindOf(header);

    private IdentifierKind? KindByContent(int column)
    {
        var nonEmpty = _nonEmpty[column];
        if (nonEmpty < 2)
        {
            return null;
        }

        for (var k = 0; k < ContentKinds.Length; k++)
        {
            if (_valid[column, k] * 5 >= nonEmpty * 4)
            {
                return ContentKinds[k];
            }
        }

        return null;
    }

    private bool IsValidSample(IdentifierKind kind, string value) =>
        IdentifierNormalizer.TryNormalizeInRegion(kind, value, _phoneRegion, out _) && (kind != IdentifierKind.Phone || LooksLikePhone(value));

    private static bool LooksLikePhone(string value)
    {
        var trimmed = value.AsSpan().Trim();
        return trimmed.StartsWith('+') || trimmed.ContainsAny(PhoneSyntax.Separators);
    }
}
