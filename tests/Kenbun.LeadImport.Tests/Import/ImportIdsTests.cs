namespace Kenbun.LeadImport.Tests.Import;

/// <summary>Ids are unguessable (brief: security); lead ids also sort by creation time, which database indexes rely on.</summary>
public sealed class ImportIdsTests
{
    [Fact]
    public void Lead_ids_made_later_sort_after_earlier_ones_and_never_repeat()
    {
        // Until the clock has moved on at least twice (no wall-clock budget: a busy machine may pause the loop anywhere).
        var ids = new List<string> { ImportIds.NewLeadId() };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var moves = 0; ids.Count < 1000 || moves < 2;)
        {
            Assert.True(DateTime.UtcNow < deadline, "The lead ids' time never moved on.");
            ids.Add(ImportIds.NewLeadId());
            moves += ids[^1].AsSpan(0, 17).SequenceEqual(ids[^2].AsSpan(0, 17)) ? 0 : 1;
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1][..17], ids[i][..17]) <= 0, $"{ids[i - 1]} then {ids[i]}");
        }

        Assert.NotEqual(ids[0][..17], ids[^1][..17]);
    }

    [Fact]
    public void A_lead_id_carries_128_random_bits_after_its_time()
    {
        var a = ImportIds.NewLeadId();
        var b = ImportIds.NewLeadId();

        Assert.Matches("^lead_[0-9a-f]{12}[A-Za-z0-9_-]{22}$", a);
        Assert.NotEqual(a[17..], b[17..]);
    }
}
