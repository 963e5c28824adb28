package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the {@code buckets} table and of the bucket's settings that live and go with its row:
 * {@code bucket_tags}, {@code bucket_cors} and {@code bucket_lifecycle} (one row each at most, deleted with the bucket).
 */
final class BucketTable {
    private BucketTable() {}

    private static BucketRecord row(ResultSet rs) throws SQLException {
        return new BucketRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3));
    }

    static Optional<BucketRecord> find(SqlConnection db, String name) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT name, created_at, versioning FROM buckets WHERE name = ?");
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    /** All buckets sorted by name. */
    static List<BucketRecord> all(SqlConnection db) throws SQLException {
        List<BucketRecord> buckets = new ArrayList<>();
        try (ResultSet rs = db.prepare("SELECT name, created_at, versioning FROM buckets ORDER BY name")
                .executeQuery()) {
            while (rs.next()) {
                buckets.add(row(rs));
            }
        }
        return buckets;
    }

    /** Up to {@code limit} buckets named after {@code after} ("" for from the first) that start with {@code prefix}, by name. */
    static List<BucketRecord> page(SqlConnection db, String prefix, String after, int limit) throws SQLException {
        PreparedStatement ps =
                db.prepare("SELECT name, created_at, versioning FROM buckets WHERE name > ? AND substr(name, 1, ?) = ? "
                        + "ORDER BY name LIMIT ?");
        ps.setString(1, after);
        ps.setInt(2, prefix.length());
        ps.setString(3, prefix);
        ps.setInt(4, limit);
        List<BucketRecord> buckets = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                buckets.add(row(rs));
            }
        }
        return buckets;
    }

    /** Inserts the bucket; false when it exists (nothing changed). */
    static boolean insert(SqlConnection db, String name, Instant createdAt) throws SQLException {
        PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO buckets (name, created_at) VALUES (?, ?)");
        ps.setString(1, name);
        ps.setLong(2, createdAt.toEpochMilli());
        return ps.executeUpdate() == 1;
    }

    /** Deletes the bucket row (its settings and statistics go with it); false when it did not exist. */
    static boolean delete(SqlConnection db, String name) throws SQLException {
        PreparedStatement ps = db.prepare("DELETE FROM buckets WHERE name = ?");
        ps.setString(1, name);
        return ps.executeUpdate() == 1;
    }

    /** True when no object, noncurrent version or delete marker is in the bucket (as on S3). */
    static boolean isEmpty(SqlConnection db, String name) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT 1 FROM objects WHERE bucket = ?"
                + " UNION ALL SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1");
        ps.setString(1, name);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
            return !rs.next();
        }
    }

    /** Sets the versioning status; false when no such bucket. */
    static boolean setVersioning(SqlConnection db, String bucket, String status) throws SQLException {
        PreparedStatement ps = db.prepare("UPDATE buckets SET versioning = ? WHERE name = ?");
        ps.setString(1, status);
        ps.setString(2, bucket);
        return ps.executeUpdate() == 1;
    }

    /** The bucket's tag set, if it has one. */
    static Optional<Map<String, String>> tags(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT tags FROM bucket_tags WHERE bucket = ?");
        ps.setString(1, bucket);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Columns.fromJson(rs.getString(1))) : Optional.empty();
        }
    }

    /** Replaces the bucket's tag set (null or empty: deletes it). */
    static void setTags(SqlConnection db, String bucket, Map<String, String> tags) throws SQLException {
        setSetting(
                db,
                "DELETE FROM bucket_tags WHERE bucket = ?",
                "INSERT OR REPLACE INTO bucket_tags (bucket, tags) VALUES (?, ?)",
                bucket,
                Columns.toJson(tags));
    }

    /** The bucket's CORS rules, if it has a CORS configuration. */
    static Optional<List<CorsRule>> cors(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT rules FROM bucket_cors WHERE bucket = ?");
        ps.setString(1, bucket);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Columns.corsFromJson(rs.getString(1))) : Optional.empty();
        }
    }

    /** Replaces the bucket's CORS rules (null or empty: deletes the configuration). */
    static void setCors(SqlConnection db, String bucket, List<CorsRule> rules) throws SQLException {
        setSetting(
                db,
                "DELETE FROM bucket_cors WHERE bucket = ?",
                "INSERT OR REPLACE INTO bucket_cors (bucket, rules) VALUES (?, ?)",
                bucket,
                rules == null || rules.isEmpty() ? null : Columns.corsToJson(rules));
    }

    /** The bucket's lifecycle rules, if it has a lifecycle configuration. */
    static Optional<List<LifecycleRule>> lifecycle(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT rules FROM bucket_lifecycle WHERE bucket = ?");
        ps.setString(1, bucket);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Columns.lifecycleFromJson(rs.getString(1))) : Optional.empty();
        }
    }

    /** Replaces the bucket's lifecycle rules (null or empty: deletes the configuration). */
    static void setLifecycle(SqlConnection db, String bucket, List<LifecycleRule> rules) throws SQLException {
        setSetting(
                db,
                "DELETE FROM bucket_lifecycle WHERE bucket = ?",
                "INSERT OR REPLACE INTO bucket_lifecycle (bucket, rules) VALUES (?, ?)",
                bucket,
                rules == null || rules.isEmpty() ? null : Columns.lifecycleToJson(rules));
    }

    /** The buckets that have lifecycle rules, by name. */
    static List<String> lifecycleBuckets(SqlConnection db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = db.prepare("SELECT bucket FROM bucket_lifecycle ORDER BY bucket")
                .executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Writes a bucket's row of a settings table with {@code upsert}, or removes it with {@code delete} when {@code json} is null. */
    private static void setSetting(SqlConnection db, String delete, String upsert, String bucket, String json)
            throws SQLException {
        PreparedStatement ps = db.prepare(json == null ? delete : upsert);
        ps.setString(1, bucket);
        if (json != null) {
            ps.setString(2, json);
        }
        ps.executeUpdate();
    }
}
