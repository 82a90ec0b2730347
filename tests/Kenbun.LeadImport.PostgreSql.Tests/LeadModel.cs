using System.Text.Json.Nodes;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>A lead of the <see cref="LeadModel"/>: its email, its fields and the identifiers it owns.</summary>
internal sealed class ModelLead(string email)
{
    public string Email { get; } = email;

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public HashSet<Identifier> Identifiers { get; } = [new(IdentifierKind.Email, email)];
}

/// <summary>What one file's job must count, applied one row at a time after what the model already holds.</summary>
internal sealed record ModelTotals(long Rows, long Created, long Updated, long Failed, long Warnings, IReadOnlyList<(long Row, string Error)> Errors)
{
    /// <summary>Asserts that a job's detail is <c>completed</c> with exactly these counters.</summary>
    public void AssertCompleted(JsonNode job)
    {
        Assert.True(job["status"]!.ToString() == "completed", $"The job did not complete: {job.ToJsonString()}");
        Assert.Equal(
            (Rows, Rows, Created, Updated, Failed, 0L, Warnings),
            ((long)job["total_rows"]!, (long)job["processed_rows"]!, (long)job["created_count"]!, (long)job["updated_count"]!, (long)job["failed_count"]!,
                (long)job["skipped_count"]!, (long)job["warning_count"]!));
    }
}

/// <summary>
/// The import rules of CONTRACT §5 written the plain way, one row at a time in file order, for these files' shape
/// (email primary, aliases, upsert): a lead per email, an alias to the first lead that names it (a later lead gets a
/// warning), an invalid alias skipped with a warning, empty cells never overwriting. The reference the stores' results are
/// held to.
/// </summary>
internal sealed class LeadModel
{
    private readonly Dictionary<Identifier, string> _owners = [];

    /// <summary>The leads, by email.</summary>
    public Dictionary<string, ModelLead> Leads { get; } = new(StringComparer.Ordinal);

    /// <summary>Every identifier some lead owns.</summary>
    public IReadOnlyCollection<Identifier> Identifiers => _owners.Keys;

    /// <summary>A model holding <paramref name="files"/> applied one after the other.</summary>
    public static LeadModel Of(params LeadFile[] files)
    {
        var model = new LeadModel();
        foreach (var file in files)
        {
            model.Apply(file);
        }

        return model;
    }

    public ModelTotals Apply(LeadFile file)
    {
        long created = 0, updated = 0, failed = 0, warnings = 0;
        List<(long, string)> errors = [];
        foreach (var row in file.Rows)
        {
            if (row.Email is not { } email)
            {
                failed++;
                errors.Add((row.Row, row.Error!));
                continue;
            }

            if (Leads.TryGetValue(email, out var lead))
            {
                updated++;
            }
            else
            {
                Leads.Add(email, lead = new ModelLead(email));
                _owners.Add(new Identifier(IdentifierKind.Email, email), email);
                created++;
            }

            foreach (var (field, value) in row.Fields)
            {
                lead.Fields[field] = value;
            }

            warnings += row.InvalidAliases;
            foreach (var alias in row.Aliases)
            {
                if (_owners.TryAdd(alias, email))
                {
                    lead.Identifiers.Add(alias);
                }
                else if (_owners[alias] != email)
                {
                    warnings++;
                }
            }
        }

        return new ModelTotals(file.Rows.Count, created, updated, failed, warnings, errors);
    }
}
