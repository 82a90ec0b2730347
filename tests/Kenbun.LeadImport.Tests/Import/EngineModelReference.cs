using System.Globalization;
using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Tests.Identifiers;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>What a column of a model case is: the primary identifier, a profile field, an alias or an unmapped column.</summary>
public enum ModelColumnRole
{
    Primary,
    Field,
    Alias,
    Unmapped,
}

/// <summary>A column of a model case: its header, its role and its target (an identifier kind or a profile field).</summary>
public sealed record ModelColumn(string Header, ModelColumnRole Role, string Target);

/// <summary>A lead as the model sees it, in a form that does not depend on generated lead ids.</summary>
/// <param name="Identifiers">Sorted <c>kind:value</c> identifiers.</param>
/// <param name="Fields">Sorted <c>field=value</c> pairs.</param>
/// <param name="CreatedBy">The job that created it (<see cref="EngineModelReference.SeedJob"/> or <see cref="EngineModelReference.ImportJob"/>).</param>
/// <param name="UpdatedBy">The job that last changed it.</param>
public sealed record ModelLead(IReadOnlyList<string> Identifiers, IReadOnlyList<string> Fields, string CreatedBy, string UpdatedBy)
{
    public override string ToString() =>
        $"[{string.Join(", ", Identifiers)}] {{{string.Join(", ", Fields.Select(Show))}}} created by {CreatedBy}, updated by {UpdatedBy}";

    internal static string Show(string text) => text.Replace("\n", "⏎", StringComparison.Ordinal).Replace("\u00a0", "⍽", StringComparison.Ordinal);
}

/// <summary>A lead that exists before the import.</summary>
/// <param name="Identifiers">Its identifiers, already normalised, as <c>(kind, value)</c>.</param>
/// <param name="Fields">Its profile fields.</param>
public sealed record ModelSeed(IReadOnlyList<(string Kind, string Value)> Identifiers, IReadOnlyList<(string Field, string Value)> Fields)
{
    public override string ToString() =>
        $"[{string.Join(", ", Identifiers.Select(i => $"{i.Kind}:{i.Value}"))}] {{{string.Join(", ", Fields.Select(f => $"{f.Field}={f.Value}"))}}}";
}

/// <summary>What an import did: counters, errors and warnings in row order, and the OU's leads afterwards.</summary>
public sealed record ModelOutcome(
    string Counters, long TotalRows, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, IReadOnlyList<ModelLead> Leads)
{
    public static string Error(long row, string error, string value, IEnumerable<string> cells) =>
        $"row {row}: {error} '{ModelLead.Show(value)}' cells [{string.Join(" | ", cells.Select(c => "'" + ModelLead.Show(c) + "'"))}]";

    public static string Warning(long row, string warning, string value) => $"row {row}: {warning} '{ModelLead.Show(value)}'";

    public static string CountersOf(long created, long updated, long failed, long skipped) =>
        $"created {created}, updated {updated}, failed {failed}, skipped {skipped}";
}

/// <summary>
/// The import, applied row by row as the contract states it, with its own CSV cells, its own identifier rules and its
/// own dictionaries: nothing here calls the library. The property compares the pipelined engine to it.
/// </summary>
internal static class EngineModelReference
{
    public const string SeedJob = "SEED";
    public const string ImportJob = "JOB";

    private const int MaxReported = 256;

    public static ModelOutcome Apply(
        IReadOnlyList<ModelColumn> columns, IReadOnlyList<string[]> records, IReadOnlyList<ModelSeed> seeds,
        string mode, bool dryRun, int maxCellLength)
    {
        var leads = new List<Lead>();
        var owners = new Dictionary<(string Kind, string Value), Lead>();
        foreach (var seed in seeds)
        {
            var lead = new Lead(SeedJob);
            foreach (var (field, value) in seed.Fields)
            {
                lead.Fields[field] = value;
            }

            foreach (var identifier in seed.Identifiers)
            {
                owners.Add(identifier, lead);
                lead.Identifiers.Add(identifier);
            }

            lead.Freeze();
            leads.Add(lead);
        }

        var primaryIndex = Index(columns, c => c.Role == ModelColumnRole.Primary);
        var primaryKind = columns[primaryIndex].Target;
        var checkedIndices = Enumerable.Range(0, columns.Count).Where(i => columns[i].Role is not ModelColumnRole.Unmapped).ToList();

        long row = 0, created = 0, updated = 0, failed = 0, skipped = 0;
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var file in records)
        {
            // The file's text is read in Unicode NFC: a decomposed "é" is the same text as a typed one.
            var record = file.Select(cell => cell.Normalize(NormalizationForm.FormC)).ToArray();
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            row++;
            string Cell(int i) => i < record.Length ? record[i] : string.Empty;

            var error = FindError(record, columns.Count, Cell(primaryIndex), checkedIndices.Select(Cell), primaryKind, maxCellLength, out var primary);
            if (error is { } e)
            {
                errors.Add(ModelOutcome.Error(row, e.Error, e.Value, record));
                failed++;
                continue;
            }

            var key = (primaryKind, primary!);
            var owner = owners.GetValueOrDefault(key);
            if (owner is null ? mode == "update_only" : mode == "create_only")
            {
                skipped++;
                continue;
            }

            if (owner is null)
            {
                owner = new Lead(ImportJob);
                owners.Add(key, owner);
                owner.Identifiers.Add(key);
                leads.Add(owner);
                created++;
            }
            else
            {
                updated++;
            }

            owner.UpdatedBy = ImportJob;
            for (var i = 0; i < columns.Count; i++)
            {
                var cell = Cell(i);
                var column = columns[i];
                if (string.IsNullOrWhiteSpace(cell))
                {
                    continue;
                }

                if (column.Role == ModelColumnRole.Field)
                {
                    owner.Fields[column.Target] = Clean(cell);
                }
            }

            for (var i = 0; i < columns.Count; i++)
            {
                var cell = Cell(i);
                var column = columns[i];
                if (column.Role != ModelColumnRole.Alias || string.IsNullOrWhiteSpace(cell))
                {
                    continue;
                }

                var cleaned = Clean(cell);
                if (Normalize(column.Target, cleaned) is not { } alias)
                {
                    warnings.Add(ModelOutcome.Warning(row, InvalidFormat(column.Target), Cut(cleaned)));
                    continue;
                }

                var aliasKey = (column.Target, alias);
                var aliasOwner = owners.GetValueOrDefault(aliasKey);
                if (aliasOwner is null)
                {
                    owners.Add(aliasKey, owner);
                    owner.Identifiers.Add(aliasKey);
                }
                else if (aliasOwner != owner)
                {
                    warnings.Add(ModelOutcome.Warning(row, "Alias belongs to another lead", Cut(alias)));
                }
            }
        }

        var stored = dryRun ? leads.Where(l => l.CreatedBy == SeedJob).Select(l => l.Seeded!) : leads.Select(l => l.ToModel());
        return new ModelOutcome(
            ModelOutcome.CountersOf(created, updated, failed, skipped), row, errors, warnings, Sorted(stored));
    }

    public static IReadOnlyList<ModelLead> Sorted(IEnumerable<ModelLead> leads) =>
        [.. leads.OrderBy(l => string.Join(",", l.Identifiers), StringComparer.Ordinal)];

    /// <summary>The row's first error in the contract's order, or none with the normalised primary identifier.</summary>
    private static (string Error, string Value)? FindError(
        string[] record, int headerCount, string primaryCell, IEnumerable<string> checkedCells, string primaryKind, int maxCellLength, out string? primary)
    {
        primary = null;
        for (var i = headerCount; i < record.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(record[i]))
            {
                return ("Malformed row", Cut(record[i].Trim()));
            }
        }

        if (string.IsNullOrWhiteSpace(primaryCell))
        {
            return ("Missing required identifier", string.Empty);
        }

        foreach (var cell in checkedCells)
        {
            if (cell.Trim().Length > maxCellLength)
            {
                return ("Value too long", Cut(cell.Trim()));
            }
        }

        var cleaned = Clean(primaryCell);
        primary = Normalize(primaryKind, cleaned);
        return primary is null ? (InvalidFormat(primaryKind), Cut(cleaned)) : null;
    }

    private static int Index(IReadOnlyList<ModelColumn> columns, Func<ModelColumn, bool> predicate)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (predicate(columns[i]))
            {
                return i;
            }
        }

        throw new InvalidOperationException("No such column.");
    }

    /// <summary>Trimmed; a <c>'</c> before <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is dropped.</summary>
    internal static string Clean(string cell)
    {
        var text = cell.Trim();
        return text.Length >= 2 && text[0] == '\'' && "=+-@".Contains(text[1], StringComparison.Ordinal) ? text.Substring(1) : text;
    }

    /// <summary>At most 256 characters, without splitting a surrogate pair.</summary>
    private static string Cut(string value) =>
        value.Length <= MaxReported ? value : value.Substring(0, char.IsHighSurrogate(value[MaxReported - 1]) ? MaxReported - 1 : MaxReported);

    private static string InvalidFormat(string kind) => $"Invalid {kind} format";

    internal static string? Normalize(string kind, string value) => kind switch
    {
        "email" => NormalizeEmail(value.Trim()),
        "phone" => ContractModel.Normalize(IdentifierKind.Phone, value),
        "external_id" => value.Trim() is { Length: > 0 and <= 256 } id ? id : null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The model knows email, phone and external_id only."),
    };

    /// <summary>One <c>@</c>, a non-empty local part, a dotted domain without empty labels, no whitespace or controls, ≤ 254.</summary>
    private static string? NormalizeEmail(string email)
    {
        if (email.Length is 0 or > 254 || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return null;
        }

        var parts = email.Split('@');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        var labels = parts[1].Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0))
        {
            return null;
        }

        return email.ToLower(CultureInfo.InvariantCulture);
    }

    private sealed class Lead(string createdBy)
    {
        public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

        public List<(string Kind, string Value)> Identifiers { get; } = [];

        public string CreatedBy { get; } = createdBy;

        public string UpdatedBy { get; set; } = createdBy;

        /// <summary>The seeded lead as it was before the import: what a dry run leaves.</summary>
        public ModelLead? Seeded { get; private set; }

        public ModelLead ToModel() => new(
            [.. Identifiers.Select(i => $"{i.Kind}:{i.Value}").Order(StringComparer.Ordinal)],
            [.. Fields.Select(f => $"{f.Key}={f.Value}").Order(StringComparer.Ordinal)],
            CreatedBy,
            UpdatedBy);

        public void Freeze() => Seeded = ToModel();
    }
}
