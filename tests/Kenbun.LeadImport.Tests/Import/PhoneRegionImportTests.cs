using System.Text;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// Phones written the ways people write them find one lead once a phone region is known (CONTRACT §3, §4); with no
/// region, numbers without a country code are their digits alone, as documented in docs/concepts.md.
/// </summary>
public class PhoneRegionImportTests
{
    private static readonly string[] People = ["415 555 0100", "212 555 0199", "646 555 0123"];

    /// <summary>Each person's number in five styles: <c>+1</c> with parentheses, dots, a <c>1-</c> trunk prefix, parentheses, bare digits.</summary>
    private static readonly Func<string, string, string, string>[] Styles =
    [
        (area, exchange, line) => $"+1 ({area}) {exchange}-{line}",
        (area, exchange, line) => $"{area}.{exchange}.{line}",
        (area, exchange, line) => $"1-{area}-{exchange}-{line}",
        (area, exchange, line) => $"({area}) {exchange}-{line}",
        (area, exchange, line) => $"{area}{exchange}{line}",
    ];

    private static readonly StartImportRequest ByPhone = new() { PrimaryIdentifier = new PrimaryIdentifierRequest("Phone", "phone") };

    [Fact]
    public async Task Five_styles_of_one_number_are_one_lead_with_the_US_as_the_hosts_region()
    {
        await using var host = await ImportHost.StartAsync(o => o.DefaultPhoneRegion = "US");

        var job = await host.ImportAsync(FiveStylesFile(), ByPhone);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(Created: 3, Updated: 12, Failed: 0, Skipped: 0), job.Counters);
        var leads = await host.AllLeadsAsync();
        Assert.Equal(
            ["+12125550199", "+14155550100", "+16465550123"],
            leads.Select(l => Assert.Single(l.Identifiers).Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_start_request_may_name_the_region_the_host_did_not()
    {
        await using var host = await ImportHost.StartAsync();

        var job = await host.ImportAsync(FiveStylesFile(), ByPhone with { DefaultPhoneRegion = "us" });

        Assert.Equal("US", job.Settings.DefaultPhoneRegion);
        Assert.Equal(new JobCounters(Created: 3, Updated: 12, Failed: 0, Skipped: 0), job.Counters);
    }

    [Fact]
    public async Task Without_a_region_numbers_without_a_country_code_match_by_their_digits_alone()
    {
        await using var host = await ImportHost.StartAsync();

        var job = await host.ImportAsync(FiveStylesFile(), ByPhone);

        // Per person: +1… is E.164; 415.555.0100, (415) 555-0100 and 4155550100 are one digit string; 1-415-… is another.
        Assert.Equal(new JobCounters(Created: 9, Updated: 6, Failed: 0, Skipped: 0), job.Counters);
        Assert.NotNull(await host.FindLeadAsync(IdentifierKind.Phone, "+14155550100"));
        Assert.NotNull(await host.FindLeadAsync(IdentifierKind.Phone, "4155550100"));
        Assert.NotNull(await host.FindLeadAsync(IdentifierKind.Phone, "14155550100"));
    }

    [Fact]
    public async Task A_number_impossible_in_the_region_fails_its_row_as_an_invalid_phone()
    {
        await using var host = await ImportHost.StartAsync(o => o.DefaultPhoneRegion = "US");

        var job = await host.ImportAsync("Phone\n(415) 555-0100\n555-01\n", ByPhone);

        Assert.Equal(new JobCounters(Created: 1, Updated: 0, Failed: 1, Skipped: 0), job.Counters);
        var error = Assert.Single(job.Errors);
        Assert.Equal((2L, "Invalid phone format", "555-01"), (error.Row, error.Error, error.Value));
    }

    private static string FiveStylesFile()
    {
        var csv = new StringBuilder("Phone\n");
        foreach (var style in Styles)
        {
            foreach (var person in People)
            {
                var parts = person.Split(' ');
                csv.Append('"').Append(style(parts[0], parts[1], parts[2])).Append("\"\n");
            }
        }

        return csv.ToString();
    }
}
