using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// The import's metrics (a <see cref="Meter"/> named <c>Kenbun.LeadImport</c>) and traces (an
/// <see cref="System.Diagnostics.ActivitySource"/> of the same name: a span per job and per batch).
/// No tag carries lead data.
/// </summary>
public sealed class LeadImportTelemetry : IDisposable
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "Kenbun.LeadImport";

    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _batchDuration;

    /// <summary>Creates the instruments through the host's <see cref="IMeterFactory"/>, or on a meter of its own without one.</summary>
    public LeadImportTelemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _rows = _meter.CreateCounter<long>("leadimport.rows", "{row}", "Rows processed, by outcome: created, updated, failed, skipped.");
        _jobs = _meter.CreateCounter<long>("leadimport.jobs", "{job}", "Jobs that reached a final status, by status.");
        _batchDuration = _meter.CreateHistogram<double>("leadimport.batch.duration", "s", "Time to decide and commit one batch.");
    }

    /// <summary>The source of the job and batch spans.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    internal void RecordRows(string outcome, long count)
    {
        if (count > 0)
        {
            _rows.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    internal void RecordJob(string status) => _jobs.Add(1, new KeyValuePair<string, object?>("status", status));

    internal void RecordBatch(TimeSpan duration) => _batchDuration.Record(duration.TotalSeconds);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
