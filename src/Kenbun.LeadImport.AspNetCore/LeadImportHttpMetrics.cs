using System.Diagnostics.Metrics;
using Kenbun.LeadImport.Engine;

namespace Kenbun.LeadImport.AspNetCore;

/// <summary>The HTTP API's instruments, on the lead import's meter (<see cref="LeadImportTelemetry.Name"/>).</summary>
internal sealed class LeadImportHttpMetrics
{
    private readonly Counter<long> _refused;

    /// <summary>Creates the instruments through the host's <see cref="IMeterFactory"/>, or on a meter of its own without one.</summary>
    public LeadImportHttpMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(LeadImportTelemetry.Name) ?? new Meter(LeadImportTelemetry.Name);
        _refused = meter.CreateCounter<long>(
            "leadimport.requests.refused", "{request}", "Requests refused by a limit: too slow (408), too large (413), over a quota (429); by status code.");
    }

    public void Refused(int statusCode) => _refused.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
