package dev.mockstorage.internal.metadata;

import java.time.Instant;

/**
 * One version of a key in a bucket, as ListObjectVersions and {@code ?versionId=} see it: a stored
 * object version (current or noncurrent) or a delete marker.
 *
 * @param bucket       bucket name
 * @param key          the key
 * @param versionId    S3 version id; {@value #NULL_ID} for the null version
 * @param deleteMarker true for a delete marker (then {@code object} is null)
 * @param latest       true when this is the key's newest version (S3's {@code IsLatest})
 * @param lastModified when the version (or marker) was written
 * @param object       the stored version; null for a delete marker
 */
public record ObjectVersion(
        String bucket,
        String key,
        String versionId,
        boolean deleteMarker,
        boolean latest,
        Instant lastModified,
        ObjectRecord object) {
    /** The version id S3 gives objects written while a bucket was unversioned or versioning was suspended. */
    public static final String NULL_ID = "null";

    /** The stored version id ({@code null} for the null version) of an S3 version id. */
    static String storedId(String s3VersionId) {
        return NULL_ID.equals(s3VersionId) ? null : s3VersionId;
    }
}
