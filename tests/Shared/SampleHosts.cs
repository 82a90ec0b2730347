namespace Kenbun.LeadImport.Testing.Processes;

/// <summary>
/// Several <see cref="SampleProcess"/> hosts on one database, started together and all ended when disposed; one can be
/// killed and replaced by a new one on the same database. Shared as source with <see cref="SampleProcess"/>.
/// </summary>
internal sealed class SampleHosts : IDisposable
{
    private readonly List<SampleProcess> _hosts;
    private readonly string _connectionString;
    private readonly TimeSpan? _jobLease;
    private readonly string _storage;
    private readonly IReadOnlyDictionary<string, string>? _settings;

    private SampleHosts(List<SampleProcess> hosts, string connectionString, TimeSpan? jobLease, string storage, IReadOnlyDictionary<string, string>? settings)
    {
        _hosts = hosts;
        _connectionString = connectionString;
        _jobLease = jobLease;
        _storage = storage;
        _settings = settings;
    }

    /// <summary>The hosts, oldest first.</summary>
    public IReadOnlyList<SampleProcess> All => _hosts;

    public SampleProcess this[Index index] => _hosts[index];

    /// <summary>Starts <paramref name="count"/> hosts at once, with <see cref="SampleProcess.StartAsync"/>'s arguments.</summary>
    public static async Task<SampleHosts> StartAsync(
        int count, string connectionString, TimeSpan? jobLease = null, string storage = "Sqlite", IReadOnlyDictionary<string, string>? settings = null)
    {
        var starting = Enumerable.Range(0, count).Select(_ => SampleProcess.StartAsync(connectionString, jobLease, storage, settings)).ToList();
        try
        {
            return new SampleHosts([.. await Task.WhenAll(starting)], connectionString, jobLease, storage, settings);
        }
        catch
        {
            foreach (var started in starting.Where(task => task.IsCompletedSuccessfully))
            {
                started.Result.Dispose();
            }

            throw;
        }
    }

    /// <summary>Kills <paramref name="host"/> (SIGKILL) and starts a new host in its place, last in <see cref="All"/>.</summary>
    public async Task ReplaceAsync(SampleProcess host)
    {
        await host.KillAsync();
        host.Dispose();
        _hosts.Remove(host);
        _hosts.Add(await SampleProcess.StartAsync(_connectionString, _jobLease, _storage, _settings));
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }
}
