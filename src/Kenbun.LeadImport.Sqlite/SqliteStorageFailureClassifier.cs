using Kenbun.LeadImport.Storage;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>
/// Classifies the SQLite stores' failures by their SQLite result code (https://www.sqlite.org/rescode.html), the
/// primary code of the extended one:
/// <list type="bullet">
/// <item><b>Unavailable</b> — the database cannot be used right now, but nothing is wrong with what was asked: a lock
/// held past the busy timeout (<c>SQLITE_BUSY</c>, <c>SQLITE_LOCKED</c>), a full disk (<c>SQLITE_FULL</c>), I/O errors,
/// a file that cannot be opened or written (<c>SQLITE_CANTOPEN</c>, <c>SQLITE_READONLY</c>, <c>SQLITE_PERM</c>,
/// <c>SQLITE_AUTH</c>, <c>SQLITE_NOLFS</c>; a full disk or <c>SQLITE_NOLFS</c> is out of space), memory, an interrupted or aborted statement, a schema another process just
/// changed. An operator (or the other process) fixes these; the job waits.</item>
/// <item><b>Batch</b> — <c>SQLITE_TOOBIG</c>: this batch's data is past SQLite's size limits; another batch goes in.</item>
/// <item><b>Defect</b> — everything else, notably <c>SQLITE_CONSTRAINT</c> and <c>SQLITE_MISMATCH</c>. The stores check
/// what they write before writing it (an identifier another lead owns is a <c>Conflict</c> result, not a constraint
/// error; every value is bound as text or integer), so a constraint or type error means the store's code and its schema
/// disagree: a bug that retrying would repeat and <c>Server error</c> rows would hide. Also a damaged file
/// (<c>SQLITE_CORRUPT</c>, <c>SQLITE_NOTADB</c>) and SQL errors (<c>SQLITE_ERROR</c>: no such table, …).</item>
/// </list>
/// Exceptions that are not <see cref="SqliteException"/> go to <see cref="DefaultStorageFailureClassifier"/>.
/// </summary>
internal sealed class SqliteStorageFailureClassifier : IStorageFailureClassifier
{
    public static SqliteStorageFailureClassifier Instance { get; } = new();

    public StorageFailure Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not SqliteException sqlite)
        {
            return DefaultStorageFailureClassifier.Instance.Classify(exception);
        }

        return (sqlite.SqliteErrorCode & 0xFF) switch
        {
            SQLITE_BUSY or SQLITE_LOCKED => StorageFailure.Unavailable("The database is locked by another connection or process."),
            SQLITE_FULL => StorageFailure.OutOfSpace("The disk holding the database is full."),
            SQLITE_IOERR => StorageFailure.Unavailable("The database file could not be read or written (an I/O error)."),
            SQLITE_CANTOPEN => StorageFailure.Unavailable("The database file could not be opened."),
            SQLITE_READONLY or SQLITE_PERM or SQLITE_AUTH => StorageFailure.Unavailable("The database file cannot be written (read-only, or permission denied)."),
            SQLITE_NOLFS => StorageFailure.OutOfSpace("The database file is too large for its file system."),
            SQLITE_NOMEM => StorageFailure.Unavailable("SQLite ran out of memory."),
            SQLITE_INTERRUPT or SQLITE_ABORT or SQLITE_PROTOCOL or SQLITE_SCHEMA => StorageFailure.Unavailable("A database statement was interrupted; it is tried again."),
            SQLITE_TOOBIG => StorageFailure.Batch("The batch holds more data than the database takes in one statement."),
            SQLITE_CORRUPT or SQLITE_NOTADB => StorageFailure.Defect("The database file is damaged or is not a database."),
            SQLITE_CONSTRAINT => StorageFailure.Defect("A database constraint failed: the store's checks and its schema disagree."),
            SQLITE_MISMATCH => StorageFailure.Defect("A value did not match its column's type: the store's code and its schema disagree."),
            _ => StorageFailure.Defect("The database reported an error the store does not expect."),
        };
    }
}
