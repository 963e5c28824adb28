package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQL of the {@code objects} table: the current version of each key (one primary-key lookup
 * for a GET), listings that walk the primary key in S3's order, and the aggregates over it.
 */
final class ObjectTable {
    private ObjectTable() {}

    private static final String COLUMNS =
            "bucket, key, blob_id, size, etag, content_type, last_modified, user_metadata, headers, checksums, tags, version_id, grants";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM objects WHERE bucket = ? AND key = ?";
    private static final String LIST_FROM =
            "SELECT " + COLUMNS + " FROM objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?";
    private static final String LIST_AFTER =
            "SELECT " + COLUMNS + " FROM objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?";

    /** Maps a row selected with {@link #COLUMNS}. */
    private static ObjectRecord row(ResultSet rs) throws SQLException {
        return new ObjectRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)),
                Columns.fromJson(rs.getString(8)),
                Columns.fromJson(rs.getString(9)),
                Columns.fromJson(rs.getString(10)),
                Columns.fromJson(rs.getString(11)),
                rs.getString(12),
                Columns.grantsFromJson(rs.getString(13)));
    }

    static Optional<ObjectRecord> find(SqlConnection db, String bucket, String key) throws SQLException {
        PreparedStatement ps = db.prepare(SELECT);
        ps.setString(1, bucket);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    /** Inserts the row, or replaces the key's row. */
    static void put(SqlConnection db, ObjectRecord o) throws SQLException {
        PreparedStatement ps = db.prepare(
                "INSERT OR REPLACE INTO objects (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, o.bucket());
        ps.setString(2, o.key());
        ps.setString(3, o.blobId());
        ps.setLong(4, o.size());
        ps.setString(5, o.etag());
        Columns.setNullableString(ps, 6, o.contentType());
        if (o.lastModified() == null) {
            throw new IllegalArgumentException("object " + o.bucket() + "/" + o.key() + " has no lastModified");
        }
        ps.setLong(7, o.lastModified().toEpochMilli());
        Columns.setNullableString(ps, 8, Columns.toJson(o.userMetadata()));
        Columns.setNullableString(ps, 9, Columns.toJson(o.headers()));
        Columns.setNullableString(ps, 10, Columns.toJson(o.checksums()));
        Columns.setNullableString(ps, 11, Columns.toJson(o.tags()));
        Columns.setNullableString(ps, 12, o.versionId());
        Columns.setNullableString(ps, 13, Columns.grantsToJson(o.grants()));
        ps.executeUpdate();
    }

    static void delete(SqlConnection db, String bucket, String key) throws SQLException {
        PreparedStatement ps = db.prepare("DELETE FROM objects WHERE bucket = ? AND key = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.executeUpdate();
    }

    /** Replaces the tags of a row (empty: none); false when there is no such row. */
    static boolean setTags(SqlConnection db, String bucket, String key, Map<String, String> tags) throws SQLException {
        PreparedStatement ps = db.prepare("UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?");
        Columns.setNullableString(ps, 1, Columns.toJson(tags));
        ps.setString(2, bucket);
        ps.setString(3, key);
        return ps.executeUpdate() == 1;
    }

    /** Replaces the grants of the key's current row if it is version {@code versionId} (null: the null version); false when it is not. */
    static boolean setGrants(SqlConnection db, String bucket, String key, String versionId, List<Grant> grants)
            throws SQLException {
        PreparedStatement ps =
                db.prepare("UPDATE objects SET grants = ? WHERE bucket = ? AND key = ? AND version_id IS ?");
        Columns.setNullableString(ps, 1, Columns.grantsToJson(grants));
        ps.setString(2, bucket);
        ps.setString(3, key);
        Columns.setNullableString(ps, 4, versionId);
        return ps.executeUpdate() == 1;
    }

    /**
     * Rows of a bucket whose key starts with {@code prefix} and sorts strictly after {@code afterKey}
     * (null: from the start), ascending by the key's UTF-8 bytes, at most {@code limit}. Walks the
     * primary key from the later of {@code prefix} and {@code afterKey} and stops at the first key
     * outside the prefix, so a page costs {@code limit} rows, not the bucket's size.
     */
    static List<ObjectRecord> list(SqlConnection db, String bucket, String prefix, String afterKey, int limit)
            throws SQLException {
        return list(db, bucket, prefix, afterKey, false, limit);
    }

    /**
     * As {@link #list(SqlConnection, String, String, String, int)}, but from {@code fromKey} inclusive: for a
     * listing that rolls keys up into a common prefix and goes on at the prefix's successor
     * ({@link KeyRange#successor}) instead of reading every key under it.
     */
    static List<ObjectRecord> listFrom(SqlConnection db, String bucket, String prefix, String fromKey, int limit)
            throws SQLException {
        return list(db, bucket, prefix, fromKey, true, limit);
    }

    private static List<ObjectRecord> list(
            SqlConnection db, String bucket, String prefix, String bound, boolean inclusive, int limit)
            throws SQLException {
        String p = prefix == null ? "" : prefix;
        int position = bound == null ? -1 : compareUtf8(bound, p);
        boolean fromBound = inclusive ? position > 0 : position >= 0;
        PreparedStatement ps = db.prepare(fromBound && !inclusive ? LIST_AFTER : LIST_FROM);
        ps.setString(1, bucket);
        ps.setString(2, fromBound ? bound : p);
        ps.setInt(3, limit);
        List<ObjectRecord> objects = new ArrayList<>(Math.min(limit, 1000));
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!rs.getString(2).startsWith(p)) {
                    break;
                }
                objects.add(row(rs));
            }
        }
        return objects;
    }

    /**
     * Rows across buckets matching {@code query}, ordered by bucket then key, strictly after
     * ({@code afterBucket}, {@code afterKey}) when given, at most {@code limit}. The position, the bucket
     * and a prefix (or a glob's literal start) bound the walk of the primary-key index, so a page costs its
     * rows wherever it starts. Other filters (a substring, a glob's rest, content type, size) can only be
     * checked row by row: then the walk examines at most {@code budget} rows and, when it stops there before
     * its range ends with fewer than {@code limit} matches, says where, for the next page to go on from.
     */
    static FoundObjects search(
            SqlConnection db, ObjectQuery query, String afterBucket, String afterKey, int limit, int budget)
            throws SQLException {
        StringBuilder bounds = new StringBuilder();
        List<Object> boundArgs = new ArrayList<>();
        if (query.bucket() != null) {
            bounds.append(" AND bucket = ?");
            boundArgs.add(query.bucket());
        }
        if (query.prefix() != null && !query.prefix().isEmpty()) {
            bounds.append(" AND substr(key, 1, length(?)) = ?");
            boundArgs.add(query.prefix());
            boundArgs.add(query.prefix());
        }
        StringBuilder filters = new StringBuilder();
        List<Object> filterArgs = new ArrayList<>();
        if (query.substring() != null && !query.substring().isEmpty()) {
            filters.append(" AND instr(key, ?) > 0");
            filterArgs.add(query.substring());
        }
        if (query.glob() != null) {
            filters.append(" AND key GLOB ?");
            filterArgs.add(sqliteGlob(query.glob()));
        }
        if (query.contentTypePrefix() != null && !query.contentTypePrefix().isEmpty()) {
            filters.append(" AND substr(coalesce(content_type, ''), 1, length(?)) = ?");
            filterArgs.add(query.contentTypePrefix());
            filterArgs.add(query.contentTypePrefix());
        }
        if (query.minSize() != null) {
            filters.append(" AND size >= ?");
            filterArgs.add(query.minSize());
        }
        if (query.maxSize() != null) {
            filters.append(" AND size <= ?");
            filterArgs.add(query.maxSize());
        }
        // Where the walk of the primary-key index starts and ends. With (bucket > ? OR (bucket = ? AND
        // key > ?)) SQLite walked from the bucket's first row, so every page cost the pages before it.
        if (query.bucket() != null) {
            String literal = query.prefix() != null && !query.prefix().isEmpty()
                    ? query.prefix()
                    : query.glob() != null ? KeyRange.literalPrefix(query.glob()) : "";
            int position = afterBucket == null ? -1 : afterBucket.compareTo(query.bucket());
            if (position > 0) {
                return FoundObjects.NONE; // the cursor is past this bucket
            }
            if (position == 0 && compareUtf8(afterKey == null ? "" : afterKey, literal) >= 0) {
                bounds.append(" AND key > ?");
                boundArgs.add(afterKey == null ? "" : afterKey);
            } else if (!literal.isEmpty()) {
                bounds.append(" AND key >= ?");
                boundArgs.add(literal);
            }
            String end = literal.isEmpty() ? null : KeyRange.successor(literal);
            if (end != null) {
                bounds.append(" AND key < ?");
                boundArgs.add(end);
            }
        } else if (afterBucket != null) {
            bounds.append(" AND (bucket, key) > (?, ?)"); // a row value: SQLite seeks the index to it
            boundArgs.add(afterBucket);
            boundArgs.add(afterKey == null ? "" : afterKey);
        }
        if (filters.isEmpty()) {
            PreparedStatement ps = db.prepare(
                    "SELECT " + COLUMNS + " FROM objects WHERE 1 = 1" + bounds + " ORDER BY bucket, key LIMIT ?");
            int next = bind(ps, 1, boundArgs);
            ps.setInt(next, limit);
            return new FoundObjects(rows(ps, limit), null, null);
        }
        // the matches among the next `budget` rows of the range (the window keeps the walk bounded; SQLite
        // checks the filters in its own loop), then whole rows for the matches only, by primary key, in the
        // same statement and so the same snapshot
        PreparedStatement ps = db.prepare("SELECT " + COLUMNS + " FROM objects WHERE (bucket, key) IN"
                + " (SELECT bucket, key FROM (SELECT bucket, key, content_type, size FROM objects WHERE 1 = 1"
                + bounds + " ORDER BY bucket, key LIMIT ?) WHERE 1 = 1" + filters
                + " ORDER BY bucket, key LIMIT ?) ORDER BY bucket, key");
        int next = bind(ps, 1, boundArgs);
        ps.setInt(next, budget);
        ps.setInt(bind(ps, next + 1, filterArgs), limit);
        List<ObjectRecord> objects = rows(ps, limit);
        if (objects.size() >= limit) {
            return new FoundObjects(objects, null, null); // a full page: the next goes on after its last match
        }
        // fewer: did the window end before the range did? Then the next page goes on after its last row
        PreparedStatement last = db.prepare(
                "SELECT bucket, key FROM objects WHERE 1 = 1" + bounds + " ORDER BY bucket, key LIMIT 1 OFFSET ?");
        last.setInt(bind(last, 1, boundArgs), budget - 1);
        try (ResultSet rs = last.executeQuery()) {
            return rs.next()
                    ? new FoundObjects(objects, rs.getString(1), rs.getString(2))
                    : new FoundObjects(objects, null, null);
        }
    }

    /** The rows {@code ps} selects ({@link #COLUMNS}), at most {@code limit} by its own {@code LIMIT}. */
    private static List<ObjectRecord> rows(PreparedStatement ps, int limit) throws SQLException {
        List<ObjectRecord> objects = new ArrayList<>(Math.min(limit, 1000));
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                objects.add(row(rs));
            }
        }
        return objects;
    }

    /** Binds {@code args} from parameter {@code first} on; returns the next parameter's index. */
    private static int bind(PreparedStatement ps, int first, List<Object> args) throws SQLException {
        int i = first;
        for (Object a : args) {
            if (a instanceof String str) {
                ps.setString(i++, str);
            } else if (a instanceof Long l) {
                ps.setLong(i++, l);
            } else {
                ps.setInt(i++, (Integer) a);
            }
        }
        return i;
    }

    /** Our glob (only {@code *} and {@code ?} special) as SQLite GLOB: {@code [} becomes the class {@code [[]}. */
    private static String sqliteGlob(String glob) {
        return glob.replace("[", "[[]");
    }

    /** Number of rows and total bytes ({@code [count, bytes]}) in a bucket (null: all buckets). */
    static long[] countAndBytes(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps;
        if (bucket == null) {
            ps = db.prepare("SELECT count(*), coalesce(sum(size), 0) FROM objects");
        } else {
            ps = db.prepare("SELECT count(*), coalesce(sum(size), 0) FROM objects WHERE bucket = ?");
            ps.setString(1, bucket);
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /**
     * Every bucket with its object count and bytes (empty buckets included), by name: from the statistics
     * kept in the transactions that change the objects, not by counting rows (a million objects took a full
     * scan per /api/v1/stats call and /metrics scrape).
     */
    static List<BucketTotals> totals(SqlConnection db) throws SQLException {
        List<BucketTotals> out = new ArrayList<>();
        try (ResultSet rs = db.prepare("SELECT b.name, coalesce(s.objects, 0), coalesce(s.bytes, 0) FROM buckets b"
                        + " LEFT JOIN bucket_stats s ON s.bucket = b.name ORDER BY b.name")
                .executeQuery()) {
            while (rs.next()) {
                out.add(new BucketTotals(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return out;
    }

    /** Hands the blob id of every row to {@code sink}. */
    static void blobIds(SqlConnection db, Consumer<String> sink) throws SQLException {
        db.selectStrings("SELECT blob_id FROM objects", sink);
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
