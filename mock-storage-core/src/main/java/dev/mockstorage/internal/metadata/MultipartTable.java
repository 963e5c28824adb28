package dev.mockstorage.internal.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQL of multipart uploads: {@code uploads} in progress, their {@code upload_parts} (each its
 * own blob until the upload completes), and {@code multipart_objects}, the layout a completed
 * object keeps (its whole-content MD5 and part sizes) as long as its object row points at its blob.
 */
final class MultipartTable {
    private MultipartTable() {}

    private static final String UPLOAD_COLUMNS =
            "bucket, key, upload_id, initiated, content_type, user_metadata, headers, checksum_algorithm, checksum_type, tags, grants";
    private static final String PART_COLUMNS =
            "upload_id, part_number, blob_id, size, etag, last_modified, checksums, started";

    private static UploadRecord uploadRow(ResultSet rs) throws SQLException {
        return new UploadRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                rs.getString(5),
                Columns.fromJson(rs.getString(6)),
                Columns.fromJson(rs.getString(7)),
                rs.getString(8),
                rs.getString(9),
                Columns.fromJson(rs.getString(10)),
                Columns.grantsFromJson(rs.getString(11)));
    }

    private static PartRecord partRow(ResultSet rs) throws SQLException {
        return new PartRecord(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                Columns.fromJson(rs.getString(7)),
                rs.getLong(8));
    }

    // ---------------------------------------------------------------- uploads

    static void insertUpload(SqlConnection db, UploadRecord u) throws SQLException {
        PreparedStatement ps =
                db.prepare("INSERT INTO uploads (" + UPLOAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, u.bucket());
        ps.setString(2, u.key());
        ps.setString(3, u.uploadId());
        ps.setLong(4, u.initiated().toEpochMilli());
        Columns.setNullableString(ps, 5, u.contentType());
        Columns.setNullableString(ps, 6, Columns.toJson(u.userMetadata()));
        Columns.setNullableString(ps, 7, Columns.toJson(u.headers()));
        Columns.setNullableString(ps, 8, u.checksumAlgorithm());
        Columns.setNullableString(ps, 9, u.checksumType());
        Columns.setNullableString(ps, 10, Columns.toJson(u.tags()));
        Columns.setNullableString(ps, 11, Columns.grantsToJson(u.grants()));
        ps.executeUpdate();
    }

    static Optional<UploadRecord> upload(SqlConnection db, String uploadId) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE upload_id = ?");
        ps.setString(1, uploadId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(uploadRow(rs)) : Optional.empty();
        }
    }

    /**
     * Uploads of a bucket whose key starts with {@code prefix}, after the position ({@code afterKey},
     * {@code afterUploadId}) (null: from the start; a null upload id skips the whole key), ordered by
     * key (UTF-8 bytes) then initiation, at most {@code limit}.
     */
    static List<UploadRecord> uploads(
            SqlConnection db, String bucket, String prefix, String afterKey, String afterUploadId, int limit)
            throws SQLException {
        String p = prefix == null ? "" : prefix;
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(UPLOAD_COLUMNS)
                .append(" FROM uploads WHERE bucket = ? AND substr(key, 1, length(?)) = ?");
        if (afterKey != null) {
            sql.append(afterUploadId == null ? " AND key > ?" : " AND (key > ? OR (key = ? AND upload_id > ?))");
        }
        sql.append(" ORDER BY key, upload_id LIMIT ?");
        PreparedStatement ps = db.prepare(sql.toString());
        int i = 1;
        ps.setString(i++, bucket);
        ps.setString(i++, p);
        ps.setString(i++, p);
        if (afterKey != null) {
            ps.setString(i++, afterKey);
            if (afterUploadId != null) {
                ps.setString(i++, afterKey);
                ps.setString(i++, afterUploadId);
            }
        }
        ps.setInt(i, limit);
        return uploads(ps);
    }

    /** Uploads in any bucket initiated before {@code cutoff}; oldest first, at most {@code limit}. */
    static List<UploadRecord> initiatedBefore(SqlConnection db, Instant cutoff, int limit) throws SQLException {
        PreparedStatement ps = db.prepare(
                "SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE initiated < ? ORDER BY initiated, upload_id LIMIT ?");
        ps.setLong(1, cutoff.toEpochMilli());
        ps.setInt(2, limit);
        return uploads(ps);
    }

    private static List<UploadRecord> uploads(PreparedStatement ps) throws SQLException {
        List<UploadRecord> uploads = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                uploads.add(uploadRow(rs));
            }
        }
        return uploads;
    }

    /** The ids of every upload of a bucket. */
    static List<String> uploadIds(SqlConnection db, String bucket) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT upload_id FROM uploads WHERE bucket = ?");
        ps.setString(1, bucket);
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Deletes an upload and its parts. */
    static void deleteUpload(SqlConnection db, String uploadId) throws SQLException {
        PreparedStatement parts = db.prepare("DELETE FROM upload_parts WHERE upload_id = ?");
        parts.setString(1, uploadId);
        parts.executeUpdate();
        PreparedStatement ps = db.prepare("DELETE FROM uploads WHERE upload_id = ?");
        ps.setString(1, uploadId);
        ps.executeUpdate();
    }

    // ---------------------------------------------------------------- parts

    static Optional<PartRecord> part(SqlConnection db, String uploadId, int partNumber) throws SQLException {
        PreparedStatement ps =
                db.prepare("SELECT " + PART_COLUMNS + " FROM upload_parts WHERE upload_id = ? AND part_number = ?");
        ps.setString(1, uploadId);
        ps.setInt(2, partNumber);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(partRow(rs)) : Optional.empty();
        }
    }

    /** Inserts the part, or replaces the part of that number. */
    static void putPart(SqlConnection db, PartRecord p) throws SQLException {
        PreparedStatement ps = db.prepare(
                "INSERT OR REPLACE INTO upload_parts (" + PART_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, p.uploadId());
        ps.setInt(2, p.partNumber());
        ps.setString(3, p.blobId());
        ps.setLong(4, p.size());
        ps.setString(5, p.etag());
        ps.setLong(6, p.lastModified().toEpochMilli());
        Columns.setNullableString(ps, 7, Columns.toJson(p.checksums()));
        ps.setLong(8, p.started());
        ps.executeUpdate();
    }

    /** The largest {@link PartRecord#started} stored (0 when there is no part), where a new process goes on counting. */
    static long lastPartStart(SqlConnection db) throws SQLException {
        PreparedStatement ps = db.prepare("SELECT coalesce(max(started), 0) FROM upload_parts");
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Parts of an upload with a number above {@code afterPartNumber}, ascending, at most {@code limit}. */
    static List<PartRecord> parts(SqlConnection db, String uploadId, int afterPartNumber, int limit)
            throws SQLException {
        PreparedStatement ps = db.prepare("SELECT " + PART_COLUMNS
                + " FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?");
        ps.setString(1, uploadId);
        ps.setInt(2, afterPartNumber);
        ps.setInt(3, limit);
        List<PartRecord> parts = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                parts.add(partRow(rs));
            }
        }
        return parts;
    }

    /** Hands the blob id of every part of every upload to {@code sink}. */
    static void partBlobIds(SqlConnection db, Consumer<String> sink) throws SQLException {
        db.selectStrings("SELECT blob_id FROM upload_parts", sink);
    }

    // ---------------------------------------------------------------- completed objects

    /** Records the layout of the completed object {@code bucket/key} (replacing any earlier one). */
    static void putLayout(SqlConnection db, String bucket, String key, MultipartLayout layout) throws SQLException {
        PreparedStatement ps =
                db.prepare("INSERT OR REPLACE INTO multipart_objects (bucket, key, blob_id, content_md5, part_sizes,"
                        + " upload_id) VALUES (?, ?, ?, ?, ?, ?)");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setString(3, layout.blobId());
        ps.setString(4, layout.contentMd5());
        ps.setString(
                5,
                String.join(
                        ",", layout.partSizes().stream().map(String::valueOf).toList()));
        Columns.setNullableString(ps, 6, layout.uploadId());
        ps.executeUpdate();
    }

    /** The layout of {@code bucket/key} when its row points at {@code blobId} and it was completed from parts. */
    static Optional<MultipartLayout> layout(SqlConnection db, String bucket, String key, String blobId)
            throws SQLException {
        PreparedStatement ps = db.prepare("SELECT blob_id, content_md5, part_sizes, upload_id FROM multipart_objects"
                + " WHERE bucket = ? AND key = ? AND blob_id = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setString(3, blobId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            List<Long> sizes = new ArrayList<>();
            for (String s : rs.getString(3).split(",")) {
                sizes.add(Long.parseLong(s));
            }
            return Optional.of(
                    new MultipartLayout(rs.getString(1), rs.getString(2), List.copyOf(sizes), rs.getString(4)));
        }
    }

    /**
     * The current object of {@code bucket/key} when it is the one CompleteMultipartUpload made of {@code uploadId}
     * (its layout row names the upload and the object row still points at its blob); empty once it was overwritten
     * or deleted.
     */
    static Optional<ObjectRecord> completedBy(SqlConnection db, String bucket, String key, String uploadId)
            throws SQLException {
        PreparedStatement ps =
                db.prepare("SELECT blob_id FROM multipart_objects WHERE bucket = ? AND key = ? AND upload_id = ?");
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setString(3, uploadId);
        String blobId;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            blobId = rs.getString(1);
        }
        return ObjectTable.find(db, bucket, key).filter(o -> o.blobId().equals(blobId));
    }
}
