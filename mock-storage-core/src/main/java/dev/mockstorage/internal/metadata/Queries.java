package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Single-row lookups used both by the store's read connections and inside transactions. */
final class Queries {
    private Queries() {
    }

    static final String SELECT_BUCKET = "SELECT name, created_at, versioning FROM buckets WHERE name = ?";
    static final String SELECT_OBJECT =
            "SELECT " + Rows.OBJECT_COLUMNS + " FROM objects WHERE bucket = ? AND key = ?";

    static Optional<BucketRecord> bucket(SqlConnection db, String name) throws SQLException {
        PreparedStatement ps = db.prepare(SELECT_BUCKET);
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.bucket(rs)) : Optional.empty();
        }
    }

    /** The bucket's CORS rules, if it has a CORS configuration. */
    static Optional<java.util.List<CorsRule>> bucketCors(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT rules FROM bucket_cors WHERE bucket = ?");
        ps.setString(1, bucket);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.corsFromJson(rs.getString(1))) : Optional.empty();
        }
    }

    static Optional<UploadRecord> upload(SqlConnection db, String uploadId) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT " + Rows.UPLOAD_COLUMNS + " FROM uploads WHERE upload_id = ?");
        ps.setString(1, uploadId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.upload(rs)) : Optional.empty();
        }
    }

    /** Parts of an upload with a number above {@code afterPartNumber}, ascending, at most {@code limit}. */
    static java.util.List<PartRecord> parts(SqlConnection db, String uploadId, int afterPartNumber, int limit) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT " + Rows.PART_COLUMNS
                + " FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?");
        ps.setString(1, uploadId);
        ps.setInt(2, afterPartNumber);
        ps.setInt(3, limit);
        java.util.List<PartRecord> parts = new java.util.ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                parts.add(Rows.part(rs));
            }
        }
        return parts;
    }

    static Optional<ObjectRecord> object(SqlConnection db, String bucket, String key) throws SQLException {
        PreparedStatement ps = db.prepare(SELECT_OBJECT);
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.object(rs)) : Optional.empty();
        }
    }

    /**
     * Compares as S3 (and SQLite's BINARY collation on UTF-8 text) does: by UTF-8 bytes, which is
     * code point order. {@link String#compareTo} differs for supplementary characters.
     */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
