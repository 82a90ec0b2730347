using System.Diagnostics.Metrics;
using Kenbun.LeadImport.Health;

namespace Kenbun.LeadImport.Engine;

/// <summary>The import's instruments, on the <see cref="LeadImportTelemetry.Name"/> meter.</summary>
internal sealed class LeadImportMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _batchDuration;
    private readonly UpDownCounter<long> _uploadsActive;
    private readonly Counter<long> _uploadBytes;

    /// <summary>Creates the instruments through the host's <see cref="IMeterFactory"/>, or on a meter of its own without one.</summary>
    public LeadImportMetrics(IMeterFactory? meterFactory, StorageHealth storageHealth)
    {
        _meter = meterFactory?.Create(LeadImportTelemetry.Name) ?? new Meter(LeadImportTelemetry.Name);
        _rows = _meter.CreateCounter<long>("leadimport.rows", "{row}", "Rows processed, by outcome: created, updated, failed, skipped.");
        _jobs = _meter.CreateCounter<long>("leadimport.jobs", "{job}", "Jobs that reached a final status, by status.");
        _batchDuration = _meter.CreateHistogram<double>("leadimport.batch.duration", "s", "Time to decide and commit one batch.");
        _uploadsActive = _meter.CreateUpDownCounter<long>("leadimport.uploads.active", "{upload}", "Uploads being received and stored now.");
        _uploadBytes = _meter.CreateCounter<long>("leadimport.upload.bytes", "By", "Bytes of uploads received, kept or not.");
        _meter.CreateObservableGauge(
            "leadimport.storage.unavailable", () => storageHealth.Snapshot().Outage is null ? 0 : 1, "{state}", "1 while the storage is unavailable (a job stalls, or the worker cannot reach it), else 0.");
        _meter.CreateObservableGauge(
            "leadimport.jobs.stalled", () => storageHealth.Snapshot().StalledJobs, "{job}", "Running jobs waiting out unavailable storage.");
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

    public void UploadStarted() => _uploadsActive.Add(1);

    public void UploadEnded(long bytes)
    {
        _uploadsActive.Add(-1);
        _uploadBytes.Add(bytes);
    }

    public void Dispose() => _meter.Dispose();
}
