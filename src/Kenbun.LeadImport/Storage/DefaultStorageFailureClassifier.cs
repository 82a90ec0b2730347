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
            IOException => StorageFailure.Unavailable("Storage could not be read or written (an I/O failure, or a full disk)."),
            UnauthorizedAccessException => StorageFailure.Unavailable("Storage refused access (permissions)."),
            _ => StorageFailure.Defect("The store failed in a way it does not classify."),
        };
    }
}
