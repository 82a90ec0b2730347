using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Import;

public class ImportSmokeTests
{
    [Fact]
    public async Task The_api_example_imports_with_dedup_and_errors()
    {
        await using var host = await ImportHost.StartAsync();
        var csv = "Email,First Name,Company,Phone\n" +
                  "jane@example.com,Jane,Example Inc,+1-555-0100\n" +
                  "not-an-email,John,Acme,\n" +
                  ",Nobody,,\n" +
                  "JANE@example.com ,Janet,,+1-555-0200\n";

        var job = await host.ImportAsync(csv, ImportHost.ByEmail(
            fields: new Dictionary<string, string?> { ["First Name"] = "first_name", ["Company"] = "company" },
            aliases: new Dictionary<string, string?> { ["Phone"] = "_alias_phone" }));

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(Created: 1, Updated: 1, Failed: 2, Skipped: 0), job.Counters);
        Assert.Equal(4, job.TotalRows);
        Assert.Equal([(2L, "Invalid email format", "not-an-email"), (3L, "Missing required identifier", "")], job.Errors.Select(e => (e.Row, e.Error, e.Value)));
        var lead = await host.FindLeadAsync(IdentifierKind.Email, "jane@example.com");
        Assert.NotNull(lead);
        Assert.Equal("Janet", lead.Fields["first_name"]);
        Assert.Equal("Example Inc", lead.Fields["company"]);
        Assert.Equal(3, lead.Identifiers.Count);
        Assert.Equal(job.JobId, lead.CreatedByJobId);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.CompletedAt);
    }

    [Fact]
    public async Task A_large_file_imports_in_many_batches()
    {
        await using var host = await ImportHost.StartAsync(o => o.BatchSize = 100);
        var rows = Enumerable.Range(0, 5000).Select(i => $"user{i % 4000}@x.com,Name{i}");

        var job = await host.ImportAsync("Email,First Name\n" + string.Join("\n", rows), ImportHost.ByEmail(
            fields: new Dictionary<string, string?> { ["First Name"] = "first_name" }));

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new JobCounters(4000, 1000, 0, 0), job.Counters);
        Assert.Equal("Name4999", (await host.FindLeadAsync(IdentifierKind.Email, "user999@x.com"))!.Fields["first_name"]);
        Assert.Equal(4000, (await host.AllLeadsAsync()).Count);
    }
}
