package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link Tx} on the write connection; valid only while its {@link MetadataStore#write} runs. */
final class TxImpl implements Tx {
    private final SqlConnection db;
    private boolean active = true;

    TxImpl(SqlConnection db) {
        this.db = db;
    }

    void end() {
        active = false;
    }

    private SqlConnection db() {
        if (!active) {
            throw new IllegalStateException("metadata transaction already ended: use Tx only inside write()");
        }
        return db;
    }

    private static StorageException wrap(String what, SQLException e) {
        return SqlErrors.wrap(what, e);
    }

    @Override
    public Optional<BucketRecord> bucket(String name) {
        try {
            return Queries.bucket(db(), name);
        } catch (SQLException e) {
            throw wrap("read bucket " + name, e);
        }
    }

    @Override
    public boolean createBucket(String name, Instant createdAt) {
        try {
            PreparedStatement ps = db().prepare("INSERT OR IGNORE INTO buckets (name, created_at) VALUES (?, ?)");
            ps.setString(1, name);
            ps.setLong(2, createdAt.toEpochMilli());
            if (ps.executeUpdate() != 1) {
                return false;
            }
            PreparedStatement stats = db().prepare("INSERT OR IGNORE INTO bucket_stats (bucket) VALUES (?)");
            stats.setString(1, name);
            stats.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw wrap("create bucket " + name, e);
        }
    }

    @Override
    public boolean deleteBucket(String name) {
        try {
            PreparedStatement ps = db().prepare("DELETE FROM buckets WHERE name = ?");
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw wrap("delete bucket " + name, e);
        }
    }

    @Override
    public boolean bucketIsEmpty(String name) {
        try {
            // noncurrent versions and delete markers keep a bucket from being empty, as on S3
            PreparedStatement ps = db().prepare("SELECT 1 FROM objects WHERE bucket = ?"
                    + " UNION ALL SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1");
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        } catch (SQLException e) {
            throw wrap("check bucket " + name + " is empty", e);
        }
    }

    @Override
    public Optional<ObjectRecord> object(String bucket, String key) {
        try {
            return Queries.object(db(), bucket, key);
        } catch (SQLException e) {
            throw wrap("read object " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectRecord> putObject(ObjectRecord o) {
        try {
            Optional<ObjectRecord> previous = Queries.object(db(), o.bucket(), o.key());
            PreparedStatement ps = db().prepare("INSERT OR REPLACE INTO objects (" + Rows.OBJECT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, o.bucket());
            ps.setString(2, o.key());
            ps.setString(3, o.blobId());
            ps.setLong(4, o.size());
            ps.setString(5, o.etag());
            Rows.setNullableString(ps, 6, o.contentType());
            if (o.lastModified() == null) {
                throw new IllegalArgumentException("object " + o.bucket() + "/" + o.key() + " has no lastModified");
            }
            ps.setLong(7, o.lastModified().toEpochMilli());
            Rows.setNullableString(ps, 8, Rows.toJson(o.userMetadata()));
            Rows.setNullableString(ps, 9, Rows.toJson(o.headers()));
            Rows.setNullableString(ps, 10, Rows.toJson(o.checksums()));
            Rows.setNullableString(ps, 11, Rows.toJson(o.tags()));
            Rows.setNullableString(ps, 12, o.versionId());
            ps.executeUpdate();
            if (previous.isPresent()) {
                clearDamaged(previous.get().blobId());
            }
            return previous;
        } catch (SQLException e) {
            throw wrap("put object " + o.bucket() + "/" + o.key(), e);
        }
    }

    @Override
    public Optional<ObjectRecord> deleteObject(String bucket, String key) {
        try {
            Optional<ObjectRecord> previous = Queries.object(db(), bucket, key);
            if (previous.isPresent()) {
                PreparedStatement ps = db().prepare("DELETE FROM objects WHERE bucket = ? AND key = ?");
                ps.setString(1, bucket);
                ps.setString(2, key);
                ps.executeUpdate();
                clearDamaged(previous.get().blobId());
            }
            return previous;
        } catch (SQLException e) {
            throw wrap("delete object " + bucket + "/" + key, e);
        }
    }

    @Override
    public long enqueueTask(String kind, String payload) {
        try {
            return TaskTable.enqueue(db(), kind, payload);
        } catch (SQLException e) {
            throw wrap("enqueue task " + kind, e);
        }
    }

    /** A replaced or deleted version is no longer damaged: its mark goes with it. */
    private void clearDamaged(String blobId) throws SQLException {
        PreparedStatement ps = db().prepare("DELETE FROM damaged_blobs WHERE blob_id = ?");
        ps.setString(1, blobId);
        ps.executeUpdate();
    }

    @Override
    public void enqueueWaitingTask(String kind, String payload) {
        try {
            TaskTable.enqueueWaiting(db(), kind, payload);
        } catch (SQLException e) {
            throw wrap("enqueue waiting task " + kind, e);
        }
    }

    @Override
    public boolean enqueueTaskOnce(String kind, String payload, String uniqueKey) {
        try {
            return TaskTable.enqueueOnce(db(), kind, payload, uniqueKey);
        } catch (SQLException e) {
            throw wrap("enqueue task " + kind + " once", e);
        }
    }

    @Override
    public List<TaskRecord> claimTasks(int max, Instant now) {
        try {
            return TaskTable.claim(db(), max, now);
        } catch (SQLException e) {
            throw wrap("claim tasks", e);
        }
    }

    @Override
    public void completeTasks(List<Long> ids) {
        try {
            TaskTable.delete(db(), ids);
        } catch (SQLException e) {
            throw wrap("complete " + ids.size() + " task(s)", e);
        }
    }

    @Override
    public void savepoint(Consumer<Tx> work) {
        Database.savepoint(db(), () -> work.accept(this));
    }

    @Override
    public void adjustBucketStats(String bucket, long objectsDelta, long bytesDelta) {
        try {
            PreparedStatement ps = db().prepare(
                    "UPDATE bucket_stats SET objects = objects + ?, bytes = bytes + ? WHERE bucket = ?");
            ps.setLong(1, objectsDelta);
            ps.setLong(2, bytesDelta);
            ps.setString(3, bucket);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw wrap("update statistics of bucket " + bucket, e);
        }
    }

    @Override
    public void recordUpload(String bucket, Instant bucketCreatedAt, long size, Instant storedAt) {
        try {
            PreparedStatement ps = db().prepare("UPDATE bucket_stats SET uploads = uploads + 1,"
                    + " uploaded_bytes = uploaded_bytes + ?, last_upload_at = max(coalesce(last_upload_at, 0), ?)"
                    + " WHERE bucket = ? AND EXISTS (SELECT 1 FROM buckets WHERE name = ? AND created_at = ?)");
            ps.setLong(1, size);
            ps.setLong(2, storedAt.toEpochMilli());
            ps.setString(3, bucket);
            ps.setString(4, bucket);
            ps.setLong(5, bucketCreatedAt.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw wrap("record an upload in bucket " + bucket, e);
        }
    }

    @Override
    public void createUpload(UploadRecord u) {
        try {
            PreparedStatement ps = db().prepare("INSERT INTO uploads (" + Rows.UPLOAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, u.bucket());
            ps.setString(2, u.key());
            ps.setString(3, u.uploadId());
            ps.setLong(4, u.initiated().toEpochMilli());
            Rows.setNullableString(ps, 5, u.contentType());
            Rows.setNullableString(ps, 6, Rows.toJson(u.userMetadata()));
            Rows.setNullableString(ps, 7, Rows.toJson(u.headers()));
            Rows.setNullableString(ps, 8, u.checksumAlgorithm());
            Rows.setNullableString(ps, 9, u.checksumType());
            Rows.setNullableString(ps, 10, Rows.toJson(u.tags()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw wrap("create upload " + u.uploadId(), e);
        }
    }

    @Override
    public Optional<UploadRecord> upload(String uploadId) {
        try {
            return Queries.upload(db(), uploadId);
        } catch (SQLException e) {
            throw wrap("read upload " + uploadId, e);
        }
    }

    @Override
    public Optional<PartRecord> putPart(PartRecord p) {
        try {
            PreparedStatement find = db().prepare("SELECT " + Rows.PART_COLUMNS + " FROM upload_parts WHERE upload_id = ? AND part_number = ?");
            find.setString(1, p.uploadId());
            find.setInt(2, p.partNumber());
            Optional<PartRecord> previous;
            try (ResultSet rs = find.executeQuery()) {
                previous = rs.next() ? Optional.of(Rows.part(rs)) : Optional.empty();
            }
            PreparedStatement ps = db().prepare("INSERT OR REPLACE INTO upload_parts (" + Rows.PART_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, p.uploadId());
            ps.setInt(2, p.partNumber());
            ps.setString(3, p.blobId());
            ps.setLong(4, p.size());
            ps.setString(5, p.etag());
            ps.setLong(6, p.lastModified().toEpochMilli());
            Rows.setNullableString(ps, 7, Rows.toJson(p.checksums()));
            ps.executeUpdate();
            return previous;
        } catch (SQLException e) {
            throw wrap("put part " + p.partNumber() + " of upload " + p.uploadId(), e);
        }
    }

    @Override
    public List<PartRecord> parts(String uploadId) {
        try {
            return Queries.parts(db(), uploadId, 0, Integer.MAX_VALUE);
        } catch (SQLException e) {
            throw wrap("read parts of upload " + uploadId, e);
        }
    }

    @Override
    public List<String> deleteUpload(String uploadId) {
        try {
            List<String> blobIds = new ArrayList<>();
            for (PartRecord p : Queries.parts(db(), uploadId, 0, Integer.MAX_VALUE)) {
                blobIds.add(p.blobId());
            }
            PreparedStatement parts = db().prepare("DELETE FROM upload_parts WHERE upload_id = ?");
            parts.setString(1, uploadId);
            parts.executeUpdate();
            PreparedStatement ps = db().prepare("DELETE FROM uploads WHERE upload_id = ?");
            ps.setString(1, uploadId);
            ps.executeUpdate();
            return blobIds;
        } catch (SQLException e) {
            throw wrap("delete upload " + uploadId, e);
        }
    }

    @Override
    public List<String> deleteUploads(String bucket) {
        try {
            List<String> ids = new ArrayList<>();
            PreparedStatement ps = db().prepare("SELECT upload_id FROM uploads WHERE bucket = ?");
            ps.setString(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            List<String> blobIds = new ArrayList<>();
            for (String id : ids) {
                blobIds.addAll(deleteUpload(id));
            }
            return blobIds;
        } catch (SQLException e) {
            throw wrap("delete uploads of bucket " + bucket, e);
        }
    }

    @Override
    public void putMultipartLayout(String bucket, String key, MultipartLayout layout) {
        try {
            PreparedStatement ps = db().prepare("INSERT OR REPLACE INTO multipart_objects (bucket, key, blob_id, content_md5, part_sizes)"
                    + " VALUES (?, ?, ?, ?, ?)");
            ps.setString(1, bucket);
            ps.setString(2, key);
            ps.setString(3, layout.blobId());
            ps.setString(4, layout.contentMd5());
            ps.setString(5, String.join(",", layout.partSizes().stream().map(String::valueOf).toList()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw wrap("record the parts of " + bucket + "/" + key, e);
        }
    }


    @Override
    public boolean setObjectTags(String bucket, String key, Map<String, String> tags) {
        try {
            PreparedStatement ps = db().prepare("UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?");
            Rows.setNullableString(ps, 1, Rows.toJson(tags));
            ps.setString(2, bucket);
            ps.setString(3, key);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw wrap("set tags of " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<Map<String, String>> bucketTags(String bucket) {
        try {
            PreparedStatement ps = db().prepare("SELECT tags FROM bucket_tags WHERE bucket = ?");
            ps.setString(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.fromJson(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw wrap("read tags of bucket " + bucket, e);
        }
    }

    @Override
    public void setBucketTags(String bucket, Map<String, String> tags) {
        try {
            PreparedStatement ps;
            if (tags == null || tags.isEmpty()) {
                ps = db().prepare("DELETE FROM bucket_tags WHERE bucket = ?");
                ps.setString(1, bucket);
            } else {
                ps = db().prepare("INSERT OR REPLACE INTO bucket_tags (bucket, tags) VALUES (?, ?)");
                ps.setString(1, bucket);
                ps.setString(2, Rows.toJson(tags));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw wrap("set tags of bucket " + bucket, e);
        }
    }

    // ---------------------------------------------------------------- versioning

    @Override
    public boolean setBucketVersioning(String bucket, String status) {
        try {
            PreparedStatement ps = db().prepare("UPDATE buckets SET versioning = ? WHERE name = ?");
            ps.setString(1, status);
            ps.setString(2, bucket);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw wrap("set versioning of bucket " + bucket, e);
        }
    }

    @Override
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        try {
            return VersionQueries.version(db(), bucket, key, versionId);
        } catch (SQLException e) {
            throw wrap("read version " + versionId + " of " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectVersion> latestVersion(String bucket, String key) {
        try {
            return VersionQueries.latest(db(), bucket, key);
        } catch (SQLException e) {
            throw wrap("read latest version of " + bucket + "/" + key, e);
        }
    }

    @Override
    public void addNoncurrentVersion(ObjectRecord version) {
        try {
            VersionQueries.insert(db(), version.bucket(), version.key(), version.versionId(), version, version.lastModified());
        } catch (SQLException e) {
            throw wrap("keep a version of " + version.bucket() + "/" + version.key(), e);
        }
    }

    @Override
    public void addDeleteMarker(String bucket, String key, String versionId, Instant at) {
        try {
            VersionQueries.insert(db(), bucket, key, ObjectVersion.storedId(versionId), null, at);
        } catch (SQLException e) {
            throw wrap("add a delete marker to " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectVersion> deleteNoncurrentVersion(String bucket, String key, String versionId) {
        try {
            return VersionQueries.deleteNoncurrent(db(), bucket, key, versionId);
        } catch (SQLException e) {
            throw wrap("delete version " + versionId + " of " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectRecord> promoteNewestVersion(String bucket, String key) {
        try {
            Optional<ObjectVersion> newest = VersionQueries.newestNoncurrent(db(), bucket, key, true);
            if (newest.isEmpty() || newest.get().deleteMarker()) {
                return Optional.empty();
            }
            VersionQueries.deleteNoncurrent(db(), bucket, key, newest.get().versionId());
            putObject(newest.get().object());
            return Optional.of(newest.get().object());
        } catch (SQLException e) {
            throw wrap("make the previous version of " + bucket + "/" + key + " current", e);
        }
    }

    @Override
    public List<String> deleteAllNoncurrentVersions(String bucket) {
        try {
            return VersionQueries.deleteAllNoncurrent(db(), bucket);
        } catch (SQLException e) {
            throw wrap("delete the versions of bucket " + bucket, e);
        }
    }

    @Override
    public Optional<List<CorsRule>> bucketCors(String bucket) {
        try {
            return Queries.bucketCors(db(), bucket);
        } catch (SQLException e) {
            throw wrap("read CORS rules of bucket " + bucket, e);
        }
    }

    @Override
    public void setBucketCors(String bucket, List<CorsRule> rules) {
        try {
            PreparedStatement ps;
            if (rules == null || rules.isEmpty()) {
                ps = db().prepare("DELETE FROM bucket_cors WHERE bucket = ?");
                ps.setString(1, bucket);
            } else {
                ps = db().prepare("INSERT OR REPLACE INTO bucket_cors (bucket, rules) VALUES (?, ?)");
                ps.setString(1, bucket);
                ps.setString(2, Rows.corsToJson(rules));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw wrap("set CORS rules of bucket " + bucket, e);
        }
    }
}
