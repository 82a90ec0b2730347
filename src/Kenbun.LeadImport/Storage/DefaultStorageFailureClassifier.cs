using System.Data.Common;
using System.Net.Sockets;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// The classifier for stores that bring none, and the fallback of those that do. It knows only what .NET itself says
/// is transient — a timeout, a lost connection, an I/O failure, a <see cref="DbException"/> whose
/// <see cref="DbException.IsTransient"/> is set — and calls all of that <see cref="StorageFailureKind.Unavailable"/>.
/// Everything else is a <see cref="StorageFailureKind.Defect"/>: a store that has not said which of its failures are
/// outages or refused data fails its jobs loudly, rather than quietly turning rows into <c>Server error</c>.
/// It calls nothing <see cref="StorageFailureKind.Batch"/>: only a provider can tell its refusals apart.
/// </summary>
public sealed class DefaultStorageFailureClassifier : IStorageFailureClassifier
{
    /// <summary>The <see cref="Exception.HResult"/> of an <see cref="IOException"/> for a full disk: <c>ENOSPC</c> on Unix, <c>ERROR_DISK_FULL</c> and <c>ERROR_HANDLE_DISK_FULL</c> on Windows.</summary>
    private const int DiskFullOnUnix = 28;
    private const int DiskFullOnWindows = unchecked((int)0x80070070);
    private const int HandleDiskFullOnWindows = unchecked((int)0x80070027);

    /// <summary>The one instance; the classifier holds no state.</summary>
    public static DefaultStorageFailureClassifier Instance { get; } = new();

    /// <inheritdoc />
    public StorageFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AggregateException { InnerExceptions.Count: 1 } single => Classify(single.InnerExceptions[0]),
            TimeoutException or OperationCanceledException => StorageFailure.Unavailable("A storage call timed out."),
            SocketException => StorageFailure.Unavailable("The store could not be reached."),
            DbException { IsTransient: true } => StorageFailure.Unavailable("The database reported a transient failure."),
            FileNotFoundException or DirectoryNotFoundException => StorageFailure.Defect("A file the store relies on is missing."),
            IOException { HResult: DiskFullOnUnix or DiskFullOnWindows or HandleDiskFullOnWindows } => StorageFailure.OutOfSpace("The disk holding the store is full."),
            IOException => StorageFailure.Unavailable("Storage could not be read or written (an I/O failure)."),
            UnauthorizedAccessException => StorageFailure.Unavailable("Storage refused access (permissions)."),
            _ => StorageFailure.Defect("The store failed in a way it does not classify."),
        };
    }
}
