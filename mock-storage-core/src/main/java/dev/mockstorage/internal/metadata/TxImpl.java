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

    @Override
    public void savepoint(Consumer<Tx> work) {
        Database.savepoint(db(), () -> work.accept(this));
    }

    // ---------------------------------------------------------------- buckets

    @Override
    public Optional<BucketRecord> bucket(String name) {
        try {
            return BucketTable.find(db(), name);
        } catch (SQLException e) {
            throw wrap("read bucket " + name, e);
        }
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
        try {
            return BucketTable.delete(db(), name);
        } catch (SQLException e) {
            throw wrap("delete bucket " + name, e);
        }
    }

    @Override
    public boolean bucketIsEmpty(String name) {
        try {
            return BucketTable.isEmpty(db(), name);
        } catch (SQLException e) {
            throw wrap("check bucket " + name + " is empty", e);
        }
    }

    @Override
    public boolean setBucketVersioning(String bucket, String status) {
        try {
            return BucketTable.setVersioning(db(), bucket, status);
        } catch (SQLException e) {
            throw wrap("set versioning of bucket " + bucket, e);
        }
    }

    @Override
    public Optional<Map<String, String>> bucketTags(String bucket) {
        try {
            return BucketTable.tags(db(), bucket);
        } catch (SQLException e) {
            throw wrap("read tags of bucket " + bucket, e);
        }
    }

    @Override
    public void setBucketTags(String bucket, Map<String, String> tags) {
        try {
            BucketTable.setTags(db(), bucket, tags);
        } catch (SQLException e) {
            throw wrap("set tags of bucket " + bucket, e);
        }
    }

    @Override
    public Optional<List<CorsRule>> bucketCors(String bucket) {
        try {
            return BucketTable.cors(db(), bucket);
        } catch (SQLException e) {
            throw wrap("read CORS rules of bucket " + bucket, e);
        }
    }

    @Override
    public void setBucketCors(String bucket, List<CorsRule> rules) {
        try {
            BucketTable.setCors(db(), bucket, rules);
        } catch (SQLException e) {
            throw wrap("set CORS rules of bucket " + bucket, e);
        }
    }

    @Override
    public <T> Optional<T> bucketSetting(String bucket, BucketSetting<T> setting) {
        try {
            return BucketSettingTable.find(db(), bucket, setting);
        } catch (SQLException e) {
            throw wrap("read " + setting + " of bucket " + bucket, e);
        }
    }

    @Override
    public Optional<List<LifecycleRule>> bucketLifecycle(String bucket) {
        try {
            return BucketTable.lifecycle(db(), bucket);
        } catch (SQLException e) {
            throw wrap("read lifecycle rules of bucket " + bucket, e);
        }
    }

    @Override
    public <T> void setBucketSetting(String bucket, BucketSetting<T> setting, T value) {
        try {
            BucketSettingTable.put(db(), bucket, setting, value);
        } catch (SQLException e) {
            throw wrap("set " + setting + " of bucket " + bucket, e);
        }
    }

    @Override
    public void setBucketLifecycle(String bucket, List<LifecycleRule> rules) {
        try {
            BucketTable.setLifecycle(db(), bucket, rules);
        } catch (SQLException e) {
            throw wrap("set lifecycle rules of bucket " + bucket, e);
        }
    }

    @Override
    public List<String> lifecycleBuckets() {
        try {
            return BucketTable.lifecycleBuckets(db());
        } catch (SQLException e) {
            throw wrap("list buckets with lifecycle rules", e);
        }
    }

    @Override
    public Optional<ObjectLockConfig> objectLockConfig(String bucket) {
        try {
            return ObjectLockTable.config(db(), bucket);
        } catch (SQLException e) {
            throw wrap("read the object-lock configuration of bucket " + bucket, e);
        }
    }

    @Override
    public void setObjectLockConfig(String bucket, ObjectLockConfig config) {
        try {
            ObjectLockTable.setConfig(db(), bucket, config);
        } catch (SQLException e) {
            throw wrap("set the object-lock configuration of bucket " + bucket, e);
        }
    }

    @Override
    public Optional<ObjectLock> objectLock(String bucket, String key, String versionId) {
        try {
            return ObjectLockTable.lock(db(), bucket, key, versionId);
        } catch (SQLException e) {
            throw wrap("read the lock of version " + versionId + " of " + bucket + "/" + key, e);
        }
    }

    @Override
    public void setObjectLock(String bucket, String key, String versionId, ObjectLock lock) {
        try {
            ObjectLockTable.setLock(db(), bucket, key, versionId, lock);
        } catch (SQLException e) {
            throw wrap("set the lock of version " + versionId + " of " + bucket + "/" + key, e);
        }
    }

    @Override
    public void adjustBucketStats(String bucket, long objectsDelta, long bytesDelta) {
        try {
            BucketStatsTable.adjust(db(), bucket, objectsDelta, bytesDelta);
        } catch (SQLException e) {
            throw wrap("update statistics of bucket " + bucket, e);
        }
    }

    @Override
    public void recordUpload(String bucket, Instant bucketCreatedAt, long size, Instant storedAt) {
        try {
            BucketStatsTable.recordUpload(db(), bucket, bucketCreatedAt, size, storedAt);
        } catch (SQLException e) {
            throw wrap("record an upload in bucket " + bucket, e);
        }
    }

    // ---------------------------------------------------------------- objects

    @Override
    public Optional<ObjectRecord> object(String bucket, String key) {
        try {
            return ObjectTable.find(db(), bucket, key);
        } catch (SQLException e) {
            throw wrap("read object " + bucket + "/" + key, e);
        }
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
        try {
            return ObjectTable.setTags(db(), bucket, key, tags);
        } catch (SQLException e) {
            throw wrap("set tags of " + bucket + "/" + key, e);
        }
    }

    @Override
    public boolean setObjectGrants(String bucket, String key, String versionId, List<Grant> grants) {
        try {
            String stored = ObjectVersion.storedId(versionId);
            return ObjectTable.setGrants(db(), bucket, key, stored, grants) || VersionTable.setGrants(db, bucket, key, stored, grants);
        } catch (SQLException e) {
            throw wrap("set the ACL of " + bucket + "/" + key, e);
        }
    }

    // ---------------------------------------------------------------- versions

    @Override
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        try {
            return VersionTable.version(db(), bucket, key, versionId);
        } catch (SQLException e) {
            throw wrap("read version " + versionId + " of " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectVersion> latestVersion(String bucket, String key) {
        try {
            return VersionTable.latest(db(), bucket, key);
        } catch (SQLException e) {
            throw wrap("read latest version of " + bucket + "/" + key, e);
        }
    }

    @Override
    public void addNoncurrentVersion(ObjectRecord version) {
        try {
            VersionTable.insert(db(), version.bucket(), version.key(), version.versionId(), version, version.lastModified());
        } catch (SQLException e) {
            throw wrap("keep a version of " + version.bucket() + "/" + version.key(), e);
        }
    }

    @Override
    public void addDeleteMarker(String bucket, String key, String versionId, Instant at) {
        try {
            VersionTable.insert(db(), bucket, key, ObjectVersion.storedId(versionId), null, at);
        } catch (SQLException e) {
            throw wrap("add a delete marker to " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectVersion> deleteNoncurrentVersion(String bucket, String key, String versionId) {
        try {
            return VersionTable.deleteNoncurrent(db(), bucket, key, versionId);
        } catch (SQLException e) {
            throw wrap("delete version " + versionId + " of " + bucket + "/" + key, e);
        }
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
        try {
            return VersionTable.countOfKey(db(), bucket, key);
        } catch (SQLException e) {
            throw wrap("count versions of " + bucket + "/" + key, e);
        }
    }

    @Override
    public List<String> deleteAllNoncurrentVersions(String bucket) {
        try {
            return VersionTable.deleteAllNoncurrent(db(), bucket);
        } catch (SQLException e) {
            throw wrap("delete the versions of bucket " + bucket, e);
        }
    }

    // ---------------------------------------------------------------- multipart uploads

    @Override
    public void createUpload(UploadRecord upload) {
        try {
            MultipartTable.insertUpload(db(), upload);
        } catch (SQLException e) {
            throw wrap("create upload " + upload.uploadId(), e);
        }
    }

    @Override
    public Optional<UploadRecord> upload(String uploadId) {
        try {
            return MultipartTable.upload(db(), uploadId);
        } catch (SQLException e) {
            throw wrap("read upload " + uploadId, e);
        }
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
        try {
            return MultipartTable.parts(db(), uploadId, 0, Integer.MAX_VALUE);
        } catch (SQLException e) {
            throw wrap("read parts of upload " + uploadId, e);
        }
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
        try {
            MultipartTable.putLayout(db(), bucket, key, layout);
        } catch (SQLException e) {
            throw wrap("record the parts of " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<ObjectRecord> completedUpload(String bucket, String key, String uploadId) {
        try {
            return MultipartTable.completedBy(db(), bucket, key, uploadId);
        } catch (SQLException e) {
            throw wrap("read the object completed from upload " + uploadId, e);
        }
    }

    // ---------------------------------------------------------------- tasks

    @Override
    public long enqueueTask(String kind, String payload) {
        try {
            return TaskTable.enqueue(db(), kind, payload);
        } catch (SQLException e) {
            throw wrap("enqueue task " + kind, e);
        }
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
}
