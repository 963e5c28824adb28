package dev.mockstorage.internal.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The current version of one object as stored: which immutable blob holds its bytes, and what S3
 * returns about it.
 *
 * @param bucket       bucket name
 * @param key          the exact key (any UTF-8, up to 1024 bytes)
 * @param blobId       id of the blob file holding the bytes on the nodes
 * @param size         bytes
 * @param etag         ETag without quotes (MD5 hex)
 * @param contentType  Content-Type as given by the client, or null
 * @param lastModified time of the write, millisecond precision
 * @param userMetadata {@code x-amz-meta-*} pairs, names lower-case without the prefix, in order
 * @param headers      other stored response headers (Content-Disposition, Content-Encoding,
 *                     Cache-Control, Expires, Content-Language), canonical names, in order
 * @param checksums    S3 checksum algorithm name (e.g. {@code CRC32}) to base64 value
 * @param tags         object tags (S3 tagging), key to value, in order; empty when none
 * @param versionId    S3 version id of this version; null for S3's "null" version (every object of a
 *                     never-versioned bucket, and those written while versioning was suspended)
 * @param grants       the version's ACL; null when none was given (the owner's FULL_CONTROL)
 */
public record ObjectRecord(
        String bucket,
        String key,
        String blobId,
        long size,
        String etag,
        String contentType,
        Instant lastModified,
        Map<String, String> userMetadata,
        Map<String, String> headers,
        Map<String, String> checksums,
        Map<String, String> tags,
        String versionId,
        List<Grant> grants) {
    /** The "null" version of an object without tags or an ACL of its own ({@link #withTags}, {@link #withVersionId}). */
    public ObjectRecord(
            String bucket,
            String key,
            String blobId,
            long size,
            String etag,
            String contentType,
            Instant lastModified,
            Map<String, String> userMetadata,
            Map<String, String> headers,
            Map<String, String> checksums) {
        this(
                bucket,
                key,
                blobId,
                size,
                etag,
                contentType,
                lastModified,
                userMetadata,
                headers,
                checksums,
                Map.of(),
                null,
                null);
    }

    /** Never null. */
    public ObjectRecord {
        tags = tags == null ? Map.of() : tags;
    }

    /** This object with other tags. */
    public ObjectRecord withTags(Map<String, String> newTags) {
        return new ObjectRecord(
                bucket,
                key,
                blobId,
                size,
                etag,
                contentType,
                lastModified,
                userMetadata,
                headers,
                checksums,
                newTags,
                versionId,
                grants);
    }

    /** This object as another version ({@code null}: the "null" version). */
    public ObjectRecord withVersionId(String newVersionId) {
        return new ObjectRecord(
                bucket,
                key,
                blobId,
                size,
                etag,
                contentType,
                lastModified,
                userMetadata,
                headers,
                checksums,
                tags,
                newVersionId,
                grants);
    }

    /** The version id as S3 writes it: the id, or {@code "null"} for the null version. */
    public String s3VersionId() {
        return versionId == null ? ObjectVersion.NULL_ID : versionId;
    }
}
