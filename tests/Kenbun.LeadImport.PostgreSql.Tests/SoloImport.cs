using System.Text.Json.Nodes;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// A generated file imported alone into an empty OU, and what that must leave, whatever happened on the way: its job's
/// counters and errors, and exactly the leads of a <see cref="LeadModel"/> that applied its rows one by one.
/// </summary>
internal sealed class SoloImport
{
    private SoloImport(LeadFile file)
    {
        File = file;
        Totals = Model.Apply(file);
    }

    public LeadFile File { get; }

    public LeadModel Model { get; } = new();

    public ModelTotals Totals { get; }

    /// <summary>A file of <paramref name="rows"/> rows naming <paramref name="people"/> people (see <see cref="LeadFile.Generate"/>).</summary>
    public static SoloImport Generate(int seed, int rows, int people) => new(LeadFile.Generate(seed, rows, firstPerson: 0, lastPerson: people));

    /// <summary>Previews and starts the file through <paramref name="client"/>; returns the job id.</summary>
    public Task<string> StartAsync(HttpClient client) => client.StartImportAsync(File.Csv, Totals.Rows, LeadFile.Settings);

    /// <summary>
    /// Asserts that the job is <c>completed</c> with exactly the model's counters, that the database holds exactly its
    /// errors (no row lost or recorded twice), and exactly the model's leads, fields and identifiers (no row applied twice).
    /// </summary>
    public async Task AssertImportedAsync(string database, JsonNode job)
    {
        Totals.AssertCompleted(job);
        Assert.Equal(Totals.Errors, await StoredLeads.ErrorsAsync(database, job["job_id"]!.ToString()));
        StoredLeads.AssertEqual(Model, await StoredLeads.ReadAsync(database));
    }
}
