using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>A database file in a fresh folder of its own under the temp folder; disposing deletes the folder.</summary>
internal sealed class SqliteTempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kenbun-bench-").FullName;

    /// <summary>The connection string of the database file, which does not exist until the first connection opens it.</summary>
    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>The database file's path.</summary>
    public string FilePath => Path.Combine(_folder, "leads.db");

    /// <summary>Closes the pooled connections, which would keep the files open, then deletes the folder.</summary>
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
