package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.StorageException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link Tx} on the write connection, valid only while its {@link MetadataStore#write} runs. Each
 * operation is the statements of one or more tables ({@code *Table}); what must change together
 * (an object row and its damaged mark, a bucket and its statistics row) changes here.
 */
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

    /** {@code work} on this transaction's connection; an SQL error becomes the StorageException that says {@code what}. */
    private <T> T call(String what, SqlWork<T> work) {
        try {
            return work.run(db());
        } catch (SQLException e) {
            throw wrap(what, e);
        }
    }

    @Override
    public void savepoint(Consumer<Tx> work) {
        Database.savepoint(db(), () -> work.accept(this));
    }

    // ---------------------------------------------------------------- buckets

    @Override
    public Optional<BucketRecord> bucket(String name) {
        return call("read bucket " + name, c -> BucketTable.find(c, name));
    }

    @Override
    public boolean createBucket(String name, Instant createdAt) {
        try {
            if (!BucketTable.insert(db(), name, createdAt)) {
                return false;
            }
            BucketStatsTable.insert(db, name);
            return true;
        } catch (SQLException e) {
            throw wrap("create bucket " + name, e);
        }
    }

    @Override
    public boolean deleteBucket(String name) {
        return call("delete bucket " + name, c -> BucketTable.delete(c, name));
    }

    @Override
    public boolean bucketIsEmpty(String name) {
        return call("check bucket " + name + " is empty", c -> BucketTable.isEmpty(c, name));
    }

    @Override
    public boolean setBucketVersioning(String bucket, String status) {
        return call("set versioning of bucket " + bucket, c -> BucketTable.setVersioning(c, bucket, status));
    }

    @Override
    public Optional<Map<String, String>> bucketTags(String bucket) {
        return call("read tags of bucket " + bucket, c -> BucketTable.tags(c, bucket));
    }

    @Override
    public void setBucketTags(String bucket, Map<String, String> tags) {
        call("set tags of bucket " + bucket, c -> {
            BucketTable.setTags(c, bucket, tags);
            return null;
        });
    }

    @Override
    public Optional<List<CorsRule>> bucketCors(String bucket) {
        return call("read CORS rules of bucket " + bucket, c -> BucketTable.cors(c, bucket));
    }

    @Override
    public void setBucketCors(String bucket, List<CorsRule> rules) {
        call("set CORS rules of bucket " + bucket, c -> {
            BucketTable.setCors(c, bucket, rules);
            return null;
        });
    }

    @Override
    public <T> Optional<T> bucketSetting(String bucket, BucketSetting<T> setting) {
        return call("read " + setting + " of bucket " + bucket, c -> BucketSettingTable.find(c, bucket, setting));
    }

    @Override
    public Optional<List<LifecycleRule>> bucketLifecycle(String bucket) {
        return call("read lifecycle rules of bucket " + bucket, c -> BucketTable.lifecycle(c, bucket));
    }

    @Override
    public <T> void setBucketSetting(String bucket, BucketSetting<T> setting, T value) {
        call("set " + setting + " of bucket " + bucket, c -> {
            BucketSettingTable.put(c, bucket, setting, value);
            return null;
        });
    }

    @Override
    public void setBucketLifecycle(String bucket, List<LifecycleRule> rules) {
        call("set lifecycle rules of bucket " + bucket, c -> {
            BucketTable.setLifecycle(c, bucket, rules);
            return null;
        });
    }

    @Override
    public List<String> lifecycleBuckets() {
        return call("list buckets with lifecycle rules", c -> BucketTable.lifecycleBuckets(c));
    }

    @Override
    public Optional<ObjectLockConfig> objectLockConfig(String bucket) {
        return call("read the object-lock configuration of bucket " + bucket, c -> ObjectLockTable.config(c, bucket));
    }

    @Override
    public void setObjectLockConfig(String bucket, ObjectLockConfig config) {
        call("set the object-lock configuration of bucket " + bucket, c -> {
            ObjectLockTable.setConfig(c, bucket, config);
            return null;
        });
    }

    @Override
    public Optional<ObjectLock> objectLock(String bucket, String key, String versionId) {
        return call(
                "read the lock of version " + versionId + " of " + bucket + "/" + key,
                c -> ObjectLockTable.lock(c, bucket, key, versionId));
    }

    @Override
    public void setObjectLock(String bucket, String key, String versionId, ObjectLock lock) {
        call("set the lock of version " + versionId + " of " + bucket + "/" + key, c -> {
            ObjectLockTable.setLock(c, bucket, key, versionId, lock);
            return null;
        });
    }

    @Override
    public void adjustBucketStats(String bucket, long objectsDelta, long bytesDelta) {
        call("update statistics of bucket " + bucket, c -> {
            BucketStatsTable.adjust(c, bucket, objectsDelta, bytesDelta);
            return null;
        });
    }

    @Override
    public void recordUpload(String bucket, Instant bucketCreatedAt, long size, Instant storedAt) {
        call("record an upload in bucket " + bucket, c -> {
            BucketStatsTable.recordUpload(c, bucket, bucketCreatedAt, size, storedAt);
            return null;
        });
    }

    // ---------------------------------------------------------------- objects

    @Override
    public Optional<ObjectRecord> object(String bucket, String key) {
        return call("read object " + bucket + "/" + key, c -> ObjectTable.find(c, bucket, key));
    }

    @Override
    public Optional<ObjectRecord> putObject(ObjectRecord o) {
        try {
            Optional<ObjectRecord> previous = ObjectTable.find(db(), o.bucket(), o.key());
            ObjectTable.put(db, o);
            if (previous.isPresent()) {
                DamagedBlobTable.unmark(db, previous.get().blobId()); // the replaced version's mark goes with it
            }
            return previous;
        } catch (SQLException e) {
            throw wrap("put object " + o.bucket() + "/" + o.key(), e);
        }
    }

    @Override
    public Optional<ObjectRecord> deleteObject(String bucket, String key) {
        try {
            Optional<ObjectRecord> previous = ObjectTable.find(db(), bucket, key);
            if (previous.isPresent()) {
                ObjectTable.delete(db, bucket, key);
                DamagedBlobTable.unmark(db, previous.get().blobId());
            }
            return previous;
        } catch (SQLException e) {
            throw wrap("delete object " + bucket + "/" + key, e);
        }
    }

    @Override
    public boolean setObjectTags(String bucket, String key, Map<String, String> tags) {
        return call("set tags of " + bucket + "/" + key, c -> ObjectTable.setTags(c, bucket, key, tags));
    }

    @Override
    public boolean setObjectGrants(String bucket, String key, String versionId, List<Grant> grants) {
        try {
            String stored = ObjectVersion.storedId(versionId);
            return ObjectTable.setGrants(db(), bucket, key, stored, grants)
                    || VersionTable.setGrants(db, bucket, key, stored, grants);
        } catch (SQLException e) {
            throw wrap("set the ACL of " + bucket + "/" + key, e);
        }
    }

    // ---------------------------------------------------------------- versions

    @Override
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        return call(
                "read version " + versionId + " of " + bucket + "/" + key,
                c -> VersionTable.version(c, bucket, key, versionId));
    }

    @Override
    public Optional<ObjectVersion> latestVersion(String bucket, String key) {
        return call("read latest version of " + bucket + "/" + key, c -> VersionTable.latest(c, bucket, key));
    }

    @Override
    public void addNoncurrentVersion(ObjectRecord version) {
        call("keep a version of " + version.bucket() + "/" + version.key(), c -> {
            VersionTable.insert(
                    c, version.bucket(), version.key(), version.versionId(), version, version.lastModified());
            return null;
        });
    }

    @Override
    public void addDeleteMarker(String bucket, String key, String versionId, Instant at) {
        call("add a delete marker to " + bucket + "/" + key, c -> {
            VersionTable.insert(c, bucket, key, ObjectVersion.storedId(versionId), null, at);
            return null;
        });
    }

    @Override
    public Optional<ObjectVersion> deleteNoncurrentVersion(String bucket, String key, String versionId) {
        return call(
                "delete version " + versionId + " of " + bucket + "/" + key,
                c -> VersionTable.deleteNoncurrent(c, bucket, key, versionId));
    }

    @Override
    public Optional<ObjectRecord> promoteNewestVersion(String bucket, String key) {
        try {
            Optional<ObjectVersion> newest = VersionTable.newestNoncurrent(db(), bucket, key, true);
            if (newest.isEmpty() || newest.get().deleteMarker()) {
                return Optional.empty();
            }
            VersionTable.deleteNoncurrent(db, bucket, key, newest.get().versionId());
            putObject(newest.get().object());
            return Optional.of(newest.get().object());
        } catch (SQLException e) {
            throw wrap("make the previous version of " + bucket + "/" + key + " current", e);
        }
    }

    @Override
    public long noncurrentVersionCount(String bucket, String key) {
        return call("count versions of " + bucket + "/" + key, c -> VersionTable.countOfKey(c, bucket, key));
    }

    @Override
    public List<String> deleteAllNoncurrentVersions(String bucket) {
        return call("delete the versions of bucket " + bucket, c -> VersionTable.deleteAllNoncurrent(c, bucket));
    }

    // ---------------------------------------------------------------- multipart uploads

    @Override
    public void createUpload(UploadRecord upload) {
        call("create upload " + upload.uploadId(), c -> {
            MultipartTable.insertUpload(c, upload);
            return null;
        });
    }

    @Override
    public Optional<UploadRecord> upload(String uploadId) {
        return call("read upload " + uploadId, c -> MultipartTable.upload(c, uploadId));
    }

    @Override
    public Optional<PartRecord> putPart(PartRecord part) {
        try {
            Optional<PartRecord> previous = MultipartTable.part(db(), part.uploadId(), part.partNumber());
            if (previous.isPresent() && previous.get().started() > part.started()) {
                return Optional.of(part);
            }
            MultipartTable.putPart(db, part);
            return previous;
        } catch (SQLException e) {
            throw wrap("put part " + part.partNumber() + " of upload " + part.uploadId(), e);
        }
    }

    @Override
    public List<PartRecord> parts(String uploadId) {
        return call("read parts of upload " + uploadId, c -> MultipartTable.parts(c, uploadId, 0, Integer.MAX_VALUE));
    }

    @Override
    public List<String> deleteUpload(String uploadId) {
        try {
            return deletePartsAndUpload(uploadId);
        } catch (SQLException e) {
            throw wrap("delete upload " + uploadId, e);
        }
    }

    @Override
    public List<String> deleteUploads(String bucket) {
        try {
            List<String> blobIds = new ArrayList<>();
            for (String uploadId : MultipartTable.uploadIds(db(), bucket)) {
                blobIds.addAll(deletePartsAndUpload(uploadId));
            }
            return blobIds;
        } catch (SQLException e) {
            throw wrap("delete uploads of bucket " + bucket, e);
        }
    }

    /** Deletes the upload and its parts; returns the part blob ids. */
    private List<String> deletePartsAndUpload(String uploadId) throws SQLException {
        List<String> blobIds = new ArrayList<>();
        for (PartRecord p : MultipartTable.parts(db(), uploadId, 0, Integer.MAX_VALUE)) {
            blobIds.add(p.blobId());
        }
        MultipartTable.deleteUpload(db, uploadId);
        return blobIds;
    }

    @Override
    public void putMultipartLayout(String bucket, String key, MultipartLayout layout) {
        call("record the parts of " + bucket + "/" + key, c -> {
            MultipartTable.putLayout(c, bucket, key, layout);
            return null;
        });
    }

    @Override
    public Optional<ObjectRecord> completedUpload(String bucket, String key, String uploadId) {
        return call(
                "read the object completed from upload " + uploadId,
                c -> MultipartTable.completedBy(c, bucket, key, uploadId));
    }

    // ---------------------------------------------------------------- tasks

    @Override
    public long enqueueTask(String kind, String payload) {
        return call("enqueue task " + kind, c -> TaskTable.enqueue(c, kind, payload));
    }

    @Override
    public void enqueueWaitingTask(String kind, String payload) {
        call("enqueue waiting task " + kind, c -> {
            TaskTable.enqueueWaiting(c, kind, payload);
            return null;
        });
    }

    @Override
    public boolean enqueueTaskOnce(String kind, String payload, String uniqueKey) {
        return call("enqueue task " + kind + " once", c -> TaskTable.enqueueOnce(c, kind, payload, uniqueKey));
    }

    @Override
    public List<TaskRecord> claimTasks(int max, Instant now) {
        return call("claim tasks", c -> TaskTable.claim(c, max, now));
    }

    @Override
    public void completeTasks(List<Long> ids) {
        call("complete " + ids.size() + " task(s)", c -> {
            TaskTable.delete(c, ids);
            return null;
        });
    }
}
