using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// <see cref="IByHandStore"/> on SQLite as one writes it by hand: one connection, a statement per email, lead and
/// identifier, each prepared once (SQLite is in the process: a statement costs no round trip); fields merged with
/// <c>json_patch</c>, identifiers claimed with <c>ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class SqliteByHandStore : IByHandStore, IDisposable
{
    /// <summary>The tables of <see cref="IByHandStore"/> in SQLite's types (rowid lead ids, JSON as text).</summary>
    public static readonly string Tables = IByHandStore.Tables("INTEGER", "TEXT");

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _lookUp;
    private readonly SqliteCommand _insertLead;
    private readonly SqliteCommand _updateLead;
    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _progress;

    /// <summary>Prepares the statements on <paramref name="connection"/>, open on a database with <see cref="Tables"/>.</summary>
    public SqliteByHandStore(SqliteConnection connection)
    {
        _connection = connection;
        _lookUp = Prepare("SELECT lead FROM identifiers WHERE ou = $ou AND kind = 0 AND value = $value", "$value");
        _insertLead = Prepare("INSERT INTO leads (id, ou, fields) VALUES ($id, $ou, $fields)", "$id", "$fields");
        _updateLead = Prepare("UPDATE leads SET fields = json_patch(fields, $fields) WHERE id = $id", "$id", "$fields");
        _claim = Prepare("INSERT INTO identifiers (ou, kind, value, lead) VALUES ($ou, $kind, $value, $lead) ON CONFLICT DO NOTHING", "$kind", "$value", "$lead");
        _progress = Prepare("UPDATE jobs SET processed = $processed WHERE id = 1", "$processed");
    }

    public Task<Dictionary<string, long>> LookUpEmailsAsync(IReadOnlyCollection<string> emails)
    {
        var owners = new Dictionary<string, long>(emails.Count);
        foreach (var email in emails)
        {
            _lookUp.Parameters["$value"].Value = email;
            if (_lookUp.ExecuteScalar() is long lead)
            {
                owners[email] = lead;
            }
        }

        return Task.FromResult(owners);
    }

    public Task CommitAsync(ByHandChanges changes, long processed)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var command in (SqliteCommand[])[_insertLead, _updateLead, _claim, _progress])
        {
            command.Transaction = transaction;
        }

        foreach (var lead in changes.Leads)
        {
            var write = lead.IsNew ? _insertLead : _updateLead;
            write.Parameters["$id"].Value = lead.Id;
            write.Parameters["$fields"].Value = lead.FieldsJson();
            write.ExecuteNonQuery();
        }

        foreach (var (kind, value, lead) in changes.Identifiers)
        {
            _claim.Parameters["$kind"].Value = (int)kind;
            _claim.Parameters["$value"].Value = value;
            _claim.Parameters["$lead"].Value = lead;
            _claim.ExecuteNonQuery();
        }

        _progress.Parameters["$processed"].Value = processed;
        _progress.ExecuteNonQuery();
        transaction.Commit();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var command in (SqliteCommand[])[_lookUp, _insertLead, _updateLead, _claim, _progress])
        {
            command.Dispose();
        }
    }

    /// <summary>A statement prepared on the connection, <c>$ou</c> bound to the import's OU, its other parameters added without a value or type.</summary>
    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        if (sql.Contains("$ou", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$ou", ByHandImport.Ou);
        }

        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        }

        command.Prepare();
        return command;
    }
}
