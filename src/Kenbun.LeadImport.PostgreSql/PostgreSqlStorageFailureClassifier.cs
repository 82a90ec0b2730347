using Kenbun.LeadImport.Storage;
using Npgsql;

namespace Kenbun.LeadImport.PostgreSql;

/// <summary>
/// Classifies the PostgreSQL store's failures by their SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html):
/// <list type="bullet">
/// <item><b>Unavailable</b> — the database cannot serve right now, but nothing is wrong with what was asked: a lost
/// or refused connection (class 08, and Npgsql's own I/O failures and timeouts), a server shutting down or restarting
/// (57P01–57P03), a serialization failure or deadlock (40001, 40P01: the batch is tried again, whole), insufficient
/// resources (class 53; a full disk, 53100, is out of space), a cancelled statement or lock timeout (57014, 55P03), a
/// read-only server (25006, a failover in progress). The engine waits these out; the job resumes from its checkpoint.</item>
/// <item><b>Batch</b> — this batch's data is past a limit or not storable (class 54, program limits; class 22, data
/// exceptions): another batch goes in.</item>
/// <item><b>Defect</b> — everything else, notably integrity violations (class 23: the store checks ownership before it
/// writes, so a violation means its code and its schema disagree) and SQL errors (class 42: an undefined table means
/// the schema is not the one this code knows).</item>
/// </list>
/// </summary>
internal sealed class PostgreSqlStorageFailureClassifier : IStorageFailureClassifier
{
    public static PostgreSqlStorageFailureClassifier Instance { get; } = new();

    public StorageFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            PostgresException postgres => Classify(postgres.SqlState),
            NpgsqlException { IsTransient: true } => StorageFailure.Unavailable("The database could not be reached."),
            NpgsqlException { InnerException: { } inner } => DefaultStorageFailureClassifier.Instance.Classify(inner),
            _ => DefaultStorageFailureClassifier.Instance.Classify(exception),
        };
    }

    private static StorageFailure Classify(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.DiskFull => StorageFailure.OutOfSpace("The disk holding the database is full."),
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow =>
            StorageFailure.Unavailable("The database server is shutting down or starting up."),
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected =>
            StorageFailure.Unavailable("The database stopped a transaction that ran into another; it is tried again."),
        PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.LockNotAvailable =>
            StorageFailure.Unavailable("A database statement was cancelled or waited too long for a lock; it is tried again."),
        PostgresErrorCodes.ReadOnlySqlTransaction => StorageFailure.Unavailable("The database server is read-only (a failover in progress?)."),
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => StorageFailure.Unavailable("The connection to the database failed."),
        _ when sqlState.StartsWith("53", StringComparison.Ordinal) => StorageFailure.Unavailable("The database server is out of resources (memory, connections)."),
        _ when sqlState.StartsWith("54", StringComparison.Ordinal) => StorageFailure.Batch("The batch is past a limit of the database."),
        _ when sqlState.StartsWith("22", StringComparison.Ordinal) => StorageFailure.Batch("The database refused a value of the batch."),
        _ when sqlState.StartsWith("23", StringComparison.Ordinal) => StorageFailure.Defect("A database constraint failed: the store's checks and its schema disagree."),
        _ => StorageFailure.Defect("The database reported an error the store does not expect."),
    };
}
