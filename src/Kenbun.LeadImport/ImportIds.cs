using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Kenbun.LeadImport;

/// <summary>Creates and checks the unguessable ids of files and jobs: a prefix and 128 random bits, base64url.</summary>
public static class ImportIds
{
    /// <summary>The prefix of every file id.</summary>
    public const string FilePrefix = "preview_";

    /// <summary>The prefix of every job id.</summary>
    public const string JobPrefix = "job_";

    private const string LeadPrefix = "lead_";
    private const int LeadTimeDigits = 12;
    private const int RandomBytes = 16;
    private const int EncodedLength = 22;

    /// <summary>A new file id, e.g. <c>preview_3q2-7wEXAMPLEc1a9Zx0b_Q</c>.</summary>
    public static string NewFileId() => New(FilePrefix);

    /// <summary>A new job id, e.g. <c>job_3q2-7wEXAMPLEc1a9Zx0b_Q</c>.</summary>
    public static string NewJobId() => New(JobPrefix);

    /// <summary>
    /// A new lead id: <c>lead_</c>, the creation time (Unix milliseconds, 12 hex digits), then 128 random bits, e.g.
    /// <c>lead_019ac6f2a1b03q2-7wEXAMPLEc1a9Zx0b_Q</c>. Ids made later sort later, so a database index on lead ids
    /// grows at its end rather than at random pages; the random part keeps them unguessable.
    /// </summary>
    public static string NewLeadId() =>
        string.Create(LeadPrefix.Length + LeadTimeDigits + EncodedLength, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), static (id, milliseconds) =>
        {
            LeadPrefix.CopyTo(id);
            milliseconds.TryFormat(id[LeadPrefix.Length..], out _, "x12", CultureInfo.InvariantCulture);
            FillRandom(id[(LeadPrefix.Length + LeadTimeDigits)..]);
        });

    /// <summary>Whether <paramref name="id"/> has the shape of an id with <paramref name="prefix"/>; safe to use in a path when true.</summary>
    public static bool IsWellFormed(string? id, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (id is null || id.Length != prefix.Length + EncodedLength || !id.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id.AsSpan(prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    // One call to the system's generator per 256 ids: each call costs microseconds, and an import makes an id per new lead.
    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    private static string New(string prefix) =>
        string.Create(prefix.Length + EncodedLength, prefix, static (id, prefix) =>
        {
            prefix.CopyTo(id);
            FillRandom(id[prefix.Length..]);
        });

    /// <summary>Writes 128 random bits as <see cref="EncodedLength"/> base64url characters.</summary>
    private static void FillRandom(Span<char> destination)
    {
        var random = t_random ??= new byte[RandomBytes * 256];
        if (t_used == 0)
        {
            RandomNumberGenerator.Fill(random);
        }

        var bytes = random.AsSpan(t_used, RandomBytes);
        Base64Url.EncodeToChars(bytes, destination);
        bytes.Clear();
        t_used = (t_used + RandomBytes) % random.Length;
    }
}
