using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>Registered identifier rewrites run while the host starts, before the job worker, to the end.</summary>
public class IdentifierRewriteRunnerTests
{
    [Fact]
    public async Task Registered_rewrites_run_to_the_end_in_version_order_before_the_worker_starts()
    {
        var ran = new List<int>();
        using var harness = new ImportHarness(
            o => o.BatchSize = 1,
            services: s =>
            {
                s.AddSingleton(new IdentifierRewrite(2, "second", k => { ran.Add(2); return null; }));
                s.AddSingleton(new IdentifierRewrite(1, "cookies in upper case", k => { ran.Add(1); return k.Kind == IdentifierKind.Cookie ? k.Value.ToUpperInvariant() : null; }));
            });
        await harness.StartAsync("Email,Cookie\nann@x.com,abc\nbob@x.com,def\n", ImportHost.ByEmail(aliases: new Dictionary<string, string?> { ["Cookie"] = "_alias_cookie" }));
        await harness.RunNextJobAsync();
        var hosted = harness.Services.GetServices<IHostedService>().ToList();

        await hosted.OfType<IdentifierRewriteRunner>().Single().StartAsync(CancellationToken.None);

        Assert.True(hosted.FindIndex(h => h is IdentifierRewriteRunner) < hosted.FindIndex(h => h is JobWorker));
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2], ran);
        Assert.NotNull(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Cookie, "ABC"), CancellationToken.None));
        Assert.Null(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Cookie, "abc"), CancellationToken.None));
    }
}
