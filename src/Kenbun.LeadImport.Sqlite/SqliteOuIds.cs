using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// The small integer that names an OU in the leads and identifiers tables (<c>ous</c>), remembered once known. An id
/// is remembered only after the row that gives it has been committed: a rolled-back id could be handed to another OU.
/// </summary>
internal sealed class SqliteOuIds
{
    private readonly ConcurrentDictionary<string, long> _known = new(StringComparer.Ordinal);

    /// <summary>The OU's id, or <see langword="null"/> when the OU has never had a lead (and so has nothing to find).</summary>
    public async ValueTask<long?> FindAsync(SqliteConnection connection, string ou, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(ou, out var id))
        {
            return id;
        }

        if (await connection.ScalarAsync("SELECT id FROM ous WHERE ou = $ou", cancellationToken, ("$ou", ou)).ConfigureAwait(false) is long found)
        {
            _known[ou] = found;
            return found;
        }

        return null;
    }

    /// <summary>The OU's id, given it now if it has none. Must run outside a transaction, so the new id is committed.</summary>
    public async ValueTask<long> EnsureAsync(SqliteConnection connection, string ou, CancellationToken cancellationToken)
    {
        if (await FindAsync(connection, ou, cancellationToken).ConfigureAwait(false) is { } id)
        {
            return id;
        }

        await connection.ExecuteAsync("INSERT INTO ous (ou) VALUES ($ou) ON CONFLICT DO NOTHING", cancellationToken, ("$ou", ou)).ConfigureAwait(false);
        return (await FindAsync(connection, ou, cancellationToken).ConfigureAwait(false))!.Value;
    }
}
