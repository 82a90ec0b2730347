using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;
using static Kenbun.LeadImport.Testing.StoreTestData;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A commit copies its claimed identifiers and new leads in with binary <c>COPY</c>: claims as plain rows under a
/// savepoint, and when one of them is owned already the copy fails, is undone, and the claim is made again with
/// <c>ON CONFLICT DO NOTHING</c> to find the conflicts. These batches are larger than the driver's write buffer, so
/// the copies fail part-way through what they sent.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlCopyTests(PostgresServer server) : StorageTests
{
    private const int BatchLeads = 3000;

    [Fact]
    public async Task A_large_batch_whose_last_claim_is_owned_by_another_lead_applies_nothing_and_commits_once_decided_again()
    {
        var first = await StartAsync(Ou);
        var owner = NewLead(Fields(("first_name", "Zed")), Email("zz-owner@x.com"));
        await CommitAsync(first, [owner], created: 1);
        var job = await StartAsync(Ou);
        var leads = ManyLeads("a");
        var late = NewLead(Fields(("first_name", "Zoe")), Email("zoe@x.com"), Email("zz-owner@x.com"));

        var result = await CommitAsync(job, [.. leads, late], created: BatchLeads + 1);

        Assert.Equal(BatchCommitStatus.Conflict, result.Status);
        Assert.Equal([Email("zz-owner@x.com")], result.Conflicts);
        Assert.Equal(1, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
        Assert.Null(await Leads.FindAsync(Ou, leads[0].NewIdentifiers.First(), None));
        Assert.Null(await Leads.FindAsync(Ou, leads[^1].NewIdentifiers.Last(), None));
        Assert.Null(await Leads.FindAsync(Ou, Email("zoe@x.com"), None));
        Assert.Equal(owner.LeadId, (await Leads.FindAsync(Ou, Email("zz-owner@x.com"), None))?.LeadId);

        late.NewIdentifiers.Remove(Email("zz-owner@x.com"));
        var decidedAgain = await CommitAsync(job, [.. leads, late], created: BatchLeads + 1);

        Assert.Equal(BatchCommitStatus.Committed, decidedAgain.Status);
        Assert.Equal(BatchLeads + 2, (await Leads.ListAsync(Ou, 1, 10, None)).Total);
        foreach (var lead in new[] { leads[0], leads[BatchLeads / 2], leads[^1], late })
        {
            var found = await Leads.FindAsync(Ou, lead.NewIdentifiers.Last(), None);
            Assert.Equal(lead.LeadId, found?.LeadId);
            Assert.Equal(lead.NewIdentifiers.OrderBy(i => i.Kind), found!.Identifiers.OrderBy(i => i.Kind));
            Assert.Equal(lead.Fields.OrderBy(f => f.Key), found.Fields.OrderBy(f => f.Key));
            Assert.Equal(job.JobId, found.CreatedByJobId);
        }
    }

    [Fact]
    public async Task Large_batches_claiming_overlapping_identifiers_at_once_never_deadlock_and_one_of_them_conflicts()
    {
        for (var round = 0; round < 3; round++)
        {
            var ou = $"ou-race-{round}";
            var left = await StartAsync(ou);
            var right = await StartAsync(ou);
            var leftLeads = ManyLeads("m", from: 0);
            var rightLeads = ManyLeads("m", from: BatchLeads / 2);

            var results = await Task.WhenAll(
                Task.Run(() => CommitAsync(left, leftLeads, created: BatchLeads)),
                Task.Run(() => CommitAsync(right, rightLeads, created: BatchLeads)));

            var lost = Assert.Single(results, r => r.Status == BatchCommitStatus.Conflict);
            Assert.Single(results, r => r.Status == BatchCommitStatus.Committed);
            var leftWon = results[0].Status == BatchCommitStatus.Committed;
            var shared = leftLeads.Skip(BatchLeads / 2).SelectMany(l => l.NewIdentifiers);
            Assert.Equal(shared.OrderBy(i => i.Kind).ThenBy(i => i.Value, StringComparer.Ordinal), lost.Conflicts.OrderBy(i => i.Kind).ThenBy(i => i.Value, StringComparer.Ordinal));
            Assert.Equal(BatchLeads, (await Leads.ListAsync(ou, 1, 1, None)).Total);
            Assert.Equal(leftWon ? leftLeads[0].LeadId : null, (await Leads.FindAsync(ou, Email("m00000@x.com"), None))?.LeadId);
            Assert.Equal(leftWon ? null : rightLeads[^1].LeadId, (await Leads.FindAsync(ou, Email($"m{(BatchLeads * 3 / 2) - 1:D5}@x.com"), None))?.LeadId);
        }
    }

    [Fact]
    public async Task Identifiers_and_fields_with_tabs_line_breaks_backslashes_quotes_and_non_ascii_text_are_stored_as_they_are()
    {
        var job = await StartAsync(Ou);
        IdentifierKey[] identifiers =
        [
            Email("zoë.ñúñez@例え.jp"),
            new(IdentifierKind.ExternalId, "a\tb\\N\nc\r\\.\\\\ d"),
            new(IdentifierKind.Social, "linkedin.com/in/o'brien-\"quoted\"-🙂"),
        ];
        var fields = Fields(("notes", "line 1\r\nline 2\t\\N \\. \"end\" \\u0000"), ("first_name", "Zoë 日本 🙂"), ("company", ""));
        var lead = NewLead(fields, identifiers);

        Assert.Equal(BatchCommitStatus.Committed, (await CommitAsync(job, [lead, .. ManyLeads("b")], created: BatchLeads + 1)).Status);

        foreach (var identifier in identifiers)
        {
            var found = await Leads.FindAsync(Ou, identifier, None);
            Assert.Equal(lead.LeadId, found?.LeadId);
            Assert.Equal(identifiers, found!.Identifiers);
            Assert.Equal(fields.OrderBy(f => f.Key), found.Fields.OrderBy(f => f.Key));
        }

        var owners = new Dictionary<IdentifierKey, string>();
        await Leads.LookupAsync(Ou, identifiers, owners, None);
        Assert.All(identifiers, identifier => Assert.Equal(lead.LeadId, owners[identifier]));
    }

    protected override Task<LeadImportStorage> CreateStorage(TimeProvider timeProvider) => Task.FromResult<LeadImportStorage>(server.Storage(timeProvider));

    /// <summary>
    /// <see cref="BatchLeads"/> new leads, each with an email and a phone and a long field, numbered on from
    /// <paramref name="from"/>: the same numbers make the same identifiers.
    /// </summary>
    private static List<LeadChange> ManyLeads(string prefix, int from = 0) =>
        [
            .. Enumerable.Range(from, BatchLeads).Select(i => NewLead(
                Fields(("first_name", $"Lead {i}"), ("notes", new string('x', 200))), Email($"{prefix}{i:D5}@x.com"), Phone($"+1555{i:D7}"))),
        ];
}
