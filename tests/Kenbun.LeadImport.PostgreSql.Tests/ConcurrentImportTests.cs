using System.Text.Json.Nodes;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>
/// Two jobs of one OU at the same time, on two hosts, never give an identifier to two leads (CONTRACT §5), and the
/// leads they leave are what applying both files' rows one by one gives, in some order that keeps each file's own order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentImportTests(PostgresServer server)
{
    /// <remarks>
    /// When two jobs race, which job creates a lead both files name, which lead an alias goes to when the files give it
    /// to different people, and which file's value a field ends with depend on who commits first. What does not: the
    /// leads (one per valid email), the identifiers owned (every valid email, and every valid alias named beside one),
    /// each job's failed rows (a row's own property), the created count across both jobs, and, from the final owners,
    /// each job's warnings. The rest is held to the bounds every one-by-one order keeps: an alias goes to the lead of
    /// the first row naming it in one of the files, a field ends with the last value one of the files gives it.
    /// </remarks>
    [Fact]
    public async Task Two_hosts_importing_overlapping_files_into_one_OU_at_once_end_as_some_one_by_one_order_of_their_rows()
    {
        var database = await server.CreateDatabaseAsync();
        // 6,000 people in both files, in random order, many in several rows; one in eight shares a switchboard phone.
        var fileA = LeadFile.Generate(seed: 21, rows: 25_000, firstPerson: 0, lastPerson: 13_000);
        var fileB = LeadFile.Generate(seed: 22, rows: 25_000, firstPerson: 7_000, lastPerson: 20_000);
        JsonNode jobA, jobB;
        using (var hosts = await SampleHosts.StartAsync(2, database, storage: "PostgreSql"))
        {
            // Both previews first, then both starts at once: each host's one worker takes one of the jobs.
            var previews = await Task.WhenAll(hosts[0].Client.PreviewAsync(fileA.Csv, fileA.Rows.Count), hosts[1].Client.PreviewAsync(fileB.Csv, fileB.Rows.Count));
            var ids = await Task.WhenAll(
                hosts[0].Client.StartAcceptedAsync(previews[0]["file_id"]!.ToString(), LeadFile.Settings),
                hosts[1].Client.StartAcceptedAsync(previews[1]["file_id"]!.ToString(), LeadFile.Settings));
            (jobA, jobB) = (await hosts[0].Client.WaitForCompletionAsync(ids[0]), await hosts[1].Client.WaitForCompletionAsync(ids[1]));
        }

        Assert.All(new[] { jobA, jobB }, job => Assert.True(job["status"]!.ToString() == "completed", job.ToJsonString()));

        // They ran at the same time.
        Assert.True(
            Time(jobA, "started_at") < Time(jobB, "completed_at") && Time(jobB, "started_at") < Time(jobA, "completed_at"),
            $"The jobs did not overlap: {jobA.ToJsonString()} {jobB.ToJsonString()}");

        // What every order gives.
        var model = LeadModel.Of(fileA, fileB);
        Assert.Equal(StoredLeads.Sorted(model.Identifiers), StoredLeads.Sorted(LeadModel.Of(fileB, fileA).Identifiers));
        var stored = await StoredLeads.ReadAsync(database);
        Assert.Equal(model.Leads.Keys.Order(StringComparer.Ordinal), stored.Select(lead => lead.Email).Order(StringComparer.Ordinal));
        Assert.Equal(StoredLeads.Sorted(model.Identifiers), StoredLeads.Sorted(stored.SelectMany(lead => lead.Identifiers)));
        foreach (var (job, file) in new[] { (jobA, fileA), (jobB, fileB) })
        {
            var alone = new LeadModel().Apply(file);
            Assert.Equal((alone.Rows, alone.Rows, alone.Failed, 0L), ((long)job["total_rows"]!, (long)job["processed_rows"]!, (long)job["failed_count"]!, (long)job["skipped_count"]!));
            Assert.Equal(alone.Rows, (long)job["created_count"]! + (long)job["updated_count"]! + (long)job["failed_count"]! + (long)job["skipped_count"]!);
            Assert.Equal(alone.Errors, await StoredLeads.ErrorsAsync(database, job["job_id"]!.ToString()));
            Assert.Equal((long)job["created_count"]!, stored.Count(lead => lead.CreatedBy == job["job_id"]!.ToString()));
        }

        Assert.Equal(stored.Count, (long)jobA["created_count"]! + (long)jobB["created_count"]!);

        // What depends on the order, within what some one-by-one order gives.
        var (factsA, factsB) = (new FileFacts(fileA, jobA), new FileFacts(fileB, jobB));
        var owners = new Dictionary<Identifier, string>();
        foreach (var lead in stored)
        {
            var naming = new[] { factsA, factsB }.Where(facts => facts.Names(lead.Email)).Select(facts => facts.JobId).ToList();
            Assert.Contains(lead.CreatedBy, naming);
            Assert.Contains(lead.UpdatedBy, naming);
            foreach (var alias in lead.Identifiers.Where(identifier => identifier.Kind != IdentifierKind.Email))
            {
                Assert.Contains(lead.Email, new[] { factsA.FirstToName(alias), factsB.FirstToName(alias) });
                owners.Add(alias, lead.Email);
            }

            foreach (var field in new[] { "first_name", "last_name", "company" })
            {
                var candidates = new[] { factsA.LastValue(lead.Email, field), factsB.LastValue(lead.Email, field) };
                Assert.Contains(lead.Fields.GetValueOrDefault(field), candidates.Where(value => value is not null).DefaultIfEmpty(null));
            }
        }

        Assert.Equal(factsA.Warnings(owners), (long)jobA["warning_count"]!);
        Assert.Equal(factsB.Warnings(owners), (long)jobB["warning_count"]!);
    }

    private static DateTimeOffset Time(JsonNode job, string property) => DateTimeOffset.Parse(job[property]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What one file says, whatever the other does: who names an alias first, which value a field gets last.</summary>
    private sealed class FileFacts
    {
        private readonly LeadFile _file;
        private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
        private readonly Dictionary<Identifier, string> _firstToName = [];
        private readonly Dictionary<(string Email, string Field), string> _lastValue = [];

        public FileFacts(LeadFile file, JsonNode job)
        {
            _file = file;
            JobId = job["job_id"]!.ToString();
            foreach (var row in file.Rows.Where(row => row.Email is not null))
            {
                _emails.Add(row.Email!);
                foreach (var alias in row.Aliases)
                {
                    _firstToName.TryAdd(alias, row.Email!);
                }

                foreach (var (field, value) in row.Fields)
                {
                    _lastValue[(row.Email!, field)] = value;
                }
            }
        }

        public string JobId { get; }

        public bool Names(string email) => _emails.Contains(email);

        public string? FirstToName(Identifier alias) => _firstToName.GetValueOrDefault(alias);

        public string? LastValue(string email, string field) => _lastValue.GetValueOrDefault((email, field));

        /// <summary>The job's warnings, given where the aliases went: an invalid alias, or one that another lead owns.</summary>
        public long Warnings(Dictionary<Identifier, string> owners) =>
            _file.Rows.Where(row => row.Email is not null).Sum(row => row.InvalidAliases + row.Aliases.Count(alias => owners[alias] != row.Email));
    }
}
