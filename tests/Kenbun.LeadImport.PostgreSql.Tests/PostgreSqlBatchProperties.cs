using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A batch's arrays, for any changes: claims sorted by kind and then value in ordinal order (the order every
/// transaction locks identifiers in, so concurrent claims cannot deadlock), equal identifiers kept in the batch's
/// order; new leads in the batch's order; updated leads sorted by id. Each array lines up with the others.
/// </summary>
public class PostgreSqlBatchProperties
{
    private static readonly JobCheckpoint Checkpoint = new()
    {
        LeaseHolder = "host",
        PreviousProcessedRows = 0,
        Counters = new JobCounters(0, 0, 0, 0),
        Errors = [],
        Warnings = [],
        WarningCount = 0,
    };

    // Few distinct values, some differing only in case or by a non-ASCII letter, so equal and ordinal-sensitive keys meet.
    private static readonly Gen<IdentifierKey> Identifiers =
        from kind in Gen.Elements([.. IdentifierKinds.All])
        from value in Gen.Elements("a", "B", "b", "ä", "ab", "+441", "+44", "z")
        select new IdentifierKey(kind, value);

    private static readonly Gen<LeadChange[]> Changes =
        from shapes in Gen.ListOf(
            from isNew in Gen.Elements(true, false)
            from identifiers in Gen.ListOf(Identifiers)
            select (IsNew: isNew, Identifiers: identifiers))
        select shapes.Select((shape, i) =>
        {
            var change = new LeadChange($"lead_{(i * 7919) % 1000:D4}_{i}", shape.IsNew);
            change.NewIdentifiers.AddRange(shape.Identifiers);
            change.Fields["Company"] = $"Company {i}";
            return change;
        }).ToArray();

    [Property(MaxTest = 200)]
    public Property Claims_are_sorted_by_kind_then_ordinal_value_keeping_the_batch_s_order_among_equals() =>
        Prop.ForAll(Changes.ToArbitrary(), changes =>
        {
            var expected = changes
                .SelectMany(change => change.NewIdentifiers.Select(identifier => (Identifier: identifier, change.LeadId)))
                .OrderBy(claim => claim.Identifier.Kind).ThenBy(claim => claim.Identifier.Value, StringComparer.Ordinal)
                .ToList();

            var batch = new PostgreSqlBatch(changes, Checkpoint);

            return batch.Claims().SequenceEqual(expected)
                && batch.ClaimKinds.Length == expected.Count && batch.ClaimLeads.Length == expected.Count;
        });

    [Property(MaxTest = 200)]
    public Property New_leads_keep_the_batch_s_order_and_updated_leads_are_sorted_by_id() =>
        Prop.ForAll(Changes.ToArbitrary(), changes =>
        {
            var batch = new PostgreSqlBatch(changes, Checkpoint);

            var created = changes.Where(change => change.IsNew).ToList();
            var updated = changes.Where(change => !change.IsNew).Select(change => change.LeadId).Order(StringComparer.Ordinal);
            return batch.NewLeadIds.SequenceEqual(created.Select(change => change.LeadId))
                && batch.NewLeadFields.SequenceEqual(created.Select(change => $"{{\"Company\":\"{change.Fields["Company"]}\"}}"))
                && batch.UpdatedLeadIds.SequenceEqual(updated);
        });
}
