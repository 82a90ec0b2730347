using System.Diagnostics;

namespace Kenbun.LeadImport.Engine;

/// <summary>
/// Where the import's telemetry comes from: a <see cref="System.Diagnostics.Metrics.Meter"/> and an
/// <see cref="System.Diagnostics.ActivitySource"/> both named <see cref="Name"/>. Listen to that name (OpenTelemetry:
/// <c>AddMeter</c> and <c>AddSource</c>). No tag carries lead data.
/// </summary>
public static class LeadImportTelemetry
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "Kenbun.LeadImport";

    /// <summary>The source of the job and batch spans (<c>leadimport.job</c>, <c>leadimport.batch</c>).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);
}
