package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The SQL of the {@code damaged_blobs} table: object versions the consistency check found without
 * any intact replica (GET and HEAD answer an error at once). A mark goes when its object is
 * overwritten or deleted, or when a later check finds a copy.
 */
final class DamagedBlobTable {
    private DamagedBlobTable() {}

    /** Marks the blob of {@code bucket/key} damaged; true when the mark is new. */
    static boolean mark(SqlConnection db, String bucket, String key, String blobId, String reason, Instant at)
            throws SQLException {
        PreparedStatement ps =
                db.prepare("INSERT OR IGNORE INTO damaged_blobs (blob_id, bucket, key, reason, detected_at)"
                        + " VALUES (?, ?, ?, ?, ?)");
        ps.setString(1, blobId);
        ps.setString(2, bucket);
        ps.setString(3, key);
        Columns.setNullableString(ps, 4, reason);
        ps.setLong(5, at.toEpochMilli());
        return ps.executeUpdate() == 1;
    }

    /** Removes the blob's mark; true when there was one. */
    static boolean unmark(SqlConnection db, String blobId) throws SQLException {
        PreparedStatement ps = db.prepare("DELETE FROM damaged_blobs WHERE blob_id = ?");
        ps.setString(1, blobId);
        return ps.executeUpdate() == 1;
    }

    /** Blob ids marked damaged whose object still points at them. */
    static Set<String> ofCurrentObjects(SqlConnection db) throws SQLException {
        Set<String> ids = new HashSet<>();
        db.selectStrings(
                "SELECT d.blob_id FROM damaged_blobs d JOIN objects o"
                        + " ON o.bucket = d.bucket AND o.key = d.key AND o.blob_id = d.blob_id",
                ids::add);
        return ids;
    }
}
