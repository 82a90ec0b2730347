using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;

namespace Kenbun.LeadImport.Start;

/// <summary>
/// Checks a start request and turns it into <see cref="ImportSettings"/>, collecting every problem at once under its
/// request path. Mappings to columns the file lacks, or to unknown profile fields, are not errors: they are left out
/// and listed.
/// </summary>
/// <remarks>
/// A request without a <c>file_id</c> can only be answered with the problems that need no file (CONTRACT §3, step 1);
/// one with a <c>file_id</c> is checked whole once its file is found, so a bad kind never hides a wrong column.
/// </remarks>
internal sealed class StartRequestValidator(IEnumerable<string> profileFields, int maxMappings, string? defaultPhoneRegion)
{
    private static readonly string KindList = string.Join(", ", IdentifierKinds.All.Select(k => k.ToApiName()));
    private static readonly string AliasList = string.Join(", ", IdentifierKinds.All.Select(k => k.ToAliasTarget()));
    private static readonly string ModeList = string.Join(", ", Enum.GetValues<ImportMode>().Select(m => m.ToApiName()));

    private readonly Dictionary<string, string> _fields = profileFields.ToDictionary(f => f, f => f, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the request names a file at all.</summary>
    public static bool HasFileId(StartImportRequest request) => !string.IsNullOrWhiteSpace(request.FileId);

    /// <summary>The problems that need no file: missing parts, unknown kinds, alias targets and modes, too many mappings.</summary>
    public IReadOnlyDictionary<string, string[]> CheckWithoutFile(StartImportRequest request)
    {
        var errors = new StartErrors();
        CheckShape(request, errors);
        return errors.ToDictionary();
    }

    /// <summary>Checks the whole request against the file's headers.</summary>
    public (ImportSettings? Settings, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<IgnoredMapping> Ignored) Resolve(
        StartImportRequest request, IReadOnlyList<string> headers)
    {
        var errors = new StartErrors();
        CheckShape(request, errors);
        var ignored = new List<IgnoredMapping>();

        string? primaryColumn = null;
        if (request.PrimaryIdentifier?.Column is { } requestedColumn && !string.IsNullOrWhiteSpace(requestedColumn))
        {
            primaryColumn = ResolveColumn(headers, requestedColumn);
            if (primaryColumn is null)
            {
                errors.Add("primary_identifier.column", $"\"{requestedColumn}\" is not a column of the file. Its columns are: {string.Join(", ", headers)}.");
            }
        }

        var fields = ResolveFields(request.FieldMappings, headers, errors, ignored);
        var aliases = ResolveAliases(request.AliasMappings, headers, errors, ignored);
        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(), ignored);
        }

        IdentifierKinds.TryParse(request.PrimaryIdentifier!.Kind, out var primaryKind);
        JobNames.TryParseMode(request.Mode ?? ImportMode.Upsert.ToApiName(), out var mode);
        PhoneRegions.TryParse(request.DefaultPhoneRegion ?? defaultPhoneRegion, out var phoneRegion);
        var settings = new ImportSettings
        {
            PrimaryColumn = primaryColumn!,
            PrimaryKind = primaryKind,
            FieldMappings = fields,
            AliasMappings = aliases,
            DryRun = request.DryRun,
            Mode = mode,
            DefaultPhoneRegion = phoneRegion,
        };
        return (settings, errors.ToDictionary(), ignored);
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

    private void CheckShape(StartImportRequest request, StartErrors errors)
    {
        if (!HasFileId(request))
        {
            errors.Add("file_id", "file_id is required: the id the preview answered with.");
        }

        if (request.PrimaryIdentifier is not { } primary)
        {
            errors.Add("primary_identifier", "primary_identifier is required, with the column and kind of the identifier to find leads by.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(primary.Column))
            {
                errors.Add("primary_identifier.column", "primary_identifier.column is required.");
            }

            if (!IdentifierKinds.TryParse(primary.Kind, out _))
            {
                errors.Add("primary_identifier.kind", $"primary_identifier.kind must be one of {KindList}.");
            }
        }

        CheckCount("field_mappings", request.FieldMappings, errors);
        CheckCount("alias_mappings", request.AliasMappings, errors);
        foreach (var (column, target) in request.AliasMappings ?? Empty)
        {
            if (target is not null && !IdentifierKinds.TryParseAliasTarget(target, out _))
            {
                errors.Add(RequestPath.Member("alias_mappings", column), $"\"{target}\" is not an alias target; use one of {AliasList}.");
            }
        }

        if (request.Mode is not null && !JobNames.TryParseMode(request.Mode, out _))
        {
            errors.Add("mode", $"mode must be one of {ModeList}.");
        }

        if (request.DefaultPhoneRegion is { } region && !PhoneRegions.TryParse(region, out _))
        {
            errors.Add("default_phone_region", $"\"{region}\" is not a region code; use an ISO 3166 alpha-2 code such as US, GB or DE.");
        }
    }

    private void CheckCount(string path, IReadOnlyDictionary<string, string?>? mappings, StartErrors errors)
    {
        if (mappings?.Count > maxMappings)
        {
            errors.Add(path, $"{path} has {mappings.Count} mappings; a file has at most {maxMappings} columns, so at most {maxMappings} may be mapped.");
        }
    }

    private Dictionary<string, string> ResolveFields(
        IReadOnlyDictionary<string, string?>? mappings, IReadOnlyList<string> headers, StartErrors errors, List<IgnoredMapping> ignored)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var columnOfField = new Dictionary<string, string>(StringComparer.Ordinal);
        var mapped = new MappedColumns("field_mappings");
        foreach (var (column, target) in Mapped(mappings))
        {
            var header = ResolveColumn(headers, column);
            if (header is null)
            {
                ignored.Add(new IgnoredMapping(column, target, IgnoredMapping.UnknownColumn));
            }
            else if (!_fields.TryGetValue(target.Trim(), out var field))
            {
                ignored.Add(new IgnoredMapping(column, target, IgnoredMapping.UnknownField));
            }
            else if (mapped.Add(column, header, errors))
            {
                if (columnOfField.TryGetValue(field, out var other))
                {
                    errors.Add(RequestPath.Member("field_mappings", column), $"Columns \"{other}\" and \"{column}\" are both mapped to {field}; map each profile field from one column.");
                }
                else
                {
                    columnOfField.Add(field, column);
                    fields.Add(header, field);
                }
            }
        }

        return fields;
    }

    private static Dictionary<string, IdentifierKind> ResolveAliases(
        IReadOnlyDictionary<string, string?>? mappings, IReadOnlyList<string> headers, StartErrors errors, List<IgnoredMapping> ignored)
    {
        var aliases = new Dictionary<string, IdentifierKind>(StringComparer.Ordinal);
        var mapped = new MappedColumns("alias_mappings");
        foreach (var (column, target) in Mapped(mappings))
        {
            if (!IdentifierKinds.TryParseAliasTarget(target, out var kind))
            {
                continue; // reported by CheckShape
            }

            if (ResolveColumn(headers, column) is not { } header)
            {
                ignored.Add(new IgnoredMapping(column, kind.ToAliasTarget(), IgnoredMapping.UnknownColumn));
            }
            else if (mapped.Add(column, header, errors))
            {
                aliases.Add(header, kind);
            }
        }

        return aliases;
    }

    /// <summary>The mappings that map a column: a <see langword="null"/> target maps nothing, as if the column were left out.</summary>
    private static IEnumerable<(string Column, string Target)> Mapped(IReadOnlyDictionary<string, string?>? mappings) =>
        from mapping in mappings ?? Empty
        where mapping.Value is not null
        select (mapping.Key, mapping.Value);

    private static IReadOnlyDictionary<string, string?> Empty { get; } = new Dictionary<string, string?>();

    /// <summary>The headers one mapping object has mapped, so that two names of one column (<c>Company</c>, <c>company</c>) are an error rather than one silently replacing the other.</summary>
    private sealed class MappedColumns(string path)
    {
        private readonly Dictionary<string, string> _columnByHeader = new(StringComparer.Ordinal);

        /// <summary>Records that <paramref name="column"/> maps <paramref name="header"/>; false, with the error added, when another name of it did.</summary>
        public bool Add(string column, string header, StartErrors errors)
        {
            if (_columnByHeader.TryAdd(header, column))
            {
                return true;
            }

            errors.Add(
                RequestPath.Member(path, column),
                $"\"{_columnByHeader[header]}\" and \"{column}\" both name the column \"{header}\"; map each column once.");
            return false;
        }
    }

    /// <summary>Messages by request path, in the order found.</summary>
    private sealed class StartErrors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public int Count => _errors.Count;

        public void Add(string path, string message)
        {
            if (!_errors.TryGetValue(path, out var messages))
            {
                _errors.Add(path, messages = []);
            }

            messages.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
