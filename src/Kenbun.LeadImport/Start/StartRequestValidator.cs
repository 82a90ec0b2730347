using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Start;

/// <summary>
/// Checks a start request against its file and turns it into <see cref="ImportSettings"/>, collecting every problem
/// at once under its request path. Mappings to columns the file lacks, or to unknown profile fields, are not errors:
/// they are left out and listed.
/// </summary>
internal sealed class StartRequestValidator(IEnumerable<string> profileFields)
{
    private const string AliasPrefix = "_alias_";
    private static readonly string KindList = string.Join(", ", IdentifierKinds.All.Select(k => k.ToApiName()));
    private static readonly string AliasList = string.Join(", ", IdentifierKinds.All.Select(k => AliasPrefix + k.ToApiName()));

    private readonly Dictionary<string, string> _fields = profileFields.ToDictionary(f => f, f => f, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>The problems that need no file: missing parts, unknown kinds, targets and modes.</summary>
    public IReadOnlyDictionary<string, string[]> CheckShape(StartImportRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.FileId))
        {
            Add("file_id", "file_id is required.");
        }

        if (request.PrimaryIdentifier is not { } primary)
        {
            Add("primary_identifier", "primary_identifier is required, with the column and kind of the identifier to find leads by.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(primary.Column))
            {
                Add("primary_identifier.column", "primary_identifier.column is required.");
            }

            if (!IdentifierKinds.TryParse(primary.Kind, out _))
            {
                Add("primary_identifier.kind", $"primary_identifier.kind must be one of {KindList}.");
            }
        }

        foreach (var (column, target) in request.AliasMappings ?? new Dictionary<string, string?>())
        {
            if (!TryParseAlias(target, out _))
            {
                Add($"alias_mappings.{column}", $"\"{target}\" is not an alias target; use one of {AliasList}.");
            }
        }

        if (request.Mode is not null && !JobNames.TryParseMode(request.Mode, out _))
        {
            Add("mode", "mode must be upsert, create_only or update_only.");
        }

        return Errors();
    }

    /// <summary>Checks the request against the file's headers; call after <see cref="CheckShape"/> found nothing.</summary>
    public (ImportSettings? Settings, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<IgnoredMapping> Ignored) Resolve(
        StartImportRequest request, IReadOnlyList<string> headers)
    {
        var ignored = new List<IgnoredMapping>();
        var primaryColumn = ResolveColumn(headers, request.PrimaryIdentifier!.Column!);
        if (primaryColumn is null)
        {
            Add("primary_identifier.column", $"\"{request.PrimaryIdentifier.Column}\" is not a column of the file. Its columns are: {string.Join(", ", headers)}.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var columnOfField = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, target) in request.FieldMappings ?? new Dictionary<string, string?>())
        {
            var header = ResolveColumn(headers, column);
            if (header is null)
            {
                ignored.Add(new IgnoredMapping(column, target ?? string.Empty, IgnoredMapping.UnknownColumn));
            }
            else if (target is null || !_fields.TryGetValue(target.Trim(), out var field))
            {
                ignored.Add(new IgnoredMapping(column, target ?? string.Empty, IgnoredMapping.UnknownField));
            }
            else if (columnOfField.TryGetValue(field, out var other))
            {
                Add($"field_mappings.{column}", $"Columns \"{other}\" and \"{column}\" are both mapped to {field}; map each profile field from one column.");
            }
            else
            {
                columnOfField.Add(field, column);
                fields[header] = field;
            }
        }

        var aliases = new Dictionary<string, IdentifierKind>(StringComparer.Ordinal);
        foreach (var (column, target) in request.AliasMappings ?? new Dictionary<string, string?>())
        {
            var header = ResolveColumn(headers, column);
            TryParseAlias(target, out var kind);
            if (header is null)
            {
                ignored.Add(new IgnoredMapping(column, target!, IgnoredMapping.UnknownColumn));
            }
            else
            {
                aliases[header] = kind;
            }
        }

        if (_errors.Count > 0)
        {
            return (null, Errors(), ignored);
        }

        IdentifierKinds.TryParse(request.PrimaryIdentifier.Kind, out var primaryKind);
        JobNames.TryParseMode(request.Mode ?? "upsert", out var mode);
        var settings = new ImportSettings
        {
            PrimaryColumn = primaryColumn!,
            PrimaryKind = primaryKind,
            FieldMappings = fields,
            AliasMappings = aliases,
            DryRun = request.DryRun,
            Mode = mode,
        };
        return (settings, Errors(), ignored);
    }

    /// <summary>
    /// The header a request names: equal after trimming and NFC, else equal ignoring case when exactly one header is.
    /// </summary>
    internal static string? ResolveColumn(IReadOnlyList<string> headers, string name)
    {
        var wanted = name.Trim().Normalize(NormalizationForm.FormC);
        if (headers.Contains(wanted, StringComparer.Ordinal))
        {
            return wanted;
        }

        var matches = headers.Where(h => string.Equals(h, wanted, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static bool TryParseAlias(string? target, out IdentifierKind kind)
    {
        kind = default;
        return target is not null && target.StartsWith(AliasPrefix, StringComparison.Ordinal) && IdentifierKinds.TryParse(target[AliasPrefix.Length..], out kind);
    }

    private void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var messages))
        {
            _errors.Add(path, messages = []);
        }

        messages.Add(message);
    }

    private Dictionary<string, string[]> Errors() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
