package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code bucket_stats} table: a bucket's current objects and bytes, changed in the
 * transaction that changes its objects, and its uploads, counted by the upload-completed task.
 */
final class BucketStatsTable {
    private BucketStatsTable() {}

    private static final String COLUMNS = "bucket, objects, bytes, uploads, uploaded_bytes, last_upload_at";

    private static BucketStatsRecord row(ResultSet rs) throws SQLException {
        long last = rs.getLong(6);
        Instant lastUploadAt = rs.wasNull() ? null : Instant.ofEpochMilli(last);
        return new BucketStatsRecord(
                rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), lastUploadAt);
    }

    /** The zero row of a new bucket. */
    static void insert(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO bucket_stats (bucket) VALUES (?)");
        ps.setString(1, bucket);
        ps.executeUpdate();
    }

    /** Adds to the bucket's object count and byte total (negative to subtract). */
    static void adjust(SqlConnection db, String bucket, long objectsDelta, long bytesDelta) throws SQLException {
        PreparedStatement ps =
                db.prepare("UPDATE bucket_stats SET objects = objects + ?, bytes = bytes + ? WHERE bucket = ?");
        ps.setLong(1, objectsDelta);
        ps.setLong(2, bytesDelta);
        ps.setString(3, bucket);
        ps.executeUpdate();
    }

    /** Counts one upload, unless the bucket is gone or is a newer bucket of the same name. */
    static void recordUpload(SqlConnection db, String bucket, Instant bucketCreatedAt, long size, Instant storedAt)
            throws SQLException {
        PreparedStatement ps = db.prepare("UPDATE bucket_stats SET uploads = uploads + 1,"
                + " uploaded_bytes = uploaded_bytes + ?, last_upload_at = max(coalesce(last_upload_at, 0), ?)"
                + " WHERE bucket = ? AND EXISTS (SELECT 1 FROM buckets WHERE name = ? AND created_at = ?)");
        ps.setLong(1, size);
        ps.setLong(2, storedAt.toEpochMilli());
        ps.setString(3, bucket);
        ps.setString(4, bucket);
        ps.setLong(5, bucketCreatedAt.toEpochMilli());
        ps.executeUpdate();
    }

    /** Every bucket's statistics, sorted by bucket name. */
    static List<BucketStatsRecord> all(SqlConnection db) throws SQLException {
        List<BucketStatsRecord> stats = new ArrayList<>();
        try (ResultSet rs = db.prepare("SELECT " + COLUMNS + " FROM bucket_stats ORDER BY bucket")
                .executeQuery()) {
            while (rs.next()) {
                stats.add(row(rs));
            }
        }
        return stats;
    }

    /** One bucket's statistics, if the bucket exists. */
    static Optional<BucketStatsRecord> find(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT " + COLUMNS + " FROM bucket_stats WHERE bucket = ?");
        ps.setString(1, bucket);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }
}
