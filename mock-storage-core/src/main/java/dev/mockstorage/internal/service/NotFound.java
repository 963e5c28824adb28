package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;

/** The errors of a bucket or key that is not there, as S3 words them. */
final class NotFound {
    private NotFound() {}

    static StorageException bucket(String bucket) {
        return new StorageException(ErrorCode.NoSuchBucket, "The specified bucket does not exist: " + bucket, bucket)
                .with("BucketName", bucket);
    }

    static StorageException version(String bucket, String key, String versionId) {
        return new StorageException(
                        ErrorCode.NoSuchVersion,
                        "The specified version does not exist: " + versionId + " of " + bucket + "/" + key,
                        bucket + "/" + key)
                .with("Key", key)
                .with("VersionId", versionId);
    }

    static StorageException key(String bucket, String key) {
        return new StorageException(ErrorCode.NoSuchKey, "The specified key does not exist.", bucket + "/" + key)
                .with("Key", key);
    }
}
