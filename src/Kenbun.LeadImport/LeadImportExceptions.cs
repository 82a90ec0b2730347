namespace Kenbun.LeadImport;

/// <summary>
/// A problem with what a client sent, reported with a message a person can act on.
/// The HTTP package turns each subtype into its status code; nothing here is a server fault.
/// </summary>
public abstract class LeadImportException : Exception
{
    /// <summary>Creates the exception with its client-facing message.</summary>
    protected LeadImportException(string message)
        : base(message)
    {
    }
}

/// <summary>The upload is not a CSV file we can read (HTTP 400): empty, no header, an unclosed quote, NUL characters, …</summary>
public sealed class InvalidCsvFileException : LeadImportException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, in words a person can act on.</param>
    /// <param name="line">The 1-based line of the file where the problem is, when there is one.</param>
    public InvalidCsvFileException(string message, long? line = null)
        : base(message)
    {
        Line = line;
    }

    /// <summary>The 1-based line of the file where the problem is, or <see langword="null"/> for the file as a whole.</summary>
    public long? Line { get; }
}

/// <summary>The upload is larger than <see cref="LeadImportOptions.MaxFileBytes"/> (HTTP 413). Nothing of it is kept.</summary>
public sealed class FileTooLargeException : LeadImportException
{
    /// <summary>Creates the exception for the given limit.</summary>
    public FileTooLargeException(long limitBytes)
        : base($"The file is larger than the limit of {MessageAmounts.Size(limitBytes)}. Split it into smaller files, or ask for a higher limit.")
    {
        LimitBytes = limitBytes;
    }

    /// <summary>The limit that was exceeded, in bytes.</summary>
    public long LimitBytes { get; }
}

/// <summary>The upload took longer than <see cref="LeadImportOptions.MaxUploadDuration"/> to arrive (HTTP 408). Nothing of it is kept.</summary>
public sealed class UploadTooSlowException : LeadImportException
{
    /// <summary>Creates the exception for the given limit.</summary>
    public UploadTooSlowException(TimeSpan limit)
        : base($"The upload took longer than the limit of {MessageAmounts.Duration(limit)}. Send it again over a faster connection, or split the file.")
    {
        Limit = limit;
    }

    /// <summary>The longest an upload may take.</summary>
    public TimeSpan Limit { get; }
}

/// <summary>The upload is not text: its content is an archive, spreadsheet, PDF or image (HTTP 415).</summary>
public sealed class UnsupportedFileTypeException : LeadImportException
{
    /// <summary>Creates the exception with a message naming what the file appears to be.</summary>
    public UnsupportedFileTypeException(string message)
        : base(message)
    {
    }
}

/// <summary>An OU has reached one of its quotas (HTTP 429).</summary>
public sealed class QuotaExceededException : LeadImportException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which quota was reached.</param>
    /// <param name="retryAfter">How long until the quota frees up.</param>
    public QuotaExceededException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the client should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; }
}
