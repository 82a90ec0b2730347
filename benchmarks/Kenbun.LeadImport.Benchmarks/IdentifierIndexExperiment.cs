using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// Measures the levers docs/performance.md names for SQLite at a million rows: the unique identifier index keyed by
/// each identifier's text, as the store keeps it, against one keyed by a 64-bit keyed hash of kind and value (the text
/// kept in the table), and against two levels: claims go into a small table of recent identifiers (after a probe of
/// the large one), merged into the large one in index order every <c>--merge-every</c> identifiers. Each claims the
/// identifiers of a realistic file (an email a row, a phone in 75% of rows, a LinkedIn URL in half, lead ids in
/// creation order) in transactions of <c>--rows-per-commit</c> rows' worth (4,500 by default, a group commit of 1,000-row
/// batches), with the store's pragmas and each of <c>--page-sizes</c>. Only the claims are timed, one statement a claim;
/// the hash's own cost (HMAC-SHA256, truncated) and the merges, the last one included, are too.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Kenbun.LeadImport.Benchmarks -- identifier-index [--rows 100000,1000000]
/// [--rows-per-commit 4500] [--merge-every 262144] [--page-sizes 4096,16384]</c>
/// </remarks>
internal static class IdentifierIndexExperiment
{
    private static string Pragmas(int pageSize) => string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA page_size = {pageSize}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA secure_delete = ON;");

    private const string TextKeyed =
        """
        CREATE TABLE identifiers (seq INTEGER PRIMARY KEY, ou_id INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL, lead_id TEXT NOT NULL);
        CREATE UNIQUE INDEX identifiers_by_value ON identifiers (ou_id, kind, value);
        CREATE INDEX identifiers_of_lead ON identifiers (ou_id, lead_id);
        """;

    private const string HashKeyed =
        """
        CREATE TABLE identifiers (seq INTEGER PRIMARY KEY, ou_id INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL, lead_id TEXT NOT NULL, hash INTEGER NOT NULL);
        CREATE UNIQUE INDEX identifiers_by_hash ON identifiers (ou_id, hash);
        CREATE INDEX identifiers_of_lead ON identifiers (ou_id, lead_id);
        """;

    private const string TwoLevel =
        """
        CREATE TABLE identifiers (seq INTEGER PRIMARY KEY, ou_id INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL, lead_id TEXT NOT NULL);
        CREATE UNIQUE INDEX identifiers_by_value ON identifiers (ou_id, kind, value);
        CREATE INDEX identifiers_of_lead ON identifiers (ou_id, lead_id);
        CREATE TABLE recent_identifiers (seq INTEGER PRIMARY KEY, ou_id INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL, lead_id TEXT NOT NULL);
        CREATE UNIQUE INDEX recent_identifiers_by_value ON recent_identifiers (ou_id, kind, value);
        CREATE INDEX recent_identifiers_of_lead ON recent_identifiers (ou_id, lead_id);
        """;

    private const string Merge =
        "INSERT INTO identifiers (ou_id, kind, value, lead_id) SELECT ou_id, kind, value, lead_id FROM recent_identifiers ORDER BY ou_id, kind, value; DELETE FROM recent_identifiers;";

    public static void Run(string[] args)
    {
        var rowCounts = CommandLineArgs.Rows(args, "100000,1000000");
        var rowsPerCommit = int.Parse(CommandLineArgs.Value(args, "--rows-per-commit") ?? "4500", CultureInfo.InvariantCulture);
        var mergeEvery = int.Parse(CommandLineArgs.Value(args, "--merge-every") ?? "262144", CultureInfo.InvariantCulture);
        var pageSizes = CommandLineArgs.Value(args, "--page-sizes")?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? [16384];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows  identifiers  commits  page size  text-keyed s  hash-keyed s  two-level s  ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})"));
        foreach (var rows in rowCounts)
        {
            var claims = Claims(rows);
            var commits = (rows + rowsPerCommit - 1) / rowsPerCommit;
            foreach (var pageSize in pageSizes)
            {
                var text = Claim(Pragmas(pageSize) + TextKeyed, claims, commits, hashed: false);
                var hash = Claim(Pragmas(pageSize) + HashKeyed, claims, commits, hashed: true);
                var twoLevel = ClaimTwoLevel(Pragmas(pageSize) + TwoLevel, claims, commits, mergeEvery);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows,-6}{claims.Count,13}{commits,9}{pageSize,11}{text,14:F2}{hash,14:F2}{twoLevel,13:F2}"));
            }
        }
    }

    private static double Claim(string schema, List<(string LeadId, int Kind, string Value)> claims, int commits, bool hashed)
    {
        using var database = new SqliteTempDatabase();
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        Execute(connection, schema);
        var key = RandomNumberGenerator.GetBytes(32);
        var perCommit = (claims.Count + commits - 1) / commits;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in claims.Chunk(perCommit))
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = hashed
                ? "INSERT INTO identifiers (ou_id, lead_id, kind, value, hash) VALUES (1, $lead, $kind, $value, $hash) ON CONFLICT DO NOTHING"
                : "INSERT INTO identifiers (ou_id, lead_id, kind, value) VALUES (1, $lead, $kind, $value) ON CONFLICT DO NOTHING";
            var lead = insert.Parameters.Add("$lead", SqliteType.Text);
            var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
            var value = insert.Parameters.Add("$value", SqliteType.Text);
            var hash = insert.Parameters.Add("$hash", SqliteType.Integer);
            foreach (var claim in chunk)
            {
                (lead.Value, kind.Value, value.Value) = (claim.LeadId, claim.Kind, claim.Value);
                hash.Value = hashed ? KeyedHash(key, claim.Kind, claim.Value) : DBNull.Value;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static double ClaimTwoLevel(string schema, List<(string LeadId, int Kind, string Value)> claims, int commits, int mergeEvery)
    {
        using var database = new SqliteTempDatabase();
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        Execute(connection, schema);
        var perCommit = (claims.Count + commits - 1) / commits;
        var recent = 0;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in claims.Chunk(perCommit))
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText =
                """
                INSERT OR IGNORE INTO recent_identifiers (ou_id, lead_id, kind, value) SELECT 1, $lead, $kind, $value
                WHERE NOT EXISTS (SELECT 1 FROM identifiers WHERE ou_id = 1 AND kind = $kind AND value = $value)
                """;
            var lead = insert.Parameters.Add("$lead", SqliteType.Text);
            var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
            var value = insert.Parameters.Add("$value", SqliteType.Text);
            foreach (var claim in chunk)
            {
                (lead.Value, kind.Value, value.Value) = (claim.LeadId, claim.Kind, claim.Value);
                recent += insert.ExecuteNonQuery();
            }

            if (recent >= mergeEvery)
            {
                Execute(connection, Merge);
                recent = 0;
            }

            transaction.Commit();
        }

        Execute(connection, Merge);
        return clock.Elapsed.TotalSeconds;
    }

    private static long KeyedHash(byte[] key, int kind, string value)
    {
        Span<byte> text = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        text[0] = (byte)kind;
        var length = 1 + Encoding.UTF8.GetBytes(value, text[1..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, text[..length], mac);
        return BitConverter.ToInt64(mac);
    }

    private static List<(string LeadId, int Kind, string Value)> Claims(int rows)
    {
        var random = new Random(15);
        var claims = new List<(string, int, string)>(rows * 9 / 4);
        for (var row = 0; row < rows; row++)
        {
            var leadId = ImportIds.NewLeadId();
            claims.Add((leadId, 1, $"{Word(random, 8)}.{Word(random, 7)}@{Word(random, 6)}.com"));
            if (random.NextDouble() < 0.75)
            {
                claims.Add((leadId, 2, string.Create(CultureInfo.InvariantCulture, $"+1{random.NextInt64(2_000_000_000, 9_999_999_999)}")));
            }

            if (random.NextDouble() < 0.5)
            {
                claims.Add((leadId, 5, $"linkedin.com/in/{Word(random, 10)}-{Word(random, 8)}"));
            }
        }

        return claims;
    }

    private static string Word(Random random, int length) =>
        string.Create(length, random, static (word, r) =>
        {
            for (var i = 0; i < word.Length; i++)
            {
                word[i] = (char)('a' + r.Next(26));
            }
        });

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
