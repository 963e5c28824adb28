package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQL of the {@code object_versions} table (the versioning migration in {@link Schema}): {@code objects}
 * holds the current version of a key, {@code object_versions} its noncurrent versions and delete markers
 * ordered by {@code seq} (larger is newer; the current row counts as newest). Lookups by version id and
 * listings see both tables.
 */
final class VersionTable {
    private VersionTable() {}

    /** The position of a current row in a key's version order: newer than every noncurrent one. */
    private static final long CURRENT_SEQ = Long.MAX_VALUE;

    private static final String VERSION_COLUMNS =
            "bucket, key, seq, version_id, delete_marker, blob_id, size, etag, content_type,"
                    + " last_modified, user_metadata, headers, checksums, tags, grants";
    /** The objects table's rows in {@link #VERSION_COLUMNS} order. */
    private static final String CURRENT_AS_VERSION =
            "bucket, key, " + CURRENT_SEQ + " AS seq, version_id, 0 AS delete_marker,"
                    + " blob_id, size, etag, content_type, last_modified, user_metadata, headers, checksums, tags, grants";

    /** Maps a row selected with {@link #VERSION_COLUMNS}. */
    private static ObjectVersion version(ResultSet rs, boolean latest) throws SQLException {
        String bucket = rs.getString(1);
        String key = rs.getString(2);
        String versionId = rs.getString(4);
        boolean marker = rs.getInt(5) != 0;
        Instant lastModified = Instant.ofEpochMilli(rs.getLong(10));
        ObjectRecord object = marker
                ? null
                : new ObjectRecord(
                        bucket,
                        key,
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getString(8),
                        rs.getString(9),
                        lastModified,
                        Columns.fromJson(rs.getString(11)),
                        Columns.fromJson(rs.getString(12)),
                        Columns.fromJson(rs.getString(13)),
                        Columns.fromJson(rs.getString(14)),
                        versionId,
                        Columns.grantsFromJson(rs.getString(15)));
        return new ObjectVersion(
                bucket,
                key,
                versionId == null ? ObjectVersion.NULL_ID : versionId,
                marker,
                latest,
                lastModified,
                object);
    }

    private static ObjectVersion current(ObjectRecord o) {
        return new ObjectVersion(o.bucket(), o.key(), o.s3VersionId(), false, true, o.lastModified(), o);
    }

    /** The newest noncurrent version or marker of a key, with {@code latest} as given. */
    static Optional<ObjectVersion> newestNoncurrent(SqlConnection db, String bucket, String key, boolean latest)
            throws SQLException {
        PreparedStatement ps = db.prepare("SELECT " + VERSION_COLUMNS
                + " FROM object_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1");
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(version(rs, latest)) : Optional.empty();
        }
    }

    /** The key's newest version: its current row, else its newest delete marker (or noncurrent version). */
    static Optional<ObjectVersion> latest(SqlConnection db, String bucket, String key) throws SQLException {
        Optional<ObjectRecord> current = ObjectTable.find(db, bucket, key);
        if (current.isPresent()) {
            return Optional.of(current(current.get()));
        }
        return newestNoncurrent(db, bucket, key, true);
    }

    /** One version by its S3 id ({@value ObjectVersion#NULL_ID} for the null version). */
    static Optional<ObjectVersion> version(SqlConnection db, String bucket, String key, String s3VersionId)
            throws SQLException {
        Optional<ObjectRecord> current = ObjectTable.find(db, bucket, key);
        String stored = ObjectVersion.storedId(s3VersionId);
        if (current.isPresent() && Objects.equals(current.get().versionId(), stored)) {
            return Optional.of(current(current.get()));
        }
        Optional<Noncurrent> found = findNoncurrent(db, bucket, key, stored);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ObjectVersion v = found.get().version();
        boolean latest = current.isEmpty() && found.get().seq() == maxSeq(db, bucket, key);
        return Optional.of(
                latest
                        ? new ObjectVersion(
                                v.bucket(),
                                v.key(),
                                v.versionId(),
                                v.deleteMarker(),
                                true,
                                v.lastModified(),
                                v.object())
                        : v);
    }

    /** A noncurrent version or marker (latest: false) with its place in the key's version order. */
    private record Noncurrent(long seq, ObjectVersion version) {}

    /** The noncurrent version or marker of a key with this stored version id (null: the null version), if any. */
    private static Optional<Noncurrent> findNoncurrent(
            SqlConnection db, String bucket, String key, String storedVersionId) throws SQLException {
        PreparedStatement ps = db.prepare(
                "SELECT " + VERSION_COLUMNS + " FROM object_versions WHERE bucket = ? AND key = ? AND version_id IS ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        Columns.setNullableString(ps, 3, storedVersionId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Noncurrent(rs.getLong(3), version(rs, false))) : Optional.empty();
        }
    }

    /** The seq of a version by S3 id: {@link #CURRENT_SEQ} for the current row; empty when unknown. */
    private static Optional<Long> seqOf(SqlConnection db, String bucket, String key, String s3VersionId)
            throws SQLException {
        String stored = ObjectVersion.storedId(s3VersionId);
        Optional<ObjectRecord> current = ObjectTable.find(db, bucket, key);
        if (current.isPresent() && Objects.equals(current.get().versionId(), stored)) {
            return Optional.of(CURRENT_SEQ);
        }
        PreparedStatement ps =
                db.prepare("SELECT seq FROM object_versions WHERE bucket = ? AND key = ? AND version_id IS ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        Columns.setNullableString(ps, 3, stored);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    private static long maxSeq(SqlConnection db, String bucket, String key) throws SQLException {
        PreparedStatement ps =
                db.prepare("SELECT coalesce(max(seq), 0) FROM object_versions WHERE bucket = ? AND key = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Adds a noncurrent version (the row that was current) or, with {@code object} null, a delete marker; as the newest. */
    static void insert(
            SqlConnection db, String bucket, String key, String storedVersionId, ObjectRecord object, Instant at)
            throws SQLException {
        long seq = maxSeq(db, bucket, key) + 1;
        PreparedStatement ps = db.prepare("INSERT INTO object_versions (" + VERSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setLong(3, seq);
        Columns.setNullableString(ps, 4, storedVersionId);
        ps.setInt(5, object == null ? 1 : 0);
        Columns.setNullableString(ps, 6, object == null ? null : object.blobId());
        ps.setLong(7, object == null ? 0 : object.size());
        Columns.setNullableString(ps, 8, object == null ? null : object.etag());
        Columns.setNullableString(ps, 9, object == null ? null : object.contentType());
        ps.setLong(10, (object == null ? at : object.lastModified()).toEpochMilli());
        Columns.setNullableString(ps, 11, object == null ? null : Columns.toJson(object.userMetadata()));
        Columns.setNullableString(ps, 12, object == null ? null : Columns.toJson(object.headers()));
        Columns.setNullableString(ps, 13, object == null ? null : Columns.toJson(object.checksums()));
        Columns.setNullableString(ps, 14, object == null ? null : Columns.toJson(object.tags()));
        Columns.setNullableString(ps, 15, object == null ? null : Columns.grantsToJson(object.grants()));
        ps.executeUpdate();
    }

    /** Removes a noncurrent version or marker by S3 id; returns it (latest: false) if it existed. */
    static Optional<ObjectVersion> deleteNoncurrent(SqlConnection db, String bucket, String key, String s3VersionId)
            throws SQLException {
        Optional<Noncurrent> found = findNoncurrent(db, bucket, key, ObjectVersion.storedId(s3VersionId));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PreparedStatement ps = db.prepare("DELETE FROM object_versions WHERE bucket = ? AND key = ? AND seq = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setLong(3, found.get().seq());
        ps.executeUpdate();
        return Optional.of(found.get().version());
    }

    /** Replaces the grants of a noncurrent version (not a marker) by stored version id; false when there is none. */
    static boolean setGrants(SqlConnection db, String bucket, String key, String storedVersionId, List<Grant> grants)
            throws SQLException {
        PreparedStatement ps =
                db.prepare("UPDATE object_versions SET grants = ? WHERE bucket = ? AND key = ? AND version_id IS ?"
                        + " AND delete_marker = 0");
        Columns.setNullableString(ps, 1, Columns.grantsToJson(grants));
        ps.setString(2, bucket);
        ps.setString(3, key);
        Columns.setNullableString(ps, 4, storedVersionId);
        return ps.executeUpdate() == 1;
    }

    /** Removes every noncurrent version and marker of a bucket; returns the blob ids of the versions. */
    static List<String> deleteAllNoncurrent(SqlConnection db, String bucket) throws SQLException {
        List<String> blobIds = new ArrayList<>();
        PreparedStatement find =
                db.prepare("SELECT blob_id FROM object_versions WHERE bucket = ? AND blob_id IS NOT NULL");
        find.setString(1, bucket);
        try (ResultSet rs = find.executeQuery()) {
            while (rs.next()) {
                blobIds.add(rs.getString(1));
            }
        }
        PreparedStatement ps = db.prepare("DELETE FROM object_versions WHERE bucket = ?");
        ps.setString(1, bucket);
        ps.executeUpdate();
        return blobIds;
    }

    /** Hands the blob id of every noncurrent version (not markers) to {@code sink}. */
    static void blobIds(SqlConnection db, Consumer<String> sink) throws SQLException {
        db.selectStrings("SELECT blob_id FROM object_versions WHERE blob_id IS NOT NULL", sink);
    }

    /** Number of noncurrent versions and delete markers in a bucket (null: all buckets). */
    /** Number of noncurrent versions and delete markers of one key. */
    static long countOfKey(SqlConnection db, String bucket, String key) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT count(*) FROM object_versions WHERE bucket = ? AND key = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long count(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps;
        if (bucket == null) {
            ps = db.prepare("SELECT count(*) FROM object_versions");
        } else {
            ps = db.prepare("SELECT count(*) FROM object_versions WHERE bucket = ?");
            ps.setString(1, bucket);
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Versions and markers of a bucket whose key starts with {@code prefix}, in key order (UTF-8 bytes), newest
     * first within a key, at most {@code limit}; strictly after the position ({@code afterKey},
     * {@code afterVersionId}) when {@code afterKey} is given (a null or unknown version id: after the whole key),
     * else from {@code fromKey} inclusive when that is given.
     */
    static List<ObjectVersion> list(
            SqlConnection db,
            String bucket,
            String prefix,
            String afterKey,
            String afterVersionId,
            String fromKey,
            int limit)
            throws SQLException {
        String p = prefix == null ? "" : prefix;
        long afterSeq = Long.MIN_VALUE;
        if (afterKey != null && afterVersionId != null) {
            afterSeq = seqOf(db, bucket, afterKey, afterVersionId).orElse(Long.MIN_VALUE);
        }
        String start = afterKey != null && ObjectTable.compareUtf8(afterKey, p) > 0
                ? afterKey
                : afterKey == null && fromKey != null && ObjectTable.compareUtf8(fromKey, p) > 0 ? fromKey : p;
        // each side walks its primary key from the start position and stops after `limit` rows, so a page
        // costs about 2 * limit rows however large the bucket; the outer sort merges those few
        String afterCurrent = afterKey == null ? "" : " AND (key > ? OR (key = ? AND " + CURRENT_SEQ + " < ?))";
        String afterNoncurrent = afterKey == null ? "" : " AND (key > ? OR (key = ? AND seq < ?))";
        String sql = "SELECT * FROM (SELECT " + CURRENT_AS_VERSION + " FROM objects WHERE bucket = ? AND key >= ?"
                + afterCurrent + " ORDER BY key LIMIT ?)"
                + " UNION ALL SELECT * FROM (SELECT " + VERSION_COLUMNS
                + " FROM object_versions WHERE bucket = ? AND key >= ?"
                + afterNoncurrent + " ORDER BY key, seq DESC LIMIT ?)"
                + " ORDER BY 2, 3 DESC LIMIT ?";
        PreparedStatement ps = db.prepare(sql);
        int i = 1;
        for (int side = 0; side < 2; side++) {
            ps.setString(i++, bucket);
            ps.setString(i++, start);
            if (afterKey != null) {
                ps.setString(i++, afterKey);
                ps.setString(i++, afterKey);
                ps.setLong(i++, afterSeq);
            }
            ps.setInt(i++, limit);
        }
        ps.setInt(i, limit);
        List<ObjectVersion> out = new ArrayList<>(Math.min(limit, 1000));
        String previousKey = afterKey != null && afterSeq != Long.MIN_VALUE ? afterKey : null;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(2);
                if (!key.startsWith(p)) {
                    break;
                }
                out.add(version(rs, !key.equals(previousKey)));
                previousKey = key;
            }
        }
        return out;
    }
}
