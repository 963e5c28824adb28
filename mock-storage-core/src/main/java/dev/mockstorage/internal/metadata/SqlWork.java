package dev.mockstorage.internal.metadata;

import java.sql.SQLException;

/** Work on one connection: a read on a pooled read connection, or a transaction on the write connection. */
@FunctionalInterface
interface SqlWork<T> {
    T run(SqlConnection db) throws SQLException;
}
