using Kenbun.LeadImport.Testing.Processes;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>
/// A test that needs PostgreSQL's server programs: skipped, saying how to install them, on a machine without them —
/// but never under <c>CI=true</c>, where it runs and fails with the same hint.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.Binaries is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"PostgreSQL's server programs were not found: {PostgresCluster.InstallHint}.";
        }
    }
}
