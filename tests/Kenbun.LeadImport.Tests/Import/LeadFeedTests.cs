using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>The lead feed through real imports: what an import changes comes out once, in order; a dry run changes nothing.</summary>
public class LeadFeedTests : IDisposable
{
    private readonly ImportHarness _harness = new(o => o.BatchSize = 2);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Imports_come_out_of_the_feed_in_commit_order_and_a_dry_run_adds_nothing()
    {
        await _harness.StartAsync("Email,First Name\nann@x.com,Ann\nbob@x.com,Bob\ncy@x.com,Cy\n", ImportHost.ByEmail(fields: FirstName));
        await _harness.RunNextJobAsync();
        var first = await _harness.Leads.ReadFeedAsync(ImportHarness.Ou, default, 100, CancellationToken.None);

        await _harness.StartAsync("Email,First Name\nbob@x.com,Robert\n", ImportHost.ByEmail(fields: FirstName));
        await _harness.RunNextJobAsync();
        await _harness.StartAsync("Email,First Name\nann@x.com,Annie\n", ImportHost.ByEmail(fields: FirstName, dryRun: true));
        await _harness.RunNextJobAsync();
        var next = await _harness.Leads.ReadFeedAsync(ImportHarness.Ou, first.Next, 100, CancellationToken.None);

        Assert.Equal(["Ann", "Bob", "Cy"], first.Leads.Select(l => l.Fields["first_name"]));
        Assert.Equal(["Robert"], next.Leads.Select(l => l.Fields["first_name"]));
        Assert.True(next.Next.IsAfter(first.Next));
    }

    private static Dictionary<string, string?> FirstName => new() { ["First Name"] = "first_name" };
}
