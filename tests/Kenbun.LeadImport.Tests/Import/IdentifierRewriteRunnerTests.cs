using Kenbun.LeadImport.Hosting;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
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
                s.AddSingleton(new IdentifierRewrite(102, "second", k => { ran.Add(102); return null; }));
                s.AddSingleton(new IdentifierRewrite(101, "cookies in upper case", k => { ran.Add(101); return k.Kind == IdentifierKind.Cookie ? k.Value.ToUpperInvariant() : null; }));
            });
        await harness.StartAsync("Email,Cookie\nann@x.com,abc\nbob@x.com,def\n", ImportHost.ByEmail(aliases: new Dictionary<string, string?> { ["Cookie"] = "_alias_cookie" }));
        await harness.RunNextJobAsync();
        var hosted = harness.Services.GetServices<IHostedService>().ToList();

        await hosted.OfType<IdentifierRewriteRunner>().Single().StartAsync(CancellationToken.None);

        Assert.True(hosted.FindIndex(h => h is IdentifierRewriteRunner) < hosted.FindIndex(h => h is JobWorker));
        Assert.Equal([101, 101, 101, 101, 102, 102, 102, 102], ran);
        Assert.NotNull(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Cookie, "ABC"), CancellationToken.None));
        Assert.Null(await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Cookie, "abc"), CancellationToken.None));
    }

    [Fact]
    public async Task Social_profiles_stored_under_the_earlier_rules_are_normalised_again_and_the_older_lead_keeps_a_value_two_then_claim()
    {
        using var harness = new ImportHarness(o => o.BatchSize = 1);
        await harness.StartAsync(
            "Email,Social\nann@x.com,linkedin.com/in/ann-seed\nbob@x.com,linkedin.com/in/x\ncy@x.com,x.com/cy-seed\n",
            ImportHost.ByEmail(aliases: new Dictionary<string, string?> { ["Social"] = "_alias_social" }));
        await harness.RunNextJobAsync();
        var runner = harness.Services.GetServices<IHostedService>().OfType<IdentifierRewriteRunner>().Single();

        // What the earlier rules stored, put in place by a rewrite of its own (imports now store the new form).
        var earlier = new Dictionary<string, string> { ["linkedin.com/in/ann-seed"] = "uk.linkedin.com/in/x", ["x.com/cy-seed"] = "twitter.com/cy" };
        await runner.RunAsync(new IdentifierRewrite(0, "the earlier rules", k => earlier.GetValueOrDefault(k.Value)), CancellationToken.None);
        Assert.Equal("bob@x.com", await EmailOfAsync(harness, "linkedin.com/in/x"));

        await runner.StartAsync(CancellationToken.None);

        Assert.Equal("ann@x.com", await EmailOfAsync(harness, "linkedin.com/in/x"));
        Assert.Equal("cy@x.com", await EmailOfAsync(harness, "x.com/cy"));
        Assert.Null(await EmailOfAsync(harness, "uk.linkedin.com/in/x"));
        Assert.Null(await EmailOfAsync(harness, "twitter.com/cy"));
        var bob = await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "bob@x.com"), CancellationToken.None);
        Assert.Equal([new IdentifierKey(IdentifierKind.Email, "bob@x.com")], bob?.Identifiers);
    }

    [Fact]
    public async Task Phones_stored_with_a_country_code_are_normalised_by_libphonenumber_and_digits_alone_stay_without_a_region()
    {
        using var harness = new ImportHarness(o => o.BatchSize = 1);
        await harness.StartAsync(
            "Email,Phone\nann@x.com,+1 415 555 0199\nbob@x.com,+44 20 7946 0000\ncy@x.com,415 555 0100\n",
            ImportHost.ByEmail(aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone" }));
        await harness.RunNextJobAsync();
        var runner = harness.Services.GetServices<IHostedService>().OfType<IdentifierRewriteRunner>().Single();

        // The earlier rules kept every digit after the +: ann's +44 (0)20 7946 0000 was stored +4402079460000.
        await runner.RunAsync(new IdentifierRewrite(0, "the earlier rules", k => k.Value == "+14155550199" ? "+4402079460000" : null), CancellationToken.None);

        await runner.StartAsync(CancellationToken.None);

        Assert.Equal("ann@x.com", await EmailOfPhoneAsync(harness, "+442079460000"));
        Assert.Null(await EmailOfPhoneAsync(harness, "+4402079460000"));
        Assert.Equal("cy@x.com", await EmailOfPhoneAsync(harness, "4155550100"));
        var bob = await harness.Leads.FindAsync(ImportHarness.Ou, new(IdentifierKind.Email, "bob@x.com"), CancellationToken.None);
        Assert.Equal([new IdentifierKey(IdentifierKind.Email, "bob@x.com")], bob?.Identifiers);
    }

    [Fact]
    public async Task Once_a_region_is_set_phones_stored_as_digits_alone_are_read_as_its_numbers()
    {
        using var harness = new ImportHarness(o => (o.BatchSize, o.DefaultPhoneRegion) = (1, "us"));
        await harness.StartAsync(
            "Email,Phone\nann@x.com,+1 415 555 0199\nbob@x.com,+1 415 555 0100\n",
            ImportHost.ByEmail(aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone" }));
        await harness.RunNextJobAsync();
        var runner = harness.Services.GetServices<IHostedService>().OfType<IdentifierRewriteRunner>().Single();

        // Imported before a region was set: ann's (415) 555-0100 was stored as its digits alone.
        await runner.RunAsync(new IdentifierRewrite(0, "no region then", k => k.Value == "+14155550199" ? "4155550100" : null), CancellationToken.None);

        await runner.StartAsync(CancellationToken.None);

        Assert.Equal("ann@x.com", await EmailOfPhoneAsync(harness, "+14155550100"));
        Assert.Null(await EmailOfPhoneAsync(harness, "4155550100"));
    }

    private static Task<string?> EmailOfAsync(ImportHarness harness, string social) => EmailOfAsync(harness, new IdentifierKey(IdentifierKind.Social, social));

    private static Task<string?> EmailOfPhoneAsync(ImportHarness harness, string phone) => EmailOfAsync(harness, new IdentifierKey(IdentifierKind.Phone, phone));

    private static async Task<string?> EmailOfAsync(ImportHarness harness, IdentifierKey identifier)
    {
        var lead = await harness.Leads.FindAsync(ImportHarness.Ou, identifier, CancellationToken.None);
        return lead?.Identifiers.FirstOrDefault(k => k.Kind == IdentifierKind.Email).Value;
    }

    [Fact]
    public async Task Two_rewrites_of_one_version_stop_the_host_naming_both()
    {
        using var harness = new ImportHarness(services: s =>
        {
            s.AddSingleton(new IdentifierRewrite(7, "first", _ => null));
            s.AddSingleton(new IdentifierRewrite(7, "second", _ => null));
        });
        var runner = harness.Services.GetServices<IHostedService>().OfType<IdentifierRewriteRunner>().Single();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.StartAsync(CancellationToken.None));

        Assert.Contains("\"first\" and \"second\" share version 7", error.Message, StringComparison.Ordinal);
    }
}
