namespace Kenbun.LeadImport.Tests.Import;

/// <summary>Ids are unguessable (brief: security); lead ids also sort by creation time, which database indexes rely on.</summary>
public sealed class ImportIdsTests
{
    [Fact]
    public void Lead_ids_made_later_sort_after_earlier_ones_and_never_repeat()
    {
        var ids = new List<string>();
        var until = DateTimeOffset.UtcNow.AddMilliseconds(5);
        while (DateTimeOffset.UtcNow < until || ids.Count < 1000)
        {
            ids.Add(ImportIds.NewLeadId());
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
