package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectLock;
import dev.mockstorage.internal.metadata.ObjectLockConfig;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * S3 object lock, on the server's clock: a bucket's configuration (enabled, with an optional default
 * retention), and per version a retention ({@value #GOVERNANCE} or {@value #COMPLIANCE}, until a date) and a
 * legal hold. A version under a legal hold or a retention that has not ended cannot be deleted by id
 * ({@code AccessDenied}); a governance retention gives way to {@code x-amz-bypass-governance-retention}. Buckets
 * with object lock keep versioning Enabled, so no write replaces a version in place. The lock is written in the
 * same transaction as the version.
 */
public final class ObjectLocks {
    public static final String GOVERNANCE = "GOVERNANCE";
    public static final String COMPLIANCE = "COMPLIANCE";

    private final MetadataStore metadata;
    private final Clock clock;
    private final Buckets buckets;

    ObjectLocks(MetadataStore metadata, Clock clock, Buckets buckets) {
        this.metadata = metadata;
        this.clock = clock;
        this.buckets = buckets;
    }

    // ---------------------------------------------------------------- the bucket's configuration

    /** The bucket's configuration; {@code ObjectLockConfigurationNotFoundError} when object lock is not enabled on it. */
    public ObjectLockConfig configuration(String bucket) {
        return metadata.objectLockConfig(bucket).orElseThrow(() -> {
            buckets.require(bucket);
            return new StorageException(
                            ErrorCode.ObjectLockConfigurationNotFoundError,
                            "Object Lock configuration does not exist for this bucket: " + bucket,
                            bucket)
                    .with("BucketName", bucket);
        });
    }

    /**
     * PutObjectLockConfiguration: enables object lock (only on a bucket with versioning Enabled, as S3 allows it
     * on existing buckets) with this default retention.
     */
    public void setConfiguration(String bucket, ObjectLockConfig config) {
        validateDefault(config);
        metadata.write(tx -> {
            BucketRecord b = tx.bucket(bucket).orElseThrow(() -> NotFound.bucket(bucket));
            if (!BucketRecord.ENABLED.equals(b.versioning())) {
                throw new StorageException(
                        ErrorCode.InvalidBucketState,
                        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
                        bucket);
            }
            tx.setObjectLockConfig(bucket, config);
            return null;
        });
        buckets.refreshVersioned();
    }

    private static void validateDefault(ObjectLockConfig c) {
        if (c.defaultMode() == null) {
            if (c.defaultDays() != null || c.defaultYears() != null) {
                throw malformed("a <DefaultRetention> needs a <Mode>");
            }
            return;
        }
        mode(c.defaultMode());
        if ((c.defaultDays() == null) == (c.defaultYears() == null)) {
            throw malformed("a <DefaultRetention> takes one of <Days> and <Years>");
        }
        Integer n = c.defaultDays() != null ? c.defaultDays() : c.defaultYears();
        if (n <= 0) {
            throw new StorageException(
                    ErrorCode.InvalidArgument, "Default retention period must be a positive integer value");
        }
    }

    // ---------------------------------------------------------------- a version's retention and legal hold

    /** The retention of a version (null: the current one); {@code NoSuchObjectLockConfiguration} when it has none. */
    public ObjectLock retention(String bucket, String key, String versionId) {
        ObjectLock lock = lockOf(bucket, key, versionId);
        if (lock.mode() == null) {
            throw noLock(bucket, key);
        }
        return lock;
    }

    /** The legal hold of a version (null: the current one); {@code NoSuchObjectLockConfiguration} when never set. */
    public boolean legalHold(String bucket, String key, String versionId) {
        Boolean hold = lockOf(bucket, key, versionId).legalHold();
        if (hold == null) {
            throw noLock(bucket, key);
        }
        return hold;
    }

    private ObjectLock lockOf(String bucket, String key, String versionId) {
        return metadata.write(tx -> {
            ObjectRecord v = lockable(tx, bucket, key, versionId, "GET");
            return tx.objectLock(bucket, key, v.s3VersionId()).orElse(new ObjectLock(null, null, null));
        });
    }

    /**
     * PutObjectRetention. A retention may always be made longer; shortening or removing it (mode null), or
     * changing its mode, needs {@code bypassGovernance} for GOVERNANCE and is refused for COMPLIANCE until it ends.
     *
     * @return the version id as S3 writes it
     */
    public String setRetention(
            String bucket, String key, String versionId, String mode, Instant retainUntil, boolean bypassGovernance) {
        Instant now = clock.instant();
        if (mode != null) {
            mode(mode);
            if (retainUntil == null) {
                throw malformed("a <Retention> with a <Mode> needs a <RetainUntilDate>");
            }
            if (!retainUntil.isAfter(now)) {
                throw new StorageException(ErrorCode.InvalidArgument, "The retain until date must be in the future!");
            }
        } else if (retainUntil != null) {
            throw malformed("a <Retention> with a <RetainUntilDate> needs a <Mode>");
        }
        return metadata.write(tx -> {
            ObjectRecord v = lockable(tx, bucket, key, versionId, "PUT");
            String id = v.s3VersionId();
            ObjectLock old = tx.objectLock(bucket, key, id).orElse(new ObjectLock(null, null, null));
            if (old.mode() != null && old.retainUntil().isAfter(now)) {
                boolean extends_ = mode != null && mode.equals(old.mode()) && !retainUntil.isBefore(old.retainUntil());
                boolean stricter = COMPLIANCE.equals(mode)
                        && GOVERNANCE.equals(old.mode())
                        && !retainUntil.isBefore(old.retainUntil());
                if (!extends_ && !stricter && (COMPLIANCE.equals(old.mode()) || !bypassGovernance)) {
                    throw new StorageException(
                            ErrorCode.AccessDenied,
                            "Access Denied because object protected by object lock: "
                                    + old.mode() + " retention until " + old.retainUntil() + " of " + bucket + "/" + key
                                    + " cannot be "
                                    + (mode == null ? "removed" : "shortened or changed")
                                    + (COMPLIANCE.equals(old.mode())
                                            ? ""
                                            : " without x-amz-bypass-governance-retention"),
                            bucket + "/" + key);
                }
            }
            tx.setObjectLock(bucket, key, id, new ObjectLock(mode, mode == null ? null : retainUntil, old.legalHold()));
            return id;
        });
    }

    /** PutObjectLegalHold: ON or OFF; returns the version id as S3 writes it. */
    public String setLegalHold(String bucket, String key, String versionId, boolean on) {
        return metadata.write(tx -> {
            ObjectRecord v = lockable(tx, bucket, key, versionId, "PUT");
            String id = v.s3VersionId();
            ObjectLock old = tx.objectLock(bucket, key, id).orElse(new ObjectLock(null, null, null));
            tx.setObjectLock(bucket, key, id, new ObjectLock(old.mode(), old.retainUntil(), on));
            return id;
        });
    }

    /** The version a retention or legal hold is about, in a bucket with object lock enabled. */
    private static ObjectRecord lockable(Tx tx, String bucket, String key, String versionId, String method) {
        if (tx.bucket(bucket).isEmpty()) {
            throw NotFound.bucket(bucket);
        }
        if (tx.objectLockConfig(bucket).isEmpty()) {
            throw missingConfiguration(bucket);
        }
        if (versionId == null) {
            return tx.object(bucket, key).orElseThrow(() -> NotFound.key(bucket, key));
        }
        VersionedWrites.validateVersionId(versionId);
        return VersionedWrites.readable(tx.version(bucket, key, versionId), bucket, key, versionId, method);
    }

    /** The lock of a version for GET/HEAD's headers: empty without a query in buckets without object lock. */
    public Optional<ObjectLock> lockIfAny(String bucket, String key, String versionId) {
        return buckets.hasObjectLock(bucket) ? metadata.objectLock(bucket, key, versionId) : Optional.empty();
    }

    // ---------------------------------------------------------------- inside the writes' transactions

    /**
     * Gives a version just written its lock: the one the write asked for, else the bucket's default retention
     * counted from {@code now}. {@code InvalidRequest} when a lock was asked for in a bucket without object lock.
     */
    static void onWrite(Tx tx, String bucket, ObjectRecord version, ObjectLock requested, Instant now) {
        Optional<ObjectLockConfig> config = tx.objectLockConfig(bucket);
        if (config.isEmpty()) {
            if (requested != null && !requested.isEmpty()) {
                throw missingConfiguration(bucket);
            }
            return;
        }
        String mode = requested == null ? null : requested.mode();
        Instant until = requested == null ? null : requested.retainUntil();
        ObjectLockConfig c = config.get();
        if (mode == null && c.defaultMode() != null) {
            mode = c.defaultMode();
            until = c.defaultDays() != null
                    ? now.plus(Duration.ofDays(c.defaultDays()))
                    : now.atOffset(ZoneOffset.UTC).plusYears(c.defaultYears()).toInstant();
        }
        ObjectLock lock = new ObjectLock(mode, until, requested == null ? null : requested.legalHold());
        if (!lock.isEmpty()) {
            tx.setObjectLock(bucket, version.key(), version.s3VersionId(), lock);
        }
    }

    /** Checks what a write asks for before its body is read: both of mode and date, a date in the future. */
    static void validateRequested(ObjectLock requested, Instant now) {
        if (requested == null || requested.isEmpty()) {
            return;
        }
        if ((requested.mode() == null) != (requested.retainUntil() == null)) {
            throw new StorageException(
                    ErrorCode.InvalidArgument,
                    "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }
        if (requested.mode() != null) {
            mode(requested.mode());
            if (!requested.retainUntil().isAfter(now)) {
                throw new StorageException(ErrorCode.InvalidArgument, "The retain until date must be in the future!");
            }
        }
    }

    /** True when the version is under a legal hold or a retention that has not ended at {@code now}. */
    static boolean protects(Tx tx, String bucket, String key, String versionId, Instant now) {
        Optional<ObjectLock> lock = tx.objectLock(bucket, key, versionId);
        return lock.isPresent()
                && (Boolean.TRUE.equals(lock.get().legalHold())
                        || (lock.get().mode() != null
                                && lock.get().retainUntil().isAfter(now)));
    }

    /**
     * Before a version is deleted by id: {@code AccessDenied} while it is protected (a governance retention gives
     * way to {@code bypassGovernance}); otherwise its lock row goes with it.
     */
    static void releaseForDelete(
            Tx tx, String bucket, String key, String versionId, Instant now, boolean bypassGovernance) {
        Optional<ObjectLock> lock = tx.objectLock(bucket, key, versionId);
        if (lock.isEmpty()) {
            return;
        }
        ObjectLock l = lock.get();
        boolean retained = l.mode() != null && l.retainUntil().isAfter(now);
        if (Boolean.TRUE.equals(l.legalHold()) || (retained && (COMPLIANCE.equals(l.mode()) || !bypassGovernance))) {
            throw new StorageException(
                    ErrorCode.AccessDenied,
                    "Access Denied because object protected by object lock: "
                            + (Boolean.TRUE.equals(l.legalHold())
                                    ? "a legal hold"
                                    : l.mode() + " retention until " + l.retainUntil())
                            + " on version " + versionId + " of " + bucket + "/" + key,
                    bucket + "/" + key);
        }
        tx.setObjectLock(bucket, key, versionId, null);
    }

    private static String mode(String mode) {
        if (!GOVERNANCE.equals(mode) && !COMPLIANCE.equals(mode)) {
            throw malformed("the object-lock mode must be GOVERNANCE or COMPLIANCE, not '" + mode + "'");
        }
        return mode;
    }

    static StorageException missingConfiguration(String bucket) {
        return new StorageException(
                ErrorCode.InvalidRequest, "Bucket is missing Object Lock Configuration: " + bucket, bucket);
    }

    private static StorageException noLock(String bucket, String key) {
        return new StorageException(
                ErrorCode.NoSuchObjectLockConfiguration,
                "The specified object does not have a ObjectLock configuration: " + bucket + "/" + key,
                bucket + "/" + key);
    }

    private static StorageException malformed(String what) {
        return new StorageException(
                ErrorCode.MalformedXML,
                "The XML you provided was not well-formed or did not validate against our published schema: " + what);
    }
}
