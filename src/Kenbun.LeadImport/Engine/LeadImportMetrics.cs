using System.Diagnostics.Metrics;

namespace Kenbun.LeadImport.Engine;

/// <summary>The import's instruments, on the <see cref="LeadImportTelemetry.Name"/> meter.</summary>
internal sealed class LeadImportMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _batchDuration;

    /// <summary>Creates the instruments through the host's <see cref="IMeterFactory"/>, or on a meter of its own without one.</summary>
    public LeadImportMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(LeadImportTelemetry.Name) ?? new Meter(LeadImportTelemetry.Name);
        _rows = _meter.CreateCounter<long>("leadimport.rows", "{row}", "Rows processed, by outcome: created, updated, failed, skipped.");
        _jobs = _meter.CreateCounter<long>("leadimport.jobs", "{job}", "Jobs that reached a final status, by status.");
        _batchDuration = _meter.CreateHistogram<double>("leadimport.batch.duration", "s", "Time to decide and commit one batch.");
    }

    public void RecordRows(string outcome, long count)
    {
        if (count > 0)
        {
            _rows.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void RecordJob(string status) => _jobs.Add(1, new KeyValuePair<string, object?>("status", status));

    public void RecordBatch(TimeSpan duration) => _batchDuration.Record(duration.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
