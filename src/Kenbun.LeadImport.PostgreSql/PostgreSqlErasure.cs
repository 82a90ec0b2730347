using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Leads;
using Kenbun.LeadImport.Storage;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// Forgetting a person and deleting an OU in a <see cref="PostgreSqlStorage"/>, each one transaction. PostgreSQL keeps
/// deleted rows' old versions until vacuum reclaims them, and its write-ahead log and backups keep them for as long as
/// they are kept: docs/security.md says what that means for erasure.
/// </summary>
internal sealed class PostgreSqlErasure(PostgreSqlDatabase database, PostgreSqlJobRows rows)
{
    private const int ErrorsPerRead = 1000;

    public Task<ForgetLeadOutcome> ForgetLeadAsync(string ou, IdentifierKey identifier, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async connection =>
            {
                var lead = await DeleteLeadAsync(connection, ou, identifier, cancellationToken).ConfigureAwait(false);
                var values = new ForgottenValues(lead?.Identifiers ?? [identifier]);
                var (errors, warnings) = await ScrubJobsAsync(connection, ou, values, cancellationToken).ConfigureAwait(false);
                return new ForgetLeadOutcome(lead?.LeadId, lead?.Identifiers.Count ?? 0, errors, warnings);
            },
            cancellationToken);

    public Task<DeleteOuOutcome> DeleteOuAsync(string ou, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async connection =>
            {
                // Chunks go with their files, errors and warnings with their jobs, by cascade. The OU's row in `ous` stays:
                // its feed count keeps the OU's feed moving forward.
                var byOu = ("@ou", (object?)ou);
                var files = await connection.ExecuteAsync(database.Sql("DELETE FROM :\"schema\".files WHERE ou = @ou"), cancellationToken, byOu).ConfigureAwait(false);
                var jobs = await connection.ExecuteAsync(database.Sql("DELETE FROM :\"schema\".jobs WHERE ou = @ou"), cancellationToken, byOu).ConfigureAwait(false);
                await connection.ExecuteAsync(database.Sql("DELETE FROM :\"schema\".ou_turns WHERE ou = @ou"), cancellationToken, byOu).ConfigureAwait(false);
                var identifiers = await connection.ExecuteAsync(database.Sql("DELETE FROM :\"schema\".identifiers WHERE ou = @ou"), cancellationToken, byOu).ConfigureAwait(false);
                var leads = await connection.ExecuteAsync(database.Sql("DELETE FROM :\"schema\".leads WHERE ou = @ou"), cancellationToken, byOu).ConfigureAwait(false);
                await connection.ExecuteAsync(database.Sql("DELETE FROM :\"schema\".forgotten_leads WHERE ou = @ou"), cancellationToken, byOu).ConfigureAwait(false);
                return new DeleteOuOutcome(leads, identifiers, jobs, files);
            },
            cancellationToken);

    /// <summary>Deletes the lead that owns <paramref name="identifier"/> with its identifiers and notes its id as forgotten; null when none owns it.</summary>
    private async Task<(string LeadId, List<IdentifierKey> Identifiers)?> DeleteLeadAsync(
        NpgsqlConnection connection, string ou, IdentifierKey identifier, CancellationToken cancellationToken)
    {
        if (await connection.ScalarAsync(
                database.Sql("SELECT lead_id FROM :\"schema\".identifiers WHERE ou = @ou AND kind = @kind AND value = @value FOR UPDATE"), cancellationToken,
                ("@ou", ou), ("@kind", (short)identifier.Kind), ("@value", identifier.Value)).ConfigureAwait(false) is not string leadId)
        {
            return null;
        }

        var identifiers = new List<IdentifierKey>();
        using (var command = connection.Command(
            database.Sql("DELETE FROM :\"schema\".identifiers WHERE ou = @ou AND lead_id = @lead RETURNING kind, value"), ("@ou", ou), ("@lead", leadId)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                identifiers.Add(new IdentifierKey((IdentifierKind)reader.GetInt16(0), reader.GetString(1)));
            }
        }

        await connection.ExecuteAsync(
            database.Sql(
                """
                DELETE FROM :"schema".leads WHERE ou = @ou AND lead_id = @lead;
                INSERT INTO :"schema".forgotten_leads (ou, lead_id) VALUES (@ou, @lead) ON CONFLICT DO NOTHING;
                """),
            cancellationToken,
            ("@ou", ou), ("@lead", leadId)).ConfigureAwait(false);
        return (leadId, identifiers);
    }

    /// <summary>Deletes, in every job of the OU, the errors and warnings that hold a forgotten value; returns how many.</summary>
    private async Task<(long Errors, long Warnings)> ScrubJobsAsync(NpgsqlConnection connection, string ou, ForgottenValues values, CancellationToken cancellationToken)
    {
        var jobIds = new List<string>();
        using (var command = connection.Command(database.Sql("SELECT job_id FROM :\"schema\".jobs WHERE ou = @ou"), ("@ou", ou)))
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
            var region = (await rows.LoadAsync(connection, ou, jobId, cancellationToken).ConfigureAwait(false))!.Settings.DefaultPhoneRegion;
            var errorRows = await MatchingErrorRowsAsync(connection, ou, jobId, values, region, cancellationToken).ConfigureAwait(false);
            errors += await DeleteAsync(connection, "DELETE FROM :\"schema\".job_errors WHERE ou = @ou AND job_id = @job AND row = ANY(@keys)", ou, jobId, errorRows, cancellationToken)
                .ConfigureAwait(false);
            var warningSeqs = await MatchingWarningSeqsAsync(connection, ou, jobId, values, region, cancellationToken).ConfigureAwait(false);
            warnings += await DeleteAsync(connection, "DELETE FROM :\"schema\".job_warnings WHERE ou = @ou AND job_id = @job AND seq = ANY(@keys)", ou, jobId, warningSeqs, cancellationToken)
                .ConfigureAwait(false);
        }

        return (errors, warnings);
    }

    private async Task<List<long>> MatchingErrorRowsAsync(
        NpgsqlConnection connection, string ou, string jobId, ForgottenValues values, string? region, CancellationToken cancellationToken)
    {
        var matching = new List<long>();
        for (var after = 0L; ;)
        {
            var errors = await rows.ErrorsAfterAsync(connection, ou, jobId, after, ErrorsPerRead, cancellationToken).ConfigureAwait(false);
            matching.AddRange(errors.Where(e => values.Match(e, region)).Select(e => e.Row));
            if (errors.Count < ErrorsPerRead)
            {
                return matching;
            }

            after = errors[^1].Row;
        }
    }

    private async Task<List<long>> MatchingWarningSeqsAsync(
        NpgsqlConnection connection, string ou, string jobId, ForgottenValues values, string? region, CancellationToken cancellationToken)
    {
        var seqs = new List<long>();
        using var command = connection.Command(
            database.Sql("SELECT seq, value FROM :\"schema\".job_warnings WHERE ou = @ou AND job_id = @job"), ("@ou", ou), ("@job", jobId));
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

    private async Task<long> DeleteAsync(NpgsqlConnection connection, string sql, string ou, string jobId, List<long> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? 0
            : await connection.ExecuteAsync(database.Sql(sql), cancellationToken, ("@ou", ou), ("@job", jobId), ("@keys", keys.ToArray())).ConfigureAwait(false);
}
