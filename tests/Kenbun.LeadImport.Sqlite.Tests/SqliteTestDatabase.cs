using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Sqlite.Tests;

/// <summary>A database file in a folder of its own under the temp folder, deleted afterwards.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kenbun-sqlite-" + Guid.NewGuid().ToString("N"));

    public string FilePath => Path.Combine(_folder, "leads.db");

    public string ConnectionString => $"Data Source={FilePath}";

    private readonly List<SqliteDatabase> _opened = [];

    /// <summary>A store's view of this database, stopped (its checkpoints in the background too) before the files are deleted.</summary>
    public SqliteDatabase Open()
    {
        var database = new SqliteDatabase(ConnectionString, new SqliteStoreOptions());
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    /// <summary>Storage on this database.</summary>
    public LeadImportStorage Storage(TimeProvider timeProvider) => new SqliteStorage(Open(), timeProvider);

    public void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
