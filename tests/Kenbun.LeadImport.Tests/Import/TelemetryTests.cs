using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kenbun.LeadImport.Engine;
using Kenbun.LeadImport.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Kenbun.LeadImport.Tests.Import;

/// <summary>The meter counts rows by outcome and jobs by status; the activity source traces jobs and batches.</summary>
public class TelemetryTests
{
    [Fact]
    public async Task An_import_reports_rows_by_outcome_jobs_by_status_and_spans_per_job_and_batch()
    {
        // Tests run in parallel: listen to this harness's meter only, and keep only this job's spans.
        using var harness = new ImportHarness(o => o.BatchSize = 2, services: s => s.AddMetrics());
        var meterFactory = harness.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, long Value, string Tag)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LeadImportTelemetry.Name && instrument.Meter.Scope == meterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tags.Length > 0 ? tags[0].Value?.ToString() ?? string.Empty : string.Empty));
            }
        });
        meters.Start();
        var spans = new List<(string Name, string? JobId)>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LeadImportTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add((activity.OperationName, activity.GetTagItem("leadimport.job_id") as string));
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        await harness.StartAsync("Email\na@x.com\na@x.com\nbad\n", ImportHost.ByEmail());
        var job = await harness.RunNextJobAsync();

        lock (measurements)
        {
            Assert.Equal(1, measurements.Where(m => m.Instrument == "leadimport.rows" && m.Tag == "created").Sum(m => m.Value));
            Assert.Equal(1, measurements.Where(m => m.Instrument == "leadimport.rows" && m.Tag == "updated").Sum(m => m.Value));
            Assert.Equal(1, measurements.Where(m => m.Instrument == "leadimport.rows" && m.Tag == "failed").Sum(m => m.Value));
            Assert.Contains(("leadimport.jobs", 1L, "completed"), measurements);
        }

        lock (spans)
        {
            Assert.Equal(1, spans.Count(s => s == ("leadimport.job", job.JobId)));
            Assert.Equal(2, spans.Count(s => s == ("leadimport.batch", job.JobId)));
        }

        Assert.Equal(3, job.Counters.Processed);
    }

    [Fact]
    public async Task Uploads_in_flight_and_their_bytes_are_measured()
    {
        using var harness = new ImportHarness(services: s => s.AddMetrics());
        var meterFactory = harness.Services.GetRequiredService<IMeterFactory>();
        using var active = new MetricCollector<long>(meterFactory, LeadImportTelemetry.Name, "leadimport.uploads.active");
        using var bytes = new MetricCollector<long>(meterFactory, LeadImportTelemetry.Name, "leadimport.upload.bytes");
        const string csv = "Email\nann@x.com\n";

        await harness.PreviewAsync(csv);
        await harness.PreviewFailsAsync<InvalidCsvFileException>("\n\n");

        Assert.Equal([1L, -1L, 1L, -1L], active.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(csv.Length + 2, bytes.GetMeasurementSnapshot().Sum(m => m.Value));
    }
}
