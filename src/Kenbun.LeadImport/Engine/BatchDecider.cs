using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Engine;

/// <summary>What applying a batch's rows in file order does: lead changes, outcomes, errors and warnings.</summary>
internal sealed class BatchDecision
{
    private readonly List<LeadChange> _spareChanges = [];
    private int _changesInUse;

    public Dictionary<string, LeadChange> Changes { get; } = new(StringComparer.Ordinal);

    /// <summary>A change for <paramref name="leadId"/>, recycled from earlier batches when there is one.</summary>
    public LeadChange AddChange(string leadId, bool isNew)
    {
        if (_changesInUse == _spareChanges.Count)
        {
            _spareChanges.Add(new LeadChange(leadId, isNew));
        }

        var change = _spareChanges[_changesInUse++].Reset(leadId, isNew);
        Changes.Add(leadId, change);
        return change;
    }

    public List<RowError> Errors { get; } = [];

    public List<RowWarning> Warnings { get; } = [];

    public JobCounters Counters { get; set; }

    public void Reset(JobCounters counters)
    {
        Changes.Clear();
        _changesInUse = 0;
        Errors.Clear();
        Warnings.Clear();
        Counters = counters;
    }
}

/// <summary>
/// Decides a batch exactly as applying its rows one by one in file order would: a row's lead is the one that owns its
/// primary identifier (in the store or earlier in this job), rows of one lead in a batch merge into one change, and
/// later rows see what earlier rows did.
/// </summary>
internal sealed class BatchDecider(ColumnPlan plan, ImportSettings settings, OwnershipOverlay overlay, char delimiter)
{
    /// <summary>The warning for an alias value that another lead already owns.</summary>
    public const string AliasOwnedByAnotherLead = "Alias belongs to another lead";

    public void Decide(RowBatch batch, BatchDecision decision)
    {
        var (created, updated, failed, skipped) = decision.Counters;
        for (var r = 0; r < batch.Count; r++)
        {
            ref var row = ref batch.Rows[r];
            if (row.Error is { } error)
            {
                decision.Errors.Add(error);
                failed++;
                continue;
            }

            var owner = OwnerOf(batch, row.Primary);
            if (owner is null ? settings.Mode == ImportMode.UpdateOnly : settings.Mode == ImportMode.CreateOnly)
            {
                skipped++;
                continue;
            }

            LeadChange change;
            if (owner is null)
            {
                change = decision.AddChange(ImportIds.NewLeadId(), isNew: true);
                GiveTo(change, row.Primary);
                created++;
            }
            else
            {
                change = ChangeOf(decision, owner);
                updated++;
            }

            SetFields(batch, r, change);
            AddAliases(batch, r, row.Row, change, decision);
        }

        decision.Counters = new JobCounters(created, updated, failed, skipped);
    }

    /// <summary>Fails every row of the batch that has no error of its own with <c>Server error</c>: its storage failed.</summary>
    public void FailWithServerError(RowBatch batch, BatchDecision decision)
    {
        var (created, updated, failed, skipped) = decision.Counters;
        for (var r = 0; r < batch.Count; r++)
        {
            ref var row = ref batch.Rows[r];
            decision.Errors.Add(row.Error ?? new RowError(row.Row, RowErrors.ServerError, CellValues.Reported(row.Primary.Value), batch.ReadCells(r, delimiter)));
            failed++;
        }

        decision.Counters = new JobCounters(created, updated, failed, skipped);
    }

    private string? OwnerOf(RowBatch batch, IdentifierKey identifier) =>
        overlay.TryGetOwner(identifier, out var leadId) || batch.Owners.TryGetValue(identifier, out leadId) ? leadId : null;

    private static LeadChange ChangeOf(BatchDecision decision, string leadId) =>
        decision.Changes.TryGetValue(leadId, out var change) ? change : decision.AddChange(leadId, isNew: false);

    private void GiveTo(LeadChange change, IdentifierKey identifier)
    {
        change.NewIdentifiers.Add(identifier);
        overlay.Assign(identifier, change.LeadId);
    }

    private void SetFields(RowBatch batch, int r, LeadChange change)
    {
        var fields = plan.Fields;
        for (var f = 0; f < fields.Length; f++)
        {
            if (batch.FieldValues[(r * fields.Length) + f] is { } value)
            {
                change.Fields[fields[f].Field] = value;
            }
        }
    }

    private void AddAliases(RowBatch batch, int r, long row, LeadChange change, BatchDecision decision)
    {
        var aliases = plan.Aliases;
        for (var a = 0; a < aliases.Length; a++)
        {
            var cell = batch.Aliases[(r * aliases.Length) + a];
            if (cell.InvalidValue is { } invalid)
            {
                decision.Warnings.Add(new RowWarning(row, RowErrors.InvalidFormat(aliases[a].Kind), CellValues.Reported(invalid)));
            }
            else if (cell.Identifier is { } identifier)
            {
                var owner = OwnerOf(batch, identifier);
                if (owner is null)
                {
                    GiveTo(change, identifier);
                }
                else if (owner != change.LeadId)
                {
                    decision.Warnings.Add(new RowWarning(row, AliasOwnedByAnotherLead, CellValues.Reported(identifier.Value)));
                }
            }
        }
    }
}
