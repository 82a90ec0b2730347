using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Jobs;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Start;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>
/// The engine's central promise (contract §5): however it batches and pipelines, the outcome — leads with their fields,
/// identifiers and jobs, every counter, error and warning — equals applying the rows one by one in file order.
/// Any initial leads, rows, batch size and mode are imported by a started host and compared with
/// <see cref="EngineModelReference"/>, which applies the contract's rules row by row and shares no code with the engine.
/// The second property runs the same model on <see cref="EngineModelChaosStorage"/>, whose delays reorder when the
/// pipeline's look-ups and commits complete, and whose outages (lost answers among them) and short runs of refused
/// batches the engine must retry without a trace.
/// A failing case prints its settings, the leads before it and its file, shrunk to fewer records, leads and a smaller batch.
/// </summary>
public class EngineModelProperties
{
    private const string SeedJobId = "job_seed";
    private const int ErrorPageSize = 7;

    private static readonly string[] Emails = ["ann@x.com", "bob@x.com", "cy@y.org", "dee@y.org", "eve@z.net", "abcdefgh@xyz.com"];

    /// <summary>Normalised phone numbers the phone cells below write in several ways.</summary>
    private static readonly string[] Phones = ["+15550100", "5550101", "+445550102", "5550103"];

    private static readonly string[] ExternalIds = ["A1", "a1", "crm-7", "=A1"];

    /// <summary>Cells over 256 characters, which errors and warnings report cut (one would be cut inside a surrogate pair).</summary>
    private static readonly string[] Huge = [new string('a', 250) + "@x.com", "a" + string.Concat(Enumerable.Repeat("😀", 150)), new string('x', 300)];

    /// <summary>Every identifier a cell below can normalise to (besides <see cref="Emails"/> and <see cref="Phones"/>'s own).</summary>
    private static readonly (string Kind, string Value)[] IdentifierPool =
    [
        .. Emails.Select(e => ("email", e)), ("email", "=ann@x.com"), ("email", "'ann@x.com"), ("email", "-bob@x.com"),
        .. Phones.Select(p => ("phone", p)), ("email", "rené@x.com"),
        .. ExternalIds.Select(e => ("external_id", e)),
    ];

    private static readonly Gen<string> Blank = Gen.Elements(string.Empty, string.Empty, string.Empty, " ", "  ", "\u00a0", "\u2003");

    private static readonly Gen<string> EmailCell = Gen.Frequency(
        (10, from email in Gen.Elements(Emails)
             from look in Gen.Elements<Func<string, string>>(e => e, e => e.ToUpperInvariant(), e => char.ToUpperInvariant(e[0]) + e[1..], e => $" {e} ", e => $"{e}  ")
             select look(email)),
        (3, Gen.Elements("ann@", "@x.com", "a b@x.com", "ann@x..com", "ann@@x.com", "annx.com", "ann@xcom", "ann@.x.com", "ann@x.com.", "'5550101")),
        (3, Blank),
        (2, Gen.Elements("'=ann@x.com", "=ANN@x.com", "'@x.com", "'ann@x.com", " '-bob@x.com ", "-bob@x.com")),
        (1, Gen.Elements("René@x.com", "Rene\u0301@x.com", "rene\u0301@x.com ")),
        (1, Gen.Elements("abcdefghi@xyz.com", "  abcdefghi@xyz.com  ", "averyveryverylongname@example.com", "'=abcdefgh@xyz.com", Huge[0], Huge[1])));

    private static readonly Gen<string> PhoneCell = Gen.Frequency(
        (10, Gen.Elements("+1 555 0100", "+1-555-0100", "+1 (555) 0100", "+15550100", "555-0101", "555.0101", "5550101", "+44 555 0102", " 555 0103 ", "(555) 0103", "555/0103")),
        (3, Gen.Elements("555", "1+5550100", "555-0100x", "+1234567890123456", "+ 1", "++15550100", "phone", "'5550101", "ann@x.com")),
        (3, Blank),
        (2, Gen.Elements("'+1 555 0100", "'-5550101", "'+44 555 0102", "-555-0103")),
        (1, Gen.Elements("+1 (555) 555-0100 22", "  +1 555 555 0100 22 ", "'+1 (555) 555 0100")));

    private static readonly Gen<string> ExternalIdCell = Gen.Frequency(
        (10, Gen.Elements("A1", "a1", " A1 ", "crm-7", "CRM-7", "=A1", "x y")),
        (3, Blank),
        (2, Gen.Elements("'=A1", "'A1", "'-7", "'")),
        (1, Gen.Elements("CRM-000000000042x", " 0123456789abcdef ", new string('e', 257), Huge[1])));

    private static readonly Gen<string> NameCell = Gen.Frequency(
        (3, Blank),
        (6, Gen.Elements("Ann", " Bob ", "Cy Young", "Dée", "Multi\nLine", "Say \"hi\"", "Comma, Inc", "exactly16chars!!")),
        (2, Gen.Elements("'=SUM(A1)", "'Cy", "'", "'-", "-5", "'@home", "@home")),
        (1, Gen.Elements("Rene\u0301e", "Renée", "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301")),
        (1, Gen.Elements("Bartholomew Smithson", " a name of seventeen ", Huge[1], Huge[2])));

    private static readonly Gen<string> NoteCell = Gen.Frequency(
        (3, Blank),
        (2, Gen.Elements("note", "a note much longer than any maximum cell length here", "'=1+1", "x@y")));

    private static readonly Gen<string> ExtraCell = Gen.Frequency((6, Blank), (1, Gen.Elements("x", " extra ", "'=oops", Huge[1])));

    public static Gen<EngineModelCase> Cases =>
        from columns in Columns
        from records in Record(columns).ListOf().Select(r => r.Take(60).ToList())
        from seeds in Seeds
        from batchSize in Gen.Frequency((3, Gen.Choose(1, 4)), (2, Gen.Choose(5, 16)), (1, Gen.Choose(17, 64)))
        from mode in Gen.Frequency((3, Gen.Constant("upsert")), (1, Gen.Constant("create_only")), (1, Gen.Constant("update_only")))
        from dryRun in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from maxCellLength in Gen.Frequency((4, Gen.Constant(16)), (1, Gen.Constant(10_000)))
        from maxInDetail in Gen.Frequency((4, Gen.Constant(10_000)), (1, Gen.Choose(0, 3)))
        from chaosSeed in Gen.Choose(0, int.MaxValue)
        select new EngineModelCase(columns, records, seeds, batchSize, mode, dryRun, maxCellLength, maxInDetail, chaosSeed);

    /// <summary>The primary identifier (email or phone), a name field, maybe a company field, alias columns and an unmapped column, in any order.</summary>
    private static Gen<IReadOnlyList<ModelColumn>> Columns =>
        from primary in Gen.Frequency(
            (6, Gen.Constant(new ModelColumn("Email", ModelColumnRole.Primary, "email"))),
            (2, Gen.Constant(new ModelColumn("Phone", ModelColumnRole.Primary, "phone"))),
            (1, Gen.Constant(new ModelColumn("CRM Id", ModelColumnRole.Primary, "external_id"))))
        from company in Gen.Elements(true, false)
        from mobile in Gen.Frequency((7, Gen.Constant(true)), (3, Gen.Constant(false)))
        from workEmail in Gen.Elements(true, false)
        from externalId in Gen.Frequency((3, Gen.Constant(true)), (7, Gen.Constant(false)))
        from notes in Gen.Frequency((3, Gen.Constant(true)), (7, Gen.Constant(false)))
        let all = new[]
        {
            primary,
            new ModelColumn("Name", ModelColumnRole.Field, "first_name"),
            company ? new ModelColumn("Company", ModelColumnRole.Field, "company") : null,
            mobile ? new ModelColumn("Mobile", ModelColumnRole.Alias, "phone") : null,
            workEmail ? new ModelColumn("Work Email", ModelColumnRole.Alias, "email") : null,
            externalId ? new ModelColumn("Ext Id", ModelColumnRole.Alias, "external_id") : null,
            notes ? new ModelColumn("Notes", ModelColumnRole.Unmapped, string.Empty) : null,
        }
        from order in Gen.Shuffle(all.OfType<ModelColumn>().ToArray())
        select (IReadOnlyList<ModelColumn>)[.. order];

    /// <summary>Up to five leads owning disjoint identifiers of the pool, with or without fields.</summary>
    private static Gen<IReadOnlyList<ModelSeed>> Seeds =>
        from count in Gen.Choose(0, 5)
        from pool in Gen.Shuffle(IdentifierPool)
        from sizes in Gen.Choose(1, 3).ArrayOf(count)
        from fields in Gen.Elements(0, 1, 2, 3).ArrayOf(count)
        select (IReadOnlyList<ModelSeed>)[.. Enumerable.Range(0, count).Select(i => new ModelSeed(
            [.. pool.Skip(sizes.Take(i).Sum()).Take(sizes[i])],
            [.. new[] { ("first_name", $"Seed {i}"), ("company", "SeedCo") }.Where((_, f) => (fields[i] & (1 << f)) != 0)]))
            .Where(s => s.Identifiers.Count > 0)];

    /// <summary>A record: its cells by column, sometimes cut short, sometimes with trailing cells; now and then a blank record.</summary>
    private static Gen<string[]> Record(IReadOnlyList<ModelColumn> columns)
    {
        var cells = Gen.CollectToSequence(columns.Select(c => c.Role switch
        {
            ModelColumnRole.Primary or ModelColumnRole.Alias => c.Target switch { "email" => EmailCell, "phone" => PhoneCell, _ => ExternalIdCell },
            ModelColumnRole.Field => NameCell,
            _ => NoteCell,
        })).Select(c => c.ToArray());
        var shaped =
            from row in cells
            from shape in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(-1)), (2, Gen.Constant(1)))
            from cut in Gen.Choose(0, columns.Count - 1)
            from extra in ExtraCell.ArrayOf().Select(e => e.Take(3).ToArray())
            select shape switch
            {
                < 0 => row[..cut],
                > 0 => [.. row, .. extra],
                _ => row,
            };
        var blank = from count in Gen.Choose(0, columns.Count + 1) from cell in Blank.ArrayOf(count) select cell;
        return Gen.Frequency((12, shaped), (1, blank));
    }

    [Property(MaxTest = 200)]
    public Property Pipelined_engine_equals_row_by_row_application() =>
        Prop.ForAll(Arb.From<EngineModelCase>(Cases, Shrink), c => Run(c, chaos: false));

    [Property(MaxTest = 150)]
    public Property Engine_equals_reference_under_delays_reordering_and_transient_failures() =>
        Prop.ForAll(Arb.From<EngineModelCase>(Cases, Shrink), c => Run(c, chaos: true));

    /// <summary>Smaller cases: without a half or one of the records, without a seed, with a smaller batch size, as a real import.</summary>
    private static IEnumerable<EngineModelCase> Shrink(EngineModelCase c)
    {
        var records = c.Records;
        if (records.Count > 1)
        {
            yield return c with { Records = [.. records.Take(records.Count / 2)] };
            yield return c with { Records = [.. records.Skip(records.Count / 2)] };
        }

        for (var i = records.Count - 1; i >= 0; i--)
        {
            yield return c with { Records = [.. records.Where((_, j) => j != i)] };
        }

        for (var i = 0; i < c.Seeds.Count; i++)
        {
            yield return c with { Seeds = [.. c.Seeds.Where((_, j) => j != i)] };
        }

        if (c.BatchSize > 1)
        {
            yield return c with { BatchSize = c.BatchSize / 2 };
            yield return c with { BatchSize = c.BatchSize - 1 };
        }

        if (c.DryRun)
        {
            yield return c with { DryRun = false };
        }
    }

    private static void Run(EngineModelCase c, bool chaos) => Task.Run(() => RunAsync(c, chaos)).GetAwaiter().GetResult();

    private static async Task RunAsync(EngineModelCase c, bool chaos)
    {
        var expected = EngineModelReference.Apply(c.Columns, c.Records, c.Seeds, c.Mode, c.DryRun, c.MaxCellLength);

        await using var host = await ImportHost.StartAsync(
            o =>
            {
                o.BatchSize = c.BatchSize;
                o.MaxCellLength = c.MaxCellLength;
                o.MaxDetailItems = c.MaxDetailItems;
                o.BatchRetryCount = 3;
                o.StorageRetryDelay = TimeSpan.FromMilliseconds(1);
                o.StorageRetryMaxDelay = TimeSpan.FromMilliseconds(4);
            },
            services =>
            {
                services.AddLogging(logging => logging.ClearProviders());
                if (chaos)
                {
                    services.Replace(ServiceDescriptor.Singleton<LeadImportStorage>(
                        provider => new EngineModelChaosStorage(
                            new InMemoryStorage(provider.GetRequiredService<TimeProvider>()), c.ChaosSeed, maxFailuresInARow: 6, maxRefusalsInARow: 3)));
                }
            });

        var store = host.Storage switch
        {
            InMemoryStorage plain => plain,
            EngineModelChaosStorage { Inner: InMemoryStorage inner } => inner,
            var other => throw new InvalidOperationException($"Unexpected storage {other.GetType()}."),
        };
        for (var i = 0; i < c.Seeds.Count; i++)
        {
            var seed = c.Seeds[i];
            store.Seed(
                ImportHost.Ou,
                $"lead_seed_{i}",
                seed.Fields.ToDictionary(f => f.Field, f => f.Value),
                seed.Identifiers.Select(id => new IdentifierKey(KindOf(id.Kind), id.Value)),
                SeedJobId);
        }

        var job = await host.ImportAsync(c.Csv, c.Request);

        var errors = new List<RowError>();
        for (var page = 1; ; page++)
        {
            var listed = await host.Service.ListErrorsAsync(ImportHost.Ou, job.JobId, page, ErrorPageSize, CancellationToken.None);
            Assert.NotNull(listed);
            errors.AddRange(listed.Items);
            if (listed.Items.Count < ErrorPageSize)
            {
                break;
            }
        }

        var actual = new ModelOutcome(
            ModelOutcome.CountersOf(job.Counters.Created, job.Counters.Updated, job.Counters.Failed, job.Counters.Skipped),
            job.TotalRows,
            [.. errors.Select(e => ModelOutcome.Error(e.Row, e.Error, e.Value, e.Cells))],
            [.. job.Warnings.Select(w => ModelOutcome.Warning(w.Row, w.Warning, w.Value))],
            EngineModelReference.Sorted((await host.AllLeadsAsync()).Select(l => ModelOf(l, job.JobId))));

        var differences = new StringBuilder();
        Compare(differences, "status", JobStatus.Completed.ToApiName() + (job.FailureReason is null ? string.Empty : $" ({job.FailureReason})"), job.Status.ToApiName());
        Compare(differences, "counters", expected.Counters, actual.Counters);
        Compare(differences, "total rows", expected.TotalRows.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.TotalRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare(differences, $"errors (listed {ErrorPageSize} a page)", expected.Errors, actual.Errors);
        Compare(differences, "errors in the job detail", [.. expected.Errors.Take(c.MaxDetailItems)], [.. job.Errors.Select(e => ModelOutcome.Error(e.Row, e.Error, e.Value, e.Cells))]);
        Compare(differences, "warnings in the job detail", [.. expected.Warnings.Take(c.MaxDetailItems)], actual.Warnings);
        Compare(differences, "warning count", expected.Warnings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), job.WarningCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare(differences, "leads", [.. expected.Leads.Select(l => l.ToString())], [.. actual.Leads.Select(l => l.ToString())]);
        if (differences.Length > 0)
        {
            var which = host.Storage is EngineModelChaosStorage injecting
                ? $" (chaos store, {injecting.InjectedOutages} outages and {injecting.InjectedRefusals} refusals injected)"
                : string.Empty;
            throw new Xunit.Sdk.XunitException($"The engine differs from row-by-row application{which}:{Environment.NewLine}{differences}");
        }
    }

    private static void Compare(StringBuilder differences, string what, string expected, string actual)
    {
        if (expected != actual)
        {
            differences.AppendLine($"{what}: expected {expected}, actual {actual}");
        }
    }

    private static void Compare(StringBuilder differences, string what, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        if (expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            return;
        }

        differences.AppendLine($"{what} differ:");
        foreach (var line in expected.Except(actual, StringComparer.Ordinal))
        {
            differences.AppendLine($"  - expected only: {line}");
        }

        foreach (var line in actual.Except(expected, StringComparer.Ordinal))
        {
            differences.AppendLine($"  + actual only:   {line}");
        }

        differences.AppendLine("  expected, in order:");
        differences.AppendJoin(string.Empty, expected.Select(l => $"    {l}{Environment.NewLine}"));
        differences.AppendLine("  actual, in order:");
        differences.AppendJoin(string.Empty, actual.Select(l => $"    {l}{Environment.NewLine}"));
    }

    private static ModelLead ModelOf(Lead lead, string jobId)
    {
        string Job(string id) => id == jobId ? EngineModelReference.ImportJob : id == SeedJobId ? EngineModelReference.SeedJob : id;
        return new ModelLead(
            [.. lead.Identifiers.Select(i => $"{NameOf(i.Kind)}:{i.Value}").Order(StringComparer.Ordinal)],
            [.. lead.Fields.Select(f => $"{f.Key}={f.Value}").Order(StringComparer.Ordinal)],
            Job(lead.CreatedByJobId),
            Job(lead.UpdatedByJobId));
    }

    private static IdentifierKind KindOf(string kind) => kind switch
    {
        "email" => IdentifierKind.Email,
        "phone" => IdentifierKind.Phone,
        "external_id" => IdentifierKind.ExternalId,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of the model."),
    };

    private static string NameOf(IdentifierKind kind) => kind switch
    {
        IdentifierKind.Email => "email",
        IdentifierKind.Phone => "phone",
        IdentifierKind.ExternalId => "external_id",
        _ => kind.ToString(),
    };
}

/// <summary>One import to compare: columns, records (as the file has them), leads before it, and how it runs.</summary>
public sealed record EngineModelCase(
    IReadOnlyList<ModelColumn> Columns,
    IReadOnlyList<string[]> Records,
    IReadOnlyList<ModelSeed> Seeds,
    int BatchSize,
    string Mode,
    bool DryRun,
    int MaxCellLength,
    int MaxDetailItems,
    int ChaosSeed)
{
    /// <summary>The file: every cell quoted, quotes doubled, lines ended with LF.</summary>
    public string Csv =>
        string.Concat(Records.Prepend([.. Columns.Select(c => c.Header)])
            .Select(r => string.Join(",", r.Select(cell => '"' + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + '"')) + "\n"));

    public StartImportRequest Request => new()
    {
        PrimaryIdentifier = new PrimaryIdentifierRequest(Columns.Single(c => c.Role == ModelColumnRole.Primary).Header, Columns.Single(c => c.Role == ModelColumnRole.Primary).Target),
        FieldMappings = Columns.Where(c => c.Role == ModelColumnRole.Field).ToDictionary(c => c.Header, c => (string?)c.Target),
        AliasMappings = Columns.Where(c => c.Role == ModelColumnRole.Alias).ToDictionary(c => c.Header, c => (string?)("_alias_" + c.Target)),
        Mode = Mode,
        DryRun = DryRun,
    };

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"mode {Mode}{(DryRun ? ", dry run" : string.Empty)}, batch size {BatchSize}, max cell length {MaxCellLength}, errors and warnings in detail {MaxDetailItems}, chaos seed {ChaosSeed}");
        text.AppendLine($"columns: {string.Join(", ", Columns.Select(c => $"{c.Header} ({c.Role}{(c.Target.Length > 0 ? " " + c.Target : string.Empty)})"))}");
        text.AppendLine($"leads before: {(Seeds.Count == 0 ? "none" : string.Join("; ", Seeds))}");
        text.AppendLine("file (⏎ is a line break inside a cell, ⍽ a no-break space):");
        foreach (var record in Records.Prepend([.. Columns.Select(c => c.Header)]))
        {
            text.AppendLine("  " + string.Join(",", record.Select(cell => '"' + ModelLead.Show(cell).Replace("\"", "\"\"", StringComparison.Ordinal) + '"')));
        }

        return text.ToString();
    }
}
