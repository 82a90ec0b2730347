using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// A dry run keeps every identifier's owner packed as characters (<see cref="PackedOwnerTable"/>): for any sequence of
/// adds and removes it answers as a dictionary of the same identifiers and owners does — values equal in text but of
/// other kinds kept apart, owners given as other instances of equal text, texts at and past the ends of its (here
/// small) blocks.
/// </summary>
public class PackedOwnerTableProperties
{
    private static readonly IdentifierKind[] Kinds = [IdentifierKind.Email, IdentifierKind.Phone, IdentifierKind.ExternalId];
    private static readonly string[] Owners = ["lead_a", "lead_b", "lead_0123456789", "", "lead_é😀"];

    [Property(MaxTest = 200)]
    public Property The_table_answers_as_a_dictionary_of_the_same_identifiers() =>
        Prop.ForAll(Operations.ToArbitrary(), operations =>
        {
            var table = new PackedOwnerTable(capacity: 4, blockLength: 8);
            var model = new Dictionary<IdentifierKey, string>();
            foreach (var (remove, identifier, owner) in operations)
            {
                if (remove)
                {
                    table.Remove(identifier);
                    model.Remove(identifier);
                }
                else if (model.TryAdd(identifier, owner))
                {
                    table.Add(identifier, owner);
                }
                else
                {
                    Assert.Throws<ArgumentException>(() => table.Add(identifier, owner));
                }

                Assert.Equal(model.Count, table.Count);
                Assert.Equal(model.TryGetValue(identifier, out var expected), table.TryGetOwner(identifier, out var actual));
                Assert.Equal(expected, actual);
            }

            foreach (var (identifier, owner) in model)
            {
                Assert.True(table.TryGetOwner(new IdentifierKey(identifier.Kind, new string(identifier.Value.AsSpan())), out var actual));
                Assert.Equal(owner, actual);
            }
        });

    [Fact]
    public void An_identifier_without_a_value_or_an_owner_is_refused_and_nothing_is_kept()
    {
        var table = new PackedOwnerTable(capacity: 4, blockLength: 8);

        Assert.Throws<ArgumentNullException>(() => table.Add(new IdentifierKey(IdentifierKind.Email, null!), "lead_a"));
        Assert.Throws<ArgumentNullException>(() => table.Add(new IdentifierKey(IdentifierKind.Email, "a"), null!));

        Assert.Equal(0, table.Count);
        Assert.False(table.TryGetOwner(new IdentifierKey(IdentifierKind.Email, "a"), out _));
    }

    /// <summary>Adds (mostly) and removes of short values over a few letters, so they meet again, now and then one longer than a block.</summary>
    private static Gen<(bool Remove, IdentifierKey Identifier, string Owner)[]> Operations =>
        Gen.ArrayOf(
            from remove in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
            from kind in Gen.Elements(Kinds)
            from value in Gen.Frequency(
                (30, Gen.ArrayOf(Gen.Elements('a', 'b', 'é', '1')).Select(letters => new string(letters))),
                (3, Gen.Choose(8, 20).Select(length => new string('x', length))))
            from owner in Gen.Elements(Owners)
            from copy in Gen.Elements(false, true)
            select (remove, new IdentifierKey(kind, value), copy ? new string(owner.AsSpan()) : owner));
}
