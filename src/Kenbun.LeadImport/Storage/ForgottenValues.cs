using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The identifier values of a person being forgotten (<see cref="LeadImportStorage.ForgetLeadAsync"/>), and whether a
/// stored row error or warning holds one of them. One rule for every provider: a text holds a value when, trimmed, it is
/// that value exactly, or it normalises to it as an identifier of the value's kind
/// (<see cref="IdentifierNormalizer"/>), phones read in the region of the job that stored the text — so
/// <c>Jane@Example.com</c> holds <c>jane@example.com</c>, and <c>(415) 555-0100</c> in a job read as <c>US</c> holds
/// <c>+14155550100</c>.
/// </summary>
public sealed class ForgottenValues
{
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<IdentifierKind, HashSet<string>> _valuesByKind = [];

    /// <summary>The values of <paramref name="identifiers"/>: a lead's identifiers, or the one identifier asked for when no lead owns it.</summary>
    public ForgottenValues(IEnumerable<IdentifierKey> identifiers)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        foreach (var identifier in identifiers)
        {
            _values.Add(identifier.Value);
            if (!_valuesByKind.TryGetValue(identifier.Kind, out var values))
            {
                _valuesByKind.Add(identifier.Kind, values = new HashSet<string>(StringComparer.Ordinal));
            }

            values.Add(identifier.Value);
        }
    }

    /// <summary>Whether the error's value or any of its cells holds a forgotten value.</summary>
    /// <param name="error">A stored row error.</param>
    /// <param name="phoneRegion">The phone region of the job that stored it (<see cref="ImportSettings.DefaultPhoneRegion"/>).</param>
    public bool Match(RowError error, string? phoneRegion)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Match(error.Value, phoneRegion) || error.Cells.Any(cell => Match(cell, phoneRegion));
    }

    /// <summary>Whether the warning's value holds a forgotten value.</summary>
    /// <param name="warning">A stored row warning.</param>
    /// <param name="phoneRegion">The phone region of the job that stored it.</param>
    public bool Match(RowWarning warning, string? phoneRegion)
    {
        ArgumentNullException.ThrowIfNull(warning);
        return Match(warning.Value, phoneRegion);
    }

    /// <summary>Whether <paramref name="text"/> — a stored value or cell — holds a forgotten value.</summary>
    /// <param name="text">The text as stored.</param>
    /// <param name="phoneRegion">The phone region of the job that stored it.</param>
    public bool Match(string? text, string? phoneRegion)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (_values.Contains(text.Trim()))
        {
            return true;
        }

        foreach (var (kind, values) in _valuesByKind)
        {
            if (IdentifierNormalizer.TryNormalize(kind, text, phoneRegion, out var normalized) && values.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }
}
