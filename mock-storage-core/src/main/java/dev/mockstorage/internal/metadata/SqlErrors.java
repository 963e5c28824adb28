package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.sql.SQLException;

/** How SQLite's failures reach the services: as {@link StorageException}s that say what was being done. */
final class SqlErrors {
    private SqlErrors() {}

    /** SQLite's BUSY/LOCKED (another process holds the file) become SlowDown; anything else InternalError. */
    static StorageException wrap(String what, SQLException e) {
        int code = e.getErrorCode() & 0xff; // primary result code
        ErrorCode errorCode = code == 5 || code == 6 ? ErrorCode.SlowDown : ErrorCode.InternalError;
        return new StorageException(errorCode, "metadata " + what + " failed: " + e.getMessage(), null, e);
    }

    /** What any use of a closed store gets. */
    static StorageException closed() {
        return new StorageException(ErrorCode.ServiceUnavailable, "metadata store is closed");
    }
}
