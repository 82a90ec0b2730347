using System.Diagnostics.Metrics;
using System.Globalization;
using Kenbun.LeadImport.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>
/// docs/observability.md has a row for every metric instrument, span and log event of the packages. Instruments and
/// spans are named in the source (read with Roslyn: every call that creates one, whenever it runs); log events are
/// found by reflection and written once, so their ids are the ones a host's logging receives.
/// </summary>
public sealed class ObservabilityDocTests
{
    private const string Page = "docs/observability.md";

    private static readonly string[] InstrumentFactories =
    [
        "CreateCounter", "CreateHistogram", "CreateUpDownCounter", "CreateGauge",
        "CreateObservableCounter", "CreateObservableGauge", "CreateObservableUpDownCounter",
    ];

    [Fact]
    public void The_meter_and_the_activity_source_are_named()
    {
        var page = string.Join('\n', DocPage.Read(Page).ProseLines);

        Assert.Contains($"Meter `{LeadImportTelemetry.Name}`", page, StringComparison.Ordinal);
        Assert.Contains($"Activity source `{LeadImportTelemetry.Name}`", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_instrument_has_a_row_with_its_type_and_unit()
    {
        var instruments = SourceCode.CallsNaming(InstrumentFactories);
        Assert.NotEmpty(instruments);
        var rows = DocPage.Read(Page).TableRows;

        var problems = new List<string>();
        foreach (var instrument in instruments)
        {
            var type = instrument.Method["Create".Length..];
            var unit = instrument.Unit is null ? "…" : $"`{instrument.Unit}`";
            if (instrument.Name is null)
            {
                problems.Add($"{instrument.Where}: name the instrument with a string literal or a const string, so this test can find its row.");
            }
            else if (rows.FirstOrDefault(cells => cells[0] == $"`{instrument.Name}`") is not { } row)
            {
                problems.Add($"| `{instrument.Name}` | {type} | {unit} | … | … |  (no row; {instrument.Where})");
            }
            else if (row.Length < 3 || row[1] != type || (instrument.Unit is not null && row[2] != unit))
            {
                problems.Add($"| `{instrument.Name}` | {type} | {unit} | … | … |  (the row says {string.Join(" | ", row.Take(3))})");
            }
        }

        Assert.True(problems.Count == 0, $"{Page}: the metrics table (Instrument | Type | Unit | Tags | Meaning) lacks or misstates:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public async Task The_source_finds_every_instrument_a_host_creates()
    {
        // A check on the reading of the source above: whatever a host creates on its meter factory was found there.
        await using var app = ReferenceApp.Build();
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        var created = new List<(string Meter, string Instrument)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                // The host's own meters (Kestrel, hosting) share the factory; the packages' meters are named Kenbun.*.
                if (instrument.Meter.Scope == meterFactory && instrument.Meter.Name.StartsWith("Kenbun.", StringComparison.Ordinal))
                {
                    lock (created)
                    {
                        created.Add((instrument.Meter.Name, instrument.Name));
                    }
                }
            },
        };
        listener.Start();
        _ = app.Services.GetServices<IHostedService>().ToList(); // the job worker, the sweep, …: they create the import's instruments
        _ = app.Services.GetRequiredService<ILeadImportService>();

        var found = SourceCode.CallsNaming(InstrumentFactories).Select(call => call.Name).ToHashSet();
        lock (created)
        {
            Assert.NotEmpty(created);
            Assert.All(created, instrument => Assert.Equal(LeadImportTelemetry.Name, instrument.Meter));
            var missed = created.Select(instrument => instrument.Instrument).Where(name => !found.Contains(name)).ToList();
            Assert.True(missed.Count == 0, $"Reading src/ missed instruments a host creates: {string.Join(", ", missed)}. Create them with Meter.Create…(name, …) calls whose name is a constant.");
        }
    }

    [Fact]
    public void Every_span_and_span_tag_is_in_the_traces_table()
    {
        var spans = SourceCode.CallsNaming("StartActivity");
        var tags = SourceCode.CallsNaming("SetTag", "AddTag");
        Assert.NotEmpty(spans);
        var spanRows = DocPage.Read(Page).TableRows.Where(cells => spans.Any(span => cells[0] == $"`{span.Name}`")).ToList();

        var problems = new List<string>();
        foreach (var call in spans.Concat(tags))
        {
            if (call.Name is null)
            {
                problems.Add($"{call.Where}: name it with a string literal or a const string, so this test can find its row.");
            }
            else if (call.Method == "StartActivity" ? !spanRows.Any(cells => cells[0] == $"`{call.Name}`") : !spanRows.Any(cells => cells.Length > 2 && cells[2].Contains($"`{call.Name}`", StringComparison.Ordinal)))
            {
                problems.Add($"`{call.Name}` ({call.Where})");
            }
        }

        Assert.True(problems.Count == 0, $"{Page}: the traces table (Span | Started | Tags | Ends) lacks these spans or tags:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void Every_log_event_has_a_row_with_its_id_name_and_level()
    {
        Assert.NotEmpty(LogEvents.All);
        var rows = DocPage.Read(Page).TableRows;

        var missing = LogEvents.All
            .Where(logEvent => !rows.Any(cells => cells.Length >= 3 && cells[0] == Id(logEvent) && cells[1] == $"`{logEvent.Name}`" && cells[2] == logEvent.Level.ToString()))
            .Select(logEvent => $"| {Id(logEvent)} | `{logEvent.Name}` | {logEvent.Level} | … | … |  ({logEvent.Method})")
            .ToList();

        Assert.True(
            missing.Count == 0,
            $"{Page} has no row for these log events; add each to the table of its logger's category (Id | Name | Level | When it is written | What to do):\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void Every_log_event_row_names_an_event_the_code_writes()
    {
        var stale = DocPage.Read(Page).TableRows
            .Where(cells => cells.Length >= 3 && cells[0].Length > 0 && cells[0].All(char.IsAsciiDigit))
            .Where(cells => !LogEvents.All.Any(logEvent => cells[0] == Id(logEvent) && cells[1] == $"`{logEvent.Name}`" && cells[2] == logEvent.Level.ToString()))
            .Select(cells => string.Join(" | ", cells.Take(3)))
            .ToList();

        Assert.True(stale.Count == 0, $"{Page} lists log events the code no longer writes (or not with that id, name and level): {string.Join("; ", stale)}");
    }

    private static string Id(LogEvent logEvent) => logEvent.Id.ToString(CultureInfo.InvariantCulture);
}
