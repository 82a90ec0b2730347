using System.Text.Json;
using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Stores;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Forgetting a person and deleting an OU in a <see cref="SqliteStorage"/>, each one write transaction. What they delete
/// is overwritten in the database file (every connection deletes with <c>secure_delete</c>, see
/// <see cref="SqliteDatabase"/>), and each ends with a checkpoint that empties the write-ahead log, whose older page
/// images would still hold it.
/// </summary>
internal sealed class SqliteErasure(SqliteDatabase database)
{
    private const int ErrorsPerRead = 1000;

    private const string OuId = "SELECT id FROM ous WHERE ou = $ou";

    public Task<ForgetLeadOutcome> ForgetLeadAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        EraseAsync(
            async connection =>
            {
                var lead = await connection.ScalarAsync(OuId, cancellationToken, ("$ou", ou)).ConfigureAwait(false) is long ouId
                    ? await DeleteLeadAsync(connection, ouId, identifier, cancellationToken).ConfigureAwait(false)
                    : null;
                var values = new ForgottenValues(lead?.Identifiers ?? [identifier]);
                var (errors, warnings) = await ScrubJobsAsync(connection, ou, values, cancellationToken).ConfigureAwait(false);
                return new ForgetLeadOutcome(lead?.LeadId, lead?.Identifiers.Count ?? 0, errors, warnings);
            },
            cancellationToken);

    public Task<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken) =>
        EraseAsync(
            async connection =>
            {
                // Chunks go with their files, errors and warnings with their jobs, by cascade. The OU's row in `ous` stays: any
                // process may remember its id (SqliteOuIds), and its feed count keeps the OU's feed moving forward.
                var byName = ("$ou", (object?)ou);
                var files = await connection.ExecuteAsync("DELETE FROM files WHERE ou = $ou", cancellationToken, byName).ConfigureAwait(false);
                var jobs = await connection.ExecuteAsync("DELETE FROM jobs WHERE ou = $ou", cancellationToken, byName).ConfigureAwait(false);
                await connection.ExecuteAsync("DELETE FROM ou_turns WHERE ou = $ou", cancellationToken, byName).ConfigureAwait(false);
                if (await connection.ScalarAsync(OuId, cancellationToken, byName).ConfigureAwait(false) is not long ouId)
                {
                    return new DeleteOuOutcome(0, 0, jobs, files);
                }

                var byId = ("$ou", (object?)ouId);
                var identifiers = await connection.ExecuteAsync("DELETE FROM identifiers WHERE ou_id = $ou", cancellationToken, byId).ConfigureAwait(false);
                var leads = await connection.ExecuteAsync("DELETE FROM leads WHERE ou_id = $ou", cancellationToken, byId).ConfigureAwait(false);
                await connection.ExecuteAsync("DELETE FROM forgotten_leads WHERE ou_id = $ou", cancellationToken, byId).ConfigureAwait(false);
                return new DeleteOuOutcome(leads, identifiers, jobs, files);
            },
            cancellationToken);

    /// <summary>Deletes the lead that owns <paramref name="identifier"/> with its identifiers and notes its id as forgotten; null when none owns it.</summary>
    private static async Task<(string LeadId, List<IdentifierKey> Identifiers)?> DeleteLeadAsync(
        SqliteConnection connection, long ouId, IdentifierKey identifier, CancellationToken cancellationToken)
    {
        if (await connection.ScalarAsync(
                "SELECT lead_id FROM identifiers WHERE ou_id = $ou AND kind = $kind AND value = $value", cancellationToken,
                ("$ou", ouId), ("$kind", (int)identifier.Kind), ("$value", identifier.Value)).ConfigureAwait(false) is not string leadId)
        {
            return null;
        }

        var identifiers = new List<IdentifierKey>();
        using (var command = connection.Command("DELETE FROM identifiers WHERE ou_id = $ou AND lead_id = $lead RETURNING kind, value", ("$ou", ouId), ("$lead", leadId)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                identifiers.Add(new IdentifierKey((IdentifierKind)reader.GetInt32(0), reader.GetString(1)));
            }
        }

        await connection.ExecuteAsync(
            """
            DELETE FROM leads WHERE ou_id = $ou AND lead_id = $lead;
            INSERT INTO forgotten_leads (ou_id, lead_id) VALUES ($ou, $lead) ON CONFLICT DO NOTHING;
            """,
            cancellationToken,
            ("$ou", ouId), ("$lead", leadId)).ConfigureAwait(false);
        return (leadId, identifiers);
    }

    /// <summary>Deletes, in every job of the OU, the errors and warnings that hold a forgotten value; returns how many.</summary>
    private static async Task<(long Errors, long Warnings)> ScrubJobsAsync(SqliteConnection connection, string ou, ForgottenValues values, CancellationToken cancellationToken)
    {
        var jobIds = new List<string>();
        using (var command = connection.Command("SELECT job_id FROM jobs WHERE ou = $ou", ("$ou", ou)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobIds.Add(reader.GetString(0));
            }
        }

        var (errors, warnings) = (0L, 0L);
        foreach (var jobId in jobIds)
        {
            var region = (await SqliteJobRows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false))!.Settings.DefaultPhoneRegion;
            var errorRows = await MatchingErrorRowsAsync(connection, jobId, values, region, cancellationToken).ConfigureAwait(false);
            errors += await DeleteAsync(connection, "DELETE FROM job_errors WHERE job_id = $job AND row IN (SELECT value FROM json_each($keys))", jobId, errorRows, cancellationToken)
                .ConfigureAwait(false);
            var warningSeqs = await MatchingWarningSeqsAsync(connection, jobId, values, region, cancellationToken).ConfigureAwait(false);
            warnings += await DeleteAsync(connection, "DELETE FROM job_warnings WHERE job_id = $job AND seq IN (SELECT value FROM json_each($keys))", jobId, warningSeqs, cancellationToken)
                .ConfigureAwait(false);
        }

        return (errors, warnings);
    }

    private static async Task<List<long>> MatchingErrorRowsAsync(SqliteConnection connection, string jobId, ForgottenValues values, string? region, CancellationToken cancellationToken)
    {
        var rows = new List<long>();
        for (var after = 0L; ;)
        {
            var errors = await SqliteJobRows.ErrorsAfterAsync(connection, jobId, after, ErrorsPerRead, cancellationToken).ConfigureAwait(false);
            rows.AddRange(errors.Where(e => values.Match(e, region)).Select(e => e.Row));
            if (errors.Count < ErrorsPerRead)
            {
                return rows;
            }

            after = errors[^1].Row;
        }
    }

    private static async Task<List<long>> MatchingWarningSeqsAsync(SqliteConnection connection, string jobId, ForgottenValues values, string? region, CancellationToken cancellationToken)
    {
        var seqs = new List<long>();
        using var command = connection.Command("SELECT seq, value FROM job_warnings WHERE job_id = $job", ("$job", jobId));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (values.Match(reader.GetString(1), region))
            {
                seqs.Add(reader.GetInt64(0));
            }
        }

        return seqs;
    }

    private static async Task<long> DeleteAsync(SqliteConnection connection, string sql, string jobId, List<long> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? 0
            : await connection.ExecuteAsync(
                sql, cancellationToken, ("$job", jobId), ("$keys", JsonSerializer.Serialize(keys, StoredJsonContext.Default.ListInt64))).ConfigureAwait(false);

    /// <summary>Runs the erasure in one write transaction, then empties the write-ahead log of the pages it wrote over.</summary>
    private async Task<T> EraseAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken, withCommitCache: true).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var result = await connection.WriteAsync(work, cancellationToken).ConfigureAwait(false);
            await connection.TruncateWalAsync().ConfigureAwait(false); // not the erasure's failure if it cannot: it has committed
            return result;
        }
    }
}
